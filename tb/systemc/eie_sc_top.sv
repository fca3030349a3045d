// SystemC top of the RTL: eie_top with the host pins, the interrupt and the
// run state only, so the Verilated SystemC ports have the same types for every
// configuration (the observation port stays inside; it is in the FST trace).
module eie_sc_top #(
  parameter int NumPe = eie_params_pkg::NumPe,
  parameter int FifoDepth = eie_params_pkg::FifoDepth,
  parameter logic [31:0] ParamHash = eie_params_pkg::ParamHashDefault
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        host_req_i,
  input  logic        host_we_i,
  input  logic [31:0] host_addr_i,
  input  logic [31:0] host_wdata_i,
  output logic        host_rsp_valid_o,
  output logic [31:0] host_rsp_rdata_o,
  output logic [1:0]  host_rsp_err_o,
  output logic        irq_o,
  output logic [2:0]  obs_state_o,
  output logic [63:0] obs_cycles_o
);
  eie_top #(
    .NumPe    (NumPe),
    .FifoDepth(FifoDepth),
    .ParamHash(ParamHash)
  ) u_top (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .host_req_i          (host_req_i),
    .host_we_i           (host_we_i),
    .host_addr_i         (host_addr_i),
    .host_wdata_i        (host_wdata_i),
    .host_rsp_valid_o    (host_rsp_valid_o),
    .host_rsp_rdata_o    (host_rsp_rdata_o),
    .host_rsp_err_o      (host_rsp_err_o),
    .irq_o               (irq_o),
    .obs_state_o         (obs_state_o),
    .obs_layer_o         (),
    .obs_pass_o          (),
    .obs_stall_o         (),
    .obs_cycles_o        (obs_cycles_o),
    .obs_bcast_valid_o   (),
    .obs_bcast_j_o       (),
    .obs_bcast_a_o       (),
    .obs_acc_valid_o     (),
    .obs_acc_row_o       (),
    .obs_acc_sum_o       (),
    .obs_acc_bypass_o    (),
    .obs_wb_valid_o      (),
    .obs_wb_row_o        (),
    .obs_wb_y_o          (),
    .obs_queue_count_o   (),
    .obs_stream_valid_o  (),
    .obs_stream_col_o    (),
    .obs_padding_o       (),
    .obs_line_read_o     (),
    .obs_empty_col_o     (),
    .obs_lnzd_exhausted_o()
  );
endmodule
