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
// divider.
module eie_ccu #(
  parameter int NumPe = 64,
  parameter int FifoDepth = 8,
  parameter int SpmatLines = 16384,
  parameter int PtrDepth = 16384,
  parameter int RfDepth = 64,
  parameter int ActSramDepth = 1024,
  parameter logic [31:0] ParamHash = 32'h0,
  localparam int ActWords = 2 * RfDepth + ActSramDepth,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int PtrAw = (PtrDepth > 1) ? $clog2(PtrDepth) : 1,
  localparam int EntryAw = $clog2(SpmatLines) + 3
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // register access (byte address within 0x000..0x4ff)
  input  logic               reg_req_i,
  input  logic               reg_we_i,
  input  logic [11:0]        reg_addr_i,
  input  logic [31:0]        reg_wdata_i,
  output logic [31:0]        reg_rdata_o,  // registers other than DESC (0 for DESC)
  output logic [1:0]         reg_err_o,
  output logic               reg_mem_o,    // a DESC read: its word is desc_rdata_o in the next cycle
  output logic [31:0]        desc_rdata_o,
  output logic               busy_o,
  output logic               done_o,
  // array status
  input  logic               pes_empty_i,
  input  logic               any_full_i,
  input  logic               lnzd_exhausted_i,
  // to the LNZD
  output logic               lnzd_clr_o,
  output logic               lnzd_step_o,
  output logic [15:0]        slots_o,
  output logic [15:0]        in_len_o,
  output logic [ActAw-1:0]   in_base_o,
  // to the PEs
  output logic               setup_o,
  output logic               run_o,
  output logic               wb_o,
  output logic [8:0]         wb_step_o,
  output logic [8:0]         pass_rows_o,
  output logic [15:0]        row0_o,
  output logic [15:0]        out_len_o,
  output logic [PtrAw:0]     ptr_pass_base_o,
  output logic [EntryAw-1:0] entry_base_o,
  output logic [ActAw-1:0]   out_base_o,
  output logic [ActAw-1:0]   bias_base_o,
  output logic               bias_en_o,
  output logic               relu_o,
  output logic [4:0]         shift_o,
  output logic [255:0]        codebook_o,  // entry n in [16n+15:16n]
  // observation
  output logic [2:0]         state_o,
  output logic [3:0]         layer_o,
  output logic [15:0]        pass_o,
  output logic               stall_o,
  output logic [63:0]        cycles_o
);
  localparam logic [31:0] IdValue = 32'h4549_4531;
  typedef enum logic [2:0] {
    StIdle = 3'd0,
    StSetup = 3'd1,
    StRun = 3'd2,
    StWb = 3'd3,
    StDone = 3'd4
  } state_e;

  // A layer descriptor (docs/microarchitecture.md 4): word w in [32w+31:32w].
  typedef struct packed {
    logic [18:0] reserved_hi;
    logic [4:0]  shift;
    logic [5:0]  reserved_lo;
    logic        bias_en;
    logic        relu;
  } flags_t;
  typedef struct packed {
    logic [7:0][31:0] codebook;  // word 8+n: cb[2n] in [15:0], cb[2n+1] in [31:16]
    flags_t      flags;
    logic [31:0] bias_base;
    logic [31:0] out_base;
    logic [31:0] in_base;
    logic [31:0] spmat_base;
    logic [31:0] ptr_base;
    logic [31:0] out_len;
    logic [31:0] in_len;
  } desc_t;

  // ceil(x / NumPe) for a 16-bit x without a divider: with L = ceil(log2 NumPe)
  // and Magic = ceil(2^(17+L) / NumPe), floor(n * Magic / 2^(17+L)) = floor(n / NumPe)
  // for every n < 2^17 (Granlund and Montgomery, PLDI 1994, theorem 4.2), here
  // n = x + NumPe - 1. For a power of two Magic is 2^17 and this is a shift.
  localparam int PeLog = $clog2(NumPe);
  localparam logic [63:0] PeMagic = ((64'd1 << (17 + PeLog)) + 64'(NumPe) - 64'd1) / 64'(NumPe);
  function automatic logic [15:0] ceil_div_pe(input logic [15:0] x);
    logic [16:0] num;
    logic [35:0] prod;
    num = 17'(x) + 17'(NumPe - 1);
    prod = 36'(num) * PeMagic[35:0];
    ceil_div_pe = 16'(prod >> (17 + PeLog));
  endfunction

  state_e state_q, state_d;
  logic [3:0] layer_q;
  logic [15:0] pass_q, row0_q;
  logic [PtrAw:0] ptr_pass_base_q;
  logic [8:0] wb_step_q;
  logic [63:0] cycles_q;
  logic [4:0] num_layers_q;
  logic error_q, done_q;
  // Per pass, computed in SETUP.
  logic [15:0] slots_q;
  logic [8:0] pass_rows_q;
  logic last_pass_q;

  logic busy, drain, last_wb, more_layers;
  assign busy = (state_q == StSetup) || (state_q == StRun) || (state_q == StWb);
  assign drain = (state_q == StRun) && pes_empty_i && lnzd_exhausted_i;
  assign last_wb = (state_q == StWb) && (wb_step_q == pass_rows_q);
  assign more_layers = ({1'b0, layer_q} + 5'd1) < num_layers_q;

  // Register interface.
  logic is_desc;
  logic [3:0] desc_l, desc_w;
  assign is_desc = (reg_addr_i >= 12'h100) && (reg_addr_i < 12'h500);
  assign desc_l = 4'((reg_addr_i - 12'h100) >> 6);
  assign desc_w = reg_addr_i[5:2];

  logic [1:0] reg_err;
  logic writable;
  assign writable = is_desc || reg_addr_i == 12'h020 || reg_addr_i == 12'h028;
  assign reg_err_o = (reg_err == 2'd0 && reg_we_i && !writable) ? 2'd3 : reg_err;  // read-only
  always_comb begin
    reg_rdata_o = '0;
    reg_err = 2'd0;
    if (reg_addr_i[1:0] != 2'b00) begin
      reg_err = 2'd1;
    end else if (is_desc) begin
      if (reg_we_i && busy) reg_err = 2'd2;
    end else begin
      unique case (reg_addr_i)
        12'h000: reg_rdata_o = IdValue;
        12'h004: reg_rdata_o = ParamHash;
        12'h008: reg_rdata_o = 32'(NumPe);
        12'h00c: reg_rdata_o = 32'(FifoDepth);
        12'h010: reg_rdata_o = 32'(SpmatLines);
        12'h014: reg_rdata_o = 32'(PtrDepth);
        12'h018: reg_rdata_o = 32'(RfDepth);
        12'h01c: reg_rdata_o = 32'(ActSramDepth);
        12'h020: reg_rdata_o = '0;
        12'h024: reg_rdata_o = {29'd0, error_q, done_q, busy};
        12'h028: begin
          reg_rdata_o = 32'(num_layers_q);
          if (reg_we_i && busy) reg_err = 2'd2;
        end
        12'h030: reg_rdata_o = cycles_q[31:0];
        12'h034: reg_rdata_o = cycles_q[63:32];
        default: reg_err = 2'd1;
      endcase
    end
  end

  logic wr_ok, desc_acc, desc_wr, ctrl_wr, clear, start, layers_ok, start_ok;
  assign wr_ok = reg_req_i && reg_we_i && (reg_err_o == 2'd0);
  assign desc_acc = reg_req_i && is_desc && (reg_err_o == 2'd0);  // a DESC access taken
  assign desc_wr = desc_acc && reg_we_i;
  assign ctrl_wr = wr_ok && reg_addr_i == 12'h020;
  assign clear = ctrl_wr && reg_wdata_i[1];
  assign start = ctrl_wr && reg_wdata_i[0] && !busy;
  assign layers_ok = num_layers_q != 5'd0 && num_layers_q <= 5'd16;
  assign start_ok = start && layers_ok;
  assign reg_mem_o = desc_acc && !reg_we_i;

  // ---- Descriptor memories ----
  eie_sram_1p #(
    .Depth(256),
    .Width(32)
  ) u_desc_host (
    .clk_i,
    .req_i(desc_acc),
    .we_i(reg_we_i),
    .addr_i({desc_l, desc_w}),
    .wdata_i(reg_wdata_i),
    .wmask_i(32'hffff_ffff),
    .rdata_o(desc_rdata_o)
  );

  // A layer's row is read in the cycle before its first SETUP. (A host write and
  // this read never meet: DESC writes are refused while busy, and the request of
  // the START cycle is the CTRL write.)
  logic run_re;
  logic [3:0] run_raddr;
  logic [511:0] run_wmask, desc_q;
  assign run_re = start_ok || (last_wb && last_pass_q && more_layers);
  assign run_raddr = start_ok ? 4'd0 : layer_q + 4'd1;
  always_comb begin
    for (int w = 0; w < 16; w++) run_wmask[32*w+:32] = {32{desc_w == 4'(w)}};
  end
  eie_sram_1p #(
    .Depth(16),
    .Width(512)
  ) u_desc_run (
    .clk_i,
    .req_i(desc_wr || run_re),
    .we_i(desc_wr),
    .addr_i(desc_wr ? desc_l : run_raddr),
    .wdata_i({16{reg_wdata_i}}),
    .wmask_i(run_wmask),
    .rdata_o(desc_q)
  );

  // The running layer's descriptor and the geometry SETUP derives from it.
  desc_t desc;
  assign desc = desc_q;
  logic [15:0] k_len, m_len, rows_left;
  assign k_len = desc.in_len[15:0];
  assign m_len = desc.out_len[15:0];
  assign rows_left = ceil_div_pe(m_len) - row0_q;  // local rows from this pass on

  // ---- State machine ----
  always_comb begin
    state_d = state_q;
    unique case (state_q)
      StSetup: state_d = StRun;
      StRun: if (drain) state_d = StWb;
      StWb: begin
        if (last_wb && (!last_pass_q || more_layers)) state_d = StSetup;
        else if (last_wb) state_d = StDone;
      end
      default: begin  // IDLE, DONE: I/O mode
        if (clear && state_q == StDone) state_d = StIdle;
        if (start_ok) state_d = StSetup;
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
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
      if (wr_ok && reg_addr_i == 12'h028) num_layers_q <= 5'(reg_wdata_i);
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
      if (busy) cycles_q <= cycles_q + 64'd1;
      if (state_q == StSetup) begin
        slots_q <= ceil_div_pe(k_len);
        pass_rows_q <= (32'(rows_left) < RfDepth) ? 9'(rows_left) : 9'(RfDepth);
        last_pass_q <= 32'(rows_left) <= RfDepth;
        ptr_pass_base_q <= (pass_q == 16'd0) ? (PtrAw + 1)'(desc.ptr_base) :
                           ptr_pass_base_q + (PtrAw + 1)'(32'(k_len) + 1);
      end
      if (drain) wb_step_q <= '0;
      if (state_q == StWb) wb_step_q <= wb_step_q + 9'd1;
      if (last_wb) begin
        if (!last_pass_q) begin
          pass_q <= pass_q + 16'd1;
          row0_q <= row0_q + 16'(RfDepth);
        end else if (more_layers) begin
          layer_q <= layer_q + 4'd1;
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
  assign lnzd_clr_o = (state_q == StSetup);
  assign lnzd_step_o = (state_q == StRun) && !drain && !any_full_i;
  assign slots_o = slots_q;
  assign in_len_o = k_len;
  assign in_base_o = ActAw'(desc.in_base);
  assign setup_o = (state_q == StSetup);
  assign run_o = (state_q == StRun) && !drain;
  assign wb_o = (state_q == StWb);
  assign wb_step_o = wb_step_q;
  assign pass_rows_o = pass_rows_q;
  assign row0_o = row0_q;
  assign out_len_o = m_len;
  assign ptr_pass_base_o = ptr_pass_base_q;
  assign entry_base_o = EntryAw'({desc.spmat_base, 3'b000});
  assign out_base_o = ActAw'(desc.out_base);
  assign bias_base_o = ActAw'(desc.bias_base);
  assign bias_en_o = desc.flags.bias_en;
  assign relu_o = desc.flags.relu;
  assign shift_o = desc.flags.shift;
  assign codebook_o = {desc.codebook[7:1], desc.codebook[0][31:16], 16'd0};  // cb[0] reads as 0
  assign state_o = state_q;
  assign layer_o = layer_q;
  assign pass_o = pass_q;
  assign stall_o = any_full_i;
  assign cycles_o = cycles_q;
  // Descriptor bits beyond the fields' widths are not used.
  logic unused_desc;
  assign unused_desc = ^desc_q;
endmodule
