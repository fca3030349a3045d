/* The array top (rtl/eie_top.sv): the PEs, the LNZD and the CCU, the host
 * bus's decode of the PE memory windows, and the wires between the units in
 * a cycle of the reference datapath (docs/microarchitecture.md §4, §5). */
#include <stdlib.h>
#include <string.h>

#include "eie_fast.h"
#include "eie_hw.h"

/* ---- Construction ---------------------------------------------------------- */

/* Bytes from one PE's copy of a memory to the next: its size in whole cache
 * lines, plus one line, so that the PEs' copies (read at about the same
 * offsets) do not fall into the same cache sets. */
static size_t mem_stride(size_t bytes) {
  return (bytes + 63) / 64 * 64 + 64;
}

eie_status_t eie_array_create(const eie_config_t *cfg, eie_array_t **out, eie_err_t *err) {
  *out = NULL;
  eie_status_t st = eie_config_validate(cfg, err);
  if (st) return st;
  eie_array_t *a = calloc(1, sizeof *a);
  if (!a) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the array");
  a->cfg = *cfg;
  a->hash = eie_param_hash(cfg);
  a->stats.num_pe = cfg->num_pe;
  a->lnzd.depth = eie_lnzd_depth(cfg->num_pe);
  const size_t N = cfg->num_pe;
  const size_t sizes[] = {
      (size_t)cfg->spmat_lines * EIE_ENTRIES_PER_LINE, /* spmat */
      sizeof(uint16_t) * cfg->ptr_depth,               /* ptr */
      sizeof(int16_t) * eie_act_words(cfg),            /* act */
      sizeof(int32_t) * cfg->rf_depth,                 /* acc */
      sizeof(eie_bcast_t) * cfg->fifo_depth,           /* the queue */
  };
  enum { SPMAT, PTR, ACT, ACC, QUEUE, MEMS };
  size_t stride[MEMS], total = 64;
  for (int m = 0; m < MEMS; m++) total += (stride[m] = mem_stride(sizes[m])) * N;
  a->pe = calloc(N, sizeof *a->pe);
  a->stats.pe = calloc(N, sizeof *a->stats.pe);
  a->mem = calloc(1, total);
  a->fast = eie_fast_create(cfg);
  if (!a->pe || !a->stats.pe || !a->mem || !a->fast) {
    eie_array_destroy(a);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the array");
  }
  uint8_t *base[MEMS], *m = (uint8_t *)(((uintptr_t)a->mem + 63) & ~(uintptr_t)63);
  for (int i = 0; i < MEMS; i++, m += stride[i - 1] * N) base[i] = m;
  for (size_t k = 0; k < N; k++) {
    eie_pe_t *pe = &a->pe[k];
    pe->spmat_read.spmat = base[SPMAT] + stride[SPMAT] * k;
    pe->ptr_read.ptr = (uint16_t *)(base[PTR] + stride[PTR] * k);
    pe->act_rw.act = (int16_t *)(base[ACT] + stride[ACT] * k);
    pe->arith.acc = (int32_t *)(base[ACC] + stride[ACC] * k);
    pe->act_queue.mem = (eie_bcast_t *)(base[QUEUE] + stride[QUEUE] * k);
    eie_pe_clear(pe, cfg);
  }
  eie_lnzd_clear(&a->lnzd);
  a->ccu.state = EIE_CCU_IDLE;
  *out = a;
  return EIE_OK;
}

void eie_array_destroy(eie_array_t *a) {
  if (!a) return;
  eie_fast_destroy(a->fast);
  free(a->mem);
  free(a->pe);
  free(a->stats.pe);
  free(a);
}

const eie_config_t *eie_array_config(const eie_array_t *a) {
  return &a->cfg;
}
int eie_array_busy(const eie_array_t *a) {
  return eie_ccu_busy(&a->ccu);
}
const char *eie_array_error(const eie_array_t *a) {
  return a->ccu.error_text;
}
void eie_array_set_event_cb(eie_array_t *a, eie_event_cb cb, void *user) {
  a->cb = cb;
  a->cb_user = user;
  a->cb_fast = 0;
}
void eie_array_set_event_cb_fast(eie_array_t *a, eie_event_cb cb, void *user) {
  eie_array_set_event_cb(a, cb, user);
  a->cb_fast = 1;
}
const eie_stats_t *eie_array_stats(const eie_array_t *a) {
  return &a->stats;
}
void eie_array_clear_stats(eie_array_t *a) {
  eie_pe_stats_t *pe = a->stats.pe;
  memset(pe, 0, sizeof *pe * a->cfg.num_pe);
  memset(&a->stats, 0, sizeof a->stats);
  a->stats.pe = pe;
  a->stats.num_pe = a->cfg.num_pe;
}

void eie_array_tick(eie_array_t *a) {
  eie_ccu_tick(a);
}

void eie_emit(const eie_array_t *a, eie_event_kind_t kind, uint32_t pe, uint32_t index,
              int32_t value, int bypass) {
  const eie_ccu_t *c = &a->ccu;
  if (!c->cb) return;
  const eie_event_t ev = {kind, c->cycles, c->layer, c->pass, pe, index, value, bypass};
  c->cb(c->cb_user, &ev);
}

/* ---- The reference datapath: every unit, every cycle ------------------------ */

static void ref_setup(eie_array_t *a) {
  eie_lnzd_clear(&a->lnzd);
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) eie_pe_clear(&a->pe[k], &a->cfg);
}

/* A RUN cycle. The drain-detect cycle (the LNZD exhausted and every PE
 * empty) does nothing else; otherwise the broadcast stalls while some queue
 * is full (any_full), and every PE runs. */
static int ref_run(eie_array_t *a) {
  int any_full = 0, pes_empty = 1;
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) {
    const eie_pe_t *pe = &a->pe[k];
    any_full |= eie_pe_act_queue_full(&pe->act_queue, a->cfg.fifo_depth);
    pes_empty &= eie_pe_empty(pe);
  }
  if (pes_empty && eie_lnzd_exhausted(&a->lnzd, &a->ccu.lnzd)) return 1;
  eie_lnzd_out_t lnzd = {0};
  if (!any_full) eie_lnzd_out(a, &lnzd);
  a->stats.run_cycles++;
  a->stats.stall_cycles += (uint64_t)any_full;
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) eie_pe_run_step(a, k, &lnzd);
  if (!any_full) eie_lnzd_step(a, &lnzd);
  return 0;
}

static void ref_wb(eie_array_t *a) {
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) eie_pe_wb_step(a, k);
}

const eie_datapath_t eie_reference_datapath = {ref_setup, ref_run, ref_wb};

/* ---- Host bus: the PE memory windows (the registers are the CCU's) ---------- */

/* Map a PE-window address to (pe, memory, index). */
typedef enum { MEM_NONE, MEM_SPMAT_LO, MEM_SPMAT_HI, MEM_PTR, MEM_ACT } mem_t;
static mem_t decode_pe_addr(const eie_array_t *a, uint32_t addr, uint32_t *pe, uint32_t *index) {
  if (addr < EIE_PE_WINDOW_BASE || (addr & 3u)) return MEM_NONE;
  uint32_t off = addr - EIE_PE_WINDOW_BASE;
  *pe = off / EIE_PE_WINDOW_STRIDE;
  off %= EIE_PE_WINDOW_STRIDE;
  if (*pe >= a->cfg.num_pe) return MEM_NONE;
  if (off < EIE_PE_SPMAT_OFF + EIE_PE_SPMAT_SIZE) {
    *index = (off - EIE_PE_SPMAT_OFF) / EIE_PE_SPMAT_STEP;
    if (*index >= a->cfg.spmat_lines) return MEM_NONE;
    return (off & 4u) ? MEM_SPMAT_HI : MEM_SPMAT_LO;
  }
  if (off < EIE_PE_PTR_OFF + EIE_PE_PTR_SIZE) {
    *index = (off - EIE_PE_PTR_OFF) / EIE_PE_PTR_STEP;
    return *index < a->cfg.ptr_depth ? MEM_PTR : MEM_NONE;
  }
  *index = (off - EIE_PE_ACT_OFF) / EIE_PE_ACT_STEP;
  return *index < eie_act_words(&a->cfg) ? MEM_ACT : MEM_NONE;
}

/* The four bytes of a sparse-matrix line's low or high word. */
static uint8_t *spmat_word(const eie_pe_t *pe, uint32_t line, mem_t m) {
  return pe->spmat_read.spmat + (size_t)line * EIE_ENTRIES_PER_LINE + (m == MEM_SPMAT_HI ? 4 : 0);
}

eie_bus_status_t eie_array_bus_write(eie_array_t *a, uint32_t addr, uint32_t data) {
  if (addr < EIE_PE_WINDOW_BASE) return eie_ccu_reg_write(a, addr, data);
  uint32_t k, i;
  const mem_t m = decode_pe_addr(a, addr, &k, &i);
  if (m == MEM_NONE) return EIE_BUS_ADDR;
  if (eie_array_busy(a)) return EIE_BUS_BUSY;
  eie_pe_t *pe = &a->pe[k];
  a->ccu.validated &= m == MEM_ACT; /* START checks the sparse matrix and the pointers */
  switch (m) {
    case MEM_SPMAT_LO:
    case MEM_SPMAT_HI:
      for (int n = 0; n < 4; n++) spmat_word(pe, i, m)[n] = (uint8_t)(data >> (8 * n));
      break;
    case MEM_PTR:
      pe->ptr_read.ptr[i] = (uint16_t)data;
      break;
    case MEM_ACT:
      pe->act_rw.act[i] = (int16_t)(uint16_t)data;
      break;
    default:
      break;
  }
  return EIE_BUS_OK;
}

eie_bus_status_t eie_array_bus_read(eie_array_t *a, uint32_t addr, uint32_t *data) {
  *data = 0;
  if (addr < EIE_PE_WINDOW_BASE) return eie_ccu_reg_read(a, addr, data);
  uint32_t k, i;
  const mem_t m = decode_pe_addr(a, addr, &k, &i);
  if (m == MEM_NONE) return EIE_BUS_ADDR;
  if (eie_array_busy(a)) return EIE_BUS_BUSY;
  const eie_pe_t *pe = &a->pe[k];
  switch (m) {
    case MEM_SPMAT_LO:
    case MEM_SPMAT_HI: {
      const uint8_t *b = spmat_word(pe, i, m);
      *data = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
      break;
    }
    case MEM_PTR:
      *data = pe->ptr_read.ptr[i];
      break;
    case MEM_ACT:
      *data = (uint32_t)(int32_t)pe->act_rw.act[i];
      break;
    default:
      break;
  }
  return EIE_BUS_OK;
}

/* ---- State for traces and waveforms ------------------------------------------ */

/* Exact at the start of the current cycle in runs on the reference datapath
 * (an observer of the units registered, or a fast pass without memory for its
 * columns); the fast engine keeps only the CCU's state. */
void eie_array_view(const eie_array_t *a, eie_ccu_view_t *ccu, eie_pe_view_t *pe) {
  const int ref = a->ccu.dp == &eie_reference_datapath ||
                  (a->ccu.dp == &eie_fast_datapath && eie_fast_on_reference(a->fast));
  if (ccu) {
    memset(ccu, 0, sizeof *ccu);
    ccu->state = a->ccu.state;
    ccu->layer = a->ccu.layer;
    ccu->pass = a->ccu.pass;
    if (ref) {
      const eie_lnzd_t *l = &a->lnzd;
      ccu->next_slot = l->next_slot;
      for (uint32_t k = 0; k < a->cfg.num_pe; k++)
        ccu->stall |= eie_pe_act_queue_full(&a->pe[k].act_queue, a->cfg.fifo_depth);
      const eie_lnzd_level_t *root = &l->level[l->depth];
      ccu->root_valid = root->node[0].valid;
      ccu->root_j = root->slot * a->cfg.num_pe + root->node[0].idx;
      ccu->root_a = root->node[0].a;
    }
  }
  for (uint32_t k = 0; pe && k < a->cfg.num_pe; k++) {
    memset(&pe[k], 0, sizeof pe[k]);
    if (!ref) continue;
    const eie_pe_t *p = &a->pe[k];
    pe[k].queue_count = p->act_queue.count;
    pe[k].ptr_valid = p->ptr_read.p_valid;
    pe[k].stream_valid = p->spmat_read.s_valid;
    pe[k].a1_valid = p->spmat_read.a1_valid;
    pe[k].a2_valid = p->arith.a2_valid;
    pe[k].a3_valid = p->arith.a3_valid;
    pe[k].stream_col = p->spmat_read.s_j;
    pe[k].stream_addr = p->spmat_read.s_addr;
    pe[k].stream_end = p->spmat_read.s_end;
  }
}
