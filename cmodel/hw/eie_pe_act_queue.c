/* Activation queue of a PE (rtl/eie_pe_act_queue.sv, an eie_fifo): FIFO of
 * (j, a) with FIFO_DEPTH entries; an entry pushed in a cycle can be popped
 * from the next one on (docs/microarchitecture.md §5.3). */
#include "eie_hw.h"

void eie_pe_act_queue_clear(eie_pe_act_queue_t *q) {
  q->rd = q->wr = q->count = 0;
}

void eie_pe_act_queue_out(const eie_pe_act_queue_t *q, uint32_t depth, eie_pe_wires_t *w) {
  w->q_empty = q->count == 0;
  w->q_full = eie_pe_act_queue_full(q, depth);
  w->q_head = q->mem[q->rd];
}

static uint32_t incr(uint32_t p, uint32_t depth) {
  return p + 1 == depth ? 0 : p + 1;
}

/* Push: the LNZD's broadcast; pop: the pointer read's. */
void eie_pe_act_queue_step(eie_pe_act_queue_t *q, uint32_t depth, const eie_lnzd_out_t *lnzd,
                           const eie_pe_wires_t *w) {
  if (lnzd->bcast_valid) {
    q->mem[q->wr] = (eie_bcast_t){lnzd->bcast_j, lnzd->bcast_a};
    q->wr = incr(q->wr, depth);
  }
  if (w->pop) q->rd = incr(q->rd, depth);
  q->count = q->count + (uint32_t)lnzd->bcast_valid - (uint32_t)w->pop;
}
