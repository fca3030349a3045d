// Central control unit: host registers and layer descriptors, and the run
// state machine IDLE -> (SETUP -> RUN -> WB) per pass and layer -> DONE, with
// the drain-detect rule and the cycle counter (docs/microarchitecture.md 4,
// 5.1, 6, 7).
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
  output logic [31:0]        reg_rdata_o,
  output logic [1:0]         reg_err_o,
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

  state_e state_q;
  logic [3:0] layer_q;
  logic [15:0] pass_q, row0_q;
  logic [PtrAw:0] ptr_pass_base_q;
  logic [8:0] wb_step_q;
  logic [63:0] cycles_q;
  logic [4:0] num_layers_q;
  logic error_q, done_q;
  logic [16*16*32-1:0] desc_q;  // DESC[l][w] in [32(16l+w)+31:32(16l+w)]

  // Geometry of the running layer.
  logic [16*32-1:0] d;  // the running layer's descriptor, word w in [32w+31:32w]
  logic [15:0] k_len, m_len, local_rows, passes, rows_left;
  assign d = desc_q[{layer_q, 9'd0}+:512];
  logic [3:0] next_layer;
  assign next_layer = layer_q + 4'd1;
  assign k_len = d[15:0];
  assign m_len = d[47:32];
  assign slots_o = 16'((32'(k_len) + NumPe - 1) / NumPe);
  assign local_rows = 16'((32'(m_len) + NumPe - 1) / NumPe);
  assign passes = 16'((32'(local_rows) + RfDepth - 1) / RfDepth);
  assign rows_left = local_rows - row0_q;
  assign pass_rows_o = (32'(rows_left) < RfDepth) ? 9'(rows_left) : 9'(RfDepth);

  logic busy, drain, last_wb;
  assign busy = (state_q == StSetup) || (state_q == StRun) || (state_q == StWb);
  assign drain = (state_q == StRun) && pes_empty_i && lnzd_exhausted_i;
  assign last_wb = (state_q == StWb) && (wb_step_q == pass_rows_o);

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
      reg_rdata_o = desc_q[32*{desc_l, desc_w}+:32];
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

  logic wr_ok;
  assign wr_ok = reg_req_i && reg_we_i && (reg_err_o == 2'd0);

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
      desc_q <= '0;
    end else begin
      if (wr_ok && is_desc) desc_q[32*{desc_l, desc_w}+:32] <= reg_wdata_i;
      if (wr_ok && reg_addr_i == 12'h028) num_layers_q <= 5'(reg_wdata_i);
      if (wr_ok && reg_addr_i == 12'h020) begin
        if (reg_wdata_i[1]) begin  // CLEAR
          done_q <= 1'b0;
          error_q <= 1'b0;
          if (state_q == StDone) state_q <= StIdle;
        end
        if (reg_wdata_i[0] && !busy) begin  // START
          done_q <= 1'b0;
          if (num_layers_q == 5'd0 || num_layers_q > 5'd16) begin
            error_q <= 1'b1;
          end else begin
            error_q <= 1'b0;
            state_q <= StSetup;
            layer_q <= '0;
            pass_q <= '0;
            row0_q <= '0;
            ptr_pass_base_q <= (PtrAw + 1)'(desc_q[95:64]);
            cycles_q <= '0;
          end
        end
      end
      if (busy) cycles_q <= cycles_q + 64'd1;
      unique case (state_q)
        StSetup: state_q <= StRun;
        StRun: begin
          if (drain) begin
            state_q <= StWb;
            wb_step_q <= '0;
          end
        end
        StWb: begin
          wb_step_q <= wb_step_q + 9'd1;
          if (last_wb) begin
            if (pass_q + 16'd1 < passes) begin
              pass_q <= pass_q + 16'd1;
              row0_q <= row0_q + 16'(RfDepth);
              ptr_pass_base_q <= ptr_pass_base_q + (PtrAw + 1)'(32'(k_len) + 1);
              state_q <= StSetup;
            end else if ({1'b0, layer_q} + 5'd1 < num_layers_q) begin
              layer_q <= layer_q + 4'd1;
              pass_q <= '0;
              row0_q <= '0;
              ptr_pass_base_q <= (PtrAw + 1)'(desc_q[{next_layer, 9'd64}+:32]);
              state_q <= StSetup;
            end else begin
              state_q <= StDone;
              done_q <= 1'b1;
            end
          end
        end
        default: ;
      endcase
    end
  end

  assign busy_o = busy;
  assign done_o = done_q;
  assign lnzd_clr_o = (state_q == StSetup);
  assign lnzd_step_o = (state_q == StRun) && !drain && !any_full_i;
  assign in_len_o = k_len;
  assign in_base_o = ActAw'(d[159:128]);
  assign setup_o = (state_q == StSetup);
  assign run_o = (state_q == StRun) && !drain;
  assign wb_o = (state_q == StWb);
  assign wb_step_o = wb_step_q;
  assign row0_o = row0_q;
  assign out_len_o = m_len;
  assign ptr_pass_base_o = ptr_pass_base_q;
  assign entry_base_o = EntryAw'({d[127:96], 3'b000});
  assign out_base_o = ActAw'(d[191:160]);
  assign bias_base_o = ActAw'(d[223:192]);
  assign bias_en_o = d[225];
  assign relu_o = d[224];
  assign shift_o = d[236:232];
  always_comb begin
    for (int n = 0; n < 8; n++) begin
      codebook_o[32*n+:16] = (n == 0) ? 16'd0 : d[32*(8+n)+:16];
      codebook_o[32*n+16+:16] = d[32*(8+n)+16+:16];
    end
  end
  assign state_o = state_q;
  assign layer_o = layer_q;
  assign pass_o = pass_q;
  assign stall_o = any_full_i;
  assign cycles_o = cycles_q;
endmodule
