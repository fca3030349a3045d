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
  pe->s.last = 0;
  pe->freed = now;
  static const uint8_t none = 0; /* a padding entry */
  for (int n = 0; n < 4; n++) {
    pe->arith[n].end = EIE_NO_CYCLE;
    pe->arith[n].tail = &none;
    pe->arith[n].real_row = UINT32_MAX;
  }
  pe->arith_at = 0;
  pe->s.line = UINT32_MAX;
  pe->last = 0;
  pe->wb_valid = 0;
  pe->entries = pe->padding = pe->bypasses = 0;
}

/* With an observer, cycle by cycle: cycles now .. t-1, then the state at the
 * start of t. Each loop turn goes from one queue interaction (a pop, or S
 * taking P) to the next: the first cycle in which S takes P (S empty with P
 * valid, or S's last cycle) or an empty P pops (the queue holds an entry
 * pushed before); until then S only streams its column. P and S are kept in
 * locals meanwhile. */
static void run(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t) {
  const eie_bcast_ring_t *q = &a->queues;
  eie_pe_ptr_regs_t p = pe->p;
  eie_pe_stream_regs_t s = pe->s;
  uint64_t now = pe->now, busy = 0;
  for (;;) {
    uint64_t pop = UINT64_MAX, c;
    if (!p.valid && eie_pe_act_queue_count(q, k)) {
      pop = q->ring[q->popped[k] & q->mask].cycle + 1;
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
    const int stop = c >= t;
    if (s.valid && (stop ? s.now < t : take)) eie_pe_spmat_read_stream(a, pe, &s, stop ? t : c + 1);
    if (stop) break;
    if (take) busy += eie_pe_spmat_read_take(&s, &p, c);
    eie_pe_ptr_read_step(a, pe, &p, k, c); /* P is free in c */
    now = c + 1;
  }
  pe->p = p;
  pe->s = s;
  pe->now = t;
  a->stats.pe[k].busy += busy;
}

/* Without an observer: the entry just pushed (in cycle b.cycle) through
 * every PE. Its cycles follow from the entry before (docs/
 * microarchitecture.md "How the model advances"): P pops it in
 * max(push + 1, the cycle S took the column before, which freed P); S takes
 * it in max(pop + 1, the last cycle of the column before) and streams its n
 * entries right after (the column holds S max(1, n) cycles). The stream and
 * the arithmetic wait in the batch (eie_pe_flush). Every PE so gets ahead
 * of the array's cycle. */
void eie_pe_push(eie_array_t *a) {
  const eie_pass_t *ps = &a->pass;
  eie_bcast_ring_t *q = &a->queues;
  eie_pe_batch_t *bt = &a->batch;
  const uint32_t N = ps->num_pe, x = q->pushed - 1;
  const eie_bcast_t b = q->ring[x & q->mask];
  if (bt->n == EIE_BATCH) eie_pe_flush(a);
  const uint32_t i = bt->n++, qj = ps->ptr_pass_base + b.j;
  bt->j[i] = b.j;
  bt->a[i] = b.a;
  uint64_t *restrict take = bt->take + i;
  uint64_t *restrict pop_cycle = q->pop_cycle + (size_t)(x & q->mask) * N;
  eie_pe_stats_t *restrict st = a->stats.pe;
  eie_pe_t *restrict pe = a->pe;
  const uint64_t ready = b.cycle + 1;
  /* The array checks in the next cycle whether some queue is still full
   * with entry x + 1 - FIFO_DEPTH (the stall rule): its pops are known. */
  const int check = x + 1 >= q->depth;
  const uint64_t *full = q->pop_cycle + (size_t)((x + 1 - q->depth) & q->mask) * N;
  uint64_t until = 0;
  for (uint32_t k = 0; k < N; k++, pe++, take += EIE_BATCH) {
    const uint64_t pop = ready > pe->freed ? ready : pe->freed;
    pop_cycle[k] = pop; /* the queue's pop, recorded for the stall rule */
    uint32_t start, end;
    eie_pe_ptr_read_column(pe->ptr, qj, 0, &start, &end);
    const uint32_t n = end - start;
    const uint64_t c = pop + 1 > pe->s.last ? pop + 1 : pe->s.last; /* S takes the column */
    *take = pe->freed = c;
    pe->s.last = c + (n ? n : 1);
    if (check) { /* full through cycle p: stalls ready .. p */
      const uint64_t p = full[k];
      st[k].stalled += eie_queue_full_cycles(p, ready);
      until = p > until ? p : until;
    }
  }
  a->full_until = until;
  a->stats.ptr_reads += N;
}

/* Without an observer: the batch's streams (line reads, busy cycles) and
 * arithmetic, PE by PE; then each PE's queue has popped every push and its
 * `now` is the cycle after its last column's last. */
void eie_pe_flush(eie_array_t *a) {
  for (uint32_t k = 0; k < a->pass.num_pe; k++) {
    eie_pe_t *pe = &a->pe[k];
    eie_pe_arith_batch(a, pe, k);
    a->queues.popped[k] = a->queues.pushed;
    if (pe->now <= pe->s.last) pe->now = pe->s.last + 1;
  }
  a->batch.n = 0;
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

/* With an observer: to the start of cycle t, cycle by cycle, with the
 * accumulator writes' events. */
void eie_pe_advance(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t) {
  while (pe->now < t) {
    eie_pe_arith_retire(a, pe, k, pe->now);
    run(a, pe, k, pe->now + 1);
  }
}
