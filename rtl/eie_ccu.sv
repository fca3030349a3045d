// Central control unit: host registers and layer descriptors, and the run
// state machine IDLE -> (SETUP -> RUN -> WB) per pass and layer -> DONE, with
// the drain-detect rule and the cycle counter (docs/microarchitecture.md 4,
// 5.1, 6, 7).
//
// The descriptors live in two copies of the same words, both written by the
// host: a 256 x 32 memory the host reads back (its output register is the read
// data of the response, like a PE memory), and a 16 x 512 memory of one row per
// layer that only the state machine reads: layer 0 in the cycle that takes
// START, layer L+1 in the last WB cycle of layer L. Its held output is the
// running layer's descriptor from that layer's first SETUP to the next read.
// Per pass, SETUP registers the slot count, the pass's rows, whether it is the
// layer's last pass and its pointer base, from that descriptor, without a
// divider. Offsets, fields, states and statuses are eie_params_pkg's
// (generated from cmodel/include/eie/eie_regs.def).
module eie_ccu #(
  parameter int NumPe = eie_params_pkg::NumPe,
  parameter int FifoDepth = eie_params_pkg::FifoDepth,
  parameter int SpmatLines = eie_params_pkg::SpmatLines,
  parameter int PtrDepth = eie_params_pkg::PtrDepth,
  parameter int RfDepth = eie_params_pkg::RfDepth,
  parameter int ActSramDepth = eie_params_pkg::ActSramDepth,
  parameter logic [eie_params_pkg::BusW-1:0] ParamHash = '0,
  localparam int ActWords = 2 * RfDepth + ActSramDepth,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int PtrAw = (PtrDepth > 1) ? $clog2(PtrDepth) : 1,
  localparam int EntryAw = $clog2(SpmatLines) + 3,
  // Interface widths (eie_params_pkg, from eie_params.def and eie_regs.def).
  localparam int BusW = eie_params_pkg::BusW,
  localparam int RegAw = eie_params_pkg::RegAw,
  localparam int BusErrW = eie_params_pkg::BusErrW,
  localparam int ActW = eie_params_pkg::ActW,
  localparam int CbW = eie_params_pkg::CbSize * ActW,      // the codebook, entry n in [16n+15:16n]
  localparam int LenW = eie_params_pkg::DescInLenW,        // K, slots, j
  localparam int RowW = eie_params_pkg::DescOutLenW,       // M, rows, passes
  localparam int StepW = $clog2(eie_params_pkg::RfDepthMax + 1),  // WB cycle, pass rows
  localparam int ShiftW = eie_params_pkg::DescShiftW,
  localparam int StateW = eie_params_pkg::CcuStateW,
  localparam int LayerW = $clog2(eie_params_pkg::MaxLayers),
  localparam int CyclesW = eie_params_pkg::RegCyclesLoW + eie_params_pkg::RegCyclesHiW
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // register access (byte address below RegSpace)
  input  logic                reg_req_i,
  input  logic                reg_we_i,
  input  logic [RegAw-1:0]    reg_addr_i,
  input  logic [BusW-1:0]     reg_wdata_i,
  output logic [BusW-1:0]     reg_rdata_o,  // registers other than DESC (0 for DESC)
  output logic [BusErrW-1:0]  reg_err_o,
  output logic                reg_mem_o,    // a DESC read: its word is desc_rdata_o in the next cycle
  output logic [BusW-1:0]     desc_rdata_o,
  output logic                busy_o,
  output logic                done_o,
  // array status
  input  logic                pes_empty_i,
  input  logic                any_full_i,
  input  logic                lnzd_exhausted_i,
  // to the LNZD
  output logic                lnzd_clr_o,
  output logic                lnzd_step_o,
  output logic [LenW-1:0]     slots_o,
  output logic [LenW-1:0]     in_len_o,
  output logic [ActAw-1:0]    in_base_o,
  // to the PEs
  output logic                setup_o,
  output logic                run_o,
  output logic                wb_o,
  output logic [StepW-1:0]    wb_step_o,
  output logic [StepW-1:0]    pass_rows_o,
  output logic [RowW-1:0]     row0_o,
  output logic [RowW-1:0]     out_len_o,
  output logic [PtrAw:0]      ptr_pass_base_o,
  output logic [EntryAw-1:0]  entry_base_o,
  output logic [ActAw-1:0]    out_base_o,
  output logic [ActAw-1:0]    bias_base_o,
  output logic                bias_en_o,
  output logic                relu_o,
  output logic [ShiftW-1:0]   shift_o,
  output logic [CbW-1:0]      codebook_o,  // entry n in [ActW*n+ActW-1:ActW*n]
  // observation
  output logic [StateW-1:0]   state_o,
  output logic [LayerW-1:0]   layer_o,
  output logic [RowW-1:0]     pass_o,
  output logic                stall_o,
  output logic [CyclesW-1:0]  cycles_o
);
  // The layer descriptor (eie_params_pkg::desc_t's layout) is read by its fields'
  // Desc<Field>Lsb/W: iverilog 11 aborts on a package's struct type declared here.
  localparam int DescW = eie_params_pkg::DescW;
  localparam int DescWords = eie_params_pkg::DescWords;
  localparam int MaxLayers = eie_params_pkg::MaxLayers;
  localparam int NumLayersW = eie_params_pkg::RegNumLayersW;
  localparam int ByteAw = $clog2(BusW / 8);           // byte within a bus word
  localparam int WordAw = $clog2(DescWords);          // word within a descriptor
  localparam int LayerShift = $clog2(eie_params_pkg::DescStride);
  localparam int LineSelW = $clog2(eie_params_pkg::EntriesPerLine);
  localparam int CbDescW = eie_params_pkg::DescCodebookN * eie_params_pkg::DescCodebookW;

  // ceil(x / NumPe) for a LenW-bit x without a divider: with L = ceil(log2 NumPe)
  // and Magic = ceil(2^(LenW+1+L) / NumPe), floor(n * Magic / 2^(LenW+1+L)) = floor(n / NumPe)
  // for every n < 2^(LenW+1) (Granlund and Montgomery, PLDI 1994, theorem 4.2), here
  // n = x + NumPe - 1. For a power of two Magic is 2^(LenW+1) and this is a shift.
  localparam int NumW = LenW + 1;
  localparam int ProdW = 2 * NumW + 2;  // n * Magic: Magic < 2^(NumW+1)
  localparam int PeLog = $clog2(NumPe);
  localparam logic [63:0] PeMagic = ((64'd1 << (NumW + PeLog)) + 64'(NumPe) - 64'd1) / 64'(NumPe);
  function automatic logic [LenW-1:0] ceil_div_pe(input logic [LenW-1:0] x);
    logic [NumW-1:0] num;
    logic [ProdW-1:0] prod;
    num = NumW'(x) + NumW'(NumPe - 1);
    prod = ProdW'(num) * PeMagic[ProdW-1:0];
    ceil_div_pe = LenW'(prod >> (NumW + PeLog));
  endfunction

  logic [StateW-1:0] state_q, state_d;  // eie_params_pkg::ccu_state_e
  logic [LayerW-1:0] layer_q;
  logic [RowW-1:0] pass_q, row0_q;
  logic [PtrAw:0] ptr_pass_base_q;
  logic [StepW-1:0] wb_step_q;
  logic [CyclesW-1:0] cycles_q;
  logic [NumLayersW-1:0] num_layers_q;
  logic error_q, done_q;
  // Per pass, computed in SETUP.
  logic [LenW-1:0] slots_q;
  logic [StepW-1:0] pass_rows_q;
  logic last_pass_q;

  logic busy, drain, last_wb, more_layers;
  assign busy = (state_q == eie_params_pkg::StSetup) || (state_q == eie_params_pkg::StRun) ||
                (state_q == eie_params_pkg::StWb);
  assign drain = (state_q == eie_params_pkg::StRun) && pes_empty_i && lnzd_exhausted_i;
  assign last_wb = (state_q == eie_params_pkg::StWb) && (wb_step_q == pass_rows_q);
  assign more_layers = (NumLayersW'(layer_q) + NumLayersW'(1)) < num_layers_q;

  // Register interface.
  logic is_desc;
  logic [LayerW-1:0] desc_l;
  logic [WordAw-1:0] desc_w;
  assign is_desc = (reg_addr_i >= RegAw'(eie_params_pkg::DescBase)) &&
                   (reg_addr_i < RegAw'(eie_params_pkg::DescBase + MaxLayers * eie_params_pkg::DescStride));
  assign desc_l = LayerW'((reg_addr_i - RegAw'(eie_params_pkg::DescBase)) >> LayerShift);
  assign desc_w = reg_addr_i[ByteAw+:WordAw];

  logic [BusErrW-1:0] reg_err;
  logic writable;
  assign reg_err_o = (reg_err == eie_params_pkg::BusOk && reg_we_i && !writable) ?
                     eie_params_pkg::BusRo : reg_err;
  always_comb begin
    reg_rdata_o = '0;
    reg_err = eie_params_pkg::BusOk;
    writable = 1'b0;
    if (reg_addr_i[ByteAw-1:0] != '0) begin
      reg_err = eie_params_pkg::BusAddr;
    end else if (is_desc) begin
      writable = 1'b1;
      if (reg_we_i && busy) reg_err = eie_params_pkg::BusBusy;
    end else begin
      unique case (reg_addr_i)
        eie_params_pkg::RegId: begin
          reg_rdata_o = BusW'(eie_params_pkg::IdValue);
          writable = eie_params_pkg::RegIdWr;
        end
        eie_params_pkg::RegParamHash: begin
          reg_rdata_o = ParamHash;
          writable = eie_params_pkg::RegParamHashWr;
        end
        eie_params_pkg::RegNumPe: begin
          reg_rdata_o = BusW'(NumPe);
          writable = eie_params_pkg::RegNumPeWr;
        end
        eie_params_pkg::RegFifoDepth: begin
          reg_rdata_o = BusW'(FifoDepth);
          writable = eie_params_pkg::RegFifoDepthWr;
        end
        eie_params_pkg::RegSpmatLines: begin
          reg_rdata_o = BusW'(SpmatLines);
          writable = eie_params_pkg::RegSpmatLinesWr;
        end
        eie_params_pkg::RegPtrDepth: begin
          reg_rdata_o = BusW'(PtrDepth);
          writable = eie_params_pkg::RegPtrDepthWr;
        end
        eie_params_pkg::RegRfDepth: begin
          reg_rdata_o = BusW'(RfDepth);
          writable = eie_params_pkg::RegRfDepthWr;
        end
        eie_params_pkg::RegActSramDepth: begin
          reg_rdata_o = BusW'(ActSramDepth);
          writable = eie_params_pkg::RegActSramDepthWr;
        end
        eie_params_pkg::RegCtrl: writable = eie_params_pkg::RegCtrlWr;  // reads as 0
        eie_params_pkg::RegStatus: begin
          reg_rdata_o[eie_params_pkg::StatusBusyLsb] = busy;
          reg_rdata_o[eie_params_pkg::StatusDoneLsb] = done_q;
          reg_rdata_o[eie_params_pkg::StatusErrorLsb] = error_q;
          writable = eie_params_pkg::RegStatusWr;
        end
        eie_params_pkg::RegNumLayers: begin
          reg_rdata_o = BusW'(num_layers_q);
          writable = eie_params_pkg::RegNumLayersWr;
          if (reg_we_i && busy) reg_err = eie_params_pkg::BusBusy;
        end
        eie_params_pkg::RegCyclesLo: begin
          reg_rdata_o = cycles_q[BusW-1:0];
          writable = eie_params_pkg::RegCyclesLoWr;
        end
        eie_params_pkg::RegCyclesHi: begin
          reg_rdata_o = BusW'(cycles_q >> eie_params_pkg::RegCyclesLoW);
          writable = eie_params_pkg::RegCyclesHiWr;
        end
        default: reg_err = eie_params_pkg::BusAddr;
      endcase
    end
  end

  logic wr_ok, desc_acc, desc_wr, ctrl_wr, clear, start, layers_ok, start_ok;
  assign wr_ok = reg_req_i && reg_we_i && (reg_err_o == eie_params_pkg::BusOk);
  assign desc_acc = reg_req_i && is_desc && (reg_err_o == eie_params_pkg::BusOk);  // a DESC access taken
  assign desc_wr = desc_acc && reg_we_i;
  assign ctrl_wr = wr_ok && reg_addr_i == eie_params_pkg::RegCtrl;
  assign clear = ctrl_wr && reg_wdata_i[eie_params_pkg::CtrlClearLsb];
  assign start = ctrl_wr && reg_wdata_i[eie_params_pkg::CtrlStartLsb] && !busy;
  assign layers_ok = num_layers_q != '0 && num_layers_q <= NumLayersW'(MaxLayers);
  assign start_ok = start && layers_ok;
  assign reg_mem_o = desc_acc && !reg_we_i;

  // ---- Descriptor memories ----
  eie_sram_1p #(
    .Depth(MaxLayers * DescWords),
    .Width(BusW)
  ) u_desc_host (
    .clk_i,
    .req_i(desc_acc),
    .we_i(reg_we_i),
    .addr_i({desc_l, desc_w}),
    .wdata_i(reg_wdata_i),
    .wmask_i({BusW{1'b1}}),
    .rdata_o(desc_rdata_o)
  );

  // A layer's row is read in the cycle before its first SETUP. (A host write and
  // this read never meet: DESC writes are refused while busy, and the request of
  // the START cycle is the CTRL write.)
  logic run_re;
  logic [LayerW-1:0] run_raddr;
  logic [DescW-1:0] run_wmask, desc_q;
  assign run_re = start_ok || (last_wb && last_pass_q && more_layers);
  assign run_raddr = start_ok ? '0 : layer_q + LayerW'(1);
  always_comb begin
    for (int w = 0; w < DescWords; w++) run_wmask[BusW*w+:BusW] = {BusW{desc_w == WordAw'(w)}};
  end
  eie_sram_1p #(
    .Depth(MaxLayers),
    .Width(DescW)
  ) u_desc_run (
    .clk_i,
    .req_i(desc_wr || run_re),
    .we_i(desc_wr),
    .addr_i(desc_wr ? desc_l : run_raddr),
    .wdata_i({DescWords{reg_wdata_i}}),
    .wmask_i(run_wmask),
    .rdata_o(desc_q)
  );

  // The running layer's descriptor fields and the geometry SETUP derives from them.
  logic [LenW-1:0] k_len;
  logic [RowW-1:0] m_len, rows_left;
  logic [eie_params_pkg::DescPtrBaseW-1:0] ptr_base;
  logic [eie_params_pkg::DescSpmatBaseW-1:0] spmat_base;
  logic [eie_params_pkg::DescInBaseW-1:0] in_base;
  logic [eie_params_pkg::DescOutBaseW-1:0] out_base;
  logic [eie_params_pkg::DescBiasBaseW-1:0] bias_base;
  logic [CbDescW-1:0] codebook;
  assign k_len = desc_q[eie_params_pkg::DescInLenLsb+:LenW];
  assign m_len = desc_q[eie_params_pkg::DescOutLenLsb+:RowW];
  assign ptr_base = desc_q[eie_params_pkg::DescPtrBaseLsb+:eie_params_pkg::DescPtrBaseW];
  assign spmat_base = desc_q[eie_params_pkg::DescSpmatBaseLsb+:eie_params_pkg::DescSpmatBaseW];
  assign in_base = desc_q[eie_params_pkg::DescInBaseLsb+:eie_params_pkg::DescInBaseW];
  assign out_base = desc_q[eie_params_pkg::DescOutBaseLsb+:eie_params_pkg::DescOutBaseW];
  assign bias_base = desc_q[eie_params_pkg::DescBiasBaseLsb+:eie_params_pkg::DescBiasBaseW];
  assign codebook = desc_q[eie_params_pkg::DescCodebookLsb+:CbDescW];
  assign rows_left = RowW'(ceil_div_pe(LenW'(m_len))) - row0_q;  // local rows from this pass on

  // ---- State machine ----
  always_comb begin
    state_d = state_q;
    unique case (state_q)
      eie_params_pkg::StSetup: state_d = eie_params_pkg::StRun;
      eie_params_pkg::StRun: if (drain) state_d = eie_params_pkg::StWb;
      eie_params_pkg::StWb: begin
        if (last_wb && (!last_pass_q || more_layers)) state_d = eie_params_pkg::StSetup;
        else if (last_wb) state_d = eie_params_pkg::StDone;
      end
      default: begin  // IDLE, DONE: I/O mode
        if (clear && state_q == eie_params_pkg::StDone) state_d = eie_params_pkg::StIdle;
        if (start_ok) state_d = eie_params_pkg::StSetup;
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= eie_params_pkg::StIdle;
      layer_q <= '0;
      pass_q <= '0;
      row0_q <= '0;
      ptr_pass_base_q <= '0;
      wb_step_q <= '0;
      cycles_q <= '0;
      num_layers_q <= '0;
      error_q <= 1'b0;
      done_q <= 1'b0;
      slots_q <= '0;
      pass_rows_q <= '0;
      last_pass_q <= 1'b0;
    end else begin
      state_q <= state_d;
      if (wr_ok && reg_addr_i == eie_params_pkg::RegNumLayers) num_layers_q <= NumLayersW'(reg_wdata_i);
      if (clear) begin
        done_q <= 1'b0;
        error_q <= 1'b0;
      end
      if (start) begin
        done_q <= 1'b0;
        error_q <= !layers_ok;
      end
      if (start_ok) begin
        layer_q <= '0;
        pass_q <= '0;
        row0_q <= '0;
        cycles_q <= '0;
      end
      if (busy) cycles_q <= cycles_q + CyclesW'(1);
      if (state_q == eie_params_pkg::StSetup) begin
        slots_q <= ceil_div_pe(k_len);
        pass_rows_q <= (32'(rows_left) < RfDepth) ? StepW'(rows_left) : StepW'(RfDepth);
        last_pass_q <= 32'(rows_left) <= RfDepth;
        ptr_pass_base_q <= (pass_q == '0) ? (PtrAw + 1)'(ptr_base) :
                           ptr_pass_base_q + (PtrAw + 1)'(32'(k_len) + 1);
      end
      if (drain) wb_step_q <= '0;
      if (state_q == eie_params_pkg::StWb) wb_step_q <= wb_step_q + StepW'(1);
      if (last_wb) begin
        if (!last_pass_q) begin
          pass_q <= pass_q + RowW'(1);
          row0_q <= row0_q + RowW'(RfDepth);
        end else if (more_layers) begin
          layer_q <= layer_q + LayerW'(1);
          pass_q <= '0;
          row0_q <= '0;
        end else begin
          done_q <= 1'b1;
        end
      end
    end
  end

  assign busy_o = busy;
  assign done_o = done_q;
  assign lnzd_clr_o = (state_q == eie_params_pkg::StSetup);
  assign lnzd_step_o = (state_q == eie_params_pkg::StRun) && !drain && !any_full_i;
  assign slots_o = slots_q;
  assign in_len_o = k_len;
  assign in_base_o = ActAw'(in_base);
  assign setup_o = (state_q == eie_params_pkg::StSetup);
  assign run_o = (state_q == eie_params_pkg::StRun) && !drain;
  assign wb_o = (state_q == eie_params_pkg::StWb);
  assign wb_step_o = wb_step_q;
  assign pass_rows_o = pass_rows_q;
  assign row0_o = row0_q;
  assign out_len_o = m_len;
  assign ptr_pass_base_o = ptr_pass_base_q;
  assign entry_base_o = EntryAw'({spmat_base, LineSelW'(0)});
  assign out_base_o = ActAw'(out_base);
  assign bias_base_o = ActAw'(bias_base);
  assign bias_en_o = desc_q[eie_params_pkg::DescBiasEnLsb];
  assign relu_o = desc_q[eie_params_pkg::DescReluLsb];
  assign shift_o = desc_q[eie_params_pkg::DescShiftLsb+:ShiftW];
  // cb[0] reads as 0 (index 0 is zero).
  assign codebook_o = CbW'({codebook[CbDescW-1:ActW], ActW'(0)});
  assign state_o = state_q;
  assign layer_o = layer_q;
  assign pass_o = pass_q;
  assign stall_o = any_full_i;
  assign cycles_o = cycles_q;
  // Lint waiver: the descriptor bits beyond the fields' widths (and the reserved
  // bits) are not used; the base fields are cut to the configured address widths.
  logic unused_desc;
  assign unused_desc = ^{desc_q, in_base, out_base, bias_base, spmat_base, ptr_base, codebook};
endmodule
