/* The fast engine (docs/cmodel.md): a pass's cycles, outputs and statistics
 * without stepping the units. Every PE's cycles follow from a recurrence
 * over the broadcasts, in order; the stream and the arithmetic of a PE need
 * only its own columns and the cycles S takes them, so they are done PE by
 * PE, a batch of broadcasts at a time. The CCU runs the state machine as
 * always: the SETUP cycle works the whole pass out, the RUN cycles count to
 * the drain-detect cycle, the first WB cycle writes the outputs.
 *
 * Cycles below are counted from the pass's first RUN cycle (0). */
#include "eie_fast.h"

#include <stdlib.h>
#include <string.h>

#include "eie/eie_arith.h"
#include "eie_hw.h"

#define NONE UINT32_MAX
#define BATCH 128 /* broadcasts whose stream and arithmetic wait */

/* A PE's state between broadcasts. */
typedef struct {
  uint64_t take;     /* the cycle S took the last column (P is free from it on) */
  uint64_t last;     /* that column's last cycle */
  uint64_t streamed; /* the cycle of the last entry streamed (+1; 0: none) */
  uint64_t real;     /* the cycle of the last entry that was not padding (+1; 0: none) */
  uint32_t real_row; /* its row, NONE when the last entry streamed was padding */
  uint32_t line;     /* the line buffer's line, NONE: invalid */
  const uint16_t *p; /* the pass's pointers: column j is p[j] .. p[j+1] - 1 from ENTRY_BASE */
  uint64_t busy;     /* cycles S held a column in the pass */
} fast_pe_t;

struct eie_fast {
  fast_pe_t *pe;
  int32_t *acc;        /* [k][R_F + 1]: the accumulators and a spare for padding */
  uint64_t *pop;       /* [x mod FIFO_DEPTH][k]: the cycle PE k pops broadcast x */
  uint32_t n;          /* broadcasts in the batch */
  uint32_t j[BATCH];   /* their columns */
  int16_t act[BATCH];  /* and activations */
  uint64_t *take;      /* [k][i]: the cycle PE k's S takes broadcast i of the batch */
  int16_t weight[256]; /* of an entry byte: its codebook value */
  uint64_t drain;      /* the pass's drain-detect cycle */
  uint64_t t;          /* the RUN cycle the CCU is in */
};

struct eie_fast *eie_fast_create(const eie_config_t *cfg) {
  struct eie_fast *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  const size_t N = cfg->num_pe;
  f->pe = calloc(N, sizeof *f->pe);
  f->acc = calloc(N * (cfg->rf_depth + 1u), sizeof *f->acc);
  f->pop = calloc(N * cfg->fifo_depth, sizeof *f->pop);
  f->take = calloc(N * BATCH, sizeof *f->take);
  if (f->pe && f->acc && f->pop && f->take) return f;
  eie_fast_destroy(f);
  return NULL;
}

void eie_fast_destroy(struct eie_fast *f) {
  if (!f) return;
  free(f->pe);
  free(f->acc);
  free(f->pop);
  free(f->take);
  free(f);
}

/* The stream and the arithmetic of the batch's columns in PE k, in order:
 * column i's n entries stream in cycles take+1 .. take+n. */
static void flush_pe(eie_array_t *a, uint32_t k) {
  struct eie_fast *f = a->fast;
  fast_pe_t *pe = &f->pe[k];
  const uint8_t *restrict spmat = a->pe[k].spmat_read.spmat;
  const uint16_t *p = pe->p;
  const int16_t *restrict w = f->weight;
  const uint32_t base = a->ccu.pe.entry_base, spare = a->cfg.rf_depth;
  int32_t *restrict acc = f->acc + (size_t)k * (spare + 1u);
  const uint64_t *take = f->take + (size_t)k * BATCH;
  uint64_t reads = 0, entries = 0, padding = 0, bypasses = 0;
  uint32_t sat = 0;
  for (uint32_t i = 0; i < f->n; i++) {
    const uint32_t start = base + p[f->j[i]], end = base + p[f->j[i] + 1];
    if (start == end) continue;
    /* line reads: whenever the entry's line differs from the buffer's */
    const uint32_t first = start / EIE_ENTRIES_PER_LINE, lastl = (end - 1) / EIE_ENTRIES_PER_LINE;
    reads += lastl - first + (pe->line != first);
    pe->line = lastl;
    /* the bypass: the first entry meets in A2 the row that A3 writes, that
     * of the entry streamed in the cycle before (NONE if it was padding) */
    const uint8_t e0 = spmat[start];
    bypasses += eie_entry_v(e0) && pe->streamed == take[i] + 1 && pe->real_row == eie_entry_z(e0);
    const int16_t act = f->act[i];
    uint32_t row = 0, last = 0;
    for (uint32_t x = start; x < end; x++) {
      const uint8_t e = spmat[x];
      const uint32_t v = eie_entry_v(e);
      row = last + eie_entry_z(e);
      last = row + 1;
      const uint32_t at = v ? row : spare; /* padding adds 0 to the spare */
      acc[at] = eie_arith_mac_counted(acc[at], w[e], act, &sat);
      padding += v == 0;
    }
    /* entry x streams in cycle take + 1 + (x - start); cycles are kept + 1 */
    entries += end - start;
    pe->streamed = take[i] + (end - start) + 1;
    /* the last entry that is not padding (usually the last one) */
    uint32_t real = end - 1;
    while (real > start && !eie_entry_v(spmat[real])) real--;
    if (eie_entry_v(spmat[real])) pe->real = take[i] + (real - start) + 2;
    pe->real_row = real == end - 1 && eie_entry_v(spmat[real]) ? row : NONE;
  }
  eie_stats_t *st = &a->stats;
  st->spmat_reads += reads;
  st->entries += entries;
  st->macs += entries - padding;
  st->padding += padding;
  st->bypasses += bypasses;
  st->sat.acc_saturations += sat;
  st->layer_sat[a->ccu.layer].acc_saturations += sat;
}

static void flush(eie_array_t *a) {
  for (uint32_t k = 0; k < a->cfg.num_pe; k++) flush_pe(a, k);
  a->fast->n = 0;
}

/* Broadcast x (column j, activation v) reaches every queue in cycle c.
 * PE k pops it in max(c + 1, the cycle S took the column before, which
 * freed P); S takes it in max(pop + 1, the last cycle of the column before);
 * it holds S max(1, n) cycles. Returns the last cycle of the stall that
 * follows (some queue still full with broadcast x + 1 - FIFO_DEPTH), or c. */
static uint64_t broadcast(eie_array_t *a, uint32_t x, uint32_t j, int16_t v, uint64_t c) {
  struct eie_fast *f = a->fast;
  const uint32_t N = a->cfg.num_pe, D = a->cfg.fifo_depth;
  if (f->n == BATCH) flush(a);
  const uint32_t i = f->n++;
  f->j[i] = j;
  f->act[i] = v;
  uint64_t *pop = f->pop + (size_t)(x % D) * N;
  for (uint32_t k = 0; k < N; k++) {
    fast_pe_t *pe = &f->pe[k];
    const uint32_t n = (uint32_t)(pe->p[j + 1] - pe->p[j]), cycles = n ? n : 1;
    pop[k] = c + 1 > pe->take ? c + 1 : pe->take;
    pe->take = pop[k] + 1 > pe->last ? pop[k] + 1 : pe->last;
    pe->last = pe->take + cycles;
    f->take[(size_t)k * BATCH + i] = pe->take;
    pe->busy += cycles;
  }
  a->stats.ptr_reads += N;
  a->stats.broadcasts++;
  if (x + 1 < D) return c;
  /* The stall rule, checked in cycle c + 1: PE k's queue is full through
   * the cycle it pops broadcast x + 1 - D. */
  const uint64_t *full = f->pop + (size_t)((x + 1) % D) * N;
  uint64_t until = c;
  for (uint32_t k = 0; k < N; k++) {
    if (full[k] > c) a->stats.pe[k].stalled += full[k] - c;
    until = full[k] > until ? full[k] : until;
  }
  return until;
}

/* The first cycle from which PE k is empty: S past its last column, A1 past
 * the last entry streamed, A2 and A3 past the last one that was not padding. */
static uint64_t empty_from(const fast_pe_t *pe) {
  uint64_t t = pe->last ? pe->last + 1 : 0;
  if (pe->streamed && pe->streamed + 1 > t) t = pe->streamed + 1;
  if (pe->real && pe->real + 3 > t) t = pe->real + 3;
  return t;
}

/* SETUP: the whole pass. The LNZD's steps are its RUN cycles that do not
 * stall: step 0 reads slot 0, slot l then takes max(1, n_l) steps, one per
 * non-zero selected, and a non-zero selected in step s is broadcast in step
 * s + D_T. The LNZD is exhausted after step max(end of the last slot,
 * last broadcast + 1). Stalls come only after broadcasts. */
static void fast_setup(eie_array_t *a) {
  struct eie_fast *f = a->fast;
  const eie_ccu2lnzd_t *c = &a->ccu.lnzd;
  const uint32_t N = a->cfg.num_pe, depth = eie_lnzd_depth(N);
  memset(f->pe, 0, sizeof *f->pe * N);
  for (uint32_t k = 0; k < N; k++) {
    f->pe[k].line = f->pe[k].real_row = NONE;
    f->pe[k].p = a->pe[k].ptr_read.ptr + a->ccu.pe.ptr_pass_base;
  }
  for (uint32_t e = 0; e < 256; e++) f->weight[e] = a->ccu.pe.codebook[eie_entry_v((uint8_t)e)];
  memset(f->acc, 0, sizeof *f->acc * N * (a->cfg.rf_depth + 1u));
  f->n = 0;
  uint64_t t = 0, step = 0, select = 1, stalled = 0, exhausted;
  uint32_t x = 0;
  for (uint32_t l = 0; l < c->slots; l++) {
    const uint32_t in_slot = c->in_len - l * N < N ? c->in_len - l * N : N;
    a->stats.act_reads += in_slot;
    uint32_t n = 0;
    for (uint32_t k = 0; k < in_slot; k++) {
      const int16_t v = a->pe[k].act_rw.act[c->in_base + l];
      if (!v) continue;
      const uint64_t s = select + n++ + depth; /* its broadcast's step */
      t += s - step;
      step = s + 1;
      const uint64_t until = broadcast(a, x++, l * N + k, v, t);
      stalled += until - t;
      t = until + 1;
    }
    select += n ? n : 1;
  }
  exhausted = t + (select > step ? select - step : 0);
  flush(a);
  uint64_t drain = exhausted;
  for (uint32_t k = 0; k < N; k++) {
    const uint64_t e = empty_from(&f->pe[k]);
    drain = e > drain ? e : drain;
    a->stats.pe[k].busy += f->pe[k].busy;
  }
  f->drain = drain;
  f->t = 0;
  a->stats.run_cycles += drain;
  a->stats.stall_cycles += stalled;
}

static int fast_run(eie_array_t *a) {
  return a->fast->t++ == a->fast->drain;
}

/* The first WB cycle writes every output of the pass, in the write-back's
 * order (the bias of row w is read after row w-1 is written). */
static void fast_wb(eie_array_t *a) {
  const eie_ccu_t *cc = &a->ccu;
  const eie_ccu2pe_t *c = &cc->pe;
  if (cc->wb_step) return;
  const uint32_t N = a->cfg.num_pe, R = a->cfg.rf_depth + 1u;
  for (uint32_t k = 0; k < N; k++) {
    int16_t *act = a->pe[k].act_rw.act;
    const int32_t *acc = a->fast->acc + (size_t)k * R;
    for (uint32_t w = 0; w < c->pass_rows; w++) {
      const int16_t bias = c->bias_en ? act[c->bias_base + c->row0 + w] : 0;
      a->stats.act_reads += (uint64_t)c->bias_en;
      if ((c->row0 + w) * N + k >= c->out_len) continue;
      act[c->out_base + c->row0 + w] = eie_arith_writeback(acc[w], bias, c->shift, c->relu);
      a->stats.act_writes++;
      if (eie_arith_writeback_saturates(acc[w], bias, c->shift, c->relu)) {
        a->stats.sat.out_saturations++;
        a->stats.layer_sat[cc->layer].out_saturations++;
      }
    }
  }
}

const eie_datapath_t eie_fast_datapath = {fast_setup, fast_run, fast_wb};
