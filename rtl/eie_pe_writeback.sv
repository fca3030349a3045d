// Write-back unit: in WB cycle w < R_b reads accumulator w and its bias; one
// cycle later writes sat16(round_half_up(acc >> shift) + bias), then ReLU, to
// the output region, for rows below OUT_LEN (docs/microarchitecture.md 2, 5.8).
module eie_pe_writeback #(
  parameter int NumPe = eie_params_pkg::NumPe,
  parameter int PeIndex = 0,
  parameter int RfDepth = eie_params_pkg::RfDepth,
  parameter int ActWords = 2 * eie_params_pkg::RfDepth + eie_params_pkg::ActSramDepth,
  localparam int RowAw = (RfDepth > 1) ? $clog2(RfDepth) : 1,
  localparam int ActAw = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int ActW = eie_params_pkg::ActW,
  localparam int AccW = eie_params_pkg::AccW,
  localparam int RowW = eie_params_pkg::DescOutLenW,  // rows, M
  localparam int StepW = $clog2(eie_params_pkg::RfDepthMax + 1),
  localparam int ShiftW = eie_params_pkg::DescShiftW
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              clr_i,
  input  logic              wb_i,
  input  logic [StepW-1:0]  step_i,
  input  logic [StepW-1:0]  pass_rows_i,
  input  logic [RowW-1:0]   row0_i,
  input  logic [RowW-1:0]   out_len_i,
  input  logic [ActAw-1:0]  out_base_i,
  input  logic [ActAw-1:0]  bias_base_i,
  input  logic              bias_en_i,
  input  logic              relu_i,
  input  logic [ShiftW-1:0] shift_i,
  // accumulator read
  output logic [RowAw-1:0]  acc_row_o,
  input  logic [AccW-1:0]   acc_i,
  // activation ports
  output logic              act_re_o,
  output logic [ActAw-1:0]  act_raddr_o,
  input  logic [ActW-1:0]   act_rdata_i,
  output logic              act_we_o,
  output logic [ActAw-1:0]  act_waddr_o,
  output logic [ActW-1:0]   act_wdata_o,
  // event
  output logic              wb_valid_o,
  output logic [RowW-1:0]   wb_row_o,
  output logic [ActW-1:0]   wb_y_o
);
  logic wb_valid_q;
  logic [RowW-1:0] wb_row_q;
  logic [AccW-1:0] wb_acc_q;

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
        wb_row_q <= RowW'(step_i);
        wb_acc_q <= acc_i;
      end
    end
  end

  // y = sat16(((acc + 2^(s-1)) >>> s) + bias), ReLU, computed in ExtW bits (exact).
  localparam int ExtW = AccW + 2;
  localparam logic signed [ExtW-1:0] YMax = (ExtW'(1) <<< (ActW - 1)) - ExtW'(1);
  localparam logic signed [ExtW-1:0] YMin = ~YMax;
  logic signed [ExtW-1:0] acc_ext, bias_ext, half, rounded, total;
  logic [ActW-1:0] bias, y_sat, y;
  assign bias = bias_en_i ? act_rdata_i : '0;
  assign acc_ext = {{(ExtW - AccW){wb_acc_q[AccW-1]}}, wb_acc_q};
  assign bias_ext = {{(ExtW - ActW){bias[ActW-1]}}, bias};
  assign half = (shift_i == '0) ? '0 : (ExtW'(1) <<< (shift_i - ShiftW'(1)));
  assign rounded = (acc_ext + half) >>> shift_i;
  assign total = rounded + bias_ext;
  assign y_sat = (total > YMax) ? YMax[ActW-1:0] : (total < YMin) ? YMin[ActW-1:0] : total[ActW-1:0];
  assign y = (relu_i && y_sat[ActW-1]) ? '0 : y_sat;

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
