/* Write-back unit (rtl/eie_pe_writeback.sv): after a pass drains, WB cycle w
 * reads accumulator w and its bias, and cycle w+1 writes
 * round(acc >> shift) + bias, saturated, ReLU, to output row w
 * (docs/microarchitecture.md §2, §5.8). */
#include "eie/eie_arith.h"
#include "eie_hw.h"

void eie_pe_writeback_clear(eie_pe_writeback_t *wb) {
  wb->wb_valid = 0;
}

void eie_pe_writeback_step(eie_array_t *a, eie_pe_t *pe, uint32_t k) {
  eie_pe_writeback_t *wb = &pe->writeback;
  const eie_ccu2pe_t *c = &a->ccu.pe;
  const uint32_t w = a->ccu.wb_step;
  if (wb->wb_valid) {
    const uint32_t i = (c->row0 + wb->wb_row) * a->cfg.num_pe + k;
    if (i < c->out_len) { /* a row of the layer */
      const int16_t bias = c->bias_en ? pe->act_rw.rdata : 0;
      const int16_t y = eie_arith_writeback(wb->wb_acc, bias, c->shift, c->relu);
      if (eie_arith_writeback_saturates(wb->wb_acc, bias, c->shift, c->relu)) {
        a->stats.sat.out_saturations++;
        a->stats.layer_sat[a->ccu.layer].out_saturations++;
      }
      eie_pe_act_rw_write(&pe->act_rw, c->out_base + c->row0 + wb->wb_row, y);
      a->stats.act_writes++;
      eie_emit(a, EIE_EV_WB, k, i, y, 0);
    }
  }
  wb->wb_valid = w < c->pass_rows;
  if (!wb->wb_valid) return;
  wb->wb_row = w;
  wb->wb_acc = pe->arith.acc[w];
  if (c->bias_en) {
    eie_pe_act_rw_read(&pe->act_rw, c->bias_base + c->row0 + w);
    a->stats.act_reads++;
  }
}
