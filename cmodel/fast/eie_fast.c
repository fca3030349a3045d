/* The fast engine (docs/cmodel.md): a pass's cycles, outputs and statistics
 * without stepping the units. Every PE's cycles follow from a recurrence
 * over the broadcasts, in order, done for all PEs at once per broadcast;
 * the stream and the arithmetic are done only for the PEs whose slice of
 * the broadcast column holds entries. The CCU runs the state machine as
 * always: the SETUP cycle works the whole pass out, the RUN cycles count to
 * the drain-detect cycle, the first WB cycle writes the outputs.
 *
 * Cycles below are counted from the pass's first RUN cycle (0). They fit in
 * 31 bits: a pass has at most 65535 broadcasts and, per PE, 65535 entries
 * (16-bit pointers), so every PE's columns end within 2^17 + 2^16 cycles of
 * the LNZD's steps (at most 2^17 + 4), and each stall cycle is a cycle in
 * which some PE holds a column: fewer than 256 * 2^18 of them.
 *
 * What the engine keeps between runs depends on the pointers only: per
 * pointer address q (column j of a pass at q = PTR_BASE + b*(K+1) + j), every
 * PE's cycles for the column, max(1, n), and the PEs whose slice has entries.
 * It is gathered the first time a column is broadcast and dropped whenever
 * START checks the descriptors again (ccu.program), which it does after any
 * write to the pointers, the sparse matrix or the descriptors. */
#include "eie_fast.h"

#include <stdlib.h>
#include <string.h>

#include "eie/eie_arith.h"
#include "eie_hw.h"

#define NONE UINT32_MAX
#define BATCH 128 /* broadcasts whose streams wait, to be done PE by PE */

/* A PE's slice of a column that holds entries. */
typedef struct {
  uint16_t k; /* the PE */
  uint16_t p; /* its pointer p[q]: the first entry, from ENTRY_BASE */
  uint32_t n; /* its entries, >= 1 */
} slice_t;

/* A slice waiting for its stream: S takes it in cycle take. */
typedef struct {
  uint32_t take, n;
  uint16_t p;
  int16_t act;
} job_t;

struct eie_fast {
  uint32_t N, D, R; /* NUM_PE, FIFO_DEPTH, RF_DEPTH */
  /* ---- per PE (arrays of N), the pass so far ---- */
  int32_t *last;       /* the last cycle of the last column S took (0: none) */
  int32_t *take;       /* [(D + 1) * N]: the cycle S takes broadcast x, at x mod (D + 1) */
  uint32_t *line;      /* the line buffer's line, NONE: invalid */
  uint32_t *stream;    /* the cycle of the last entry streamed, + 1 (0: none) */
  uint32_t *real;      /* the cycle of the last entry that was not padding, + 1 (0: none) */
  uint32_t *row;       /* its row, NONE when the last entry streamed was padding */
  uint32_t *extra;     /* cycles S held columns beyond one per broadcast */
  int32_t *acc;        /* [k][R + 1]: the accumulators and a spare for padding */
  int32_t *push;       /* [D]: the cycle broadcast x reached the queues, at x mod D */
  job_t *jobs;         /* [k][BATCH]: the batch's slices, per PE */
  uint32_t *njobs;     /* [N] */
  uint32_t batched;    /* broadcasts in the batch */
  int16_t weight[256]; /* of an entry byte: its codebook value */
  uint64_t drain;      /* the pass's drain-detect cycle */
  uint64_t t;          /* the RUN cycle the CCU is in */
  /* ---- per pointer address, kept between runs ---- */
  uint64_t program;  /* ccu.program it was gathered under */
  uint8_t *known;    /* [PTR_DEPTH]: column q gathered */
  uint32_t *col;     /* [PTR_DEPTH]: its row of cyc */
  uint32_t *first;   /* [PTR_DEPTH]: its first slice */
  uint32_t *nslices; /* [PTR_DEPTH]: and how many */
  uint16_t *cyc;     /* [columns gathered][N]: max(1, n) */
  slice_t *slices;
  uint32_t ncols, cap_cols, nslice, cap_slices;
  uint16_t *spare_cyc;   /* [N], and */
  slice_t *spare_slices; /* [N]: a column when there is no memory to keep it */
};

struct eie_fast *eie_fast_create(const eie_config_t *cfg) {
  struct eie_fast *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  const size_t N = cfg->num_pe, D = cfg->fifo_depth;
  f->N = cfg->num_pe;
  f->D = cfg->fifo_depth;
  f->R = cfg->rf_depth;
  f->last = malloc(sizeof *f->last * N);
  f->take = malloc(sizeof *f->take * N * (D + 1));
  f->line = malloc(sizeof *f->line * N);
  f->stream = malloc(sizeof *f->stream * N);
  f->real = malloc(sizeof *f->real * N);
  f->row = malloc(sizeof *f->row * N);
  f->extra = malloc(sizeof *f->extra * N);
  f->acc = calloc(N * (cfg->rf_depth + 1u), sizeof *f->acc);
  f->push = malloc(sizeof *f->push * D);
  f->jobs = malloc(sizeof *f->jobs * N * BATCH);
  f->njobs = calloc(N, sizeof *f->njobs);
  f->known = calloc(cfg->ptr_depth, 1);
  f->col = malloc(sizeof *f->col * cfg->ptr_depth);
  f->first = malloc(sizeof *f->first * cfg->ptr_depth);
  f->nslices = malloc(sizeof *f->nslices * cfg->ptr_depth);
  f->spare_cyc = malloc(sizeof *f->spare_cyc * N);
  f->spare_slices = malloc(sizeof *f->spare_slices * N);
  if (f->jobs && f->njobs && f->spare_cyc && f->spare_slices && f->last && f->take && f->line &&
      f->stream && f->real && f->row && f->extra && f->acc && f->push && f->known && f->col &&
      f->first && f->nslices)
    return f;
  eie_fast_destroy(f);
  return NULL;
}

void eie_fast_destroy(struct eie_fast *f) {
  if (!f) return;
  free(f->last);
  free(f->take);
  free(f->line);
  free(f->stream);
  free(f->real);
  free(f->row);
  free(f->extra);
  free(f->acc);
  free(f->push);
  free(f->jobs);
  free(f->njobs);
  free(f->known);
  free(f->col);
  free(f->first);
  free(f->nslices);
  free(f->cyc);
  free(f->slices);
  free(f->spare_cyc);
  free(f->spare_slices);
  free(f);
}

/* ---- What is kept of the pointers ----------------------------------------------- */

static int grow(void **p, uint32_t *cap, uint32_t need, size_t size) {
  if (need <= *cap) return 1;
  uint32_t c = *cap ? *cap : 64;
  while (c < need) c *= 2;
  void *q = realloc(*p, size * c);
  if (!q) return 0;
  *p = q;
  *cap = c;
  return 1;
}

/* Column q (q + 1 < PTR_DEPTH, as START checked): every PE's cycles and the
 * slices with entries. */
static const uint16_t *column(eie_array_t *a, uint32_t q, const slice_t **slices, uint32_t *n) {
  struct eie_fast *f = a->fast;
  const uint32_t N = f->N;
  if (!f->known[q]) {
    const int keep = grow((void **)&f->cyc, &f->cap_cols, (f->ncols + 1) * N, sizeof *f->cyc) &&
                     grow((void **)&f->slices, &f->cap_slices, f->nslice + N, sizeof *f->slices);
    uint16_t *cyc = keep ? f->cyc + (size_t)f->ncols * N : f->spare_cyc;
    slice_t *sl = keep ? f->slices + f->nslice : f->spare_slices;
    uint32_t m = 0;
    for (uint32_t k = 0; k < N; k++) {
      const uint16_t *p = a->pe[k].ptr_read.ptr + q;
      const uint32_t e = (uint32_t)(p[1] - p[0]);
      cyc[k] = (uint16_t)(e ? e : 1);
      if (e) sl[m++] = (slice_t){(uint16_t)k, p[0], e};
    }
    if (!keep) {
      *slices = sl;
      *n = m;
      return cyc;
    }
    f->col[q] = f->ncols++;
    f->first[q] = f->nslice;
    f->nslices[q] = m;
    f->nslice += m;
    f->known[q] = 1;
  }
  *slices = f->slices + f->first[q];
  *n = f->nslices[q];
  return f->cyc + (size_t)f->col[q] * N;
}

/* ---- A pass --------------------------------------------------------------------- */

/* Broadcast x reaches the queues in cycle c: every PE's take cycle,
 * max(c + 2, the last cycle of its column before) (P pops it in max(c + 1,
 * the cycle S took the column before); S takes it the cycle after, or in
 * that column's last cycle), and its column's last cycle. Returns the
 * largest take cycle of broadcast x - D (in older). */
static inline int32_t takes(uint32_t N, int32_t c2, const uint16_t *restrict cyc,
                            int32_t *restrict last, int32_t *restrict take,
                            const int32_t *restrict older) {
  int32_t m = 0;
  for (uint32_t k = 0; k < N; k++) {
    const int32_t t = last[k] > c2 ? last[k] : c2;
    take[k] = t;
    last[k] = t + cyc[k];
    m = older[k] > m ? older[k] : m;
  }
  return m;
}

/* Statistics of the pass's streams. */
typedef struct {
  uint64_t reads, entries, padding, bypasses;
  uint32_t sat;
} stream_stats_t;

/* PE k's slices of the batch, in order: a slice's n entries stream in
 * cycles take+1 .. take+n. */
static void stream(eie_array_t *a, uint32_t k, stream_stats_t *st) {
  struct eie_fast *f = a->fast;
  const uint8_t *restrict spmat = a->pe[k].spmat_read.spmat + a->ccu.pe.entry_base;
  const int16_t *restrict w = f->weight;
  const uint32_t spare = f->R, base = a->ccu.pe.entry_base;
  int32_t *restrict acc = f->acc + (size_t)k * (spare + 1u);
  const job_t *job = f->jobs + (size_t)k * BATCH;
  uint32_t line = f->line[k], streamed = f->stream[k], real_at = f->real[k], real_row = f->row[k];
  uint64_t reads = 0, entries = 0, padding = 0, bypasses = 0;
  uint32_t extra = 0;
  for (uint32_t i = 0; i < f->njobs[k]; i++, job++) {
    const uint32_t start = job->p, end = start + job->n, take = job->take;
    /* line reads: whenever the entry's line differs from the buffer's */
    const uint32_t first = (base + start) / EIE_ENTRIES_PER_LINE,
                   lastl = (base + end - 1) / EIE_ENTRIES_PER_LINE;
    reads += lastl - first + (line != first);
    line = lastl;
    /* the bypass: the first entry meets in A2 the row that A3 writes, that
     * of the entry streamed in the cycle before (NONE if it was padding) */
    const uint8_t e0 = spmat[start];
    bypasses += eie_entry_v(e0) && streamed == take + 1 && real_row == eie_entry_z(e0);
    const int16_t act = job->act;
    uint32_t row = 0, next = 0;
    for (uint32_t x = start; x < end; x++) {
      const uint8_t e = spmat[x];
      const uint32_t v = eie_entry_v(e);
      row = next + eie_entry_z(e);
      next = row + 1;
      const uint32_t at = v ? row : spare; /* padding adds 0 to the spare */
      acc[at] = eie_arith_mac_counted(acc[at], w[e], act, &st->sat);
      padding += v == 0;
    }
    entries += job->n;
    extra += job->n - 1;
    /* entry x streams in cycle take + 1 + (x - start); cycles are kept + 1 */
    streamed = take + job->n + 1;
    /* the last entry that is not padding (usually the last one) */
    uint32_t real = end - 1;
    while (real > start && !eie_entry_v(spmat[real])) real--;
    if (eie_entry_v(spmat[real])) real_at = take + (real - start) + 2;
    real_row = real == end - 1 && eie_entry_v(spmat[real]) ? row : NONE;
  }
  f->njobs[k] = 0;
  f->line[k] = line;
  f->stream[k] = streamed;
  f->real[k] = real_at;
  f->row[k] = real_row;
  f->extra[k] += extra;
  st->reads += reads;
  st->entries += entries;
  st->padding += padding;
  st->bypasses += bypasses;
}

static void flush(eie_array_t *a, stream_stats_t *st) {
  for (uint32_t k = 0; k < a->fast->N; k++) stream(a, k, st);
  a->fast->batched = 0;
}

/* Broadcast x (pointer address q, activation v) reaches every queue in
 * cycle c: the PEs' take cycles, the slices' streams. Returns the last cycle
 * of the stall that follows, or c: the stall rule, checked in cycle c + 1,
 * holds while some queue still holds broadcast x + 1 - D, that is, through
 * the cycle its PE pops it: max(its push + 1, the cycle S took broadcast
 * x - D). */
static uint64_t broadcast(eie_array_t *a, uint32_t x, uint32_t q, int16_t v, uint64_t c,
                          stream_stats_t *st) {
  struct eie_fast *f = a->fast;
  const uint32_t N = f->N, D = f->D;
  const slice_t *sl;
  uint32_t ns;
  const uint16_t *cyc = column(a, q, &sl, &ns);
  int32_t *now = f->take + (size_t)(x % (D + 1)) * N;
  const int32_t *older = f->take + (size_t)((x + 1) % (D + 1)) * N; /* broadcast x - D */
  const int32_t latest = takes(N, (int32_t)c + 2, cyc, f->last, now, older);
  if (f->batched == BATCH) flush(a, st);
  f->batched++;
  for (uint32_t i = 0; i < ns; i++) {
    const uint32_t k = sl[i].k;
    f->jobs[(size_t)k * BATCH + f->njobs[k]++] = (job_t){(uint32_t)now[k], sl[i].n, sl[i].p, v};
  }
  f->push[x % D] = (int32_t)c;
  if (x + 1 < D) return c;
  const int32_t pushed = f->push[(x + 1) % D] + 1; /* broadcast x + 1 - D's push, + 1 */
  const int32_t until = latest > pushed ? latest : pushed;
  if (until <= (int32_t)c) return c;
  for (uint32_t k = 0; k < N; k++) {
    const int32_t pop = older[k] > pushed ? older[k] : pushed;
    if (pop > (int32_t)c) a->stats.pe[k].stalled += (uint64_t)(pop - (int32_t)c);
  }
  return (uint64_t)until;
}

/* The first cycle from which PE k is empty: S past its last column, A1 past
 * the last entry streamed, A2 and A3 past the last one that was not padding. */
static uint64_t empty_from(const struct eie_fast *f, uint32_t k) {
  uint64_t t = f->last[k] ? (uint64_t)f->last[k] + 1 : 0;
  if (f->stream[k] && f->stream[k] + 1u > t) t = f->stream[k] + 1u;
  if (f->real[k] && f->real[k] + 3u > t) t = f->real[k] + 3u;
  return t;
}

/* SETUP: the whole pass. The LNZD's steps are its RUN cycles that do not
 * stall: step 0 reads slot 0, slot l then takes max(1, n_l) steps, one per
 * non-zero selected, and a non-zero selected in step s is broadcast in step
 * s + D_T. The LNZD is exhausted after step max(end of the last slot,
 * last broadcast + 1). Stalls come only after broadcasts. */
static void fast_setup(eie_array_t *a) {
  struct eie_fast *f = a->fast;
  const eie_ccu_t *cc = &a->ccu;
  const eie_ccu2lnzd_t *c = &cc->lnzd;
  const uint32_t N = f->N, D = f->D, depth = a->lnzd.depth;
  if (f->program != cc->program) { /* the memories may have changed since */
    memset(f->known, 0, a->cfg.ptr_depth);
    f->ncols = f->nslice = 0;
    f->program = cc->program;
  }
  memset(f->last, 0, sizeof *f->last * N);
  memset(f->take, 0, sizeof *f->take * N * (D + 1));
  memset(f->stream, 0, sizeof *f->stream * N);
  memset(f->real, 0, sizeof *f->real * N);
  memset(f->extra, 0, sizeof *f->extra * N);
  f->batched = 0;
  for (uint32_t k = 0; k < N; k++) {
    f->line[k] = f->row[k] = NONE;
    int32_t *acc = f->acc + (size_t)k * (f->R + 1u);
    memset(acc, 0, sizeof *acc * cc->pe.pass_rows);
    acc[f->R] = 0;
  }
  for (uint32_t e = 0; e < 256; e++) f->weight[e] = cc->pe.codebook[eie_entry_v((uint8_t)e)];
  stream_stats_t st = {0};
  uint64_t t = 0, step = 0, select = 1, stalled = 0;
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
      const uint64_t until = broadcast(a, x++, cc->pe.ptr_pass_base + l * N + k, v, t, &st);
      stalled += until - t;
      t = until + 1;
    }
    select += n ? n : 1;
  }
  flush(a, &st);
  uint64_t drain = t + (select > step ? select - step : 0); /* the LNZD exhausted */
  for (uint32_t k = 0; k < N; k++) {
    const uint64_t e = empty_from(f, k);
    drain = e > drain ? e : drain;
    if (x) a->stats.pe[k].busy += x + f->extra[k];
  }
  f->drain = drain;
  f->t = 0;
  eie_stats_t *s = &a->stats;
  s->run_cycles += drain;
  s->stall_cycles += stalled;
  s->broadcasts += x;
  s->ptr_reads += (uint64_t)x * N;
  s->spmat_reads += st.reads;
  s->entries += st.entries;
  s->macs += st.entries - st.padding;
  s->padding += st.padding;
  s->bypasses += st.bypasses;
  s->sat.acc_saturations += st.sat;
  s->layer_sat[cc->layer].acc_saturations += st.sat;
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
