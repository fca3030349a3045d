/* One processing element: its units in pipeline order (§5.3-5.6), advanced
 * over as many cycles as the array asks (docs/microarchitecture.md "How the
 * model advances"). */
#include <string.h>

#include "eie_internal.h"

int eie_pe_empty(const eie_array_t *a, const eie_pe_t *pe, uint32_t k, uint64_t t) {
  return !(eie_pe_act_queue_count(&a->queues, k) | pe->p_valid | pe->s_valid |
           eie_pe_arith_valid(pe, 1, t) | eie_pe_arith_valid(pe, 2, t) | eie_pe_arith_valid(pe, 3, t));
}

void eie_pe_reset_pass(eie_pe_t *pe, const eie_config_t *cfg, uint64_t now) {
  memset(pe->acc, 0, sizeof(int32_t) * cfg->rf_depth);
  pe->now = now;
  pe->p_valid = pe->s_valid = 0;
  for (int n = 0; n < 4; n++) pe->arith[n].cycle = EIE_NO_CYCLE;
  pe->line_valid = 0;
  pe->last = 0;
  pe->wb_valid = 0;
}

/* The PE's next queue interaction from the start of cycle `now`: the first
 * cycle in which S takes P (S empty with P valid, or S's last cycle) or an
 * empty P pops (the queue holds an entry pushed before); UINT64_MAX when
 * there is none without another push. Until then S only streams its column. */
uint64_t eie_pe_next_step(const eie_array_t *a, const eie_pe_t *pe, uint32_t k) {
  const eie_bcast_ring_t *q = &a->queues;
  uint64_t pop = UINT64_MAX;
  if (!pe->p_valid && eie_pe_act_queue_count(q, k)) {
    pop = q->ring[pe->q_rd].cycle + 1;
    if (pop < pe->now) pop = pe->now;
  }
  if (pe->s_valid) {
    const uint64_t last = eie_pe_spmat_read_last(pe);
    return last < pop ? last : pop;
  }
  return pe->p_valid ? pe->now : pop;
}

/* Cycles now .. t-1 without events, from one queue interaction to the next.
 * exact = 0: stop after the last interaction before t (the PE then only
 * streams its column until t, which can wait). */
static void run(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t, int exact) {
  while (pe->now < t) {
    const uint64_t c = eie_pe_next_step(a, pe, k);
    if (c >= t) {
      if (!exact) return;
      if (pe->s_valid) eie_pe_spmat_read_stream(a, pe, pe->now, t);
      pe->now = t;
      return;
    }
    int take = 1;
    if (pe->s_valid) {
      take = c == eie_pe_spmat_read_last(pe);
      eie_pe_spmat_read_stream(a, pe, pe->now, c + 1);
    }
    if (take) eie_pe_spmat_read_take(a, pe, k);
    eie_pe_ptr_read_step(a, pe, k, c); /* P is free in c */
    pe->now = c + 1;
  }
}

/* Every queue interaction before cycle t (the queue count is then exact at t). */
void eie_pe_catch_up(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t) { run(a, pe, k, t, 0); }

void eie_pe_advance(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t) {
  if (!a->pass.cb) {
    run(a, pe, k, t, 1);
    return;
  }
  /* Observed: cycle by cycle, with the accumulator writes' events. */
  while (pe->now < t) {
    eie_pe_arith_retire(a, pe, k, pe->now);
    run(a, pe, k, pe->now + 1, 1);
  }
}
