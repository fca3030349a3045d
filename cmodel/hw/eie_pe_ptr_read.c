/* Pointer read unit (rtl/eie_pe_ptr_read.sv): P pops the head of the
 * activation queue and reads p[q] and p[q+1] (q = the pass's pointer base +
 * j) from the even and odd banks in one cycle; their read data stays in the
 * banks' output registers (docs/microarchitecture.md §5.4). */
#include "eie_hw.h"

void eie_pe_ptr_read_clear(eie_pe_ptr_read_t *p) {
  p->p_valid = 0;
}

void eie_pe_ptr_read_out(const eie_pe_ptr_read_t *p, const eie_ccu2pe_t *c, eie_pe_wires_t *w) {
  /* P is free when it is empty or S takes it this cycle. */
  w->p_free = !p->p_valid || w->s_free;
  w->pop = w->p_free && !w->q_empty;
  w->p_valid = p->p_valid;
  w->p_j = p->p_j;
  w->p_a = p->p_a;
  /* p[q] sits in the bank of q's parity, p[q+1] in the other. */
  w->p_start = c->entry_base + (p->parity ? p->odd_rdata : p->even_rdata);
  w->p_end = c->entry_base + (p->parity ? p->even_rdata : p->odd_rdata);
}

void eie_pe_ptr_read_step(eie_array_t *a, eie_pe_ptr_read_t *p, const eie_ccu2pe_t *c,
                          const eie_pe_wires_t *w) {
  if (!w->p_free) return;
  p->p_valid = w->pop;
  if (!w->pop) return;
  const uint32_t q = c->ptr_pass_base + w->q_head.j;
  p->parity = q & 1u;
  p->p_j = w->q_head.j;
  p->p_a = w->q_head.a;
  p->even_rdata = p->ptr[(q + 1) & ~1u]; /* the even one of q, q+1 */
  p->odd_rdata = p->ptr[q | 1u];         /* the odd one */
  a->stats.ptr_reads++;
}
