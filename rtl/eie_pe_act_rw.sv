// Activation read/write of one PE: the activation address space (register
// file 0, register file 1, activation SRAM) behind one read and one write
// port (docs/microarchitecture.md 3, 5.7). The read port serves the LNZD slot
// reads in RUN, the bias reads in WB and the host in I/O mode; the write port
// the write-back and the host. The three regions share the timing, so one
// memory of ActWords words models them.
module eie_pe_act_rw #(
  parameter int ActWords = 2 * eie_params_pkg::RfDepth + eie_params_pkg::ActSramDepth,
  parameter InitFile = "",  // $readmemh image of the SRAM (simulation preload; "" = none)
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int ActW = eie_params_pkg::ActW
) (
  input  logic             clk_i,
  // LNZD slot read
  input  logic             lnzd_re_i,
  input  logic [ActAw-1:0] lnzd_addr_i,
  // write-back: bias read and output write
  input  logic             wb_re_i,
  input  logic [ActAw-1:0] wb_raddr_i,
  input  logic             wb_we_i,
  input  logic [ActAw-1:0] wb_waddr_i,
  input  logic [ActW-1:0]  wb_wdata_i,
  // host (I/O mode)
  input  logic             host_req_i,
  input  logic             host_we_i,
  input  logic [ActAw-1:0] host_idx_i,
  input  logic [ActW-1:0]  host_wdata_i,
  // read data (the cycle after the read)
  output logic [ActW-1:0]  rdata_o
);
  logic re, we;
  logic [ActAw-1:0] raddr, waddr;
  logic [ActW-1:0] wdata;
  always_comb begin
    re = lnzd_re_i || wb_re_i || (host_req_i && !host_we_i);
    raddr = host_req_i ? host_idx_i : wb_re_i ? wb_raddr_i : lnzd_addr_i;
    we = wb_we_i || (host_req_i && host_we_i);
    waddr = host_req_i ? host_idx_i : wb_waddr_i;
    wdata = host_req_i ? host_wdata_i : wb_wdata_i;
  end

  eie_sram_1r1w #(
    .Depth(ActWords),
    .Width(ActW),
    .InitFile(InitFile)
  ) u_act (
    .clk_i,
    .re_i(re),
    .raddr_i(raddr),
    .rdata_o,
    .we_i(we),
    .waddr_i(waddr),
    .wdata_i(wdata)
  );
endmodule
