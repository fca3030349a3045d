/* The array top (eie_top, as rtl/eie_top.sv): PEs, LNZD and CCU behind the host bus (§4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eie_internal.h"

/* Bytes from one PE's copy of a memory to the next: its size in whole cache
 * lines, plus one line. */
static size_t mem_stride(size_t bytes) { return (bytes + 63) / 64 * 64 + 64; }

eie_status_t eie_array_create(const eie_config_t *cfg, eie_array_t **out, eie_err_t *err) {
  *out = NULL;
  eie_status_t st = eie_config_validate(cfg, err);
  if (st) return st;
  eie_array_t *a = calloc(1, sizeof *a);
  if (!a) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the array");
  a->cfg = *cfg;
  a->hash = eie_param_hash(cfg);
  a->pe = calloc(cfg->num_pe, sizeof *a->pe);
  a->stats.pe = calloc(cfg->num_pe, sizeof *a->stats.pe);
  a->lnzd.leaf_val = calloc(cfg->num_pe, sizeof *a->lnzd.leaf_val);
  a->lnzd.depth = eie_lnzd_depth(cfg->num_pe);
  a->stats.num_pe = cfg->num_pe;
  a->queues.depth = cfg->fifo_depth;
  uint32_t ring = 1;
  while (ring < cfg->fifo_depth) ring *= 2;
  a->queues.mask = ring - 1;
  a->queues.popped_stride = cfg->num_pe;
  a->queues.ring = calloc(ring, sizeof *a->queues.ring);
  a->queues.popped = calloc(cfg->num_pe, sizeof *a->queues.popped);
  a->queues.pop_cycle = calloc((size_t)ring * cfg->num_pe, sizeof *a->queues.pop_cycle);
  /* Each memory of all PEs in one block; PE k's copy starts k cache lines past
   * a multiple of its size, so that the PEs' copies (all read at about the
   * same offsets) do not fall into the same cache sets. */
  const size_t spmat_stride = mem_stride((size_t)cfg->spmat_lines * EIE_ENTRIES_PER_LINE);
  const size_t ptr_stride = mem_stride(sizeof(uint16_t) * cfg->ptr_depth);
  const size_t act_stride = mem_stride(sizeof(int16_t) * eie_act_words(cfg));
  const size_t acc_stride = mem_stride(sizeof(int32_t) * (cfg->rf_depth + 1u)); /* + the spare of eie_pe_arith */
  a->mem = calloc(1, (spmat_stride + ptr_stride + act_stride + acc_stride) * cfg->num_pe + 64);
  a->batch.take = calloc((size_t)EIE_BATCH * cfg->num_pe, sizeof *a->batch.take);
  int ok = a->pe && a->stats.pe && a->lnzd.leaf_val && a->queues.ring && a->queues.popped && a->queues.pop_cycle && a->mem && a->batch.take;
  if (ok) {
    uint8_t *m = (uint8_t *)(((uintptr_t)a->mem + 63) & ~(uintptr_t)63);
    for (uint32_t k = 0; k < cfg->num_pe; k++) {
      eie_pe_t *pe = &a->pe[k];
      pe->spmat = m + spmat_stride * k;
      pe->ptr = (uint16_t *)(m + spmat_stride * cfg->num_pe + ptr_stride * k);
      pe->act = (int16_t *)(m + (spmat_stride + ptr_stride) * cfg->num_pe + act_stride * k);
      pe->acc = (int32_t *)(m + (spmat_stride + ptr_stride + act_stride) * cfg->num_pe + acc_stride * k);
    }
  }
  if (!ok) {
    eie_array_destroy(a);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the array");
  }
  a->state = EIE_ST_IDLE;
  *out = a;
  return EIE_OK;
}

void eie_array_destroy(eie_array_t *a) {
  if (!a) return;
  free(a->mem);
  free(a->pe);
  free(a->stats.pe);
  free(a->lnzd.leaf_val);
  free(a->queues.ring);
  free(a->queues.popped);
  free(a->queues.pop_cycle);
  free(a->batch.take);
  free(a);
}

const eie_config_t *eie_array_config(const eie_array_t *a) { return &a->cfg; }
int eie_array_busy(const eie_array_t *a) {
  return a->state != EIE_ST_IDLE && a->state != EIE_ST_DONE;
}
const char *eie_array_error(const eie_array_t *a) { return a->error; }
void eie_array_set_event_cb(eie_array_t *a, eie_event_cb cb, void *user) {
  a->cb = cb;
  a->cb_user = user;
}
const eie_stats_t *eie_array_stats(const eie_array_t *a) { return &a->stats; }
void eie_array_clear_stats(eie_array_t *a) {
  eie_pe_stats_t *pe = a->stats.pe;
  memset(pe, 0, sizeof *pe * a->cfg.num_pe);
  memset(&a->stats, 0, sizeof a->stats);
  a->stats.pe = pe;
  a->stats.num_pe = a->cfg.num_pe;
}

void eie_array_tick(eie_array_t *a) { eie_ccu_tick(a); }

/* START: check the layer count and every descriptor against the memories. */
static void start(eie_array_t *a) {
  a->error[0] = 0;
  a->status_done = 0;
  a->status_error = 0;
  if (a->num_layers < 1 || a->num_layers > EIE_MAX_LAYERS) {
    snprintf(a->error, sizeof a->error, "NUM_LAYERS = %u is outside 1..%u", a->num_layers,
             EIE_MAX_LAYERS);
    a->status_error = 1;
    return;
  }
  a->stats.num_layers = a->num_layers;
  if (a->validated) { /* the same descriptors on the same memories: the same answer */
    eie_ccu_start(a);
    return;
  }
  eie_pe_image_t *images = malloc(sizeof *images * a->cfg.num_pe);
  if (!images) {
    snprintf(a->error, sizeof a->error, "out of memory");
    a->status_error = 1;
    return;
  }
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) {
    images[k].spmat = a->pe[k].spmat;
    images[k].ptr = a->pe[k].ptr;
    images[k].act = a->pe[k].act;
  }
  for (uint32_t l = 0; l < a->num_layers && !a->status_error; l++) {
    eie_desc_t d;
    eie_err_t e;
    eie_desc_from_words(a->desc_words[l], &d);
    if (eie_desc_validate(&a->cfg, &d, images, &e)) {
      snprintf(a->error, sizeof a->error, "layer %u descriptor: %.400s", l, e.msg);
      a->status_error = 1;
    }
  }
  free(images);
  a->validated = !a->status_error;
  if (!a->status_error) eie_ccu_start(a);
}

/* Map a PE-window address to (pe, memory, index). */
typedef enum { MEM_NONE, MEM_SPMAT_LO, MEM_SPMAT_HI, MEM_PTR, MEM_ACT } mem_t;
static mem_t decode_pe_addr(const eie_array_t *a, uint32_t addr, uint32_t *pe, uint32_t *index) {
  if (addr < EIE_PE_WINDOW_BASE || (addr & 3u)) return MEM_NONE;
  uint32_t off = addr - EIE_PE_WINDOW_BASE;
  *pe = off / EIE_PE_WINDOW_STRIDE;
  off %= EIE_PE_WINDOW_STRIDE;
  if (*pe >= a->cfg.num_pe) return MEM_NONE;
  if (off < EIE_PE_PTR_OFF) {
    *index = off / 8;
    if (*index >= a->cfg.spmat_lines) return MEM_NONE;
    return (off & 4u) ? MEM_SPMAT_HI : MEM_SPMAT_LO;
  }
  if (off < EIE_PE_ACT_OFF) {
    *index = (off - EIE_PE_PTR_OFF) / 4;
    return *index < a->cfg.ptr_depth ? MEM_PTR : MEM_NONE;
  }
  *index = (off - EIE_PE_ACT_OFF) / 4;
  return *index < eie_act_words(&a->cfg) ? MEM_ACT : MEM_NONE;
}

eie_bus_status_t eie_array_bus_write(eie_array_t *a, uint32_t addr, uint32_t data) {
  if (addr >= EIE_PE_WINDOW_BASE) {
    uint32_t k, i;
    mem_t m = decode_pe_addr(a, addr, &k, &i);
    if (m == MEM_NONE) return EIE_BUS_ADDR;
    if (eie_array_busy(a)) return EIE_BUS_BUSY;
    eie_pe_t *pe = &a->pe[k];
    a->validated &= m == MEM_ACT; /* START checks the sparse matrix and the pointers */
    switch (m) {
      case MEM_SPMAT_LO:
      case MEM_SPMAT_HI: {
        uint8_t *b = pe->spmat + (size_t)i * 8 + (m == MEM_SPMAT_HI ? 4 : 0);
        for (int n = 0; n < 4; n++) b[n] = (uint8_t)(data >> (8 * n));
        break;
      }
      case MEM_PTR: pe->ptr[i] = (uint16_t)data; break;
      case MEM_ACT: pe->act[i] = (int16_t)(uint16_t)data; break;
      default: break;
    }
    return EIE_BUS_OK;
  }
  if (addr & 3u) return EIE_BUS_ADDR;
  if (addr >= EIE_REG_DESC && addr < EIE_REG_DESC + EIE_MAX_LAYERS * EIE_DESC_STRIDE) {
    if (eie_array_busy(a)) return EIE_BUS_BUSY;
    uint32_t off = addr - EIE_REG_DESC;
    a->desc_words[off / EIE_DESC_STRIDE][(off % EIE_DESC_STRIDE) / 4] = data;
    a->validated = 0;
    return EIE_BUS_OK;
  }
  switch (addr) {
    case EIE_REG_CTRL:
      if (data & EIE_CTRL_CLEAR) {
        a->status_done = 0;
        a->status_error = 0;
        if (a->state == EIE_ST_DONE) a->state = EIE_ST_IDLE;
      }
      if ((data & EIE_CTRL_START) && !eie_array_busy(a)) start(a);
      return EIE_BUS_OK;
    case EIE_REG_NUM_LAYERS:
      if (eie_array_busy(a)) return EIE_BUS_BUSY;
      a->num_layers = data;
      a->validated = 0;
      return EIE_BUS_OK;
    case EIE_REG_ID: case EIE_REG_PARAM_HASH: case EIE_REG_NUM_PE: case EIE_REG_FIFO_DEPTH:
    case EIE_REG_SPMAT_LINES: case EIE_REG_PTR_DEPTH: case EIE_REG_RF_DEPTH:
    case EIE_REG_ACT_SRAM_DEPTH: case EIE_REG_STATUS: case EIE_REG_CYCLES_LO:
    case EIE_REG_CYCLES_HI:
      return EIE_BUS_RO;
    default:
      return EIE_BUS_ADDR;
  }
}

eie_bus_status_t eie_array_bus_read(eie_array_t *a, uint32_t addr, uint32_t *data) {
  *data = 0;
  if (addr >= EIE_PE_WINDOW_BASE) {
    uint32_t k, i;
    mem_t m = decode_pe_addr(a, addr, &k, &i);
    if (m == MEM_NONE) return EIE_BUS_ADDR;
    if (eie_array_busy(a)) return EIE_BUS_BUSY;
    const eie_pe_t *pe = &a->pe[k];
    switch (m) {
      case MEM_SPMAT_LO:
      case MEM_SPMAT_HI: {
        const uint8_t *b = pe->spmat + (size_t)i * 8 + (m == MEM_SPMAT_HI ? 4 : 0);
        *data = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        break;
      }
      case MEM_PTR: *data = pe->ptr[i]; break;
      case MEM_ACT: *data = (uint32_t)(int32_t)pe->act[i]; break;
      default: break;
    }
    return EIE_BUS_OK;
  }
  if (addr & 3u) return EIE_BUS_ADDR;
  if (addr >= EIE_REG_DESC && addr < EIE_REG_DESC + EIE_MAX_LAYERS * EIE_DESC_STRIDE) {
    uint32_t off = addr - EIE_REG_DESC;
    *data = a->desc_words[off / EIE_DESC_STRIDE][(off % EIE_DESC_STRIDE) / 4];
    return EIE_BUS_OK;
  }
  switch (addr) {
    case EIE_REG_ID: *data = EIE_ID_VALUE; break;
    case EIE_REG_PARAM_HASH: *data = a->hash; break;
    case EIE_REG_NUM_PE: *data = a->cfg.num_pe; break;
    case EIE_REG_FIFO_DEPTH: *data = a->cfg.fifo_depth; break;
    case EIE_REG_SPMAT_LINES: *data = a->cfg.spmat_lines; break;
    case EIE_REG_PTR_DEPTH: *data = a->cfg.ptr_depth; break;
    case EIE_REG_RF_DEPTH: *data = a->cfg.rf_depth; break;
    case EIE_REG_ACT_SRAM_DEPTH: *data = a->cfg.act_sram_depth; break;
    case EIE_REG_STATUS:
      *data = (eie_array_busy(a) ? EIE_STATUS_BUSY : 0) | (a->status_done ? EIE_STATUS_DONE : 0) |
              (a->status_error ? EIE_STATUS_ERROR : 0);
      break;
    case EIE_REG_NUM_LAYERS: *data = a->num_layers; break;
    case EIE_REG_CYCLES_LO: *data = (uint32_t)a->last_cycles; break;
    case EIE_REG_CYCLES_HI: *data = (uint32_t)(a->last_cycles >> 32); break;
    case EIE_REG_CTRL: *data = 0; break;
    default: return EIE_BUS_ADDR;
  }
  return EIE_BUS_OK;
}

/* The PEs' registers are exact at the start of the current cycle when an
 * event callback is registered (every PE is then advanced every cycle). */
void eie_array_view(const eie_array_t *a, eie_ccu_view_t *ccu, eie_pe_view_t *pe) {
  const uint64_t t = a->pass.cycle;
  if (ccu) {
    ccu->state = a->state;
    ccu->layer = a->pass.layer;
    ccu->pass = a->pass.pass;
    ccu->next_slot = a->lnzd.next_slot;
    ccu->stall = 0;
    for (uint32_t k = 0; k < a->cfg.num_pe; k++) ccu->stall |= eie_pe_act_queue_full(&a->queues, k);
    const eie_lnzd_stage_t *root = &a->lnzd.pipe[a->lnzd.depth - 1];
    ccu->root_valid = root->valid;
    ccu->root_j = root->j;
    ccu->root_a = root->a;
  }
  for (uint32_t k = 0; pe && k < a->cfg.num_pe; k++) {
    const eie_pe_t *p = &a->pe[k];
    pe[k].queue_count = eie_pe_act_queue_count(&a->queues, k);
    pe[k].ptr_valid = p->p.valid;
    pe[k].stream_valid = p->s.valid;
    pe[k].a1_valid = eie_pe_arith_valid(p, 1, t);
    pe[k].a2_valid = eie_pe_arith_valid(p, 2, t);
    pe[k].a3_valid = eie_pe_arith_valid(p, 3, t);
    pe[k].stream_col = p->s.j;
    pe[k].stream_addr = p->s.addr;
    pe[k].stream_end = p->s.end;
  }
}

const char *eie_ccu_state_name(int state) {
  static const char *names[] = {"IDLE", "SETUP", "RUN", "WB", "DONE"};
  return state >= 0 && state <= 4 ? names[state] : "?";
}

const char *eie_event_kind_name(eie_event_kind_t k) {
  return k == EIE_EV_BCAST ? "BCAST" : k == EIE_EV_ACC ? "ACC" : k == EIE_EV_WB ? "WB" : "?";
}

double eie_stats_load_efficiency(const eie_stats_t *s) {
  if (!s->run_cycles || !s->num_pe) return 0.0;
  uint64_t busy = 0;
  for (uint32_t k = 0; k < s->num_pe; k++) busy += s->pe[k].busy;
  return (double)busy / ((double)s->num_pe * (double)s->run_cycles);
}

/* Energy per operation in pJ, the one place these numbers live
 * (docs/microarchitecture.md §9: 45 nm, Horowitz ISSCC 2014, 5 pJ per 32-bit
 * SRAM access). Queue and register traffic is not counted. */
static const double kPjSpmatLine = 10.0; /* 64-bit sparse-matrix line read: 2 x 5 */
static const double kPjPtrPair = 5.0;    /* pointer pair p[j], p[j+1]: 32 bits */
static const double kPjAct = 2.5;        /* activation read or write: 16 of 32 bits */
static const double kPjMul16 = 0.78;     /* 16-bit multiply: 3.1 x (16/32)^2 = 0.775, rounded */
static const double kPjAdd32 = 0.1;      /* 32-bit add */

double eie_stats_energy_pj(const eie_stats_t *s) {
  return kPjSpmatLine * (double)s->spmat_reads + kPjPtrPair * (double)s->ptr_reads +
         kPjAct * (double)(s->act_reads + s->act_writes) + (kPjMul16 + kPjAdd32) * (double)s->macs;
}
