/* Activation queue of one PE: FIFO of (j, a_j) with FIFO_DEPTH usable
 * entries (docs/microarchitecture.md §5.3). */
#include "eie_internal.h"

void eie_pe_act_queue_push(eie_pe_t *pe, uint32_t depth, eie_bcast_t b) {
  uint32_t tail = pe->q_head + pe->q_count;
  if (tail >= depth) tail -= depth;
  pe->q[tail] = b;
  pe->q_count++;
}

eie_bcast_t eie_pe_act_queue_pop(eie_pe_t *pe, uint32_t depth) {
  eie_bcast_t b = pe->q[pe->q_head];
  pe->q_head = pe->q_head + 1 == depth ? 0 : pe->q_head + 1;
  pe->q_count--;
  return b;
}
