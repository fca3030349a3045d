// Formal harness of eie_ccu (scripts/formal.sh). The host drives the register
// port with any requests (any descriptor words; NUM_LAYERS at most MaxLayers;
// CTRL, reads, in any cycle); a descriptor word never written holds any value.
// Every layer that runs has 1 <= K <= MaxK and 1 <= M <= MaxM (checked in its
// SETUP, where the descriptor is read); the other fields are any. The array is
// abstract: its queues may be full in any cycle, and it drains (every PE
// empty, LNZD exhausted) whenever it likes, at the latest in the Drain-th RUN
// cycle of a pass. Checked from reset, bounded:
//   ccu.bound  a run (busy) lasts at most Bound cycles, and ends in DONE;
//   ccu.slots  in RUN, the slot count is ceil(K/N);
//   ccu.rows   in WB, the pass is rows row0 .. row0+R_b-1 with row0 = pass*R_F,
//              R_b = min(R_F, ceil(M/N) - row0), written back in R_b + 1 cycles;
//   ccu.order  a run goes through layers 0..NUM_LAYERS-1 and, in each, passes
//              0..ceil(ceil(M/N)/R_F)-1, in order.
// Bound: a pass is 1 SETUP + at most Drain RUN + R_b + 1 WB cycles, and the
// R_b of a layer's passes add up to ceil(M/N); M = MaxM in every layer is the
// worst case. The run's cycles depend only on the descriptors and the array
// (START resets the run state), so the earliest run (NUM_LAYERS written in the
// first cycle after reset, START in the second) stands for every run: the
// check needs Bound + 4 steps.
module eie_ccu_formal #(
  parameter int NumPe = 3,
  parameter int RfDepth = 2,
  parameter int MaxK = 6,
  parameter int MaxM = 9,
  parameter int MaxLayers = 2,
  parameter int Drain = 2,
  localparam int MaxRows = (MaxM + NumPe - 1) / NumPe,
  localparam int MaxPasses = (MaxRows + RfDepth - 1) / RfDepth,
  localparam int Bound = MaxLayers * (MaxPasses * (2 + Drain) + MaxRows)
) (
  input logic        clk_i,
  input logic        rst_ni,
  input logic        reg_req_i,
  input logic        reg_we_i,
  input logic [11:0] reg_addr_i,
  input logic [31:0] reg_wdata_i,
  input logic        pes_empty_i,
  input logic        any_full_i,
  input logic        lnzd_exhausted_i
);
  localparam int ActWords = 2 * RfDepth;
  localparam int ActAw = $clog2(ActWords);

  logic [31:0] reg_rdata, desc_rdata;
  logic [1:0] reg_err;
  logic reg_mem, busy, done, lnzd_clr, lnzd_step, setup, run, wb, bias_en, relu, stall;
  logic [15:0] slots, in_len, row0, out_len, pass;
  logic [ActAw-1:0] in_base, out_base, bias_base;
  logic [8:0] wb_step, pass_rows;
  logic [4:0] ptr_pass_base;
  logic [3:0] entry_base, layer;
  logic [4:0] shift;
  logic [255:0] codebook;
  logic [2:0] state;
  logic [63:0] cycles;
  eie_ccu #(
    .NumPe(NumPe),
    .FifoDepth(1),
    .SpmatLines(2),
    .PtrDepth(16),
    .RfDepth(RfDepth),
    .ActSramDepth(0)
  ) u_ccu (
    .clk_i,
    .rst_ni,
    .reg_req_i,
    .reg_we_i,
    .reg_addr_i,
    .reg_wdata_i,
    .reg_rdata_o(reg_rdata),
    .reg_err_o(reg_err),
    .reg_mem_o(reg_mem),
    .desc_rdata_o(desc_rdata),
    .busy_o(busy),
    .done_o(done),
    .pes_empty_i,
    .any_full_i,
    .lnzd_exhausted_i,
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
    .state_o(state),
    .layer_o(layer),
    .pass_o(pass),
    .stall_o(stall),
    .cycles_o(cycles)
  );

  // NUM_LAYERS as the host wrote it; the run's RUN cycles in this pass; the
  // run's busy cycles so far; the previous cycle's state and position.
  localparam logic [2:0] StIdle = eie_params_pkg::StIdle, StSetup = eie_params_pkg::StSetup,
                         StRun = eie_params_pkg::StRun, StWb = eie_params_pkg::StWb,
                         StDone = eie_params_pkg::StDone;
  logic [4:0] num_layers_q;
  logic [7:0] run_cnt_q, busy_cnt_q;
  logic [2:0] state_q;
  logic [3:0] layer_q;
  logic [15:0] pass_q, last_row_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      num_layers_q <= '0;
      run_cnt_q <= '0;
      busy_cnt_q <= '0;
      state_q <= StIdle;
      layer_q <= '0;
      pass_q <= '0;
      last_row_q <= '0;
    end else begin
      if (reg_req_i && reg_we_i && reg_addr_i == eie_params_pkg::RegNumLayers && !busy) num_layers_q <= 5'(reg_wdata_i);
      run_cnt_q <= (state == StRun) ? run_cnt_q + 8'd1 : 8'd0;
      busy_cnt_q <= busy ? busy_cnt_q + 8'd1 : 8'd0;
      state_q <= state;
      layer_q <= layer;
      pass_q <= pass;
      last_row_q <= row0 + 16'(RfDepth);
    end
  end

  // The layer's geometry, for K <= MaxK and M <= MaxM: ceil(K/N) is the number
  // of slots s with s*N < K, ceil(M/N) the number of local rows r with r*N < M.
  logic [15:0] exp_slots, local_rows, exp_rows;
  always_comb begin
    exp_slots = '0;
    local_rows = '0;
    for (int s = 0; s < MaxK; s++) if (32'(s * NumPe) < 32'(in_len)) exp_slots = exp_slots + 16'd1;
    for (int r = 0; r < MaxM; r++) if (32'(r * NumPe) < 32'(out_len)) local_rows = local_rows + 16'd1;
  end
  assign exp_rows = (local_rows - row0 < 16'(RfDepth)) ? local_rows - row0 : 16'(RfDepth);
  logic last_pass;  // the previous cycle's pass was its layer's last
  logic [15:0] prev_local_rows;
  always_ff @(posedge clk_i) prev_local_rows <= local_rows;
  assign last_pass = last_row_q >= prev_local_rows;

  logic init_q = 1'b1;
  always_ff @(posedge clk_i) init_q <= 1'b0;

  always_comb begin
    if (init_q) assume (!rst_ni);
    // The environment: NUM_LAYERS up to MaxLayers, legal small layers, a bounded drain.
    if (reg_req_i && reg_we_i && reg_addr_i == eie_params_pkg::RegNumLayers) assume (reg_wdata_i <= 32'(MaxLayers));
    if (setup) assume (in_len >= 16'd1 && 32'(in_len) <= MaxK && out_len >= 16'd1 && 32'(out_len) <= MaxM);
    if (state == StRun && 32'(run_cnt_q) >= Drain - 1) assume (pes_empty_i && lnzd_exhausted_i);
    if (rst_ni) begin
      // ccu.bound: at most Bound busy cycles, then DONE.
      if (busy) assert (32'(busy_cnt_q) < Bound);
      if (state_q != StIdle && state_q != StDone && !busy) assert (state == StDone && done);
      // ccu.slots
      if (state == StRun) assert (slots == exp_slots);
      // ccu.rows
      if (wb) begin
        assert (row0 == pass * 16'(RfDepth) && row0 < local_rows);
        assert (16'(pass_rows) == exp_rows && wb_step <= pass_rows);
      end
      // ccu.order: a START begins at layer 0, pass 0; after a pass's write-back comes
      // the next pass, else the next layer, else DONE.
      if (state == StSetup && (state_q == StIdle || state_q == StDone)) assert (layer == 4'd0 && pass == 16'd0);
      if (state == StSetup && state_q == StWb) begin
        if (!last_pass) assert (layer == layer_q && pass == pass_q + 16'd1);
        else assert ({1'b0, layer} == {1'b0, layer_q} + 5'd1 && pass == 16'd0 && {1'b0, layer} < num_layers_q);
      end
      if (state == StDone && state_q == StWb) assert (last_pass && {1'b0, layer_q} + 5'd1 == num_layers_q);
    end
  end
endmodule
