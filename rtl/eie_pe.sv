// One processing element: activation queue, pointer read, sparse-matrix read,
// arithmetic, activation read/write and write-back (docs/microarchitecture.md 5.3-5.8).
// Widths, memory selects (eie_params_pkg::pe_mem_e) are eie_params_pkg's.
module eie_pe #(
  parameter int NumPe = eie_params_pkg::NumPe,
  parameter int PeIndex = 0,
  parameter int FifoDepth = eie_params_pkg::FifoDepth,
  parameter int SpmatLines = eie_params_pkg::SpmatLines,
  parameter int PtrDepth = eie_params_pkg::PtrDepth,
  parameter int RfDepth = eie_params_pkg::RfDepth,
  parameter int ActWords = 2 * eie_params_pkg::RfDepth + eie_params_pkg::ActSramDepth,
  // Simulation preload: when not "", every SRAM of this PE starts from the vector pack's
  // $readmemh image InitDir/pe<PeIndex>_{spmat,ptr_even,ptr_odd,act}.hex (docs/formats.md).
  parameter InitDir = "",
  localparam int EntryAw = $clog2(SpmatLines) + 3,
  localparam int PtrAw = (PtrDepth > 1) ? $clog2(PtrDepth) : 1,
  localparam int LineAw = (SpmatLines > 1) ? $clog2(SpmatLines) : 1,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int Cw = $clog2(FifoDepth + 1),
  // Interface widths (eie_params_pkg, from eie_params.def and eie_regs.def).
  localparam int BusW = eie_params_pkg::BusW,
  localparam int ActW = eie_params_pkg::ActW,
  localparam int AccW = eie_params_pkg::AccW,
  localparam int LenW = eie_params_pkg::DescInLenW,   // j
  localparam int RowW = eie_params_pkg::DescOutLenW,  // rows
  localparam int StepW = $clog2(eie_params_pkg::RfDepthMax + 1),
  localparam int ShiftW = eie_params_pkg::DescShiftW,
  localparam int CbW = eie_params_pkg::CbSize * ActW,
  localparam int MemW = eie_params_pkg::PeMemW,
  localparam int IdxW = eie_params_pkg::PeIndexW
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // from the CCU
  input  logic               ccu2pe_setup_i,
  input  logic               ccu2pe_run_i,
  input  logic               ccu2pe_wb_i,
  input  logic [StepW-1:0]   ccu2pe_wb_step_i,
  input  logic [StepW-1:0]   ccu2pe_pass_rows_i,
  input  logic [RowW-1:0]    ccu2pe_row0_i,
  input  logic [RowW-1:0]    ccu2pe_out_len_i,
  input  logic [PtrAw:0]     ccu2pe_ptr_pass_base_i,
  input  logic [EntryAw-1:0] ccu2pe_entry_base_i,
  input  logic [ActAw-1:0]   ccu2pe_out_base_i,
  input  logic [ActAw-1:0]   ccu2pe_bias_base_i,
  input  logic               ccu2pe_bias_en_i,
  input  logic               ccu2pe_relu_i,
  input  logic [ShiftW-1:0]  ccu2pe_shift_i,
  input  logic [CbW-1:0]     ccu2pe_codebook_i,
  // from / to the LNZD
  input  logic               lnzd2pe_push_i,
  input  logic [LenW-1:0]    lnzd2pe_j_i,
  input  logic [ActW-1:0]    lnzd2pe_a_i,
  input  logic               lnzd2pe_act_re_i,
  input  logic [ActAw-1:0]   lnzd2pe_act_addr_i,
  output logic [ActW-1:0]    pe2lnzd_act_o,
  // status
  output logic               pe2ccu_full_o,
  output logic               pe2ccu_empty_o,
  // host access (I/O mode): host_mem_i an eie_params_pkg::pe_mem_e
  input  logic               host_req_i,
  input  logic               host_we_i,
  input  logic [MemW-1:0]    host_mem_i,
  input  logic [IdxW-1:0]    host_idx_i,
  input  logic               host_hi_i,
  input  logic [BusW-1:0]    host_wdata_i,
  output logic [BusW-1:0]    host_rdata_o,
  // observation
  output logic               obs_acc_valid_o,
  output logic [RowW-1:0]    obs_acc_row_o,
  output logic [AccW-1:0]    obs_acc_sum_o,
  output logic               obs_acc_bypass_o,
  output logic               obs_wb_valid_o,
  output logic [RowW-1:0]    obs_wb_row_o,
  output logic [ActW-1:0]    obs_wb_y_o,
  output logic [Cw-1:0]      obs_queue_count_o,
  output logic               obs_stream_valid_o,
  output logic [LenW-1:0]    obs_stream_col_o,
  output logic               obs_padding_o,
  output logic               obs_line_read_o,
  output logic               obs_empty_col_o
);
  localparam int PtrW = eie_params_pkg::PtrW;
  localparam int EntryW = eie_params_pkg::VW + eie_params_pkg::ZW;
  localparam int RowAw = (RfDepth > 1) ? $clog2(RfDepth) : 1;

  // Preload image names: InitDir/pe<PeIndex>_<memory>.hex, PeIndex in decimal without leading zeros.
  localparam int IdxDigits = (PeIndex >= 100) ? 3 : (PeIndex >= 10) ? 2 : 1;
  localparam logic [23:0] IdxText = {8'd48 + 8'(PeIndex / 100), 8'd48 + 8'((PeIndex / 10) % 10),
                                     8'd48 + 8'(PeIndex % 10)};
  localparam InitPe = {InitDir, "/pe", IdxText[8*IdxDigits-1:0], "_"};
  localparam InitSpmat = (InitDir == "") ? "" : {InitPe, "spmat.hex"};
  localparam InitPtrEven = (InitDir == "") ? "" : {InitPe, "ptr_even.hex"};
  localparam InitPtrOdd = (InitDir == "") ? "" : {InitPe, "ptr_odd.hex"};
  localparam InitAct = (InitDir == "") ? "" : {InitPe, "act.hex"};

  // Activation queue.
  logic q_pop, q_empty;
  logic [LenW-1:0] q_j;
  logic [ActW-1:0] q_a, push_a;
`ifdef EIE_TEST_FAULT_PE0_ACT
  // Test-only fault (the standalone testbench's negative tests; never in a real build):
  // PE 0 takes every odd column's activation with bit 12 flipped.
  assign push_a = (PeIndex == 0 && lnzd2pe_j_i[0]) ? lnzd2pe_a_i ^ (ActW'(1) << 12) : lnzd2pe_a_i;
`else
  assign push_a = lnzd2pe_a_i;
`endif
  eie_pe_act_queue #(
    .FifoDepth(FifoDepth)
  ) u_act_queue (
    .clk_i,
    .rst_ni,
    .clr_i(ccu2pe_setup_i),
    .push_i(lnzd2pe_push_i),
    .push_j_i(lnzd2pe_j_i),
    .push_a_i(push_a),
    .pop_i(q_pop),
    .head_j_o(q_j),
    .head_a_o(q_a),
    .count_o(obs_queue_count_o),
    .full_o(pe2ccu_full_o),
    .empty_o(q_empty)
  );

  // Pointer read.
  logic p_valid, s_free;
  logic [LenW-1:0] p_j;
  logic [ActW-1:0] p_a;
  logic [PtrW-1:0] ptr_host_rdata;
  logic [EntryAw-1:0] p_start, p_end;
  eie_pe_ptr_read #(
    .PtrDepth(PtrDepth),
    .EntryAw(EntryAw),
    .PtrAw(PtrAw),
    .InitEven(InitPtrEven),
    .InitOdd(InitPtrOdd)
  ) u_ptr_read (
    .clk_i,
    .rst_ni,
    .clr_i(ccu2pe_setup_i),
    .run_i(ccu2pe_run_i),
    .q_empty_i(q_empty),
    .q_j_i(q_j),
    .q_a_i(q_a),
    .pop_o(q_pop),
    .ptr_pass_base_i(ccu2pe_ptr_pass_base_i),
    .entry_base_i(ccu2pe_entry_base_i),
    .s_free_i(s_free),
    .p_valid_o(p_valid),
    .p_j_o(p_j),
    .p_a_o(p_a),
    .p_start_o(p_start),
    .p_end_o(p_end),
    .host_req_i(host_req_i && host_mem_i == eie_params_pkg::PeMemPtr),
    .host_we_i,
    .host_idx_i(PtrAw'(host_idx_i)),
    .host_wdata_i(host_wdata_i[PtrW-1:0]),
    .host_rdata_o(ptr_host_rdata)
  );

  // Sparse-matrix read.
  logic a1_valid, a1_first, s_valid;
  logic [EntryW-1:0] a1_entry;
  logic [ActW-1:0] a1_a;
  logic [EntryAw-1:0] s_addr;
  logic [BusW-1:0] spmat_host_rdata;
  eie_pe_spmat_read #(
    .SpmatLines(SpmatLines),
    .EntryAw(EntryAw),
    .InitFile(InitSpmat)
  ) u_spmat_read (
    .clk_i,
    .rst_ni,
    .clr_i(ccu2pe_setup_i),
    .run_i(ccu2pe_run_i),
    .p_valid_i(p_valid),
    .p_j_i(p_j),
    .p_a_i(p_a),
    .p_start_i(p_start),
    .p_end_i(p_end),
    .s_free_o(s_free),
    .a1_valid_o(a1_valid),
    .a1_entry_o(a1_entry),
    .a1_a_o(a1_a),
    .a1_first_o(a1_first),
    .s_valid_o(s_valid),
    .s_j_o(obs_stream_col_o),
    .s_addr_o(s_addr),
    .line_read_o(obs_line_read_o),
    .empty_col_o(obs_empty_col_o),
    .host_req_i(host_req_i && host_mem_i == eie_params_pkg::PeMemSpmat),
    .host_we_i,
    .host_idx_i(LineAw'(host_idx_i)),
    .host_hi_i,
    .host_wdata_i,
    .host_rdata_o(spmat_host_rdata)
  );

  // Arithmetic.
  logic [RowAw-1:0] wb_acc_row;
  logic [AccW-1:0] wb_acc;
  logic arith_busy;
  eie_pe_arith #(
    .RfDepth(RfDepth)
  ) u_arith (
    .clk_i,
    .rst_ni,
    .clr_i(ccu2pe_setup_i),
    .run_i(ccu2pe_run_i),
    .codebook_i(ccu2pe_codebook_i),
    .a1_valid_i(a1_valid),
    .a1_entry_i(a1_entry),
    .a1_a_i(a1_a),
    .a1_first_i(a1_first),
    .wb_row_i(wb_acc_row),
    .wb_acc_o(wb_acc),
    .acc_valid_o(obs_acc_valid_o),
    .acc_row_o(obs_acc_row_o),
    .acc_sum_o(obs_acc_sum_o),
    .acc_bypass_o(obs_acc_bypass_o),
    .padding_o(obs_padding_o),
    .busy_o(arith_busy)
  );

  // Write-back.
  logic wb_re, wb_we;
  logic [ActAw-1:0] wb_raddr, wb_waddr;
  logic [ActW-1:0] wb_wdata, act_rdata;
  eie_pe_writeback #(
    .NumPe(NumPe),
    .PeIndex(PeIndex),
    .RfDepth(RfDepth),
    .ActWords(ActWords)
  ) u_writeback (
    .clk_i,
    .rst_ni,
    .clr_i(ccu2pe_setup_i),
    .wb_i(ccu2pe_wb_i),
    .step_i(ccu2pe_wb_step_i),
    .pass_rows_i(ccu2pe_pass_rows_i),
    .row0_i(ccu2pe_row0_i),
    .out_len_i(ccu2pe_out_len_i),
    .out_base_i(ccu2pe_out_base_i),
    .bias_base_i(ccu2pe_bias_base_i),
    .bias_en_i(ccu2pe_bias_en_i),
    .relu_i(ccu2pe_relu_i),
    .shift_i(ccu2pe_shift_i),
    .acc_row_o(wb_acc_row),
    .acc_i(wb_acc),
    .act_re_o(wb_re),
    .act_raddr_o(wb_raddr),
    .act_rdata_i(act_rdata),
    .act_we_o(wb_we),
    .act_waddr_o(wb_waddr),
    .act_wdata_o(wb_wdata),
    .wb_valid_o(obs_wb_valid_o),
    .wb_row_o(obs_wb_row_o),
    .wb_y_o(obs_wb_y_o)
  );

  // Activation read/write.
  eie_pe_act_rw #(
    .ActWords(ActWords),
    .InitFile(InitAct)
  ) u_act_rw (
    .clk_i,
    .lnzd_re_i(lnzd2pe_act_re_i),
    .lnzd_addr_i(lnzd2pe_act_addr_i),
    .wb_re_i(wb_re),
    .wb_raddr_i(wb_raddr),
    .wb_we_i(wb_we),
    .wb_waddr_i(wb_waddr),
    .wb_wdata_i(wb_wdata),
    .host_req_i(host_req_i && host_mem_i == eie_params_pkg::PeMemAct),
    .host_we_i,
    .host_idx_i(ActAw'(host_idx_i)),
    .host_wdata_i(host_wdata_i[ActW-1:0]),
    .rdata_o(act_rdata)
  );
  assign pe2lnzd_act_o = act_rdata;

  // Host read data: the memory read in the previous cycle.
  logic [MemW-1:0] host_mem_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) host_mem_q <= '0;
    else if (host_req_i) host_mem_q <= host_mem_i;
  end
  always_comb begin
    unique case (host_mem_q)
      eie_params_pkg::PeMemSpmat: host_rdata_o = spmat_host_rdata;
      eie_params_pkg::PeMemPtr: host_rdata_o = BusW'(ptr_host_rdata);  // zero-extended
      eie_params_pkg::PeMemAct: host_rdata_o = {{(BusW - ActW){act_rdata[ActW-1]}}, act_rdata};
      default: host_rdata_o = '0;
    endcase
  end

  assign pe2ccu_empty_o = q_empty && !p_valid && !s_valid && !arith_busy;
  assign obs_stream_valid_o = s_valid;
  // Lint waiver: index bits above a memory's depth, and the stream address (an output
  // of the stream unit for the waveform views), are not used here.
  logic unused_bits;
  assign unused_bits = ^{s_addr, host_idx_i};
endmodule
