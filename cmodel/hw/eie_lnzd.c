/* Leading non-zero detection (rtl/eie_lnzd.sv): scans the input slot by
 * slot, selects the lowest-numbered non-zero activation of the slot each
 * cycle and carries it up a D_T-stage pipeline (the quadtree's registered
 * levels) to the broadcast (docs/microarchitecture.md §5.2). The leaf values
 * are the PEs' activation read data (eie_pe_act_rw). */
#include <string.h>

#include "eie_hw.h"

void eie_lnzd_clear(eie_lnzd_t *l) {
  l->next_slot = 0;
  l->leaf_slot = 0;
  l->leaf_valid = 0;
  memset(l->pipe_valid, 0, sizeof l->pipe_valid);
}

int eie_lnzd_exhausted(const eie_lnzd_t *l, const eie_ccu2lnzd_t *c) {
  if (l->next_slot < c->slots || l->leaf_valid) return 0;
  for (uint32_t d = 0; d < l->depth; d++)
    if (l->pipe_valid[d]) return 0;
  return 1;
}

/* Leaf k holds a non-zero not yet selected. */
static int leaf_nonzero(const eie_array_t *a, uint32_t k) {
  const eie_lnzd_t *l = &a->lnzd;
  return a->pe[k].act_rw.rdata != 0 && !l->consumed[k] &&
         (uint64_t)l->leaf_slot * a->cfg.num_pe + k < a->ccu.lnzd.in_len;
}

/* The wires of a cycle in which the LNZD steps (not stalled). */
void eie_lnzd_out(const eie_array_t *a, eie_lnzd_out_t *o) {
  const eie_lnzd_t *l = &a->lnzd;
  const uint32_t N = a->cfg.num_pe, root = l->depth - 1;
  o->bcast_valid = l->pipe_valid[root];
  o->bcast_j = l->pipe_j[root];
  o->bcast_a = l->pipe_a[root];
  /* Select: the lowest leaf with a non-zero; the slot is finished when no
   * other one remains (or no slot is held). */
  o->sel_valid = 0;
  o->finished = 1;
  if (l->leaf_valid) {
    uint32_t k = 0;
    while (k < N && !leaf_nonzero(a, k)) k++;
    o->sel_valid = k < N;
    o->sel_k = k;
    o->sel_a = k < N ? a->pe[k].act_rw.rdata : 0;
    for (k++; k < N && o->finished; k++) o->finished = !leaf_nonzero(a, k);
  }
  /* Read: every PE reads the next slot's activation when this one is done. */
  o->act_re = o->finished && l->next_slot < a->ccu.lnzd.slots;
  o->act_addr = a->ccu.lnzd.in_base + l->next_slot;
}

void eie_lnzd_step(eie_array_t *a, const eie_lnzd_out_t *o) {
  eie_lnzd_t *l = &a->lnzd;
  const uint32_t N = a->cfg.num_pe;
  if (o->bcast_valid) {
    a->stats.broadcasts++;
    eie_emit(a, EIE_EV_BCAST, 0, o->bcast_j, o->bcast_a, 0);
  }
  for (uint32_t d = l->depth - 1; d > 0; d--) {
    l->pipe_valid[d] = l->pipe_valid[d - 1];
    l->pipe_j[d] = l->pipe_j[d - 1];
    l->pipe_a[d] = l->pipe_a[d - 1];
  }
  l->pipe_valid[0] = o->sel_valid;
  if (o->sel_valid) {
    l->pipe_j[0] = l->leaf_slot * N + o->sel_k;
    l->pipe_a[0] = o->sel_a;
  }
  if (!o->finished) {
    l->consumed[o->sel_k] = 1;
    return;
  }
  memset(l->consumed, 0, N);
  l->leaf_valid = o->act_re;
  if (o->act_re) {
    l->leaf_slot = l->next_slot++;
    /* the activation words the slot holds (PEs past K present zero) */
    const uint64_t first = (uint64_t)l->leaf_slot * N, in_len = a->ccu.lnzd.in_len;
    a->stats.act_reads += in_len - first < N ? in_len - first : N;
  }
}
