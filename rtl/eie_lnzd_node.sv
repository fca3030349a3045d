// One node of the LNZD quadtree (docs/microarchitecture.md 5.2): LnzdRadix
// children, which are PEs for a leaf node (level 1) and nodes of the level
// below otherwise. The node does two things each cycle the LNZD steps:
//
// * Selection, combinational (the whole tree in one cycle): from which
//   children's subtrees hold a non-zero of the held slot not yet selected
//   (nz_i) and two or more (many_i), it reports its own subtree's up (nz_o,
//   many_o) and passes the grant down to its leading child, the lowest one
//   holding a non-zero (grant_o: one-hot or zero, zero unless grant_i).
// * Carry, registered (one level per cycle): it takes the item its children
//   present (valid_i; at most one of them is valid, one item being selected
//   per cycle) and holds it for the level above: valid_q, idx_q = the PE's
//   index in this node's subtree (the child's index with the child's number in
//   bits [Shift+ChildW-1:Shift]) and a_q = its activation. A leaf's children
//   are its PEs: valid_i is its own grant_o, idx_i is zero and a_i their
//   activations.
//
// Vectors of children are flat, child c in [W*c +: W]: yosys 0.23 rejects
// multi-dimensional packed declarations (and silently drops the outer packed
// dimension of a typedef'd element type), so the RTL uses none.
module eie_lnzd_node #(
  parameter int IdxW = 2,   // index width: ChildW bits per tree level (the root's covers every PE)
  parameter int Shift = 0,  // ChildW * (level - 1): this node's bits in the index
  localparam int LnzdRadix = eie_params_pkg::LnzdRadix,
  localparam int ActW = eie_params_pkg::ActW,
  localparam int ChildW = $clog2(LnzdRadix)
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  input  logic                      clr_i,
  input  logic                      step_i,
  // selection
  input  logic [LnzdRadix-1:0]      nz_i,
  input  logic [LnzdRadix-1:0]      many_i,
  input  logic                      grant_i,
  output logic                      nz_o,
  output logic                      many_o,
  output logic [LnzdRadix-1:0]      grant_o,
  // carry: the children's items in, this node's item out
  input  logic [LnzdRadix-1:0]      valid_i,
  input  logic [LnzdRadix*IdxW-1:0] idx_i,
  input  logic [LnzdRadix*ActW-1:0] a_i,
  output logic                      valid_o,
  output logic [IdxW-1:0]           idx_o,
  output logic [ActW-1:0]           a_o
);
  // Selection. x & (x - 1) clears the lowest set bit of x, x & -x keeps only it.
  assign nz_o = |nz_i;
  assign many_o = (|many_i) || ((nz_i & (nz_i - LnzdRadix'(1))) != '0);
  assign grant_o = grant_i ? (nz_i & (~nz_i + LnzdRadix'(1))) : '0;

  // Carry: the lowest valid child (the only one).
  logic [ChildW-1:0] pick;
  always_comb begin
    pick = '0;
    for (int c = LnzdRadix - 1; c >= 0; c--) begin
      if (valid_i[c]) pick = ChildW'(c);
    end
  end

  logic valid_q;
  logic [IdxW-1:0] idx_q;
  logic [ActW-1:0] a_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      idx_q <= '0;
      a_q <= '0;
    end else if (clr_i) begin
      valid_q <= 1'b0;
    end else if (step_i) begin
      valid_q <= |valid_i;
      if (|valid_i) begin
        idx_q <= idx_i[IdxW*pick+:IdxW] | (IdxW'(pick) << Shift);
        a_q <= a_i[ActW*pick+:ActW];
      end
    end
  end

  assign valid_o = valid_q;
  assign idx_o = idx_q;
  assign a_o = a_q;
endmodule
