// Formal stand-in for eie_sram_1p (scripts/formal.sh jobs that list it instead
// of rtl/eie_sram_1p.sv; eie_sram_1p_any.sv keeps none). It keeps one word: the one at the address of the
// first write it takes (with its later writes, under the mask); a read of that
// word returns it, a read of any other word returns any value; read data is
// held until the next read. Every behaviour of the real memory is one of its
// behaviours, so a property proven with it holds for the real memory, and the
// solver does not carry whole arrays (the CCU's descriptor memories alone are
// 16 Kbit) through every step. A harness that follows the first word written
// can check that it reads back.
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
  logic kept_q = 1'b0;
  logic [Aw-1:0] kept_addr_q;
  logic [Width-1:0] kept_word_q;
  logic hit;
  assign hit = kept_q && addr_i == kept_addr_q;
  always_ff @(posedge clk_i) begin
    if (req_i && we_i && (!kept_q || hit)) begin
      kept_q <= 1'b1;
      kept_addr_q <= addr_i;
      // The first write's unmasked bits are the (unknown) old contents.
      kept_word_q <= ((hit ? kept_word_q : any_word) & ~wmask_i) | (wdata_i & wmask_i);
    end
    if (req_i && !we_i) rdata_o <= hit ? kept_word_q : any_word;
  end
endmodule
