/* One processing element: its units in pipeline order (§5.3-5.6), advanced
 * over as many cycles as the array asks (docs/microarchitecture.md "How the
 * model advances"). */
#include <string.h>

#include "eie_internal.h"

int eie_pe_empty(const eie_array_t *a, const eie_pe_t *pe, uint32_t k, uint64_t t) {
  return !(eie_pe_act_queue_count(&a->queues, k) | pe->p.valid | pe->s.valid |
           eie_pe_arith_valid(pe, 1, t) | eie_pe_arith_valid(pe, 2, t) | eie_pe_arith_valid(pe, 3, t));
}

void eie_pe_reset_pass(eie_pe_t *pe, const eie_config_t *cfg, uint64_t now) {
  memset(pe->acc, 0, sizeof(int32_t) * cfg->rf_depth);
  pe->now = now;
  pe->p.valid = pe->s.valid = 0;
  pe->s.now = now;
  static const uint8_t none = 0; /* a padding entry */
  for (int n = 0; n < 4; n++) {
    pe->arith[n].end = EIE_NO_CYCLE;
    pe->arith[n].tail = &none;
  }
  pe->arith_at = 0;
  pe->s.line = UINT32_MAX;
  pe->last = 0;
  pe->wb_valid = 0;
}

/* From one queue interaction (a pop, or S taking P) to the next, without
 * events. The next interaction from the start of cycle `now` is the first
 * cycle in which S takes P (S empty with P valid, or S's last cycle) or an
 * empty P pops (the queue holds an entry pushed before); until then S only
 * streams its column.
 * exact = 1: cycles now .. t-1, then the state at the start of t.
 * exact = 0: every interaction whose outcome is already known: those before
 * t (the queue's pushes before t are known) and those that find the queue
 * non-empty (later pushes cannot change its head). The PE may so get ahead
 * of the array's cycle, or stop behind it while it only streams a column.
 * P and S are kept in locals meanwhile. */
static void run(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t, int exact) {
  const eie_bcast_ring_t *q = &a->queues;
  eie_pe_ptr_regs_t p = pe->p;
  eie_pe_stream_regs_t s = pe->s;
  uint64_t now = pe->now, busy = 0;
  for (;;) {
    const int queued = eie_pe_act_queue_count(q, k) != 0;
    uint64_t pop = UINT64_MAX, c;
    if (!p.valid && queued) {
      pop = q->ring[pe->q_rd].cycle + 1;
      if (pop < now) pop = now;
    }
    /* S takes P when it is empty or in its column's last cycle (streamed
     * first); otherwise the interaction is P's pop alone, which does not
     * need S's column streamed up to it. */
    int take = 1;
    if (s.valid) {
      const uint64_t last = eie_pe_spmat_read_last(&s);
      take = last <= pop;
      c = take ? last : pop;
    } else {
      c = p.valid ? now : pop;
    }
    const int stop = c == UINT64_MAX || (c >= t && (exact || !queued));
    if (s.valid && (stop ? exact && s.now < t : take))
      eie_pe_spmat_read_stream(a, pe, &s, stop ? t : c + 1);
    if (stop) break;
    if (take) busy += eie_pe_spmat_read_take(&s, &p, c);
    eie_pe_ptr_read_step(a, pe, &p, k, c); /* P is free in c */
    now = c + 1;
  }
  if (exact) now = t;
  pe->p = p;
  pe->s = s;
  pe->now = now;
  a->stats.pe[k].busy += busy;
}

/* Without an observer: every interaction known when the array is at cycle
 * t (t = UINT64_MAX: no push will come). With one, the PE is already at t. */
void eie_pe_catch_up(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t) {
  if (!a->pass.cb) run(a, pe, k, t, 0);
}

/* The first cycle >= t from which the PE is empty, given its state so far
 * and no further push: t + 1 when it is not empty at t and its state is
 * only known up to t. */
uint64_t eie_pe_empty_from(const eie_array_t *a, const eie_pe_t *pe, uint32_t k, uint64_t t) {
  uint64_t c = pe->now > t ? pe->now : t;
  if (pe->now <= t && (pe->s.valid || pe->p.valid || eie_pe_act_queue_count(&a->queues, k)))
    return eie_pe_empty(a, pe, k, t) ? t : t + 1;
  while (!eie_pe_empty(a, pe, k, c)) c++; /* the arithmetic stages drain in <= 3 cycles */
  return c;
}

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
