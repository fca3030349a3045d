// Formal harness of eie_lnzd (scripts/formal.sh). A layer of in_len inputs
// (any values, fixed for the run) sits in every PE's activation memory; the
// LNZD is cleared once after reset (SETUP) and then steps whenever step_i is
// high (RUN; low = stalled). Checked against the input: every non-zero is
// broadcast exactly once, with its value, in ascending index order, one per
// cycle at most, never while stalled, and the LNZD is exhausted only after
// the last one, within a bound.
module eie_lnzd_formal #(
  parameter int NumPe = 5,
  parameter int MaxSlots = 2,
  localparam int ActWords = MaxSlots,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int MaxLen = NumPe * MaxSlots
) (
  input logic clk_i,
  input logic rst_ni,
  input logic step_in_i
);
  // The input vector: element j of slot l, PE k (j = l*NumPe + k) is act_q[j];
  // it has no reset and never changes, so the solver picks any vector.
  logic [15:0] act_q [MaxLen];
  logic [15:0] len_q, slots_q;
  always_ff @(posedge clk_i) begin
    for (int j = 0; j < MaxLen; j++) act_q[j] <= act_q[j];
    len_q <= len_q;
    slots_q <= slots_q;
  end

  logic started_q, clr, step;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) started_q <= 1'b0;
    else started_q <= 1'b1;
  end
  assign clr = !started_q;
  assign step = started_q && step_in_i;

  // Each PE's activation memory: synchronous read, output held.
  logic act_re;
  logic [ActAw-1:0] act_addr;
  logic [16*NumPe-1:0] act_data_q;
  always_ff @(posedge clk_i) begin
    if (act_re) begin
      for (int k = 0; k < NumPe; k++) begin
        act_data_q[16*k+:16] <= (32'(act_addr) < MaxSlots) ?
                                act_q[32'(act_addr) * NumPe + k] : 16'd0;
      end
    end
  end

  logic bcast_valid, exhausted, root_valid;
  logic [15:0] bcast_j, bcast_a, next_slot;
  eie_lnzd #(
    .NumPe(NumPe),
    .ActWords(ActWords)
  ) u_lnzd (
    .clk_i,
    .rst_ni,
    .clr_i(clr),
    .step_i(step),
    .slots_i(slots_q),
    .in_len_i(len_q),
    .in_base_i('0),
    .act_re_o(act_re),
    .act_addr_o(act_addr),
    .act_data_i(act_data_q),
    .bcast_valid_o(bcast_valid),
    .bcast_j_o(bcast_j),
    .bcast_a_o(bcast_a),
    .exhausted_o(exhausted),
    .root_valid_o(root_valid),
    .next_slot_o(next_slot)
  );

  // Next index not yet accounted for, and the steps taken.
  logic [15:0] expect_q;
  logic [7:0] steps_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      expect_q <= '0;
      steps_q <= '0;
    end else begin
      if (bcast_valid) expect_q <= bcast_j + 16'd1;
      if (step) steps_q <= steps_q + 8'd1;
    end
  end

  logic init_q = 1'b1;
  always_ff @(posedge clk_i) init_q <= 1'b0;

  // The bound (tight): the first slot read, one select cycle per input at most (the
  // next slot is read in the last one), the tree's depth to drain.
  localparam int Depth = (NumPe <= 4) ? 1 : (NumPe <= 16) ? 2 : (NumPe <= 64) ? 3 : 4;
  localparam int Bound = 1 + MaxLen + Depth;

  always_comb begin
    if (init_q) assume (!rst_ni);
    // Values: any 4-bit signed (zero or not is what the LNZD decides on).
    for (int j = 0; j < MaxLen; j++) assume (act_q[j] == 16'($signed(act_q[j][3:0])));
    // slots = ceil(len / NumPe), len in 1..MaxLen
    assume (len_q >= 16'd1 && 32'(len_q) <= MaxLen && slots_q >= 16'd1 && 32'(slots_q) <= MaxSlots);
    assume (32'(slots_q - 16'd1) * NumPe < 32'(len_q) && 32'(len_q) <= 32'(slots_q) * NumPe);
    if (rst_ni && started_q) begin
      // lnzd.stall: nothing is broadcast while stalled.
      if (bcast_valid) assert (step);
      // lnzd.order: a broadcast is the next non-zero input after the previous one,
      // with its value: each non-zero once, ascending, none skipped.
      if (bcast_valid) begin
        assert (bcast_j >= expect_q && bcast_j < len_q);
        for (int j = 0; j < MaxLen; j++) begin
          if (16'(j) == bcast_j) assert (act_q[j] != 16'd0 && bcast_a == act_q[j]);
          if (16'(j) >= expect_q && 16'(j) < bcast_j) assert (act_q[j] == 16'd0);
        end
      end
      // lnzd.complete: exhausted only when no non-zero is left to broadcast.
      if (exhausted) begin
        for (int j = 0; j < MaxLen; j++) begin
          if (16'(j) >= expect_q && 16'(j) < len_q) assert (act_q[j] == 16'd0);
        end
      end
      // lnzd.bound: exhausted after at most Bound steps.
      if (32'(steps_q) >= Bound) assert (exhausted);
    end
  end
endmodule
