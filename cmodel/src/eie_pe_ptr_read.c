/* Pointer read unit: pops the head of the activation queue and reads p[j]
 * and p[j+1] from the even and odd banks in one cycle (§5.4). */
#include "eie_internal.h"

void eie_pe_ptr_read_step(eie_array_t *a, eie_pe_t *pe, int s_free) {
  if (pe->p_valid && !s_free) return; /* P is held: the stream unit is busy */
  if (eie_pe_act_queue_count(&a->queues, pe) == 0) {
    pe->p_valid = 0;
    return;
  }
  const eie_pass_t *ps = &a->pass;
  eie_bcast_t b = eie_pe_act_queue_pop(&a->queues, pe);
  uint32_t q = ps->ptr_pass_base + b.j; /* q and q+1 sit in opposite banks */
  pe->p_valid = 1;
  pe->p_j = b.j;
  pe->p_a = b.a;
  pe->p_start = ps->entry_base + pe->ptr[q];
  pe->p_end = ps->entry_base + pe->ptr[q + 1];
  a->stats.ptr_reads++;
}
