/* One processing element: its units in pipeline order (§5.3-5.6). */
#include <string.h>

#include "eie_internal.h"

int eie_pe_empty(const eie_bcast_ring_t *q, const eie_pe_t *pe) {
  return !(eie_pe_act_queue_count(q, pe) | pe->p_valid | pe->s_valid | pe->a1_valid | pe->a2_valid | pe->a3_valid);
}

void eie_pe_reset_pass(eie_pe_t *pe, const eie_config_t *cfg) {
  memset(pe->acc, 0, sizeof(int32_t) * cfg->rf_depth);
  pe->p_valid = pe->s_valid = pe->a1_valid = pe->a2_valid = pe->a3_valid = 0;
  pe->line_valid = 0;
  pe->last = 0;
  pe->wb_valid = 0;
}

void eie_pe_step(eie_array_t *a, eie_pe_t *pe, uint32_t k) {
  eie_pe_arith_step(a, pe, k);
  int s_free = eie_pe_spmat_read_step(a, pe);
  eie_pe_ptr_read_step(a, pe, s_free);
}
