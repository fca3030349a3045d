// Sparse-matrix read unit: streams the entries of one column, one per cycle,
// from 64-bit lines; a line is read from the SRAM only when its address
// differs from the last line read (the SRAM's held output is the line
// buffer); an empty column costs one cycle (docs/microarchitecture.md 5.5).
// Its output register is arithmetic stage A1's input.
module eie_pe_spmat_read #(
  parameter int SpmatLines = eie_params_pkg::SpmatLines,
  parameter int EntryAw = $clog2(eie_params_pkg::SpmatLines) + 3,
  parameter InitFile = "",  // $readmemh image of the SRAM (simulation preload; "" = none)
  localparam int LineAw = (SpmatLines > 1) ? $clog2(SpmatLines) : 1,
  localparam int LenW = eie_params_pkg::DescInLenW,  // j
  localparam int ActW = eie_params_pkg::ActW,
  localparam int EntryW = eie_params_pkg::VW + eie_params_pkg::ZW,
  localparam int LineW = eie_params_pkg::LineW,
  localparam int HalfW = eie_params_pkg::BusW  // a host word: half a line
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               clr_i,
  input  logic               run_i,
  // from the pointer read unit
  input  logic               p_valid_i,
  input  logic [LenW-1:0]    p_j_i,
  input  logic [ActW-1:0]    p_a_i,
  input  logic [EntryAw-1:0] p_start_i,
  input  logic [EntryAw-1:0] p_end_i,
  output logic               s_free_o,
  // A1 input
  output logic               a1_valid_o,
  output logic [EntryW-1:0]  a1_entry_o,
  output logic [ActW-1:0]    a1_a_o,
  output logic               a1_first_o,
  // state for waves and the drain check
  output logic               s_valid_o,
  output logic [LenW-1:0]    s_j_o,
  output logic [EntryAw-1:0] s_addr_o,
  output logic               line_read_o,
  output logic               empty_col_o,
  // host access (I/O mode): line host_idx_i, 32-bit half host_hi_i
  input  logic               host_req_i,
  input  logic               host_we_i,
  input  logic [LineAw-1:0]  host_idx_i,
  input  logic               host_hi_i,
  input  logic [HalfW-1:0]   host_wdata_i,
  output logic [HalfW-1:0]   host_rdata_o
);
  localparam int SelW = $clog2(eie_params_pkg::EntriesPerLine);  // entry within a line
  logic s_valid_q, s_first_q;
  logic [LenW-1:0] s_j_q;
  logic [ActW-1:0] s_a_q;
  logic [EntryAw-1:0] s_addr_q, s_end_q;
  logic line_valid_q;
  logic [EntryAw-SelW-1:0] line_addr_q;
  logic a1_valid_q, a1_first_q, host_hi_q;
  logic [SelW-1:0] a1_sel_q;
  logic [ActW-1:0] a1_a_q;
  logic [LineW-1:0] line_rdata;

  logic emit, done, line_read;
  logic [EntryAw-SelW-1:0] line;
  assign line = s_addr_q[EntryAw-1:SelW];
  assign emit = s_valid_q && (s_addr_q < s_end_q);
  assign line_read = run_i && emit && (!line_valid_q || line != line_addr_q);
  assign done = !s_valid_q || (({1'b0, s_addr_q} + (EntryAw + 1)'(1)) >= {1'b0, s_end_q});
  assign s_free_o = done;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s_valid_q <= 1'b0;
      s_first_q <= 1'b0;
      s_j_q <= '0;
      s_a_q <= '0;
      s_addr_q <= '0;
      s_end_q <= '0;
      line_valid_q <= 1'b0;
      line_addr_q <= '0;
      a1_valid_q <= 1'b0;
      a1_first_q <= 1'b0;
      a1_sel_q <= '0;
      a1_a_q <= '0;
      host_hi_q <= 1'b0;
    end else begin
      if (host_req_i) host_hi_q <= host_hi_i;
      if (clr_i) begin
        s_valid_q <= 1'b0;
        line_valid_q <= 1'b0;
        a1_valid_q <= 1'b0;
      end else if (run_i) begin
        a1_valid_q <= emit;
        a1_sel_q <= s_addr_q[SelW-1:0];
        a1_a_q <= s_a_q;
        a1_first_q <= s_first_q;
        if (emit) begin
          line_valid_q <= 1'b1;
          line_addr_q <= line;
        end
        if (done) begin
          s_valid_q <= p_valid_i;
          if (p_valid_i) begin
            s_j_q <= p_j_i;
            s_a_q <= p_a_i;
            s_addr_q <= p_start_i;
            s_end_q <= p_end_i;
            s_first_q <= 1'b1;
          end
        end else begin
          s_addr_q <= s_addr_q + EntryAw'(1);
          s_first_q <= 1'b0;
        end
      end else begin
        a1_valid_q <= 1'b0;
      end
    end
  end

  logic sram_req, sram_we;
  logic [LineAw-1:0] sram_addr;
  logic [LineW-1:0] sram_wdata, sram_wmask;
  always_comb begin
    if (host_req_i) begin
      sram_req = 1'b1;
      sram_we = host_we_i;
      sram_addr = host_idx_i;
      sram_wdata = {host_wdata_i, host_wdata_i};
      sram_wmask = host_hi_i ? {{HalfW{1'b1}}, {HalfW{1'b0}}} : {{HalfW{1'b0}}, {HalfW{1'b1}}};
    end else begin
      sram_req = line_read;
      sram_we = 1'b0;
      sram_addr = LineAw'(line);
      sram_wdata = '0;
      sram_wmask = '0;
    end
  end

  eie_sram_1p #(
    .Depth(SpmatLines),
    .Width(LineW),
    .InitFile(InitFile)
  ) u_spmat (
    .clk_i,
    .req_i(sram_req),
    .we_i(sram_we),
    .addr_i(sram_addr),
    .wdata_i(sram_wdata),
    .wmask_i(sram_wmask),
    .rdata_o(line_rdata)
  );

  assign a1_valid_o = a1_valid_q;
  assign a1_entry_o = line_rdata[EntryW*a1_sel_q+:EntryW];
  assign a1_a_o = a1_a_q;
  assign a1_first_o = a1_first_q;
  assign s_valid_o = s_valid_q;
  assign s_j_o = s_j_q;
  assign s_addr_o = s_addr_q;
  assign line_read_o = line_read;
  assign empty_col_o = run_i && s_valid_q && !emit;
  assign host_rdata_o = host_hi_q ? line_rdata[LineW-1:HalfW] : line_rdata[HalfW-1:0];
endmodule
