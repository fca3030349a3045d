/* Central control unit (rtl/eie_ccu.sv): the host registers and the
 * descriptor register file, START, and the state machine that runs layers
 * and passes through SETUP, RUN and WB and counts cycles
 * (docs/microarchitecture.md §4, §5.1, §6, §7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eie_fast.h"
#include "eie_hw.h"

int eie_ccu_busy(const eie_ccu_t *c) {
  return c->state == EIE_CCU_SETUP || c->state == EIE_CCU_RUN || c->state == EIE_CCU_WB;
}

/* ---- START ----------------------------------------------------------------- */

/* The model's check of every descriptor against the memories (§4: the RTL
 * runs whatever it is given; the model refuses what would be undefined).
 * Returns 0 and sets the error text on a refusal. */
static int descriptors_valid(eie_array_t *a) {
  eie_ccu_t *c = &a->ccu;
  if (c->validated) return 1; /* the same descriptors on the same memories: the same answer */
  c->program++;
  eie_pe_image_t *images = malloc(sizeof *images * a->cfg.num_pe);
  if (!images) {
    snprintf(c->error_text, sizeof c->error_text, "out of memory");
    return 0;
  }
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) {
    images[k].spmat = a->pe[k].spmat_read.spmat;
    images[k].ptr = a->pe[k].ptr_read.ptr;
    images[k].act = a->pe[k].act_rw.act;
  }
  int ok = 1;
  for (uint32_t l = 0; l < c->num_layers && ok; l++) {
    eie_desc_t d;
    eie_err_t e;
    eie_desc_from_words(c->desc[l], &d);
    if (eie_desc_validate(&a->cfg, &d, images, &e)) {
      snprintf(c->error_text, sizeof c->error_text, "layer %u descriptor: %.400s", l, e.msg);
      ok = 0;
    }
  }
  free(images);
  return c->validated = ok;
}

/* descriptors_valid's success, for a caller that has shown the check would
 * pass on the memories and registers as they are (eie_driver.c argues it). */
void eie_ccu_checked(eie_array_t *a) {
  a->ccu.program++;
  a->ccu.validated = 1;
}

/* CTRL.START in I/O mode: run layers 0..NUM_LAYERS-1 from the next cycle on,
 * on the reference datapath when an observer of the units is registered,
 * else on the fast engine; or set ERROR. */
static void start(eie_array_t *a) {
  eie_ccu_t *c = &a->ccu;
  c->error_text[0] = 0;
  c->done = 0;
  c->error = 0;
  if (c->num_layers < 1 || c->num_layers > EIE_MAX_LAYERS) {
    snprintf(c->error_text, sizeof c->error_text, "NUM_LAYERS = %u is outside 1..%u", c->num_layers,
             EIE_MAX_LAYERS);
    c->error = 1;
    return;
  }
  a->stats.num_layers = c->num_layers;
  if (!descriptors_valid(a)) {
    c->error = 1;
    return;
  }
  c->cb = a->cb;
  c->cb_user = a->cb_user;
  c->dp = c->cb && !a->cb_fast ? &eie_reference_datapath : &eie_fast_datapath;
  c->state = EIE_CCU_SETUP;
  c->layer = 0;
  c->pass = 0;
  c->cycles = 0;
}

/* ---- Host registers (§4) ----------------------------------------------------- */

static int is_desc(uint32_t addr) {
  return addr >= EIE_REG_DESC && addr < EIE_REG_DESC + EIE_MAX_LAYERS * EIE_DESC_STRIDE;
}
/* DESC[l][w] of a descriptor address. */
static void desc_at(uint32_t addr, uint32_t *l, uint32_t *w) {
  const uint32_t off = addr - EIE_REG_DESC;
  *l = off / EIE_DESC_STRIDE;
  *w = (off % EIE_DESC_STRIDE) / 4;
}

eie_bus_status_t eie_ccu_reg_write(eie_array_t *a, uint32_t addr, uint32_t data) {
  eie_ccu_t *c = &a->ccu;
  const int busy = eie_ccu_busy(c);
  if (addr & 3u) return EIE_BUS_ADDR;
  if (is_desc(addr)) {
    if (busy) return EIE_BUS_BUSY;
    uint32_t l, w;
    desc_at(addr, &l, &w);
    c->desc[l][w] = data;
    c->validated = 0;
    return EIE_BUS_OK;
  }
  switch (addr) {
    case EIE_REG_CTRL:
      if (data & EIE_CTRL_CLEAR) {
        c->done = 0;
        c->error = 0;
        if (c->state == EIE_CCU_DONE) c->state = EIE_CCU_IDLE;
      }
      if ((data & EIE_CTRL_START) && !busy) start(a);
      return EIE_BUS_OK;
    case EIE_REG_NUM_LAYERS:
      if (busy) return EIE_BUS_BUSY;
      c->num_layers = (uint32_t)(data & ((1ull << EIE_REG_NUM_LAYERS_WIDTH) - 1u));
      c->validated = 0;
      return EIE_BUS_OK;
    default:
      return eie_reg_access(addr) == EIE_ACCESS_RO ? EIE_BUS_RO : EIE_BUS_ADDR;
  }
}

eie_bus_status_t eie_ccu_reg_read(const eie_array_t *a, uint32_t addr, uint32_t *data) {
  const eie_ccu_t *c = &a->ccu;
  const eie_config_t *cfg = &a->cfg;
  *data = 0;
  if (addr & 3u) return EIE_BUS_ADDR;
  if (is_desc(addr)) {
    uint32_t l, w;
    desc_at(addr, &l, &w);
    *data = c->desc[l][w];
    return EIE_BUS_OK;
  }
  switch (addr) {
    case EIE_REG_ID:
      *data = EIE_ID_VALUE;
      break;
    case EIE_REG_PARAM_HASH:
      *data = a->hash;
      break;
    case EIE_REG_NUM_PE:
      *data = cfg->num_pe;
      break;
    case EIE_REG_FIFO_DEPTH:
      *data = cfg->fifo_depth;
      break;
    case EIE_REG_SPMAT_LINES:
      *data = cfg->spmat_lines;
      break;
    case EIE_REG_PTR_DEPTH:
      *data = cfg->ptr_depth;
      break;
    case EIE_REG_RF_DEPTH:
      *data = cfg->rf_depth;
      break;
    case EIE_REG_ACT_SRAM_DEPTH:
      *data = cfg->act_sram_depth;
      break;
    case EIE_REG_STATUS:
      *data = (eie_ccu_busy(c) ? EIE_STATUS_BUSY : 0) | (c->done ? EIE_STATUS_DONE : 0) |
              (c->error ? EIE_STATUS_ERROR : 0);
      break;
    case EIE_REG_NUM_LAYERS:
      *data = c->num_layers;
      break;
    case EIE_REG_CYCLES_LO:
      *data = (uint32_t)c->cycles;
      break;
    case EIE_REG_CYCLES_HI:
      *data = (uint32_t)(c->cycles >> 32);
      break;
    case EIE_REG_CTRL:
      break;
    default:
      return EIE_BUS_ADDR;
  }
  return EIE_BUS_OK;
}

/* ---- The state machine --------------------------------------------------------- */

/* SETUP: latch the running layer's descriptor and the pass's values. */
static void latch_pass(eie_array_t *a) {
  eie_ccu_t *c = &a->ccu;
  const eie_config_t *cfg = &a->cfg;
  const eie_desc_t *d = &c->d;
  eie_desc_from_words(c->desc[c->layer], &c->d);
  c->geom = eie_layer_geom(cfg, d->in_len, d->out_len);
  eie_ccu2pe_t *pe = &c->pe;
  pe->row0 = c->pass * cfg->rf_depth;
  pe->pass_rows = eie_pass_rows(cfg, &c->geom, c->pass);
  pe->out_len = d->out_len;
  pe->ptr_pass_base = d->ptr_base + c->pass * (d->in_len + 1);
  pe->entry_base = d->spmat_base * EIE_ENTRIES_PER_LINE;
  pe->out_base = d->out_base;
  pe->bias_base = d->bias_base;
  pe->shift = eie_desc_shift(d);
  pe->bias_en = (d->flags & EIE_FLAG_BIAS_EN) != 0;
  pe->relu = (d->flags & EIE_FLAG_RELU) != 0;
  memcpy(pe->codebook, d->codebook, sizeof pe->codebook);
  pe->codebook[0] = 0; /* index 0 is zero */
  c->lnzd.slots = c->geom.slots;
  c->lnzd.in_len = d->in_len;
  c->lnzd.in_base = d->in_base;
}

/* The last WB cycle: the next pass, else the next layer, else DONE. */
static void next_pass(eie_ccu_t *c) {
  if (c->pass + 1 < c->geom.passes) {
    c->pass++;
    c->state = EIE_CCU_SETUP;
  } else if (c->layer + 1 < c->num_layers) {
    c->layer++;
    c->pass = 0;
    c->state = EIE_CCU_SETUP;
  } else {
    c->state = EIE_CCU_DONE;
    c->done = 1;
  }
}

/* The drain-detect cycle: every PE's idle cycles are the RUN cycles it did
 * not stream (§9). */
static void drained(eie_array_t *a) {
  for (uint32_t k = 0; k < a->cfg.num_pe; k++)
    a->stats.pe[k].idle = a->stats.run_cycles - a->stats.pe[k].busy;
}

void eie_ccu_tick(eie_array_t *a) {
  eie_ccu_t *c = &a->ccu;
  switch (c->state) {
    case EIE_CCU_SETUP:
      latch_pass(a);
      c->dp->setup(a);
      c->state = EIE_CCU_RUN;
      break;
    case EIE_CCU_RUN:
      if (c->dp->run(a)) {
        drained(a);
        c->state = EIE_CCU_WB;
        c->wb_step = 0;
      }
      break;
    case EIE_CCU_WB:
      c->dp->wb(a);
      if (c->wb_step++ == c->pe.pass_rows) next_pass(c);
      break;
    default:
      return; /* IDLE, DONE: I/O mode, no clock activity */
  }
  c->cycles++;
  a->stats.cycles++;
}

const char *eie_ccu_state_name(int state) {
  switch (state) {
#define EIE_STATE(name, value, desc) \
  case value:                        \
    return #name;
#include "eie/eie_regs.def"
    default:
      return "?";
  }
}
