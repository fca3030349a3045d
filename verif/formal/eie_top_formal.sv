// Formal harness of eie_top's host bus (scripts/formal.sh), one PE and the
// smallest memories. The host issues any request in any cycle (any address,
// data, read or write; runs start whenever it writes START). Checked: every
// request gets exactly one response, in the cycle after the edge that takes
// it, and there is no response otherwise; a write's response carries data 0;
// a read of a descriptor word answers status 0 and, for the first word written
// (in I/O mode; any word), the value last written, in its response cycle. The
// memories are the stand-in verif/formal/eie_sram_1p_one.sv: every word but
// the first one written reads as any value. The read-back needs the memory's
// history, so it is checked bounded from reset (job desc_read); the rest holds
// in every reachable state (job top, k-induction, ReadBack = 0).
module eie_top_formal #(
  parameter bit ReadBack = 1'b1  // 0: only the properties k-induction proves (no read-back)
) (
  input logic        clk_i,
  input logic        rst_ni,
  input logic        host_req_i,
  input logic        host_we_i,
  input logic [31:0] host_addr_i,
  input logic [31:0] host_wdata_i
);
  logic rsp_valid;
  logic [31:0] rsp_rdata;
  logic [1:0] rsp_err;
  logic [2:0] state;
  eie_top #(
    .NumPe(1),
    .FifoDepth(1),
    .SpmatLines(1),
    .PtrDepth(2),
    .RfDepth(1),
    .ActSramDepth(0)
  ) u_top (
    .clk_i,
    .rst_ni,
    .host_req_i,
    .host_we_i,
    .host_addr_i,
    .host_wdata_i,
    .host_rsp_valid_o(rsp_valid),
    .host_rsp_rdata_o(rsp_rdata),
    .host_rsp_err_o(rsp_err),
    .irq_o(),
    .obs_state_o(state),
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

  // The first descriptor word the host writes in I/O mode (DESC writes fail
  // while busy) is followed: the value it last wrote there.
  logic busy, desc_wr, watch_hit;  // desc_wr: a DESC write taken
  localparam logic [31:0] DescLo = 32'(eie_params_pkg::DescBase);
  localparam logic [31:0] DescHi = 32'(eie_params_pkg::DescBase + eie_params_pkg::MaxLayers * eie_params_pkg::DescStride);
  assign busy = (state == eie_params_pkg::StSetup) || (state == eie_params_pkg::StRun) ||
                (state == eie_params_pkg::StWb);
  assign desc_wr = host_req_i && host_we_i && !busy && host_addr_i >= DescLo && host_addr_i < DescHi &&
                   host_addr_i[1:0] == 2'b00;
  logic req_q, we_q, desc_rd_q, watch_rd_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      req_q <= 1'b0;
      we_q <= 1'b0;
      desc_rd_q <= 1'b0;
      watch_rd_q <= 1'b0;
    end else begin
      req_q <= host_req_i;
      we_q <= host_we_i;
      desc_rd_q <= host_req_i && !host_we_i && host_addr_i >= DescLo && host_addr_i < DescHi &&
                   host_addr_i[1:0] == 2'b00;
      watch_rd_q <= host_req_i && !host_we_i && watch_hit;
    end
  end
  // The memories keep their words through a reset, and so does this.
  logic known_q = 1'b0;
  logic [31:0] watch_q, val_q;
  assign watch_hit = known_q && host_addr_i == watch_q;
  always_ff @(posedge clk_i) begin
    if (desc_wr && (!known_q || watch_hit)) begin
      known_q <= 1'b1;
      watch_q <= host_addr_i;
      val_q <= host_wdata_i;
    end
  end

  logic init_q = 1'b1;
  always_ff @(posedge clk_i) init_q <= 1'b0;

  always_comb begin
    if (init_q) assume (!rst_ni);
    if (!rst_ni) assume (!host_req_i);  // no request while reset is asserted
    if (rst_ni) begin
      // top.response: a response exactly in the cycle after each request, never otherwise.
      assert (rsp_valid == req_q);
      // top.write_data: write responses carry data 0.
      if (req_q && we_q) assert (rsp_rdata == 32'd0);
      // top.desc_read: a descriptor read answers ok (in either mode); the
      // followed word reads back as last written, in the response cycle.
      if (desc_rd_q) assert (rsp_err == eie_params_pkg::BusOk);
      if (ReadBack && watch_rd_q) assert (rsp_rdata == val_q);
    end
  end
endmodule
