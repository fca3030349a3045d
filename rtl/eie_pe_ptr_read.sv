// Pointer read unit: pops the head of the activation queue and reads p[j] and
// p[j+1] from the even and odd pointer banks in the same cycle; P holds the
// column until the stream unit takes it (docs/microarchitecture.md 5.4).
module eie_pe_ptr_read #(
  parameter int PtrDepth = eie_params_pkg::PtrDepth,
  parameter int EntryAw = $clog2(eie_params_pkg::SpmatLines) + 3,
  parameter int PtrAw = (PtrDepth > 1) ? $clog2(PtrDepth) : 1,
  parameter InitEven = "",  // $readmemh images of the banks (simulation preload; "" = none)
  parameter InitOdd = "",
  localparam int BankDepth = PtrDepth / 2,
  localparam int BankAw = (BankDepth > 1) ? $clog2(BankDepth) : 1,
  localparam int LenW = eie_params_pkg::DescInLenW,  // j
  localparam int ActW = eie_params_pkg::ActW,
  localparam int PtrW = eie_params_pkg::PtrW
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               clr_i,
  input  logic               run_i,
  // queue head
  input  logic               q_empty_i,
  input  logic [LenW-1:0]    q_j_i,
  input  logic [ActW-1:0]    q_a_i,
  output logic               pop_o,
  // pass constants
  input  logic [PtrAw:0]     ptr_pass_base_i,
  input  logic [EntryAw-1:0] entry_base_i,
  // to the stream unit
  input  logic               s_free_i,
  output logic               p_valid_o,
  output logic [LenW-1:0]    p_j_o,
  output logic [ActW-1:0]    p_a_o,
  output logic [EntryAw-1:0] p_start_o,
  output logic [EntryAw-1:0] p_end_o,
  // host access (I/O mode): pointer address host_idx_i
  input  logic               host_req_i,
  input  logic               host_we_i,
  input  logic [PtrAw-1:0]   host_idx_i,
  input  logic [PtrW-1:0]    host_wdata_i,
  output logic [PtrW-1:0]    host_rdata_o
);
  logic p_valid_q, parity_q, host_bank_q;
  logic [LenW-1:0] p_j_q;
  logic [ActW-1:0] p_a_q;
  logic [PtrW-1:0] even_rdata, odd_rdata;

  // P is free when empty or taken by the stream unit this cycle.
  logic p_free;
  assign p_free = !p_valid_q || s_free_i;
  assign pop_o = run_i && p_free && !q_empty_i;

  // q = PTR_BASE + b*(K+1) + j; q and q+1 are in opposite banks.
  logic [PtrAw:0] q;
  assign q = ptr_pass_base_i + (PtrAw + 1)'(q_j_i);
  logic [PtrAw:0] q_plus1;
  assign q_plus1 = q + (PtrAw + 1)'(1);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      p_valid_q <= 1'b0;
      parity_q <= 1'b0;
      p_j_q <= '0;
      p_a_q <= '0;
      host_bank_q <= 1'b0;
    end else begin
      if (clr_i) begin
        p_valid_q <= 1'b0;
      end else if (run_i && p_free) begin
        p_valid_q <= pop_o;
        if (pop_o) begin
          parity_q <= q[0];
          p_j_q <= q_j_i;
          p_a_q <= q_a_i;
        end
      end
      if (host_req_i) host_bank_q <= host_idx_i[0];
    end
  end

  // Bank ports: the pointer read in compute mode, the host in I/O mode.
  logic even_req, odd_req, bank_we;
  logic [BankAw-1:0] even_addr, odd_addr;
  always_comb begin
    if (host_req_i) begin
      even_req = !host_idx_i[0];
      odd_req = host_idx_i[0];
      bank_we = host_we_i;
      even_addr = BankAw'(host_idx_i >> 1);
      odd_addr = BankAw'(host_idx_i >> 1);
    end else begin
      even_req = pop_o;
      odd_req = pop_o;
      bank_we = 1'b0;
      even_addr = BankAw'(q_plus1 >> 1);  // the even one of q, q+1
      odd_addr = BankAw'(q >> 1);         // the odd one of q, q+1
    end
  end

  eie_sram_1p #(
    .Depth(BankDepth),
    .Width(PtrW),
    .InitFile(InitEven)
  ) u_even (
    .clk_i,
    .req_i(even_req),
    .we_i(bank_we),
    .addr_i(even_addr),
    .wdata_i(host_wdata_i),
    .wmask_i({PtrW{1'b1}}),
    .rdata_o(even_rdata)
  );

  eie_sram_1p #(
    .Depth(BankDepth),
    .Width(PtrW),
    .InitFile(InitOdd)
  ) u_odd (
    .clk_i,
    .req_i(odd_req),
    .we_i(bank_we),
    .addr_i(odd_addr),
    .wdata_i(host_wdata_i),
    .wmask_i({PtrW{1'b1}}),
    .rdata_o(odd_rdata)
  );

  // The banks hold their output while P waits, so P's pointers are their outputs.
  logic [PtrW-1:0] start_ptr, end_ptr;
  assign start_ptr = parity_q ? odd_rdata : even_rdata;
  assign end_ptr = parity_q ? even_rdata : odd_rdata;
  assign p_valid_o = p_valid_q;
  assign p_j_o = p_j_q;
  assign p_a_o = p_a_q;
  assign p_start_o = entry_base_i + EntryAw'(start_ptr);
  assign p_end_o = entry_base_i + EntryAw'(end_ptr);
  assign host_rdata_o = host_bank_q ? odd_rdata : even_rdata;

`ifdef EIE_ASSERT
  // Pointer order: a column never ends before it starts.
  always_ff @(posedge clk_i) begin
    if (rst_ni && run_i && p_valid_q) begin
      assert (end_ptr >= start_ptr) else $error("eie_pe_ptr_read: p[j+1] < p[j] for column %0d", p_j_q);
    end
  end
`endif
endmodule
