// Formal harness of eie_pe_ptr_read (scripts/formal.sh). In I/O mode the host
// writes any pointer values (a reference copy keeps them); in compute mode the
// queue offers any column j whose p[j], p[j+1] are inside the pointer memory,
// and the stream unit takes P whenever it likes. Checked: P's start and end are
// the pointers at PTR_BASE + j and + 1 (even/odd bank selection for either
// parity) and P carries the popped column and value.
module eie_pe_ptr_read_formal #(
  parameter int PtrDepth = 8,
  parameter int EntryAw = 6,
  localparam int PtrAw = (PtrDepth > 1) ? $clog2(PtrDepth) : 1
) (
  input logic               clk_i,
  input logic               rst_ni,
  input logic               clr_i,
  input logic               run_i,
  input logic               q_empty_i,
  input logic [15:0]        q_j_i,
  input logic [15:0]        q_a_i,
  input logic               s_free_i,
  input logic               host_req_i,
  input logic               host_we_i,
  input logic [PtrAw-1:0]   host_idx_i,
  input logic [15:0]        host_wdata_i
);
  logic [PtrAw:0] base_q;
  logic [EntryAw-1:0] entry_base_q;
  always_ff @(posedge clk_i) begin
    base_q <= base_q;  // any pass base, fixed
    entry_base_q <= entry_base_q;
  end

  logic pop, p_valid;
  logic [15:0] p_j, p_a, host_rdata;
  logic [EntryAw-1:0] p_start, p_end;
  eie_pe_ptr_read #(
    .PtrDepth(PtrDepth),
    .EntryAw(EntryAw)
  ) u_ptr (
    .clk_i,
    .rst_ni,
    .clr_i,
    .run_i,
    .q_empty_i,
    .q_j_i,
    .q_a_i,
    .pop_o(pop),
    .ptr_pass_base_i(base_q),
    .entry_base_i(entry_base_q),
    .s_free_i,
    .p_valid_o(p_valid),
    .p_j_o(p_j),
    .p_a_o(p_a),
    .p_start_o(p_start),
    .p_end_o(p_end),
    .host_req_i,
    .host_we_i,
    .host_idx_i,
    .host_wdata_i,
    .host_rdata_o(host_rdata)
  );

  // Reference pointer memory (what the host wrote) and the popped column.
  logic [15:0] ptr_q [PtrDepth];
  logic [PtrDepth-1:0] written_q;
  logic [15:0] j_q, a_q;
  logic [PtrAw:0] q_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) written_q <= '0;
    else if (host_req_i && host_we_i) written_q[host_idx_i] <= 1'b1;
  end
  always_ff @(posedge clk_i) begin
    if (host_req_i && host_we_i) ptr_q[host_idx_i] <= host_wdata_i;
    if (pop) begin
      j_q <= q_j_i;
      a_q <= q_a_i;
      q_q <= base_q + (PtrAw + 1)'(q_j_i);
    end
  end

  logic [15:0] start_ref, end_ref;
  assign start_ref = ptr_q[PtrAw'(q_q)];
  assign end_ref = ptr_q[PtrAw'(q_q + 1'b1)];
  logic [EntryAw-1:0] start_exp, end_exp;  // entry addresses wrap at EntryAw bits
  assign start_exp = entry_base_q + EntryAw'(start_ref);
  assign end_exp = entry_base_q + EntryAw'(end_ref);

  logic init_q = 1'b1;
  always_ff @(posedge clk_i) init_q <= 1'b0;

  always_comb begin
    if (init_q) assume (!rst_ni);
    // The host reaches the banks only in I/O mode, when P is empty.
    assume (!(host_req_i && (run_i || p_valid || clr_i)));
    // A queued column's pointers lie inside the memory and were written.
    if (!q_empty_i) begin
      assume (32'(base_q) + 32'(q_j_i) + 1 < PtrDepth);
      for (int q = 0; q < PtrDepth; q++) begin
        if (32'(base_q) + 32'(q_j_i) == q) assume (written_q[q]);
        if (32'(base_q) + 32'(q_j_i) + 1 == q) assume (written_q[q]);
      end
    end
    if (rst_ni && p_valid && run_i) begin
      // ptr_read.banks: start = p[PTR_BASE + j], end = p[PTR_BASE + j + 1].
      assert (p_start == start_exp);
      assert (p_end == end_exp);
    end
  end
  always_comb begin
    if (rst_ni && p_valid && run_i) begin
      // ptr_read.column: P carries the popped column and value.
      assert (p_j == j_q);
      assert (p_a == a_q);
    end
  end
endmodule
