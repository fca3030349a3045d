// Leading non-zero detection: scans the input slot by slot (slot l = input
// l*N + k in PE k), selects the lowest-numbered non-zero activation of the held
// slot each cycle, and carries it up a LnzdDepth-stage pipeline (the levels of
// the radix-4 quadtree) to the broadcast. Everything holds while stalled
// (docs/microarchitecture.md 5.2).
module eie_lnzd #(
  parameter int NumPe = 64,
  parameter int ActWords = 1152,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int PeW = (NumPe > 1) ? $clog2(NumPe) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             clr_i,
  input  logic             step_i,
  input  logic [15:0]      slots_i,
  input  logic [15:0]      in_len_i,
  input  logic [ActAw-1:0] in_base_i,
  // slot read, to every PE
  output logic             act_re_o,
  output logic [ActAw-1:0] act_addr_o,
  input  logic [16*NumPe-1:0] act_data_i,  // PE k's word in [16k+15:16k]
  // broadcast
  output logic             bcast_valid_o,
  output logic [15:0]      bcast_j_o,
  output logic [15:0]      bcast_a_o,
  output logic             exhausted_o,
  output logic             root_valid_o,
  output logic [15:0]      next_slot_o
);
  // Tree depth: max(1, ceil(log4 N)).
  function automatic int depth_of(int n);
    int span;
    depth_of = 1;
    span = 4;
    while (span < n) begin
      span = span * 4;
      depth_of = depth_of + 1;
    end
  endfunction
  localparam int Depth = depth_of(NumPe);

  logic [15:0] next_slot_q, leaf_slot_q;
  logic leaf_valid_q;
  logic [NumPe-1:0] consumed_q;
  logic [Depth-1:0] pipe_valid_q;
  logic [16*Depth-1:0] pipe_j_q, pipe_a_q;

  // Remaining non-zeros of the held slot, and the leading one.
  logic [NumPe-1:0] mask;
  logic sel_valid;
  logic [PeW-1:0] sel_k;
  always_comb begin
    for (int k = 0; k < NumPe; k++) begin
      mask[k] = leaf_valid_q && (act_data_i[16*k+:16] != 16'd0) && !consumed_q[k] &&
                ((32'(leaf_slot_q) * 32'(NumPe) + 32'(k)) < 32'(in_len_i));
    end
  end
  always_comb begin
    sel_valid = 1'b0;
    sel_k = '0;
    for (int k = NumPe - 1; k >= 0; k--) begin
      if (mask[k]) begin
        sel_valid = 1'b1;
        sel_k = PeW'(k);
      end
    end
  end

  logic [NumPe-1:0] remaining;
  logic finished, read;
  assign remaining = sel_valid ? (mask & ~(NumPe'(1) << sel_k)) : mask;
  assign finished = !leaf_valid_q || (remaining == '0);
  assign read = finished && (next_slot_q < slots_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      next_slot_q <= '0;
      leaf_slot_q <= '0;
      leaf_valid_q <= 1'b0;
      consumed_q <= '0;
      pipe_valid_q <= '0;
      pipe_j_q <= '0;
      pipe_a_q <= '0;
    end else if (clr_i) begin
      next_slot_q <= '0;
      leaf_valid_q <= 1'b0;
      consumed_q <= '0;
      pipe_valid_q <= '0;
    end else if (step_i) begin
      for (int d = Depth - 1; d > 0; d--) begin
        pipe_valid_q[d] <= pipe_valid_q[d-1];
        pipe_j_q[16*d+:16] <= pipe_j_q[16*(d-1)+:16];
        pipe_a_q[16*d+:16] <= pipe_a_q[16*(d-1)+:16];
      end
      pipe_valid_q[0] <= sel_valid;
      pipe_j_q[15:0] <= 16'(32'(leaf_slot_q) * 32'(NumPe) + 32'(sel_k));
      pipe_a_q[15:0] <= act_data_i[16*sel_k+:16];
      if (finished) begin
        consumed_q <= '0;
        leaf_valid_q <= read;
        if (read) begin
          leaf_slot_q <= next_slot_q;
          next_slot_q <= next_slot_q + 16'd1;
        end
      end else begin
        consumed_q[sel_k] <= 1'b1;
      end
    end
  end

  assign act_re_o = step_i && read;
  assign act_addr_o = in_base_i + ActAw'(next_slot_q);
  assign root_valid_o = pipe_valid_q[Depth-1];
  assign bcast_valid_o = step_i && pipe_valid_q[Depth-1];
  assign bcast_j_o = pipe_j_q[16*(Depth-1)+:16];
  assign bcast_a_o = pipe_a_q[16*(Depth-1)+:16];
  assign exhausted_o = (next_slot_q >= slots_i) && !leaf_valid_q && (pipe_valid_q == '0);
  assign next_slot_o = next_slot_q;
endmodule
