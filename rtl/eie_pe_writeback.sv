// Write-back unit: in WB cycle w < R_b reads accumulator w and its bias; one
// cycle later writes sat16(round_half_up(acc >> shift) + bias), then ReLU, to
// the output region, for rows below OUT_LEN (docs/microarchitecture.md 2, 5.8).
module eie_pe_writeback #(
  parameter int NumPe = 64,
  parameter int PeIndex = 0,
  parameter int RfDepth = 64,
  parameter int ActWords = 1152,
  localparam int RowAw = (RfDepth > 1) ? $clog2(RfDepth) : 1,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             clr_i,
  input  logic             wb_i,
  input  logic [8:0]       step_i,
  input  logic [8:0]       pass_rows_i,
  input  logic [15:0]      row0_i,
  input  logic [15:0]      out_len_i,
  input  logic [ActAw-1:0] out_base_i,
  input  logic [ActAw-1:0] bias_base_i,
  input  logic             bias_en_i,
  input  logic             relu_i,
  input  logic [4:0]       shift_i,
  // accumulator read
  output logic [RowAw-1:0] acc_row_o,
  input  logic [31:0]      acc_i,
  // activation ports
  output logic             act_re_o,
  output logic [ActAw-1:0] act_raddr_o,
  input  logic [15:0]      act_rdata_i,
  output logic             act_we_o,
  output logic [ActAw-1:0] act_waddr_o,
  output logic [15:0]      act_wdata_o,
  // event
  output logic             wb_valid_o,
  output logic [15:0]      wb_row_o,
  output logic [15:0]      wb_y_o
);
  logic wb_valid_q;
  logic [15:0] wb_row_q;
  logic [31:0] wb_acc_q;

  logic rd;
  assign rd = wb_i && (step_i < pass_rows_i);
  assign acc_row_o = RowAw'(step_i);
  assign act_re_o = rd && bias_en_i;
  assign act_raddr_o = bias_base_i + ActAw'(row0_i) + ActAw'(step_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wb_valid_q <= 1'b0;
      wb_row_q <= '0;
      wb_acc_q <= '0;
    end else if (clr_i) begin
      wb_valid_q <= 1'b0;
    end else if (wb_i) begin
      wb_valid_q <= rd;
      if (rd) begin
        wb_row_q <= 16'(step_i);
        wb_acc_q <= acc_i;
      end
    end
  end

  // y = sat16(((acc + 2^(s-1)) >>> s) + bias), ReLU.
  logic signed [33:0] acc_ext, bias_ext, half, rounded, total;
  logic [15:0] bias, y_sat, y;
  assign bias = bias_en_i ? act_rdata_i : 16'd0;
  assign acc_ext = {{2{wb_acc_q[31]}}, wb_acc_q};
  assign bias_ext = {{18{bias[15]}}, bias};
  assign half = (shift_i == 5'd0) ? 34'sd0 : (34'sd1 <<< (shift_i - 5'd1));
  assign rounded = (acc_ext + half) >>> shift_i;
  assign total = rounded + bias_ext;
  assign y_sat = (total > 34'sd32767) ? 16'h7fff : (total < -34'sd32768) ? 16'h8000 : total[15:0];
  assign y = (relu_i && y_sat[15]) ? 16'd0 : y_sat;

  // Global row i = (row0 + r) * N + k must be below OUT_LEN.
  logic row_ok;
  assign row_ok = ((32'(row0_i) + 32'(wb_row_q)) * 32'(NumPe) + 32'(PeIndex)) < 32'(out_len_i);

  assign act_we_o = wb_i && wb_valid_q && row_ok;
  assign act_waddr_o = out_base_i + ActAw'(row0_i) + ActAw'(wb_row_q);
  assign act_wdata_o = y;
  assign wb_valid_o = act_we_o;
  assign wb_row_o = wb_row_q;
  assign wb_y_o = y;
endmodule
