/* Activation queue of each PE: FIFO of (j, a_j) with FIFO_DEPTH usable
 * entries (docs/microarchitecture.md §5.3), kept as read pointers into the
 * broadcast ring they all share (see eie_bcast_ring_t). */
#include "eie_internal.h"

void eie_pe_act_queue_reset(eie_bcast_ring_t *q, eie_pe_t *pe, uint32_t num_pe) {
  q->wr = 0;
  q->pushed = 0;
  for (uint32_t k = 0; k < num_pe; k++) {
    pe[k].q_rd = 0;
    q->popped[k] = 0;
  }
}

/* The broadcast: one push into every PE's queue. */
void eie_pe_act_queue_push_all(eie_bcast_ring_t *q, eie_bcast_t b) {
  q->ring[q->wr] = b;
  q->wr = q->wr + 1 == q->depth ? 0 : q->wr + 1;
  q->pushed++;
}

/* A pop in cycle c (recorded: the array's stall rule reads it). */
eie_bcast_t eie_pe_act_queue_pop(eie_bcast_ring_t *q, eie_pe_t *pe, uint32_t k, uint64_t c) {
  eie_bcast_t b = q->ring[pe->q_rd];
  q->pop_cycle[(size_t)pe->q_rd * q->popped_stride + k] = c;
  pe->q_rd = pe->q_rd + 1 == q->depth ? 0 : pe->q_rd + 1;
  q->popped[k]++;
  return b;
}
