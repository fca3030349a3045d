// Activation queue of one PE: FIFO of (j, a_j) broadcasts with FifoDepth
// usable entries (docs/microarchitecture.md 5.3).
module eie_pe_act_queue #(
  parameter int FifoDepth = eie_params_pkg::FifoDepth,
  localparam int Cw = $clog2(FifoDepth + 1),
  localparam int LenW = eie_params_pkg::DescInLenW,  // j
  localparam int ActW = eie_params_pkg::ActW
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            clr_i,
  input  logic            push_i,
  input  logic [LenW-1:0] push_j_i,
  input  logic [ActW-1:0] push_a_i,
  input  logic            pop_i,
  output logic [LenW-1:0] head_j_o,
  output logic [ActW-1:0] head_a_o,
  output logic [Cw-1:0]   count_o,
  output logic            full_o,
  output logic            empty_o
);
  eie_fifo #(
    .Depth(FifoDepth),
    .Width(LenW + ActW)
  ) u_fifo (
    .clk_i,
    .rst_ni,
    .clr_i,
    .push_i,
    .wdata_i({push_j_i, push_a_i}),
    .pop_i,
    .rdata_o({head_j_o, head_a_o}),
    .count_o,
    .full_o,
    .empty_o
  );
endmodule
