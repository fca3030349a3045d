// Synchronous FIFO with Depth usable entries. Push and pop may happen in the
// same cycle; a pop needs an entry present at the start of the cycle (no
// fall-through), a push needs count < Depth at the start of the cycle.
module eie_fifo #(
  parameter int Depth = 8,
  parameter int Width = 32,
  localparam int Aw = (Depth > 1) ? $clog2(Depth) : 1,
  localparam int Cw = $clog2(Depth + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             clr_i,
  input  logic             push_i,
  input  logic [Width-1:0] wdata_i,
  input  logic             pop_i,
  output logic [Width-1:0] rdata_o,
  output logic [Cw-1:0]    count_o,
  output logic             full_o,
  output logic             empty_o
);
  logic [Width-1:0] mem_q [Depth];
  logic [Aw-1:0] rd_q, wr_q;
  logic [Cw-1:0] count_q;

  function automatic logic [Aw-1:0] incr(logic [Aw-1:0] p);
    if (32'(p) == Depth - 1) incr = {Aw{1'b0}};
    else incr = p + Aw'(1);
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q <= '0;
      wr_q <= '0;
      count_q <= '0;
    end else if (clr_i) begin
      rd_q <= '0;
      wr_q <= '0;
      count_q <= '0;
    end else begin
      if (push_i) wr_q <= incr(wr_q);
      if (pop_i) rd_q <= incr(rd_q);
      count_q <= count_q + Cw'(push_i) - Cw'(pop_i);
    end
  end

  always_ff @(posedge clk_i) begin
    if (push_i && !clr_i) mem_q[wr_q] <= wdata_i;
  end

  assign rdata_o = mem_q[rd_q];
  assign count_o = count_q;
  assign full_o = (32'(count_q) == Depth);
  assign empty_o = (count_q == '0);

`ifdef EIE_ASSERT
  // Overflow and underflow.
  always_ff @(posedge clk_i) begin
    if (rst_ni && !clr_i) begin
      assert (!(push_i && full_o)) else $error("eie_fifo: push into a full FIFO");
      assert (!(pop_i && empty_o)) else $error("eie_fifo: pop from an empty FIFO");
    end
  end
`endif

`ifdef FORMAL
  // Formal-only reference queue (verif/formal, scripts/formal.sh): ref_q[i] is the
  // i-th oldest entry; the environment keeps the push/pop rule above.
  logic [Width-1:0] ref_q [Depth];
  always_ff @(posedge clk_i) begin
    for (int i = 0; i < Depth; i++) begin
      if (pop_i) begin
        if (push_i && 32'(count_q) == i + 1) ref_q[i] <= wdata_i;
        else if (i + 1 < Depth) ref_q[i] <= ref_q[i+1];
      end else if (push_i && 32'(count_q) == i) begin
        ref_q[i] <= wdata_i;
      end
    end
  end
  // Slot of the i-th oldest entry (no modulo: the solver handles a compare better).
  function automatic logic [Aw:0] slot(logic [Aw-1:0] base, int i);
    logic [Aw+1:0] s;
    s = (Aw + 2)'(base) + (Aw + 2)'(i);
    slot = (32'(s) >= Depth) ? (Aw + 1)'(32'(s) - Depth) : (Aw + 1)'(s);
  endfunction
  always_comb begin
    if (rst_ni) begin
      // fifo.bounds: the count never exceeds Depth, the pointers stay inside.
      assert (32'(count_q) <= Depth);
      assert (32'(rd_q) < Depth && 32'(wr_q) < Depth);
      assert ((count_q == Cw'(Depth) && wr_q == rd_q) ||
              {1'b0, wr_q} == slot(rd_q, 32'(count_q)));
      // fifo.order: entry i from the read pointer is the i-th oldest push.
      for (int i = 0; i < Depth; i++) begin
        if (i < 32'(count_q)) assert (mem_q[Aw'(slot(rd_q, i))] == ref_q[i]);
      end
      if (!empty_o) assert (rdata_o == ref_q[0]);
    end
  end
`endif
endmodule
