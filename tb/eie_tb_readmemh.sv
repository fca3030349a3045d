// Self-contained testbench: runs a vector pack on eie_top with no C code.
// Loads the pack's host command trace (host_load.hex) through the host bus,
// starts the array, waits for DONE, reads every output (host_read.hex),
// compares it with expected.hex and writes the outputs to +out=FILE.
//   +pack=DIR   the vector pack (required)
//   +out=FILE   outputs, one 4-digit hex word a line (default: DIR/rtl_output.hex)
// Parameters must be the pack's configuration (manifest.json "config").
// Prints "EIE-TB PASS" or "EIE-TB FAIL ..." and ends with $finish.
module eie_tb_readmemh #(
  parameter int NumPe = 4,
  parameter int FifoDepth = 2,
  parameter int SpmatLines = 16384,
  parameter int PtrDepth = 16384,
  parameter int RfDepth = 64,
  parameter int ActSramDepth = 1024,
  parameter logic [31:0] ParamHash = 32'h0,
  parameter int MaxWrites = 1 << 21,
  parameter int MaxOutputs = 65536,
  parameter int MaxCycles = 50000000
);
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  logic req = 1'b0, we = 1'b0;
  logic [31:0] addr = '0, wdata = '0;
  logic rsp_valid, irq;
  logic [31:0] rsp_rdata;
  logic [1:0] rsp_err;

  always #5 clk = ~clk;

  eie_top #(
    .NumPe(NumPe),
    .FifoDepth(FifoDepth),
    .SpmatLines(SpmatLines),
    .PtrDepth(PtrDepth),
    .RfDepth(RfDepth),
    .ActSramDepth(ActSramDepth),
    .ParamHash(ParamHash)
  ) dut (
    .clk_i(clk),
    .rst_ni(rst_n),
    .host_req_i(req),
    .host_we_i(we),
    .host_addr_i(addr),
    .host_wdata_i(wdata),
    .host_rsp_valid_o(rsp_valid),
    .host_rsp_rdata_o(rsp_rdata),
    .host_rsp_err_o(rsp_err),
    .irq_o(irq),
    .obs_state_o(),
    .obs_layer_o(),
    .obs_pass_o(),
    .obs_stall_o(),
    .obs_cycles_o(),
    .obs_bcast_valid_o(),
    .obs_bcast_j_o(),
    .obs_bcast_a_o(),
    .obs_acc_valid_o(),
    .obs_acc_row_o(),
    .obs_acc_sum_o(),
    .obs_acc_bypass_o(),
    .obs_wb_valid_o(),
    .obs_wb_row_o(),
    .obs_wb_y_o(),
    .obs_queue_count_o(),
    .obs_stream_valid_o(),
    .obs_stream_col_o(),
    .obs_padding_o(),
    .obs_line_read_o(),
    .obs_empty_col_o(),
    .obs_lnzd_exhausted_o()
  );

  // No X on any output after reset (4-state simulators such as iverilog see them).
  integer x_errors = 0;
  always @(posedge clk) begin
    if (rst_n === 1'b1) begin
      // (^v === 1'bx: iverilog 11's $isunknown misreports concatenations)
      if ((^{rsp_valid, irq}) === 1'bx || (rsp_valid === 1'b1 && (^{rsp_rdata, rsp_err}) === 1'bx)) begin
        if (x_errors == 0) $display("EIE-TB X on an output at %0t: valid=%b irq=%b rdata=%h err=%b",
                                    $time, rsp_valid, irq, rsp_rdata, rsp_err);
        x_errors = x_errors + 1;
      end
    end
  end

  logic [63:0] load [MaxWrites];
  logic [31:0] rd_addr [MaxOutputs];
  logic [15:0] expected [MaxOutputs];
  logic [31:0] counts [2];

  // One bus access: drive at the falling edge, taken at the rising edge,
  // response after it.
  task automatic bus(input logic w, input logic [31:0] a, input logic [31:0] d,
                     output logic [31:0] q, output logic [1:0] e);
    @(negedge clk);
    req = 1'b1;
    we = w;
    addr = a;
    wdata = d;
    @(posedge clk);
    #1;
    req = 1'b0;
    q = rsp_rdata;
    e = rsp_err;
  endtask

  string pack, out_path;
  integer fd, i, errors, cycles;
  logic [31:0] q;
  logic [1:0] e;
  initial begin
    if (!$value$plusargs("pack=%s", pack)) begin
      $display("EIE-TB FAIL: give +pack=DIR");
      $finish;
    end
    if (!$value$plusargs("out=%s", out_path)) out_path = {pack, "/rtl_output.hex"};
    counts[0] = 32'hffffffff;
    $readmemh({pack, "/host_counts.hex"}, counts);
    if (counts[0] == 32'hffffffff || counts[0] > MaxWrites || counts[1] > MaxOutputs) begin
      $display("EIE-TB FAIL: %s/host_counts.hex missing or beyond MaxWrites/MaxOutputs", pack);
      $finish;
    end
    $readmemh({pack, "/host_load.hex"}, load, 0, counts[0] - 1);
    $readmemh({pack, "/host_read.hex"}, rd_addr, 0, counts[1] - 1);
    $readmemh({pack, "/expected.hex"}, expected, 0, counts[1] - 1);
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    bus(1'b0, 32'h004, 32'h0, q, e);
    if (q !== ParamHash) begin
      $display("EIE-TB FAIL: PARAM_HASH reads %h, the pack needs %h", q, ParamHash);
      $finish;
    end
    for (i = 0; i < counts[0]; i = i + 1) begin
      bus(1'b1, load[i][63:32], load[i][31:0], q, e);
      if (e !== 2'd0) begin
        $display("EIE-TB FAIL: load write %0d to %h answered status %0d", i, load[i][63:32], e);
        $finish;
      end
    end
    bus(1'b1, 32'h020, 32'h3, q, e);  // CLEAR | START
    cycles = 0;
    while (irq !== 1'b1 && cycles < MaxCycles) begin
      @(posedge clk);
      cycles = cycles + 1;
    end
    if (irq !== 1'b1) begin
      $display("EIE-TB FAIL: no DONE within %0d cycles", MaxCycles);
      $finish;
    end
    bus(1'b0, 32'h030, 32'h0, q, e);
    $display("EIE-TB done after %0d cycles (CYCLES register)", q);
    fd = $fopen(out_path, "w");
    errors = 0;
    for (i = 0; i < counts[1]; i = i + 1) begin
      bus(1'b0, rd_addr[i], 32'h0, q, e);
      $fdisplay(fd, "%h", q[15:0]);
      if (q[15:0] !== expected[i]) begin
        if (errors == 0) $display("EIE-TB first difference: output %0d = %h, expected %h", i, q[15:0], expected[i]);
        errors = errors + 1;
      end
    end
    $fclose(fd);
    if (errors == 0 && x_errors == 0) $display("EIE-TB PASS: %0d outputs match, no X on outputs", counts[1]);
    else $display("EIE-TB FAIL: %0d of %0d outputs differ, %0d cycles with X on outputs", errors, counts[1], x_errors);
    $finish;
  end
endmodule
