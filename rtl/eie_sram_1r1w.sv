// Synchronous SRAM with one read and one write port: read data the cycle
// after the address, held until the next read. A read of the address being
// written returns the old word.
module eie_sram_1r1w #(
  parameter int Depth = 1024,
  parameter int Width = 16,
  parameter InitFile = "",
  localparam int Aw = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic             clk_i,
  input  logic             re_i,
  input  logic [Aw-1:0]    raddr_i,
  output logic [Width-1:0] rdata_o,
  input  logic             we_i,
  input  logic [Aw-1:0]    waddr_i,
  input  logic [Width-1:0] wdata_i
);
  logic [Width-1:0] mem [Depth];

`ifndef SYNTHESIS
  initial begin
    if (InitFile != "") $readmemh(InitFile, mem);
  end
`endif

  always_ff @(posedge clk_i) begin
    if (re_i) rdata_o <= mem[raddr_i];
    if (we_i) mem[waddr_i] <= wdata_i;
  end
endmodule
