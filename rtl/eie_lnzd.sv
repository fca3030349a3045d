// Leading non-zero detection (docs/microarchitecture.md 5.2): scans the input
// slot by slot (slot l = input l*N + k in PE k) and broadcasts its non-zeros in
// index order, one per cycle, through a quadtree of eie_lnzd_node: one leaf
// node per LnzdRadix PEs (level 1), nodes of LnzdRadix nodes above it, up to
// the root (level Depth) that feeds the broadcast.
//
// Each cycle the LNZD steps, the tree selects the lowest non-zero of the held
// slot not yet selected (every PE's nz flag up, the grant down, combinational)
// and the leaf node holding it registers it; every node registers the item its
// children hold, so an item climbs one level per cycle and reaches the root
// Depth cycles after its selection. Everything holds while stalled.
//
// Vectors of PEs and nodes are flat, element i in [W*i +: W] (see
// eie_lnzd_node.sv: yosys 0.23 takes no multi-dimensional packed arrays).
module eie_lnzd #(
  parameter int NumPe = 64,
  parameter int ActWords = 1152,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int ActW = eie_params_pkg::ActW,
  localparam int LenW = eie_params_pkg::DescInLenW  // j, lengths and slots
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  clr_i,
  input  logic                  step_i,
  input  logic [LenW-1:0]       slots_i,
  input  logic [LenW-1:0]       in_len_i,
  input  logic [ActAw-1:0]      in_base_i,
  // slot read, to every PE
  output logic                  act_re_o,
  output logic [ActAw-1:0]      act_addr_o,
  input  logic [NumPe*ActW-1:0] act_data_i,  // PE k's word in [ActW*k +: ActW]
  // broadcast
  output logic                  bcast_valid_o,
  output logic [LenW-1:0]       bcast_j_o,
  output logic [ActW-1:0]       bcast_a_o,
  output logic                  exhausted_o,
  output logic                  root_valid_o,
  output logic [LenW-1:0]       next_slot_o
);
  localparam int LnzdRadix = eie_params_pkg::LnzdRadix;
  localparam int ChildW = $clog2(LnzdRadix);

  // Tree depth: max(1, ceil(log_R N)).
  function automatic int depth_of(int n);
    int span;
    depth_of = 1;
    span = LnzdRadix;
    while (span < n) begin
      span = span * LnzdRadix;
      depth_of = depth_of + 1;
    end
  endfunction
  // Nodes of level d: ceil(N / R^d) (level 0: the PEs).
  function automatic int nodes_at(int d);
    int span;
    span = 1;
    for (int e = 0; e < d; e++) span = span * LnzdRadix;
    nodes_at = (NumPe + span - 1) / span;
  endfunction
  localparam int Depth = depth_of(NumPe);
  localparam int IdxW = ChildW * Depth;  // a PE's index in the root's subtree

  // ---- The held slot ----
  logic [LenW-1:0] next_slot_q, leaf_slot_q;
  logic leaf_valid_q;
  logic [NumPe-1:0] consumed_q;

  // PE k holds a non-zero of the held slot not yet selected: its input
  // leaf_slot*N + k is inside the layer (k < in_len - leaf_slot*N).
  logic signed [31:0] slot_len;
  logic [NumPe-1:0] pe_nz, pe_grant;
  assign slot_len = $signed(32'(in_len_i)) - $signed(32'(leaf_slot_q) * 32'(NumPe));
  always_comb begin
    for (int k = 0; k < NumPe; k++) begin
      pe_nz[k] = leaf_valid_q && (act_data_i[ActW*k+:ActW] != '0) && !consumed_q[k] &&
                 ($signed(32'(k)) < slot_len);
    end
  end

  // ---- The quadtree: level d = 1 (leaf nodes) .. Depth (the root) ----
  logic [Depth:1] level_busy;  // the level holds an item
  logic selected, finished;    // the root's summary (below)
  for (genvar d = 1; d <= Depth; d++) begin : g_level
    localparam int Nodes = nodes_at(d);
    localparam int Below = nodes_at(d - 1);  // children that exist
    localparam int Children = LnzdRadix * Nodes;  // child inputs (those past Below: none there)
    localparam int ChildrenIdxW = Children * IdxW;
    localparam int ChildrenActW = Children * ActW;

    // This level's nodes: selection and item.
    logic [Nodes-1:0] nz, many, grant, valid;
    logic [Nodes*IdxW-1:0] idx;
    logic [Nodes*ActW-1:0] a;
    // Their children's (the level below's, or the PEs').
    logic [Children-1:0] ch_nz, ch_many, ch_grant, ch_valid;
    logic [Children*IdxW-1:0] ch_idx;
    logic [Children*ActW-1:0] ch_a;
    logic ch_busy;             // a child holds an item (level 1: a PE is selected)
    logic [LenW-1:0] ch_slot;  // its slot
    logic [LenW-1:0] slot_q;   // the slot of this level's item

    if (d == 1) begin : g_pes
      // A PE's item is its activation, valid when granted.
      assign ch_nz = Children'(pe_nz);
      assign ch_many = '0;
      assign ch_valid = ch_grant;
      assign ch_idx = '0;
      assign ch_a = ChildrenActW'(act_data_i);
      assign pe_grant = ch_grant[NumPe-1:0];
      assign ch_busy = selected;
      assign ch_slot = leaf_slot_q;
    end else begin : g_nodes
      assign ch_nz = Children'(g_level[d-1].nz);
      assign ch_many = Children'(g_level[d-1].many);
      assign ch_valid = Children'(g_level[d-1].valid);
      assign ch_idx = ChildrenIdxW'(g_level[d-1].idx);
      assign ch_a = ChildrenActW'(g_level[d-1].a);
      assign ch_busy = level_busy[d-1];
      assign ch_slot = g_level[d-1].slot_q;
    end
    if (Children > Below) begin : g_pad
      logic unused_grant;  // no child there: never granted
      assign unused_grant = ^ch_grant[Children-1:Below];
    end

    // The grant comes from the level above; the root holds it.
    if (d == Depth) begin : g_root
      assign grant = 1'b1;
    end else begin : g_inner
      assign grant = g_level[d+1].ch_grant[Nodes-1:0];
    end

    for (genvar n = 0; n < Nodes; n++) begin : g_node
      eie_lnzd_node #(
        .IdxW(IdxW),
        .Shift(ChildW * (d - 1))
      ) u_node (
        .clk_i,
        .rst_ni,
        .clr_i,
        .step_i,
        .nz_i(ch_nz[LnzdRadix*n+:LnzdRadix]),
        .many_i(ch_many[LnzdRadix*n+:LnzdRadix]),
        .grant_i(grant[n]),
        .nz_o(nz[n]),
        .many_o(many[n]),
        .grant_o(ch_grant[LnzdRadix*n+:LnzdRadix]),
        .valid_i(ch_valid[LnzdRadix*n+:LnzdRadix]),
        .idx_i(ch_idx[LnzdRadix*IdxW*n+:LnzdRadix*IdxW]),
        .a_i(ch_a[LnzdRadix*ActW*n+:LnzdRadix*ActW]),
        .valid_o(valid[n]),
        .idx_o(idx[IdxW*n+:IdxW]),
        .a_o(a[ActW*n+:ActW])
      );
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) slot_q <= '0;
      else if (step_i && !clr_i && ch_busy) slot_q <= ch_slot;
    end
    assign level_busy[d] = |valid;
  end

  // The root's summary: a selection this cycle, and whether another non-zero
  // remains after it (else the slot is finished and the next one is read).
  logic read;
  assign selected = g_level[Depth].nz[0];
  assign finished = !g_level[Depth].many[0];
  assign read = finished && (next_slot_q < slots_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      next_slot_q <= '0;
      leaf_slot_q <= '0;
      leaf_valid_q <= 1'b0;
      consumed_q <= '0;
    end else if (clr_i) begin
      next_slot_q <= '0;
      leaf_valid_q <= 1'b0;
      consumed_q <= '0;
    end else if (step_i) begin
      if (finished) begin
        consumed_q <= '0;
        leaf_valid_q <= read;
        if (read) begin
          leaf_slot_q <= next_slot_q;
          next_slot_q <= next_slot_q + LenW'(1);
        end
      end else begin
        consumed_q <= consumed_q | pe_grant;
      end
    end
  end

  assign act_re_o = step_i && read;
  assign act_addr_o = in_base_i + ActAw'(next_slot_q);
  assign root_valid_o = g_level[Depth].valid[0];
  assign bcast_valid_o = step_i && root_valid_o;
  assign bcast_j_o = LenW'(32'(g_level[Depth].slot_q) * 32'(NumPe) + 32'(g_level[Depth].idx));
  assign bcast_a_o = g_level[Depth].a;
  assign exhausted_o = (next_slot_q >= slots_i) && !leaf_valid_q && (level_busy == '0);
  assign next_slot_o = next_slot_q;
endmodule
