// Formal harness of eie_fifo (scripts/formal.sh). The producer and consumer
// keep the FIFO's rule (no push into a full FIFO, no pop from an empty one: the
// LNZD's stall and the pointer read's pop guarantee it in the array); the
// FIFO's own FORMAL block checks bounds and order against a reference queue,
// and this harness checks the count and the flags.
module eie_fifo_formal #(
  parameter int Depth = 3,
  parameter int Width = 4,
  localparam int Cw = $clog2(Depth + 1)
) (
  input logic             clk_i,
  input logic             rst_ni,
  input logic             clr_i,
  input logic             push_i,
  input logic [Width-1:0] wdata_i,
  input logic             pop_i
);
  logic [Width-1:0] rdata;
  logic [Cw-1:0] count, model_count_q;
  logic full, empty;

  eie_fifo #(
    .Depth(Depth),
    .Width(Width)
  ) u_fifo (
    .clk_i,
    .rst_ni,
    .clr_i,
    .push_i,
    .wdata_i,
    .pop_i,
    .rdata_o(rdata),
    .count_o(count),
    .full_o(full),
    .empty_o(empty)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) model_count_q <= '0;
    else if (clr_i) model_count_q <= '0;
    else model_count_q <= model_count_q + Cw'(push_i) - Cw'(pop_i);
  end

  // The first cycle is a reset cycle.
  logic init_q = 1'b1;
  always_ff @(posedge clk_i) init_q <= 1'b0;

  always_comb begin
    if (init_q) assume (!rst_ni);
    assume (!(push_i && full));
    assume (!(pop_i && empty));
    if (rst_ni) begin
      // fifo.count: pushes minus pops since the last reset or clear.
      assert (count == model_count_q);
      // fifo.flags: full and empty follow the count.
      assert (full == (32'(count) == Depth));
      assert (empty == (count == '0));
    end
  end
endmodule
