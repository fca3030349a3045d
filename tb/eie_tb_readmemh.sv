// Standalone testbench: runs a vector pack (docs/formats.md) on eie_top, or on any design with
// its ports (docs/bring-your-own-rtl.md), with no C code. Under iverilog and under Verilator.
//
//  1. Reads the pack's parameter hash (param_hash.hex) and compares it with the DUT's PARAM_HASH
//     register: a pack made for other parameters fails here, with both values printed.
//  2. Loads the pack: every write of the host command trace (host_load.hex) through the host bus,
//     or, when PreloadDir is set, only the register writes (the DUT's SRAMs start from the pack's
//     pe<k>_*.hex images through its InitDir parameter: backdoor preload).
//  3. Writes CTRL = CLEAR|START, waits for DONE, reads every output (host_read.hex), compares them
//     with expected.hex and writes them to +out=FILE.
//  4. While the array runs, records every broadcast, accumulator write and write-back from the
//     observation port and compares them, stream by stream and in order, with the pack's event
//     files (bcast_events.txt, pe<k>_events.txt); the first divergence is printed as a MISMATCH
//     report (cycle, stream, event, every field, the first differing one marked).
//
// Plusargs:
//   +pack=DIR      the vector pack (required unless PreloadDir is set, which is then the default)
//   +out=FILE      the outputs, one 4-digit hex word a line (default: rtl_output.hex in the
//                  current directory; the pack is never written)
//   +test=NAME     name for MISMATCH reports (default: the pack path)
//   +rerun=TEXT    the command that reruns this case with waveforms (printed under a MISMATCH)
//   +fst=FILE      dump waveforms (iverilog: run `vvp -fst`; Verilator: build with --trace-fst)
//   +no_events     check the outputs only, even with the observation port
//   +max_cycles=N  fail (timeout) without DONE after N cycles (default: parameter MaxCycles)
// Defines:
//   EIE_TB_OUTPUTS_ONLY  a DUT without the obs_* ports: outputs only, no event checks
//   EIE_TB_DUT=name      the design under test (default eie_top), with eie_top's ports and parameters
// Parameters: the RTL configuration (the pack's manifest.json "config") and ParamHash, the hash
// the DUT reports (`eie params --config PACK/manifest.json --hash`, decimal for -P / -G).
//
// Result: "EIE-TB PASS: ..." and $finish (exit status 0), or "EIE-TB FAIL: ..." and $fatal
// (exit status 1 under vvp, and under Verilator with tb/eie_tb_main.cpp). Failures on the input
// itself print "EIE-TB FAIL (bad input): ..." and no DONE within MaxCycles prints
// "EIE-TB FAIL (timeout): ..." (scripts/tb.sh turns these into exit codes 3 and 2).
`ifndef EIE_TB_DUT
`define EIE_TB_DUT eie_top
`endif
module eie_tb_readmemh #(
  parameter int NumPe = eie_params_pkg::NumPe,
  parameter int FifoDepth = eie_params_pkg::FifoDepth,
  parameter int SpmatLines = eie_params_pkg::SpmatLines,
  parameter int PtrDepth = eie_params_pkg::PtrDepth,
  parameter int RfDepth = eie_params_pkg::RfDepth,
  parameter int ActSramDepth = eie_params_pkg::ActSramDepth,
  parameter logic [31:0] ParamHash = eie_params_pkg::ParamHashDefault,
  parameter PreloadDir = "",
  parameter int MaxWrites = 1 << 21,
  parameter int MaxOutputs = 65536,
  parameter int MaxCycles = 50000000
);
  localparam int Cw = $clog2(FifoDepth + 1);
  // The register map (eie_params_pkg, generated from cmodel/include/eie/eie_regs.def).
  localparam logic [31:0] RegId = 32'(eie_params_pkg::RegId);
  localparam logic [31:0] RegParamHash = 32'(eie_params_pkg::RegParamHash);
  localparam logic [31:0] RegNumPe = 32'(eie_params_pkg::RegNumPe);
  localparam logic [31:0] RegCtrl = 32'(eie_params_pkg::RegCtrl);
  localparam logic [31:0] RegCyclesLo = 32'(eie_params_pkg::RegCyclesLo);
  localparam logic [31:0] PeBase = 32'(eie_params_pkg::PeWindowBase);
  localparam logic [31:0] IdValue = 32'(eie_params_pkg::IdValue);  // "EIE1"
  localparam logic [31:0] CtrlClearStart = (32'(1) << eie_params_pkg::CtrlClearLsb) |
                                           (32'(1) << eie_params_pkg::CtrlStartLsb);

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  logic req = 1'b0, we = 1'b0;
  logic [31:0] addr = '0, wdata = '0;
  logic rsp_valid, irq;
  logic [31:0] rsp_rdata;
  logic [1:0] rsp_err;

  always #5 clk = ~clk;

`ifndef EIE_TB_OUTPUTS_ONLY
  logic [2:0] obs_state;
  logic [3:0] obs_layer;
  logic [15:0] obs_pass;
  logic [63:0] obs_cycles;
  logic obs_bcast_valid;
  logic [15:0] obs_bcast_j, obs_bcast_a;
  logic [NumPe-1:0] obs_acc_valid, obs_acc_bypass, obs_wb_valid;
  logic [16*NumPe-1:0] obs_acc_row, obs_wb_row, obs_wb_y;
  logic [32*NumPe-1:0] obs_acc_sum;
`endif

  `EIE_TB_DUT #(
    .NumPe(NumPe),
    .FifoDepth(FifoDepth),
    .SpmatLines(SpmatLines),
    .PtrDepth(PtrDepth),
    .RfDepth(RfDepth),
    .ActSramDepth(ActSramDepth),
    .ParamHash(ParamHash),
    .InitDir(PreloadDir)
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
`ifdef EIE_TB_OUTPUTS_ONLY
    .irq_o(irq)
`else
    .irq_o(irq),
    .obs_state_o(obs_state),
    .obs_layer_o(obs_layer),
    .obs_pass_o(obs_pass),
    .obs_stall_o(),
    .obs_cycles_o(obs_cycles),
    .obs_bcast_valid_o(obs_bcast_valid),
    .obs_bcast_j_o(obs_bcast_j),
    .obs_bcast_a_o(obs_bcast_a),
    .obs_acc_valid_o(obs_acc_valid),
    .obs_acc_row_o(obs_acc_row),
    .obs_acc_sum_o(obs_acc_sum),
    .obs_acc_bypass_o(obs_acc_bypass),
    .obs_wb_valid_o(obs_wb_valid),
    .obs_wb_row_o(obs_wb_row),
    .obs_wb_y_o(obs_wb_y),
    .obs_queue_count_o(),
    .obs_stream_valid_o(),
    .obs_stream_col_o(),
    .obs_padding_o(),
    .obs_line_read_o(),
    .obs_empty_col_o(),
    .obs_lnzd_exhausted_o()
`endif
  );

  // ---- Reporting ----
  string pack, out_path, test_name, rerun;

  function automatic string pad(input string s, input int n);
    string r;
    r = s;
    while (r.len() < n) r = {r, " "};
    return r;
  endfunction
  function automatic string hex4(input logic [31:0] v);
    string r;
    r = $sformatf("%0h", v);
    while (r.len() < 4) r = {"0", r};
    return {"0x", r};
  endfunction

  // Every failure ends here: the FAIL line for log scrapers, then a non-zero exit status.
  task automatic fail(input string kind, input string msg);
    if (kind == "") $display("EIE-TB FAIL: %s", msg);
    else $display("EIE-TB FAIL (%s): %s", kind, msg);
    $fatal(1, "EIE-TB FAIL");
    forever @(posedge clk);  // (Verilator returns from $fatal: nothing after it may run)
  endtask

  function automatic logic file_exists(input string path);
    integer f;
    f = $fopen(path, "r");
    if (f == 0) return 1'b0;
    $fclose(f);
    return 1'b1;
  endfunction

  // ---- No X on any output after reset (4-state simulators such as iverilog see them) ----
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

  // ---- Event streams: stream 0 = broadcasts, stream 1 + k = PE k ----
  // Event kinds: 0 BCAST, 1 ACC, 2 WB, 3 anything else. Fields: cycle layer pass index value bypass.
  logic events_on = 1'b0;         // comparing (set while the array runs)
  integer ev_fd [NumPe + 1];
  logic [NumPe:0] ev_open = '0;   // stream s's file is open
  longint ev_index [NumPe + 1];   // events of each stream compared so far
  longint ev_line [NumPe + 1];    // lines of each file read so far
  longint ev_compared = 0, ev_diffs = 0;
  logic ev_reported = 1'b0;
  logic exp_ok;                   // the expected (pack) event and the DUT's, of one comparison
  integer exp_kind, got_kind;
  longint exp_f [6];
  longint got_f [6];

  function automatic string stream_file(input int s);
    string r;
    if (s == 0) r = "bcast_events.txt";
    else r = $sformatf("pe%0d_events.txt", s - 1);
    return r;
  endfunction
  function automatic string kind_name(input integer k);
    return (k == 0) ? "BCAST" : (k == 1) ? "ACC" : (k == 2) ? "WB" : "?";
  endfunction
  function automatic string field_name(input int f, input int s);
    return (f == 0) ? "kind" : (f == 1) ? "cycle" : (f == 2) ? "layer" : (f == 3) ? "pass" :
           (f == 4) ? ((s == 0) ? "j" : "row") : (f == 5) ? "value" : "bypass";
  endfunction

  // The next event of stream s from its file into exp_*; exp_ok = 0 at the end of the file.
  task automatic next_expected(input int s);
    logic [8*250-1:0] line, head;  // (Verilator: at most 2048 bits for $sscanf)
    logic [8*16-1:0] kind;
    logic [63:0] cy;
    integer got, n, ly, ps, ix, vl, bp, fd;
    exp_ok = 1'b0;
    exp_kind = 3;
    for (int f = 0; f < 6; f++) exp_f[f] = 0;
    if (!ev_open[s]) begin  // (opened at the first read)
      ev_open[s] = 1'b1;
      ev_fd[s] = $fopen({pack, "/", stream_file(s)}, "r");
      ev_index[s] = 0;
      ev_line[s] = 0;
      if (ev_fd[s] == 0) fail("bad input", $sformatf("%s/%s: cannot open", pack, stream_file(s)));
    end
    got = 1;
    while (!exp_ok && got > 0) begin
      line = '0;
      fd = ev_fd[s];  // (Verilator 5.006's $fgets clears an array element given as descriptor)
      got = $fgets(line, fd);
      if (got > 0) ev_line[s] = ev_line[s] + 1;
      head = line >> (8 * (got - 2));  // the first two characters
      line = line << (8 * (250 - got));  // (text first: Verilator's $sscanf stops at a leading NUL)
      if (got > 1 && head[15:0] != "//") begin  // (not a comment, an empty line or the end)
        kind = '0;
        n = $sscanf(line, "%s %d %d %d %d %d %d", kind, cy, ly, ps, ix, vl, bp);
        exp_kind = (kind == "BCAST") ? 0 : (kind == "ACC") ? 1 : (kind == "WB") ? 2 : 3;
        // (4-state simulators read "x" as a digit: no X may come out)
        if (n != 7 || (^{cy, ly, ps, ix, vl, bp}) === 1'bx || exp_kind == 3 || (bp != 0 && bp != 1))
          fail("bad input", $sformatf("%s/%s line %0d: not an event (BCAST, ACC or WB and six integers)", pack,
                                      stream_file(s), ev_line[s]));
        exp_f[0] = longint'(cy);
        exp_f[1] = ly;
        exp_f[2] = ps;
        exp_f[3] = ix;
        exp_f[4] = vl;
        exp_f[5] = bp;
        exp_ok = 1'b1;
      end
    end
  endtask

  // The first divergence, in the project's mismatch format (pack = "cmodel", DUT = "rtl").
  task automatic report(input int s, input logic have_m, input logic have_r);
    string a, b;
    logic marked, diff;
    if (s == 0)
      $display("MISMATCH test=%s stream=bcast event=%0d cycle=%0d", test_name, ev_index[s],
               have_m ? exp_f[0] : got_f[0]);
    else
      $display("MISMATCH test=%s pe=%0d event=%0d cycle=%0d", test_name, s - 1, ev_index[s],
               have_m ? exp_f[0] : got_f[0]);
    $display("  %s %s rtl", pad("field", 7), pad("cmodel", 12));
    marked = 1'b0;
    for (int f = 0; f < 7; f++) begin
      if (f == 0) begin
        a = "(none)";
        b = "(none)";
        if (have_m) a = kind_name(exp_kind);
        if (have_r) b = kind_name(got_kind);
        diff = have_m && have_r && exp_kind != got_kind;
      end else begin
        a = "-";
        b = "-";
        // (if/else, not ?: : vvp 11 crashes on a ?: between two strings made by functions)
        if (have_m && (f == 4 || f == 5)) a = hex4(32'(exp_f[f-1]));
        else if (have_m) a = $sformatf("%0d", exp_f[f-1]);
        if (have_r && (f == 4 || f == 5)) b = hex4(32'(got_f[f-1]));
        else if (have_r) b = $sformatf("%0d", got_f[f-1]);
        diff = have_m && have_r && exp_f[f-1] != got_f[f-1];
      end
      if (diff && !marked) $display("  %s %s %s   <-- first difference", pad(field_name(f, s), 7), pad(a, 12),
                                    pad(b, 12));
      else $display("  %s %s %s", pad(field_name(f, s), 7), pad(a, 12), b);
      marked = marked | diff;
    end
    if (rerun != "") $display("  rerun with waves: %s", rerun);
    else $display("  rerun with waves: add +fst=FILE (vvp -fst; Verilator: build with --trace-fst)");
  endtask

  // One event of stream s seen on the observation port: compare it with the next expected one.
  task automatic check_event(input int s, input integer kind, input longint cycle, input longint layer,
                             input longint pass, input longint index, input longint value,
                             input longint bypass);
    logic same;
    next_expected(s);
    got_kind = kind;
    got_f[0] = cycle;
    got_f[1] = layer;
    got_f[2] = pass;
    got_f[3] = index;
    got_f[4] = value;
    got_f[5] = bypass;
    same = exp_ok && exp_kind == got_kind;
    for (int f = 0; f < 6; f++) same = same && exp_f[f] == got_f[f];
    ev_compared = ev_compared + 1;
    if (!same) begin
      ev_diffs = ev_diffs + 1;
      if (!ev_reported) report(s, exp_ok, 1'b1);
      ev_reported = 1'b1;
    end
    ev_index[s] = ev_index[s] + 1;
  endtask

`ifndef EIE_TB_OUTPUTS_ONLY
  // Events are presented during a cycle of SETUP, RUN or WB (obs_state_o 1..3) and taken at the
  // rising edge that ends it (docs/microarchitecture.md 8).
  always @(posedge clk) begin
    if (events_on && obs_state >= 3'd1 && obs_state <= 3'd3) begin
      if (obs_bcast_valid === 1'b1)
        check_event(0, 0, longint'(obs_cycles), longint'(obs_layer), longint'(obs_pass),
                    longint'(obs_bcast_j), longint'($signed(obs_bcast_a)), 0);
      for (int k = 0; k < NumPe; k++) begin
        if (obs_acc_valid[k] === 1'b1)
          check_event(1 + k, 1, longint'(obs_cycles), longint'(obs_layer), longint'(obs_pass),
                      (longint'(obs_pass) * RfDepth + longint'(obs_acc_row[16*k+:16])) * NumPe + k,
                      longint'($signed(obs_acc_sum[32*k+:32])), longint'(obs_acc_bypass[k]));
        if (obs_wb_valid[k] === 1'b1)
          check_event(1 + k, 2, longint'(obs_cycles), longint'(obs_layer), longint'(obs_pass),
                      (longint'(obs_pass) * RfDepth + longint'(obs_wb_row[16*k+:16])) * NumPe + k,
                      longint'($signed(obs_wb_y[16*k+:16])), 0);
      end
    end
  end
`endif

  // ---- The run ----
  logic [63:0] load [MaxWrites];
  logic [31:0] rd_addr [MaxOutputs];
  logic [15:0] expected [MaxOutputs];
  logic [31:0] counts [2];
  logic [31:0] pack_hash [1];

  // One bus access: drive at the falling edge, taken at the rising edge, response after it.
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

  string fst, f;
  integer fd, i, errors, cycles, writes, skipped, max_cycles;
  logic [31:0] q, dut_cfg [6];
  logic [1:0] e;
  logic check_events, preload;
  initial begin
    preload = (PreloadDir != "");
    if (!$value$plusargs("pack=%s", pack)) begin
      if (preload) pack = PreloadDir;
      else fail("bad input", "give +pack=DIR");
    end
    if (!$value$plusargs("out=%s", out_path)) out_path = "rtl_output.hex";
    if (!$value$plusargs("test=%s", test_name)) test_name = pack;
    if (!$value$plusargs("rerun=%s", rerun)) rerun = "";
    if (!$value$plusargs("max_cycles=%d", max_cycles)) max_cycles = MaxCycles;
    if ($value$plusargs("fst=%s", fst)) begin
      $dumpfile(fst);
      $dumpvars(0, eie_tb_readmemh);
    end

    // The pack's files ($readmemh only warns about a missing file).
    for (i = 0; i < 5; i = i + 1) begin
      if (i == 0) f = "param_hash.hex";
      else if (i == 1) f = "host_counts.hex";
      else if (i == 2) f = "host_load.hex";
      else if (i == 3) f = "host_read.hex";
      else f = "expected.hex";
      if (!file_exists({pack, "/", f}))
        fail("bad input", $sformatf("%s/%s: no such file (a pack written by eie gen has it)", pack, f));
    end
    pack_hash[0] = 'x;
    $readmemh({pack, "/param_hash.hex"}, pack_hash, 0, 0);
    counts[0] = 'x;
    counts[1] = 'x;
    $readmemh({pack, "/host_counts.hex"}, counts, 0, 1);
    if ((^pack_hash[0]) === 1'bx) fail("bad input", $sformatf("%s/param_hash.hex: no hash word", pack));
    if ((^{counts[0], counts[1]}) === 1'bx || counts[0] > MaxWrites || counts[1] > MaxOutputs ||
        counts[1] == 0)
      fail("bad input", $sformatf("%s/host_counts.hex: not two counts within MaxWrites %0d / MaxOutputs %0d",
                                  pack, MaxWrites, MaxOutputs));
    for (i = 0; i < counts[1]; i = i + 1) expected[i] = 'x;
    load[counts[0] - 1] = 'x;
    rd_addr[counts[1] - 1] = 'x;
    $readmemh({pack, "/host_load.hex"}, load, 0, counts[0] - 1);
    $readmemh({pack, "/host_read.hex"}, rd_addr, 0, counts[1] - 1);
    $readmemh({pack, "/expected.hex"}, expected, 0, counts[1] - 1);
    if ((^load[counts[0] - 1]) === 1'bx || (^rd_addr[counts[1] - 1]) === 1'bx)
      fail("bad input", $sformatf("%s: host_load.hex / host_read.hex shorter than host_counts.hex says", pack));
    for (i = 0; i < counts[1]; i = i + 1)
      if ((^expected[i]) === 1'bx)
        fail("bad input", $sformatf("%s/expected.hex: output %0d missing or not hex", pack, i));
    if (preload) begin
      for (int k = 0; k < NumPe; k++) begin
        for (i = 0; i < 4; i = i + 1) begin
          if (i == 0) f = "spmat";
          else if (i == 1) f = "ptr_even";
          else if (i == 2) f = "ptr_odd";
          else f = "act";
          f = $sformatf("%s/pe%0d_%s.hex", PreloadDir, k, f);
          if (!file_exists(f)) fail("bad input", $sformatf("%s: no such file (preload image)", f));
        end
      end
    end

    // Event streams: all or none (a pack made with eie gen --no-events has none).
    check_events = 1'b0;
`ifndef EIE_TB_OUTPUTS_ONLY
    if (!$test$plusargs("no_events")) begin
      if (file_exists({pack, "/bcast_events.txt"})) begin
        check_events = 1'b1;
        for (int s = 0; s <= NumPe; s++) begin
          if (!file_exists({pack, "/", stream_file(s)}))
            fail("bad input", $sformatf("%s/%s: no such file (the pack has bcast_events.txt)", pack, stream_file(s)));
        end
      end else begin
        $display("EIE-TB note: %s has no event streams (eie gen --no-events): outputs only", pack);
      end
    end
`endif

    // Reset; the DUT must be an EIE array built for this pack's parameters.
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    bus(1'b0, RegId, 32'h0, q, e);
    if (q !== IdValue) fail("", $sformatf("ID reads %h, an EIE array reads %h", q, IdValue));
    for (i = 0; i < 6; i = i + 1) bus(1'b0, RegNumPe + 4 * i, 32'h0, dut_cfg[i], e);
    bus(1'b0, RegParamHash, 32'h0, q, e);
    if (q !== pack_hash[0])
      fail("", $sformatf("PARAM_HASH: the DUT reads 0x%h (%0d), the pack needs 0x%h (%0d): the pack was made for other parameters (DUT: NUM_PE %0d FIFO_DEPTH %0d SPMAT_LINES %0d PTR_DEPTH %0d RF_DEPTH %0d ACT_SRAM_DEPTH %0d; the pack's are in its manifest.json)",
                         q, q, pack_hash[0], pack_hash[0], dut_cfg[0], dut_cfg[1], dut_cfg[2], dut_cfg[3],
                         dut_cfg[4], dut_cfg[5]));
    if (dut_cfg[0] !== NumPe || dut_cfg[4] !== RfDepth)
      fail("bad input", $sformatf("the DUT has NUM_PE %0d RF_DEPTH %0d, this testbench was built for %0d / %0d",
                                  dut_cfg[0], dut_cfg[4], NumPe, RfDepth));
    $display("EIE-TB PARAM_HASH 0x%h matches the pack (%0d PEs, FIFO %0d)", q, dut_cfg[0], dut_cfg[1]);

    // Load: every write, or with the preload only the register writes.
    writes = 0;
    skipped = 0;
    for (i = 0; i < counts[0]; i = i + 1) begin
      if (preload && load[i][63:32] >= PeBase) begin
        skipped = skipped + 1;
      end else begin
        bus(1'b1, load[i][63:32], load[i][31:0], q, e);
        writes = writes + 1;
        if (e !== 2'd0) fail("", $sformatf("load write %0d to %h answered status %0d", i, load[i][63:32], e));
      end
    end
    if (preload) $display("EIE-TB preload: memories from %s/pe<k>_*.hex, %0d register writes (%0d memory writes skipped)",
                          PreloadDir, writes, skipped);
    else $display("EIE-TB loaded through the bus: %0d writes", writes);

    events_on = check_events;
    bus(1'b1, RegCtrl, CtrlClearStart, q, e);
    cycles = 0;
    while (irq !== 1'b1 && cycles < max_cycles) begin
      @(posedge clk);
      cycles = cycles + 1;
    end
    if (irq !== 1'b1) fail("timeout", $sformatf("no DONE within %0d cycles", max_cycles));
    @(posedge clk);
    events_on = 1'b0;
    bus(1'b0, RegCyclesLo, 32'h0, q, e);
    $display("EIE-TB done after %0d cycles (CYCLES register)", q);

    // Expected events the DUT did not produce.
    if (check_events) begin
      for (int s = 0; s <= NumPe; s++) begin
        next_expected(s);
        while (exp_ok) begin
          ev_diffs = ev_diffs + 1;
          if (!ev_reported) report(s, 1'b1, 1'b0);
          ev_reported = 1'b1;
          ev_index[s] = ev_index[s] + 1;
          next_expected(s);
        end
        if (ev_open[s]) $fclose(ev_fd[s]);
      end
    end

    // Outputs.
    fd = $fopen(out_path, "w");
    if (fd == 0) fail("bad input", $sformatf("%s: cannot create", out_path));
    errors = 0;
    for (i = 0; i < counts[1]; i = i + 1) begin
      bus(1'b0, rd_addr[i], 32'h0, q, e);
      $fdisplay(fd, "%h", q[15:0]);
      if (q[15:0] !== expected[i]) begin
        if (errors == 0)
          $display("EIE-TB first output difference: output %0d (address %h) = %h, expected %h", i, rd_addr[i],
                   q[15:0], expected[i]);
        errors = errors + 1;
      end
    end
    $fclose(fd);
    if (check_events && ev_diffs != 0)
      $display("EIE-TB events: %0d of %0d compared differ (the first is reported above)", ev_diffs, ev_compared);
    if (errors == 0 && x_errors == 0 && ev_diffs == 0) begin
      if (check_events)
        $display("EIE-TB PASS: %0d outputs match, %0d events match (%0d streams), no X on outputs", counts[1],
                 ev_compared, NumPe + 1);
      else $display("EIE-TB PASS: %0d outputs match, no X on outputs (events not checked)", counts[1]);
      $finish;
    end else begin
      fail("", $sformatf("%0d of %0d outputs differ, %0d of %0d events differ, %0d cycles with X on outputs",
                         errors, counts[1], ev_diffs, ev_compared, x_errors));
    end
  end
endmodule
