/* Arithmetic unit (rtl/eie_pe_arith.sv): A1 row reconstruction and codebook
 * decode of the entry in stage A1 (eie_pe_spmat_read), A2 multiply and
 * accumulator read with the bypass, A3 add and write
 * (docs/microarchitecture.md §2, §5.6). */
#include <string.h>

#include "eie/eie_arith.h"
#include "eie_hw.h"

void eie_pe_arith_clear(eie_pe_arith_t *r, const eie_config_t *cfg) {
  memset(r->acc, 0, sizeof *r->acc * cfg->rf_depth);
  r->last = 0;
  r->a2_valid = 0;
  r->a3_valid = 0;
}

int eie_pe_arith_busy(const eie_pe_arith_t *r, const eie_pe_spmat_read_t *s) {
  return s->a1_valid || r->a2_valid || r->a3_valid;
}

void eie_pe_arith_step(eie_array_t *a, eie_pe_arith_t *r, uint32_t k, const eie_ccu2pe_t *c,
                       const eie_pe_wires_t *w) {
  /* A3: the sum, and whether A2 reads the row A3 writes (the bypass). */
  uint32_t sat = 0;
  const int32_t sum = eie_arith_add_counted(r->a3_acc_in, r->a3_prod, &sat);
  const int hit = r->a2_valid && r->a3_valid && r->a3_row == r->a2_row;
  /* A2: the product and the accumulator read. */
  const int32_t prod = (int32_t)r->a2_w * (int32_t)r->a2_a;
  const int32_t acc_rd = r->a2_valid ? r->acc[r->a2_row] : 0;
  /* A1: the row and the codebook index; padding (v = 0) ends here. */
  const uint32_t v = eie_entry_v(w->a1_entry);
  const uint32_t row = (w->a1_first ? 0 : r->last) + eie_entry_z(w->a1_entry);

  if (r->a3_valid) {
    r->acc[r->a3_row] = sum;
    a->stats.sat.acc_saturations += sat;
    a->stats.layer_sat[a->ccu.layer].acc_saturations += sat;
    eie_emit(a, EIE_EV_ACC, k, (c->row0 + r->a3_row) * a->cfg.num_pe + k, sum, r->a3_bypass);
  }
  r->a3_valid = r->a2_valid;
  r->a3_row = r->a2_row;
  r->a3_prod = prod;
  r->a3_acc_in = hit ? sum : acc_rd;
  r->a3_bypass = hit;
  a->stats.bypasses += (uint64_t)hit;
  r->a2_valid = w->a1_valid && v != 0;
  r->a2_row = row;
  r->a2_w = c->codebook[v];
  r->a2_a = w->a1_a;
  if (w->a1_valid) {
    r->last = row + 1;
    a->stats.entries++;
    a->stats.padding += v == 0;
    a->stats.macs += v != 0;
  }
}
