// Formal stand-in for eie_sram_1p (scripts/formal.sh jobs that list it instead
// of rtl/eie_sram_1p.sv): a read returns any word, held until the next read;
// writes are not kept (eie_sram_1p_one.sv keeps one word). Every behaviour of
// the real memory is one of its behaviours, so a property proven with it holds
// whatever the memory holds, and the solver carries no memory array through
// the steps.
module eie_sram_1p #(
  parameter int Depth = 1024,
  parameter int Width = 32,
  parameter InitFile = "",
  localparam int Aw = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic             clk_i,
  input  logic             req_i,
  input  logic             we_i,
  input  logic [Aw-1:0]    addr_i,
  input  logic [Width-1:0] wdata_i,
  input  logic [Width-1:0] wmask_i,
  output logic [Width-1:0] rdata_o
);
  (* anyseq *) logic [Width-1:0] any_word;
  always_ff @(posedge clk_i) begin
    if (req_i && !we_i) rdata_o <= any_word;
  end
endmodule
