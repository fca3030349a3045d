// Single-port synchronous SRAM: one access a cycle, read data the cycle after
// the address, output held until the next read. The only place the model of a
// memory macro lives: a technology macro replaces this module.
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
  logic [Width-1:0] mem [Depth];

`ifndef SYNTHESIS
  initial begin
    if (InitFile != "") $readmemh(InitFile, mem);
  end
`endif

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      if (we_i) begin
        mem[addr_i] <= (mem[addr_i] & ~wmask_i) | (wdata_i & wmask_i);
      end else begin
        rdata_o <= mem[addr_i];
      end
    end
  end
endmodule
