/* Leading non-zero detection: scans the input slot by slot, selects the
 * lowest-numbered non-zero activation each cycle and carries it up a
 * D_T-stage pipeline (the quadtree's levels) to the broadcast (§5.2). */
#include <string.h>

#include "eie_internal.h"

void eie_lnzd_reset(eie_lnzd_t *l) {
  l->next_slot = 0;
  l->leaf_valid = 0;
  memset(l->leaf_mask, 0, sizeof l->leaf_mask);
  memset(l->pipe, 0, sizeof l->pipe);
}

int eie_lnzd_exhausted(const eie_lnzd_t *l, const eie_pass_t *ps) {
  if (l->next_slot < ps->slots || l->leaf_valid) return 0;
  for (uint32_t d = 0; d < l->depth; d++)
    if (l->pipe[d].valid) return 0;
  return 1;
}

int eie_lnzd_step(eie_array_t *a) {
  eie_lnzd_t *l = &a->lnzd;
  eie_pass_t *ps = &a->pass;
  const uint32_t N = ps->num_pe, D = l->depth;
  /* 1. Broadcast from the root stage. */
  eie_lnzd_stage_t *root = &l->pipe[D - 1];
  const int pushed = root->valid;
  if (pushed) {
    eie_bcast_t b = {root->j, root->a, ps->cycle};
    eie_pe_act_queue_push_all(&a->queues, b);
    a->stats.broadcasts++;
    eie_emit(ps, EIE_EV_BCAST, 0, root->j, root->a, 0);
  }
  /* 2. Shift the tree pipeline. */
  for (uint32_t d = D - 1; d > 0; d--) l->pipe[d] = l->pipe[d - 1];
  /* 3. Select the leading non-zero of the held slot. */
  l->pipe[0].valid = 0;
  int finished = 1;
  if (l->leaf_valid) {
    for (unsigned w = 0; w < 4; w++) {
      if (!l->leaf_mask[w]) continue;
      unsigned k = w * 64u + (unsigned)__builtin_ctzll(l->leaf_mask[w]);
      l->leaf_mask[w] &= l->leaf_mask[w] - 1;
      l->pipe[0].valid = 1;
      l->pipe[0].j = l->leaf_slot * N + k;
      l->pipe[0].a = l->leaf_val[k];
      break;
    }
    finished = !(l->leaf_mask[0] | l->leaf_mask[1] | l->leaf_mask[2] | l->leaf_mask[3]);
  }
  /* 4. Read the next slot when this one is finished. */
  if (!finished) return pushed;
  if (l->next_slot >= ps->slots) {
    l->leaf_valid = 0;
    return pushed;
  }
  uint32_t slot = l->next_slot++;
  l->leaf_valid = 1;
  l->leaf_slot = slot;
  memset(l->leaf_mask, 0, sizeof l->leaf_mask);
  for (uint32_t k = 0; k < N && slot * N + k < ps->in_len; k++) {
    int16_t v = eie_pe_act_read(a, &a->pe[k], ps->in_base + slot);
    l->leaf_val[k] = v;
    if (v) l->leaf_mask[k / 64] |= 1ull << (k % 64);
  }
  return pushed;
}
