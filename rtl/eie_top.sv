// The EIE array: CCU, LNZD and NumPe processing elements behind the host bus
// (docs/microarchitecture.md 4). A host request is taken at a rising edge; its
// response (valid, read data, status) is presented the cycle after.
// Status: eie_params_pkg::bus_err_e (BusOk, BusAddr, BusBusy, BusRo). Offsets,
// windows and statuses are eie_params_pkg's (generated from eie_regs.def).
module eie_top #(
  parameter int NumPe = eie_params_pkg::NumPe,
  parameter int FifoDepth = eie_params_pkg::FifoDepth,
  parameter int SpmatLines = eie_params_pkg::SpmatLines,
  parameter int PtrDepth = eie_params_pkg::PtrDepth,
  parameter int RfDepth = eie_params_pkg::RfDepth,
  parameter int ActSramDepth = eie_params_pkg::ActSramDepth,
  parameter logic [eie_params_pkg::BusW-1:0] ParamHash = eie_params_pkg::ParamHashDefault,
  // Simulation preload: when not "", every PE memory starts from the vector pack's $readmemh
  // images InitDir/pe<k>_*.hex (docs/formats.md); "" (default, synthesis): memories start empty.
  parameter InitDir = "",
  localparam int ActWords = 2 * RfDepth + ActSramDepth,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int PtrAw = (PtrDepth > 1) ? $clog2(PtrDepth) : 1,
  localparam int EntryAw = $clog2(SpmatLines) + 3,
  localparam int Cw = $clog2(FifoDepth + 1),
  // Interface widths (eie_params_pkg, from eie_params.def and eie_regs.def).
  localparam int BusW = eie_params_pkg::BusW,
  localparam int BusErrW = eie_params_pkg::BusErrW,
  localparam int ActW = eie_params_pkg::ActW,
  localparam int AccW = eie_params_pkg::AccW,
  localparam int LenW = eie_params_pkg::DescInLenW,   // j
  localparam int RowW = eie_params_pkg::DescOutLenW,  // rows, passes
  localparam int StateW = eie_params_pkg::CcuStateW,
  localparam int LayerW = $clog2(eie_params_pkg::MaxLayers),
  localparam int CyclesW = eie_params_pkg::RegCyclesLoW + eie_params_pkg::RegCyclesHiW
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // host bus
  input  logic                    host_req_i,
  input  logic                    host_we_i,
  input  logic [BusW-1:0]         host_addr_i,
  input  logic [BusW-1:0]         host_wdata_i,
  output logic                    host_rsp_valid_o,
  output logic [BusW-1:0]         host_rsp_rdata_o,
  output logic [BusErrW-1:0]      host_rsp_err_o,  // eie_params_pkg::bus_err_e
  output logic                    irq_o,
  // observation port (docs/microarchitecture.md 8). The per-PE buses are flat, PE k's
  // element in [W*k+W-1:W*k]: yosys 0.23 reads no packed array of two dimensions outside a
  // struct (and drops a dimension of a packed array of a typedef without a word).
  output logic [StateW-1:0]       obs_state_o,     // eie_params_pkg::ccu_state_e
  output logic [LayerW-1:0]       obs_layer_o,
  output logic [RowW-1:0]         obs_pass_o,
  output logic                    obs_stall_o,
  output logic [CyclesW-1:0]      obs_cycles_o,
  output logic                    obs_bcast_valid_o,
  output logic [LenW-1:0]         obs_bcast_j_o,
  output logic [ActW-1:0]         obs_bcast_a_o,
  output logic [NumPe-1:0]        obs_acc_valid_o,
  output logic [RowW*NumPe-1:0]   obs_acc_row_o,
  output logic [AccW*NumPe-1:0]   obs_acc_sum_o,
  output logic [NumPe-1:0]        obs_acc_bypass_o,
  output logic [NumPe-1:0]        obs_wb_valid_o,
  output logic [RowW*NumPe-1:0]   obs_wb_row_o,
  output logic [ActW*NumPe-1:0]   obs_wb_y_o,
  output logic [Cw*NumPe-1:0]     obs_queue_count_o,
  output logic [NumPe-1:0]        obs_stream_valid_o,
  output logic [LenW*NumPe-1:0]   obs_stream_col_o,
  output logic [NumPe-1:0]        obs_padding_o,
  output logic [NumPe-1:0]        obs_line_read_o,
  output logic [NumPe-1:0]        obs_empty_col_o,
  output logic                    obs_lnzd_exhausted_o
);
  localparam int RegAw = eie_params_pkg::RegAw;
  localparam int WinAw = eie_params_pkg::PeWindowAw;   // offset in a PE window
  localparam int PeNumW = BusW - WinAw;                // PE number of a window address
  localparam int IdxW = eie_params_pkg::PeIndexW;
  localparam int MemW = eie_params_pkg::PeMemW;
  localparam int ByteAw = $clog2(BusW / 8);            // byte within a bus word
  localparam int StepW = $clog2(eie_params_pkg::RfDepthMax + 1);
  localparam int CbW = eie_params_pkg::CbSize * ActW;
  // Window regions: [Off, End) of each memory; an index is (offset - Off) / Step.
  localparam int SpmatOff = eie_params_pkg::PeSpmatOff;
  localparam int SpmatEnd = SpmatOff + eie_params_pkg::PeSpmatSize;
  localparam int PtrOff = eie_params_pkg::PePtrOff;
  localparam int PtrEnd = PtrOff + eie_params_pkg::PePtrSize;
  localparam int ActOff = eie_params_pkg::PeActOff;

  // ---- Host address decode ----
  // (Continuous assignments only: no always_comb block here reads what it writes,
  // which iverilog would re-trigger forever.)
  logic is_pe, pe_ok, reg_sel, busy, in_depth;
  logic [BusW-1:0] pe_off;
  logic [PeNumW-1:0] pe_num;
  logic [WinAw-1:0] off;
  logic [MemW-1:0] mem;  // eie_params_pkg::pe_mem_e
  logic [IdxW-1:0] idx;
  assign is_pe = host_addr_i >= BusW'(eie_params_pkg::PeWindowBase);
  assign pe_off = host_addr_i - BusW'(eie_params_pkg::PeWindowBase);
  assign pe_num = pe_off[BusW-1:WinAw];
  assign off = pe_off[WinAw-1:0];
  assign mem = (off < WinAw'(SpmatEnd)) ? eie_params_pkg::PeMemSpmat :
               (off < WinAw'(PtrEnd)) ? eie_params_pkg::PeMemPtr : eie_params_pkg::PeMemAct;
  assign idx = (mem == eie_params_pkg::PeMemSpmat) ?
                   IdxW'((off - WinAw'(SpmatOff)) >> $clog2(eie_params_pkg::PeSpmatStep)) :
               (mem == eie_params_pkg::PeMemPtr) ?
                   IdxW'((off - WinAw'(PtrOff)) >> $clog2(eie_params_pkg::PePtrStep)) :
                   IdxW'((off - WinAw'(ActOff)) >> $clog2(eie_params_pkg::PeActStep));
  assign in_depth = (mem == eie_params_pkg::PeMemSpmat) ? (32'(idx) < SpmatLines) :
                    (mem == eie_params_pkg::PeMemPtr) ? (32'(idx) < PtrDepth) : (32'(idx) < ActWords);
  assign pe_ok = in_depth && (32'(pe_num) < NumPe) && (host_addr_i[ByteAw-1:0] == '0);
  assign reg_sel = !is_pe && (host_addr_i < BusW'(eie_params_pkg::RegSpace));

  logic [BusW-1:0] reg_rdata, desc_rdata;
  logic [BusErrW-1:0] reg_err, err;
  logic reg_mem;
  logic pe_access;
  assign err = is_pe ? (!pe_ok ? eie_params_pkg::BusAddr :
                        busy ? eie_params_pkg::BusBusy : eie_params_pkg::BusOk) :
               reg_sel ? reg_err : eie_params_pkg::BusAddr;
  assign pe_access = host_req_i && is_pe && (err == eie_params_pkg::BusOk);

  // ---- CCU ----
  logic pes_empty, any_full, lnzd_exhausted, lnzd_clr, lnzd_step;
  logic setup, run, wb, bias_en, relu;
  logic [LenW-1:0] slots, in_len;
  logic [RowW-1:0] row0, out_len;
  logic [ActAw-1:0] in_base, out_base, bias_base;
  logic [StepW-1:0] wb_step, pass_rows;
  logic [PtrAw:0] ptr_pass_base;
  logic [EntryAw-1:0] entry_base;
  logic [eie_params_pkg::DescShiftW-1:0] shift;
  logic [CbW-1:0] codebook;
  logic done;

  eie_ccu #(
    .NumPe(NumPe),
    .FifoDepth(FifoDepth),
    .SpmatLines(SpmatLines),
    .PtrDepth(PtrDepth),
    .RfDepth(RfDepth),
    .ActSramDepth(ActSramDepth),
    .ParamHash(ParamHash)
  ) u_ccu (
    .clk_i,
    .rst_ni,
    .reg_req_i(host_req_i && reg_sel),
    .reg_we_i(host_we_i),
    .reg_addr_i(host_addr_i[RegAw-1:0]),
    .reg_wdata_i(host_wdata_i),
    .reg_rdata_o(reg_rdata),
    .reg_err_o(reg_err),
    .reg_mem_o(reg_mem),
    .desc_rdata_o(desc_rdata),
    .busy_o(busy),
    .done_o(done),
    .pes_empty_i(pes_empty),
    .any_full_i(any_full),
    .lnzd_exhausted_i(lnzd_exhausted),
    .lnzd_clr_o(lnzd_clr),
    .lnzd_step_o(lnzd_step),
    .slots_o(slots),
    .in_len_o(in_len),
    .in_base_o(in_base),
    .setup_o(setup),
    .run_o(run),
    .wb_o(wb),
    .wb_step_o(wb_step),
    .pass_rows_o(pass_rows),
    .row0_o(row0),
    .out_len_o(out_len),
    .ptr_pass_base_o(ptr_pass_base),
    .entry_base_o(entry_base),
    .out_base_o(out_base),
    .bias_base_o(bias_base),
    .bias_en_o(bias_en),
    .relu_o(relu),
    .shift_o(shift),
    .codebook_o(codebook),
    .state_o(obs_state_o),
    .layer_o(obs_layer_o),
    .pass_o(obs_pass_o),
    .stall_o(obs_stall_o),
    .cycles_o(obs_cycles_o)
  );

  // ---- LNZD ----
  logic act_re;
  logic [ActAw-1:0] act_addr;
  logic [ActW*NumPe-1:0] act_data;  // PE k's word in [ActW*k+ActW-1:ActW*k] (the LNZD's port)
  logic bcast_valid;
  logic [LenW-1:0] bcast_j;
  logic [ActW-1:0] bcast_a;
  // Lint waiver: the LNZD's root_valid_o and next_slot_o are for its formal harness and
  // the waveform views; no unit reads them (docs/microarchitecture.md 5.9).
  logic unused_root;
  logic [LenW-1:0] unused_next_slot;

  eie_lnzd #(
    .NumPe(NumPe),
    .ActWords(ActWords)
  ) u_lnzd (
    .clk_i,
    .rst_ni,
    .clr_i(lnzd_clr),
    .step_i(lnzd_step),
    .slots_i(slots),
    .in_len_i(in_len),
    .in_base_i(in_base),
    .act_re_o(act_re),
    .act_addr_o(act_addr),
    .act_data_i(act_data),
    .bcast_valid_o(bcast_valid),
    .bcast_j_o(bcast_j),
    .bcast_a_o(bcast_a),
    .exhausted_o(lnzd_exhausted),
    .root_valid_o(unused_root),
    .next_slot_o(unused_next_slot)
  );

  // ---- PEs ----
  logic [NumPe-1:0] full, empty;
  logic [BusW*NumPe-1:0] pe_rdata;
  genvar k;
  for (k = 0; k < NumPe; k++) begin : g_pe
    eie_pe #(
      .NumPe(NumPe),
      .PeIndex(k),
      .FifoDepth(FifoDepth),
      .SpmatLines(SpmatLines),
      .PtrDepth(PtrDepth),
      .RfDepth(RfDepth),
      .ActWords(ActWords),
      .InitDir(InitDir)
    ) u_pe (
      .clk_i,
      .rst_ni,
      .ccu2pe_setup_i(setup),
      .ccu2pe_run_i(run),
      .ccu2pe_wb_i(wb),
      .ccu2pe_wb_step_i(wb_step),
      .ccu2pe_pass_rows_i(pass_rows),
      .ccu2pe_row0_i(row0),
      .ccu2pe_out_len_i(out_len),
      .ccu2pe_ptr_pass_base_i(ptr_pass_base),
      .ccu2pe_entry_base_i(entry_base),
      .ccu2pe_out_base_i(out_base),
      .ccu2pe_bias_base_i(bias_base),
      .ccu2pe_bias_en_i(bias_en),
      .ccu2pe_relu_i(relu),
      .ccu2pe_shift_i(shift),
      .ccu2pe_codebook_i(codebook),
      .lnzd2pe_push_i(bcast_valid),
      .lnzd2pe_j_i(bcast_j),
      .lnzd2pe_a_i(bcast_a),
      .lnzd2pe_act_re_i(act_re),
      .lnzd2pe_act_addr_i(act_addr),
      .pe2lnzd_act_o(act_data[ActW*k+:ActW]),
      .pe2ccu_full_o(full[k]),
      .pe2ccu_empty_o(empty[k]),
      .host_req_i(pe_access && (32'(pe_num) == k)),
      .host_we_i,
      .host_mem_i(mem),
      .host_idx_i(idx),
      .host_hi_i(off[ByteAw]),  // the high word of a sparse-matrix line
      .host_wdata_i,
      .host_rdata_o(pe_rdata[BusW*k+:BusW]),
      .obs_acc_valid_o(obs_acc_valid_o[k]),
      .obs_acc_row_o(obs_acc_row_o[RowW*k+:RowW]),
      .obs_acc_sum_o(obs_acc_sum_o[AccW*k+:AccW]),
      .obs_acc_bypass_o(obs_acc_bypass_o[k]),
      .obs_wb_valid_o(obs_wb_valid_o[k]),
      .obs_wb_row_o(obs_wb_row_o[RowW*k+:RowW]),
      .obs_wb_y_o(obs_wb_y_o[ActW*k+:ActW]),
      .obs_queue_count_o(obs_queue_count_o[Cw*k+:Cw]),
      .obs_stream_valid_o(obs_stream_valid_o[k]),
      .obs_stream_col_o(obs_stream_col_o[LenW*k+:LenW]),
      .obs_padding_o(obs_padding_o[k]),
      .obs_line_read_o(obs_line_read_o[k]),
      .obs_empty_col_o(obs_empty_col_o[k])
    );
  end
  assign any_full = |full;
  assign pes_empty = &empty;

  // ---- Host response (registered) ----
  logic rsp_valid_q, rsp_pe_q, rsp_we_q, rsp_desc_q;
  logic [BusErrW-1:0] rsp_err_q;
  logic [BusW-1:0] rsp_reg_q;
  logic [PeNumW-1:0] rsp_pe_num_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rsp_valid_q <= 1'b0;
      rsp_pe_q <= 1'b0;
      rsp_we_q <= 1'b0;
      rsp_desc_q <= 1'b0;
      rsp_err_q <= '0;
      rsp_reg_q <= '0;
      rsp_pe_num_q <= '0;
    end else begin
      rsp_valid_q <= host_req_i;
      if (host_req_i) begin
        rsp_err_q <= err;
        rsp_pe_q <= pe_access;
        rsp_we_q <= host_we_i;
        rsp_desc_q <= reg_mem;
        rsp_pe_num_q <= pe_num;
        rsp_reg_q <= (err == eie_params_pkg::BusOk && !host_we_i && reg_sel) ? reg_rdata : '0;
      end
    end
  end
  logic [BusW-1:0] pe_rdata_sel;
  always_comb begin
    pe_rdata_sel = '0;
    for (int p = 0; p < NumPe; p++) begin
      if (32'(rsp_pe_num_q) == p) pe_rdata_sel = pe_rdata[BusW*p+:BusW];
    end
  end
  assign host_rsp_valid_o = rsp_valid_q;
  assign host_rsp_err_o = rsp_err_q;
  // A successful PE or descriptor read answers from the memory's output register (the word
  // read at the edge that took the request); every other response carries the registered
  // value (0 for writes and errors, never a memory's output).
  assign host_rsp_rdata_o = rsp_desc_q ? desc_rdata :
                            (rsp_pe_q && !rsp_we_q && rsp_err_q == eie_params_pkg::BusOk) ? pe_rdata_sel :
                            rsp_reg_q;
  assign irq_o = done;

  assign obs_bcast_valid_o = bcast_valid;
  assign obs_bcast_j_o = bcast_j;
  assign obs_bcast_a_o = bcast_a;
  assign obs_lnzd_exhausted_o = lnzd_exhausted;

`ifdef EIE_ASSERT
  // Handshake rules: no broadcast into a full queue; a response follows every request.
  logic req_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) req_q <= 1'b0;
    else req_q <= host_req_i;
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(bcast_valid && any_full)) else $error("eie_top: broadcast while a queue is full");
      assert (host_rsp_valid_o == req_q) else $error("eie_top: response without a request");
    end
  end
`endif
endmodule
