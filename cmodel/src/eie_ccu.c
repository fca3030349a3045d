/* Central control unit: runs layers and passes through SETUP, RUN (LNZD and
 * PEs) and WB, detects drain, counts cycles (§5.1, §6, §7). */
#include <string.h>

#include "eie_internal.h"

static void setup_pass(eie_array_t *a) {
  eie_pass_t *ps = &a->pass;
  const eie_desc_t *d = &a->desc;
  const eie_config_t *cfg = &a->cfg;
  ps->num_pe = cfg->num_pe;
  ps->rf_depth = cfg->rf_depth;
  ps->in_len = d->in_len;
  ps->out_len = d->out_len;
  ps->slots = a->geom.slots;
  ps->pass_rows = eie_pass_rows(cfg, &a->geom, ps->pass);
  ps->ptr_pass_base = d->ptr_base + ps->pass * (d->in_len + 1);
  ps->entry_base = d->spmat_base * EIE_ENTRIES_PER_LINE;
  ps->in_base = d->in_base;
  ps->out_base = d->out_base;
  ps->bias_base = d->bias_base;
  ps->row0 = ps->pass * cfg->rf_depth;
  ps->shift = eie_desc_shift(d);
  ps->relu = (d->flags & EIE_FLAG_RELU) != 0;
  ps->bias_en = (d->flags & EIE_FLAG_BIAS_EN) != 0;
  memcpy(ps->codebook, d->codebook, sizeof ps->codebook);
  ps->codebook[0] = 0;
  for (unsigned e = 0; e < 256; e++) ps->weight[e] = ps->codebook[e >> 4];
  for (uint32_t k = 0; k < cfg->num_pe; k++) eie_pe_reset_pass(&a->pe[k], cfg, ps->cycle + 1);
  eie_pe_act_queue_reset(&a->queues, cfg->num_pe);
  eie_lnzd_reset(&a->lnzd);
  a->stall_until = ps->cycle; /* no stall */
  a->batch.n = 0;
  a->drain_at = 0;
  a->full_until = 0;
}

static void load_layer(eie_array_t *a, uint32_t layer) {
  eie_desc_from_words(a->desc_words[layer], &a->desc);
  a->geom = eie_layer_geom(&a->cfg, a->desc.in_len, a->desc.out_len);
  a->pass.layer = layer;
  a->pass.pass = 0;
}

void eie_ccu_start(eie_array_t *a) {
  a->pass.cycle = 0;
  a->pass.cb = a->cb;
  a->pass.cb_user = a->cb_user;
  load_layer(a, 0);
  a->state = EIE_ST_SETUP;
}

/* The first cycle >= t from which every PE is empty (no push coming). */
static uint64_t drained_from(const eie_array_t *a, uint64_t t) {
  uint64_t drain = t;
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) {
    const uint64_t e = eie_pe_empty_from(a, &a->pe[k], k, t);
    drain = e > drain ? e : drain;
  }
  return drain;
}

/* A RUN cycle t. The broadcast stalls while some queue is full: entry
 * x = pushes - FIFO_DEPTH is still in it (not popped before t). Without an
 * observer, every PE's pops are worked out at each push (eie_pe_push), so a
 * stall's end (the last pop of x) is known when it starts and the stalled
 * cycles cost only their count; at drain detect the PEs' pending arithmetic
 * is done and the drain-detect cycle is known at once. With an observer,
 * every PE is advanced through every cycle (events in cycle order), and a
 * PE that has not popped x by t stalls the cycle. */
static void run_cycle(eie_array_t *a) {
  const uint32_t N = a->cfg.num_pe, depth = a->cfg.fifo_depth;
  const uint64_t t = a->pass.cycle;
  eie_bcast_ring_t *q = &a->queues;
  if (t > a->stall_until) {
    if (eie_lnzd_exhausted(&a->lnzd, &a->pass)) { /* no push will come */
      uint64_t drain;
      if (a->pass.cb) {
        drain = drained_from(a, t);
      } else {
        if (!a->drain_at) { /* every PE's work is known: done once */
          eie_pe_flush(a);
          a->drain_at = drained_from(a, t);
        }
        drain = a->drain_at > t ? a->drain_at : t;
      }
      if (drain == t) {
        a->state = EIE_ST_WB; /* drain-detect cycle */
        a->wb_step = 0;
        for (uint32_t k = 0; k < N; k++) {
          const eie_pe_t *pe = &a->pe[k];
          a->stats.pe[k].idle = a->stats.run_cycles - a->stats.pe[k].busy;
          a->stats.macs += pe->entries - pe->padding;
          a->stats.padding += pe->padding;
          a->stats.bypasses += pe->bypasses;
        }
        a->stats.entries = a->stats.macs + a->stats.padding;
        return;
      }
    }
    if (q->pushed >= depth && !a->pass.cb) {
      /* eie_pe_push worked this check out (the first after its push). */
      if (a->full_until > a->stall_until) a->stall_until = a->full_until;
    } else if (q->pushed >= depth) {
      const uint32_t x = q->pushed - depth;
      const uint64_t *pop = q->pop_cycle + (size_t)(x & q->mask) * N;
      uint64_t until = a->stall_until;
      for (uint32_t k = 0; k < N; k++) {
        const uint64_t p = q->popped[k] > x ? pop[k] : t; /* full through cycle p */
        a->stats.pe[k].stalled += eie_queue_full_cycles(p, t);
        until = p > until ? p : until;
      }
      a->stall_until = until;
    }
  }
  const int stall = t <= a->stall_until;
  a->stats.run_cycles++;
  a->stats.stall_cycles += (uint64_t)stall;
  if (a->pass.cb)
    for (uint32_t k = 0; k < N; k++) eie_pe_advance(a, &a->pe[k], k, t + 1);
  if (!stall && eie_lnzd_step(a) && !a->pass.cb) eie_pe_push(a);
}

static void wb_cycle(eie_array_t *a) {
  const uint32_t w = a->wb_step++;
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) eie_pe_writeback_step(a, &a->pe[k], k, w);
  if (w < a->pass.pass_rows) return;
  /* Last write-back cycle: next pass, next layer, or done. */
  if (a->pass.pass + 1 < a->geom.passes) {
    a->pass.pass++;
    a->state = EIE_ST_SETUP;
  } else if (a->pass.layer + 1 < a->num_layers) {
    load_layer(a, a->pass.layer + 1);
    a->state = EIE_ST_SETUP;
  } else {
    a->state = EIE_ST_DONE;
    a->status_done = 1;
  }
}

void eie_ccu_tick(eie_array_t *a) {
  switch (a->state) {
    case EIE_ST_SETUP:
      setup_pass(a);
      a->state = EIE_ST_RUN;
      break;
    case EIE_ST_RUN:
      run_cycle(a);
      break;
    case EIE_ST_WB:
      wb_cycle(a);
      break;
    default:
      return; /* IDLE, DONE: I/O mode, no clock activity */
  }
  a->pass.cycle++;
  a->stats.cycles++;
  a->last_cycles = a->pass.cycle;
}
