// Arithmetic unit: A1 row reconstruction and codebook decode, A2 multiply and
// accumulator read with bypass, A3 saturating add and accumulator write
// (docs/microarchitecture.md 5.6). The accumulators are RfDepth registers.
module eie_pe_arith #(
  parameter int RfDepth = eie_params_pkg::RfDepth,
  localparam int RowAw = (RfDepth > 1) ? $clog2(RfDepth) : 1,
  localparam int ActW = eie_params_pkg::ActW,
  localparam int AccW = eie_params_pkg::AccW,
  localparam int VW = eie_params_pkg::VW,
  localparam int ZW = eie_params_pkg::ZW,
  localparam int RowW = eie_params_pkg::DescOutLenW,  // rows
  localparam int CbW = eie_params_pkg::CbSize * ActW
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              clr_i,
  input  logic              run_i,
  input  logic [CbW-1:0]    codebook_i,   // entry n in [ActW*n+ActW-1:ActW*n]
  // A1 input (from the stream unit)
  input  logic              a1_valid_i,
  input  logic [VW+ZW-1:0]  a1_entry_i,   // {v, z}
  input  logic [ActW-1:0]   a1_a_i,
  input  logic              a1_first_i,
  // accumulator read for the write-back
  input  logic [RowAw-1:0]  wb_row_i,
  output logic [AccW-1:0]   wb_acc_o,
  // events and state
  output logic              acc_valid_o,
  output logic [RowW-1:0]   acc_row_o,
  output logic [AccW-1:0]   acc_sum_o,
  output logic              acc_bypass_o,
  output logic              padding_o,
  output logic              busy_o
);
  logic [RowW-1:0] last_q;
  logic a2_valid_q, a3_valid_q, a3_bypass_q;
  logic [RowW-1:0] a2_row_q, a3_row_q;
  logic [ActW-1:0] a2_w_q, a2_a_q;
  logic [AccW-1:0] a3_prod_q, a3_acc_in_q;
  logic [AccW*RfDepth-1:0] acc_q;  // accumulator r in [AccW*r+AccW-1:AccW*r]

  // A3: sum = sat32(acc_in + prod): on overflow the largest or smallest AccW-bit value.
  logic [AccW:0] wide;
  logic [AccW-1:0] sum;
  assign wide = {a3_acc_in_q[AccW-1], a3_acc_in_q} + {a3_prod_q[AccW-1], a3_prod_q};
  assign sum = (wide[AccW] != wide[AccW-1]) ? {wide[AccW], {(AccW - 1){!wide[AccW]}}} :
                                               wide[AccW-1:0];

  // A2: product and accumulator read, bypassing A3's sum on a hit.
  logic hit;
  logic [AccW-1:0] prod, acc_rd;
  assign hit = a2_valid_q && a3_valid_q && (a3_row_q == a2_row_q);
  assign prod = AccW'($signed(a2_w_q) * $signed(a2_a_q));
  assign acc_rd = acc_q[AccW*RowAw'(a2_row_q)+:AccW];

  // A1: row = (first ? 0 : last) + z; padding (v = 0) ends here.
  logic [VW-1:0] v;
  logic [ZW-1:0] z;
  logic [RowW-1:0] row;
  assign v = a1_entry_i[ZW+:VW];
  assign z = a1_entry_i[ZW-1:0];
  assign row = (a1_first_i ? '0 : last_q) + RowW'(z);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      last_q <= '0;
      a2_valid_q <= 1'b0;
      a2_row_q <= '0;
      a2_w_q <= '0;
      a2_a_q <= '0;
      a3_valid_q <= 1'b0;
      a3_row_q <= '0;
      a3_prod_q <= '0;
      a3_acc_in_q <= '0;
      a3_bypass_q <= 1'b0;
    end else if (clr_i) begin
      last_q <= '0;
      a2_valid_q <= 1'b0;
      a3_valid_q <= 1'b0;
    end else if (run_i) begin
      a3_valid_q <= a2_valid_q;
      a3_row_q <= a2_row_q;
      a3_prod_q <= prod;
      a3_acc_in_q <= hit ? sum : acc_rd;
      a3_bypass_q <= hit;
      a2_valid_q <= a1_valid_i && (v != '0);
      a2_row_q <= row;
      a2_w_q <= codebook_i[ActW*v+:ActW];
      a2_a_q <= a1_a_i;
      if (a1_valid_i) last_q <= row + RowW'(1);
    end
  end

  always_ff @(posedge clk_i) begin
    if (clr_i) begin
      acc_q <= '0;
    end else if (run_i && a3_valid_q) begin
      acc_q[AccW*RowAw'(a3_row_q)+:AccW] <= sum;
    end
  end

  assign wb_acc_o = acc_q[AccW*wb_row_i+:AccW];
  assign acc_valid_o = run_i && a3_valid_q;
  assign acc_row_o = a3_row_q;
  assign acc_sum_o = sum;
  assign acc_bypass_o = a3_bypass_q;
  assign padding_o = run_i && a1_valid_i && (v == '0);
  assign busy_o = a1_valid_i || a2_valid_q || a3_valid_q;

`ifdef EIE_ASSERT
  // Accumulator writes stay inside the register file.
  always_ff @(posedge clk_i) begin
    if (rst_ni && run_i && a3_valid_q) begin
      assert (32'(a3_row_q) < RfDepth) else $error("eie_pe_arith: accumulator row %0d beyond %0d", a3_row_q, RfDepth);
    end
  end
`endif
endmodule
