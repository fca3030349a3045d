// Formal harness of eie_pe_arith (scripts/formal.sh). Any stream of entries
// (codebook index, zero count, activation, first-of-column) with any codebook;
// rows stay inside the register file. The reference accumulates every entry at
// once, in stream order, with no pipeline (acc[row] = sat32(acc[row] + w*a)).
// Checked: every A3 write carries the reference's sum for its entry (so the
// bypass gives the sum a non-pipelined accumulation gives), and once the
// pipeline is empty every accumulator equals the reference's.
module eie_pe_arith_formal #(
  parameter int RfDepth = 2,
  localparam int RowAw = (RfDepth > 1) ? $clog2(RfDepth) : 1
) (
  input logic             clk_i,
  input logic             rst_ni,
  input logic             run_i,
  input logic             a1_valid_i,
  input logic [7:0]       a1_entry_i,
  input logic [15:0]      a1_a_i,
  input logic             a1_first_i,
  input logic [RowAw-1:0] wb_row_i
);
  logic [255:0] cb_q;
  always_ff @(posedge clk_i) cb_q <= cb_q;  // any codebook, fixed

  logic started_q, clr;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) started_q <= 1'b0;
    else started_q <= 1'b1;
  end
  assign clr = !started_q;

  logic [31:0] wb_acc, acc_sum;
  logic acc_valid, acc_bypass, padding, busy;
  logic [15:0] acc_row;
  eie_pe_arith #(
    .RfDepth(RfDepth)
  ) u_arith (
    .clk_i,
    .rst_ni,
    .clr_i(clr),
    .run_i(run_i && started_q),
    .codebook_i(cb_q),
    .a1_valid_i,
    .a1_entry_i,
    .a1_a_i,
    .a1_first_i,
    .wb_row_i,
    .wb_acc_o(wb_acc),
    .acc_valid_o(acc_valid),
    .acc_row_o(acc_row),
    .acc_sum_o(acc_sum),
    .acc_bypass_o(acc_bypass),
    .padding_o(padding),
    .busy_o(busy)
  );

  function automatic logic [31:0] sat32(logic [31:0] x, logic [31:0] y);
    logic [32:0] w;
    w = {x[31], x} + {y[31], y};
    sat32 = (w[32] != w[31]) ? (w[32] ? 32'h8000_0000 : 32'h7fff_ffff) : w[31:0];
  endfunction

  // Reference: rows reconstructed as the contract says, sums taken at once.
  logic [15:0] last_q, row;
  logic [3:0] v, z;
  logic [31:0] ref_q [RfDepth];
  logic [31:0] ref_sum;
  logic [31:0] sum1_q, sum2_q;
  logic [15:0] row1_q, row2_q;
  logic step;
  assign step = run_i && started_q;
  assign v = a1_entry_i[7:4];
  assign z = a1_entry_i[3:0];
  assign row = (a1_first_i ? 16'd0 : last_q) + 16'(z);
  assign ref_sum = sat32(ref_q[RowAw'(row)], 32'($signed(cb_q[16*v+:16]) * $signed(a1_a_i)));
  always_ff @(posedge clk_i) begin
    if (clr) begin
      last_q <= '0;
      for (int r = 0; r < RfDepth; r++) ref_q[r] <= '0;
    end else if (step) begin
      if (a1_valid_i) last_q <= row + 16'd1;
      if (a1_valid_i && v != 4'd0) ref_q[RowAw'(row)] <= ref_sum;
      sum1_q <= ref_sum;
      row1_q <= row;
      sum2_q <= sum1_q;
      row2_q <= row1_q;
    end
  end

  logic init_q = 1'b1;
  always_ff @(posedge clk_i) init_q <= 1'b0;

  always_comb begin
    if (init_q) assume (!rst_ni);
    if (a1_valid_i) assume (32'(row) < RfDepth);
    // Operands with 4 significant bits (products up to 2^30, so sums saturate
    // after a few MACs); the solver then needs no full 16x16 multiplier.
    assume (a1_a_i[11:0] == 12'd0);
    for (int n = 0; n < 16; n++) assume (cb_q[16*n+:12] == 12'd0);
    if (rst_ni && started_q) begin
      // arith.bypass: each accumulator write is the non-pipelined sum of its entry.
      if (acc_valid) assert (acc_row == row2_q && acc_sum == sum2_q);
      // arith.acc: with the pipeline empty, the accumulators are the reference's.
      if (!busy) begin
        for (int r = 0; r < RfDepth; r++) begin
          if (32'(wb_row_i) == r) assert (wb_acc == ref_q[r]);
        end
      end
    end
  end
endmodule
