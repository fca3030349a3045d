/* Activation queue of each PE: FIFO of (j, a_j) with FIFO_DEPTH usable
 * entries (docs/microarchitecture.md §5.3), kept as pop counts into the
 * broadcast ring they all share (see eie_bcast_ring_t). */
#include "eie_internal.h"

void eie_pe_act_queue_reset(eie_bcast_ring_t *q, uint32_t num_pe) {
  q->pushed = 0;
  for (uint32_t k = 0; k < num_pe; k++) q->popped[k] = 0;
}

/* The broadcast: one push into every PE's queue. */
void eie_pe_act_queue_push_all(eie_bcast_ring_t *q, eie_bcast_t b) {
  q->ring[q->pushed++ & q->mask] = b;
}

/* A pop in cycle c (recorded: the array's stall rule reads it). */
eie_bcast_t eie_pe_act_queue_pop(eie_bcast_ring_t *q, uint32_t k, uint64_t c) {
  const uint32_t x = q->popped[k]++;
  eie_pe_act_queue_pop_at(q, x, k, c);
  return q->ring[x & q->mask];
}
