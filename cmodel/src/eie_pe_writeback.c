/* Write-back unit: after a pass drains, reads accumulator w and its bias,
 * and one cycle later writes round(acc >> shift) + bias, saturated, ReLU, to
 * the output region (§2, §5.8). */
#include "eie/eie_arith.h"
#include "eie_internal.h"

void eie_pe_writeback_step(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint32_t w) {
  const eie_pass_t *ps = &a->pass;
  if (pe->wb_valid) {
    uint32_t i = (ps->row0 + pe->wb_row) * ps->num_pe + k;
    if (i < ps->out_len) {
      int16_t y = eie_arith_writeback(pe->wb_acc, pe->wb_bias, ps->shift, ps->relu);
      if (eie_arith_writeback_saturates(pe->wb_acc, pe->wb_bias, ps->shift, ps->relu)) {
        a->stats.sat.out_saturations++;
        a->stats.layer_sat[ps->layer].out_saturations++;
      }
      eie_pe_act_write(a, pe, ps->out_base + ps->row0 + pe->wb_row, y);
      eie_emit(ps, EIE_EV_WB, k, i, y, 0);
    }
  }
  pe->wb_valid = w < ps->pass_rows;
  if (pe->wb_valid) {
    pe->wb_row = w;
    pe->wb_acc = pe->acc[w];
    pe->wb_bias = ps->bias_en ? eie_pe_act_read(a, pe, ps->bias_base + ps->row0 + w) : 0;
  }
}
