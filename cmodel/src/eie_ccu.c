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
  for (uint32_t k = 0; k < cfg->num_pe; k++) eie_pe_reset_pass(&a->pe[k], cfg);
  eie_pe_act_queue_reset(&a->queues, a->pe, cfg->num_pe);
  eie_lnzd_reset(&a->lnzd);
  a->stall = 0;
  a->all_empty = 1;
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

/* The queue-full and all-empty conditions at the start of a cycle are the
 * registered state left by the previous one; they are computed at the end of
 * each cycle instead of by a second scan of the PEs. */
static void run_cycle(eie_array_t *a) {
  const uint32_t N = a->cfg.num_pe, depth = a->cfg.fifo_depth;
  const int stall = a->stall;
  if (a->all_empty && eie_lnzd_exhausted(&a->lnzd, &a->pass)) {
    a->state = EIE_ST_WB; /* drain-detect cycle */
    a->wb_step = 0;
    for (uint32_t k = 0; k < N; k++) a->stats.pe[k].idle = a->stats.run_cycles - a->stats.pe[k].busy;
    a->stats.entries = a->stats.macs + a->stats.padding;
    return;
  }
  a->stats.run_cycles++;
  a->stats.stall_cycles += (uint64_t)stall;
  uint32_t max_q = 0;
  int any_busy = 0;
  for (uint32_t k = 0; k < N; k++) {
    eie_pe_t *pe = &a->pe[k];
    if (stall) a->stats.pe[k].stalled += (uint64_t)eie_pe_act_queue_full(&a->queues, pe);
    eie_pe_step(a, pe, k);
    const uint32_t q = eie_pe_act_queue_count(&a->queues, pe);
    if (q > max_q) max_q = q;
    any_busy |= !eie_pe_empty(&a->queues, pe);
  }
  int pushed = !stall && eie_lnzd_step(a);
  a->stall = max_q + (uint32_t)pushed >= depth;
  a->all_empty = !any_busy && !pushed;
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
