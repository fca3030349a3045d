/* Leading non-zero detection (rtl/eie_lnzd.sv, its nodes rtl/eie_lnzd_node.sv):
 * scans the input slot by slot and broadcasts its non-zeros in index order,
 * one per cycle, through the quadtree: each cycle the tree selects the lowest
 * non-zero of the held slot not yet selected, the leaf node over its PE takes
 * it, and every node takes the item its children hold, so an item climbs one
 * level per cycle and reaches the root D_T cycles after its selection
 * (docs/microarchitecture.md §5.2). The PEs' values are their activation
 * read data (eie_pe_act_rw). */
#include <string.h>

#include "eie_hw.h"

/* A node's index takes 2 bits per level (its child's number). */
_Static_assert(EIE_LNZD_RADIX == 4, "the LNZD's index bits assume radix 4");

/* ceil(N / 4^d): the nodes of level d (0: the PEs). */
static uint32_t nodes_at(uint32_t num_pe, uint32_t d) {
  uint32_t span = 1;
  while (d--) span *= EIE_LNZD_RADIX;
  return (num_pe + span - 1) / span;
}

void eie_lnzd_clear(eie_lnzd_t *l) {
  l->next_slot = 0;
  l->leaf_valid = 0;
  memset(l->consumed, 0, sizeof l->consumed);
  for (uint32_t d = 1; d <= l->depth; d++)
    for (uint32_t n = 0; n < EIE_NUM_PE_MAX / EIE_LNZD_RADIX; n++) l->level[d].node[n].valid = 0;
}

int eie_lnzd_exhausted(const eie_lnzd_t *l, const eie_ccu2lnzd_t *c) {
  if (l->next_slot < c->slots || l->leaf_valid) return 0;
  for (uint32_t d = 1; d <= l->depth; d++)
    for (uint32_t n = 0; n < EIE_NUM_PE_MAX / EIE_LNZD_RADIX; n++)
      if (l->level[d].node[n].valid) return 0;
  return 1;
}

/* PE k holds a non-zero of the held slot not yet selected (pe_nz). */
static int pe_nz(const eie_array_t *a, uint32_t k) {
  const eie_lnzd_t *l = &a->lnzd;
  return a->pe[k].act_rw.rdata != 0 && !l->consumed[k] &&
         (uint64_t)l->leaf_slot * a->cfg.num_pe + k < a->ccu.lnzd.in_len;
}

/* The wires of a cycle in which the LNZD steps (not stalled). */
void eie_lnzd_out(const eie_array_t *a, eie_lnzd_out_t *o) {
  const eie_lnzd_t *l = &a->lnzd;
  const uint32_t N = a->cfg.num_pe;
  const eie_lnzd_level_t *root = &l->level[l->depth];
  o->bcast_valid = root->node[0].valid;
  o->bcast_j = root->slot * N + root->node[0].idx;
  o->bcast_a = root->node[0].a;
  /* Selection: every node passes the grant to its lowest child holding a
   * non-zero, so it reaches the lowest PE holding one; the root's many (two
   * or more) says whether another is left after it, else the slot is
   * finished. Visiting the PEs in order and stopping at the second non-zero
   * gives both without evaluating every node. */
  o->selected = 0;
  o->finished = 1;
  if (l->leaf_valid) {
    uint32_t k = 0;
    while (k < N && !pe_nz(a, k)) k++;
    o->selected = k < N;
    o->grant = k;
    o->grant_a = k < N ? a->pe[k].act_rw.rdata : 0;
    for (k++; k < N && o->finished; k++) o->finished = !pe_nz(a, k);
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
  /* Carry, from the root down so that each level reads the level below
   * before it changes: a node of level d takes the item of its lowest valid
   * child (the only one; children past the level's last are never valid),
   * its index with the child's number in bits 2(d-1) and up, and the level
   * takes the item's slot. */
  for (uint32_t d = l->depth; d >= 2; d--) {
    eie_lnzd_level_t *lv = &l->level[d];
    const eie_lnzd_level_t *below = &l->level[d - 1];
    const uint32_t nodes = nodes_at(N, d), shift = 2 * (d - 1);
    int busy = 0;
    for (uint32_t n = 0; n < nodes; n++) {
      eie_lnzd_node_t *x = &lv->node[n];
      const eie_lnzd_node_t *c = &below->node[EIE_LNZD_RADIX * n];
      uint32_t pick = 0;
      while (pick < EIE_LNZD_RADIX && !c[pick].valid) pick++;
      x->valid = pick < EIE_LNZD_RADIX;
      if (x->valid) {
        x->idx = c[pick].idx | pick << shift;
        x->a = c[pick].a;
        busy = 1;
      }
    }
    if (busy) lv->slot = below->slot;
  }
  /* The leaf nodes: the one over the granted PE takes it. */
  eie_lnzd_level_t *leaves = &l->level[1];
  for (uint32_t n = 0, nodes = nodes_at(N, 1); n < nodes; n++) leaves->node[n].valid = 0;
  if (o->selected) {
    eie_lnzd_node_t *x = &leaves->node[o->grant / EIE_LNZD_RADIX];
    x->valid = 1;
    x->idx = o->grant % EIE_LNZD_RADIX;
    x->a = o->grant_a;
    leaves->slot = l->leaf_slot;
  }
  /* The held slot. */
  if (!o->finished) {
    l->consumed[o->grant] = 1;
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
