/* Pointer read unit: pops the head of the activation queue and reads p[j]
 * and p[j+1] from the even and odd banks in one cycle (§5.4). */
#include "eie_internal.h"

/* Cycle c in which P is free (empty, or taken by the stream unit). */
void eie_pe_ptr_read_step(eie_array_t *a, eie_pe_t *pe, eie_pe_ptr_regs_t *p, uint32_t k, uint64_t c) {
  if (!eie_pe_act_queue_ready(&a->queues, k, c)) {
    p->valid = 0;
    return;
  }
  const eie_pass_t *ps = &a->pass;
  eie_bcast_t b = eie_pe_act_queue_pop(&a->queues, k, c);
  p->valid = 1;
  p->j = b.j;
  p->a = b.a;
  eie_pe_ptr_read_column(pe->ptr, ps->ptr_pass_base + b.j, ps->entry_base, &p->start, &p->end);
  a->stats.ptr_reads++;
}
