/* The fast engine (docs/cmodel.md): a pass's cycles, outputs and statistics
 * without stepping the units. Every PE's cycles follow from a recurrence
 * over the broadcasts, in order, done for all PEs at once per broadcast;
 * a PE's stream matters only where its slice of the column holds entries,
 * and the multiply-accumulates of a broadcast are done for the whole column
 * at once. The CCU runs the state machine as always: the SETUP cycle works
 * the whole pass out, the RUN cycles count to the drain-detect cycle, the
 * first WB cycle writes the outputs.
 *
 * Cycles below are counted from the pass's first RUN cycle (0). They fit in
 * 31 bits: a pass has at most 65535 broadcasts and, per PE, 65535 entries
 * (16-bit pointers), so every PE's columns end within 2^17 + 2^16 cycles of
 * the LNZD's steps (at most 2^17 + 4), and each stall cycle is a cycle in
 * which some PE holds a column: fewer than 256 * 2^18 of them.
 *
 * What the engine keeps between runs is what a column of the matrix is,
 * whatever the input: per pointer address q (column j of a pass at q =
 * PTR_BASE + b*(K+1) + j) and SPMAT_BASE, every PE's cycles for the column,
 * max(1, n), the slices with entries and what their streams do, and the
 * column's multiply-accumulates. It is gathered as the column is broadcast,
 * kept from the second run of the program on, and dropped whenever START
 * checks the descriptors again (ccu.program), which it does after any write
 * to the pointers, the sparse matrix or the descriptors. Should memory run
 * out for it, the pass runs on the reference datapath, which needs none.
 *
 * With an observer that asked for them (eie_array_set_event_cb_fast), the
 * events are worked out with the pass from the same cycles and kept, each
 * delivered in the tick of its cycle, in the reference's order. */
#include "eie_fast.h"

#include <stdlib.h>
#include <string.h>

#include "eie/eie_arith.h"
#include "eie_hw.h"

#define NONE UINT32_MAX
#define NO_KEY (UINT32_MAX - 1) /* never a row, never NONE */

/* A PE's slice of a column that holds entries: what its stream does,
 * whenever S takes it (in cycle take, the entries streaming in cycles
 * take+1 .. take+n). */
typedef struct {
  uint32_t k;           /* the PE */
  uint32_t n;           /* entries, >= 1 */
  uint32_t first, last; /* the lines of its first and last entries */
  uint32_t key;         /* the first entry's z when it is not padding (the bypass), else NO_KEY */
  uint32_t real;        /* 1 + the offset of the last entry that is not padding; 0: none */
  uint32_t row;         /* the last entry's row, NONE when it is padding */
  uint32_t macs;        /* its multiply-accumulates: the entries that are not padding */
} slice_t;

/* A column as the engine keeps it. */
typedef struct {
  uint32_t base;           /* SPMAT_BASE + 1 it was gathered with; 0: not gathered */
  uint32_t cyc;            /* its row of cyc */
  uint32_t slice, nslices; /* its slices */
  uint32_t mac, nmacs;     /* its multiply-accumulates */
  uint32_t entries;        /* entries, padding included */
  uint32_t lines;          /* its slices' lines after their first ones (line reads for sure) */
} column_t;

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif
/* A hint that the memory at p is read soon. */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif
/* The number of the lowest set bit of x (x != 0). */
static inline uint32_t lowest_bit(uint64_t x) {
#if defined(__GNUC__)
  return (uint32_t)__builtin_ctzll(x);
#else
  uint32_t n = 0;
  for (; !(x & 1u); x >>= 1) n++;
  return n;
#endif
}

/* The take cycles of a broadcast for every PE (takes_body, below). */
typedef int32_t takes_fn(uint32_t N, int32_t c2, const uint16_t *restrict cyc,
                         int32_t *restrict last, int32_t *restrict take,
                         const int32_t *restrict older);

static takes_fn *takes_pick(void);

/* A PE's stream so far in the pass. */
typedef struct {
  uint32_t line;    /* the line buffer's line, NONE: invalid */
  uint32_t stream;  /* the cycle of the last entry streamed, + 1 (0: none) */
  uint32_t real;    /* the cycle of the last entry that was not padding, + 1 (0: none) */
  uint32_t row;     /* its row, NONE when the last entry streamed was padding */
  uint32_t extra;   /* cycles S held columns beyond one per broadcast */
  uint32_t stalled; /* cycles its full queue stalled the broadcast */
} pe_stream_t;

/* The events of a pass: a PE's ACC (its cycle is in acc_in, below) and a
 * BCAST. Indices fit in 16 bits (IN_LEN and OUT_LEN do). */
typedef struct {
  int32_t value;
  uint16_t index, bypass;
} acc_event_t;
typedef struct {
  uint32_t cycle;
  uint16_t j;
  int16_t a;
} bcast_event_t;
_Static_assert(EIE_DESC_IN_LEN_WIDTH <= 16 && EIE_DESC_OUT_LEN_WIDTH <= 16,
               "event indices are kept in 16 bits");

struct eie_fast {
  uint32_t N, D, R; /* NUM_PE, FIFO_DEPTH, RF_DEPTH */
  /* ---- per PE (arrays of N), the pass so far ---- */
  int32_t *last; /* the last cycle of the last column S took (0: none) */
  int32_t *take; /* [(D + 1) * N]: the cycle S takes broadcast x, at x mod (D + 1) */
  pe_stream_t *pe;
  int32_t *acc;   /* [k][R + 1]: the accumulators (the last one unused) */
  int32_t *push;  /* [D]: the cycle broadcast x reached the queues, at x mod D */
  uint64_t drain; /* the pass's drain-detect cycle */
  uint64_t t;     /* the RUN cycle the CCU is in */
  int reference;  /* the pass runs on the reference datapath */
  takes_fn *takes;
  /* ---- per column, kept between runs ---- */
  uint64_t program; /* ccu.program it was gathered under */
  uint64_t runs;    /* runs started under it (SETUP in cycle 0) */
  column_t once;    /* a column of the first run, not kept */
  column_t *col;    /* [PTR_DEPTH] */
  uint16_t *cyc;    /* [columns gathered][N]: max(1, n) */
  slice_t *slices;
  uint32_t *macs;     /* accumulator index (k * (R + 1) + row) << EIE_V_W | codebook index */
  uint16_t *at_entry; /* [as macs]: the entry's offset in its slice (for the events) */
  uint32_t ncyc, cap_cyc, nslices, cap_slices, nmacs, cap_macs, cap_at_entry;
  /* ---- the pass's events, when observed (ccu.cb) ---- */
  uint8_t *hit; /* [N]: slice i's first entry takes the bypass (a broadcast's) */
  /* PE k's ACC in cycle order from acc_ev[at[k]], n[k] of them, the next to
   * deliver at next[k]; the cycles with one: a bit per PE in acc_in */
  acc_event_t *acc_ev;
  uint32_t *at, *n, *next; /* [N] */
  uint64_t *acc_in;        /* [cycle][words] */
  bcast_event_t *bcast_ev;
  uint32_t nbcast, next_bcast;
  uint32_t words, cycles, cap_acc_ev, cap_acc_in, cap_bcast_ev;
};

struct eie_fast *eie_fast_create(const eie_config_t *cfg) {
  struct eie_fast *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  const size_t N = cfg->num_pe, D = cfg->fifo_depth;
  f->N = cfg->num_pe;
  f->D = cfg->fifo_depth;
  f->R = cfg->rf_depth;
  f->takes = takes_pick();
  f->last = malloc(sizeof *f->last * N);
  f->take = malloc(sizeof *f->take * N * (D + 1));
  f->pe = malloc(sizeof *f->pe * N);
  f->acc = calloc(N * (cfg->rf_depth + 1u), sizeof *f->acc);
  f->push = malloc(sizeof *f->push * D);
  f->col = calloc(cfg->ptr_depth, sizeof *f->col);
  f->hit = malloc(N);
  f->at = malloc(sizeof *f->at * N);
  f->n = malloc(sizeof *f->n * N);
  f->next = malloc(sizeof *f->next * N);
  f->words = (uint32_t)((N + 63) / 64);
  if (f->last && f->take && f->pe && f->acc && f->push && f->col && f->hit && f->at && f->n &&
      f->next)
    return f;
  eie_fast_destroy(f);
  return NULL;
}

void eie_fast_destroy(struct eie_fast *f) {
  if (!f) return;
  free(f->last);
  free(f->take);
  free(f->pe);
  free(f->acc);
  free(f->push);
  free(f->col);
  free(f->cyc);
  free(f->slices);
  free(f->macs);
  free(f->at_entry);
  free(f->hit);
  free(f->acc_ev);
  free(f->bcast_ev);
  free(f->at);
  free(f->n);
  free(f->next);
  free(f->acc_in);
  free(f);
}

/* ---- The columns -------------------------------------------------------------- */

/* Room for `need` elements of `size` bytes in *p. */
static int grow(void **p, uint32_t *cap, uint64_t need, size_t size) {
  if (need <= *cap) return 1;
  if (need > UINT32_MAX / 2) return 0;
  uint32_t c = *cap ? *cap : 256;
  while (c < need) c *= 2;
  void *q = realloc(*p, size * c);
  if (!q) return 0;
  *p = q;
  *cap = c;
  return 1;
}

/* Room for n more multiply-accumulates (macs and their at_entry). */
static int room_for_macs(struct eie_fast *f, uint64_t n) {
  return grow((void **)&f->macs, &f->cap_macs, f->nmacs + n, sizeof *f->macs) &&
         grow((void **)&f->at_entry, &f->cap_at_entry, f->nmacs + n, sizeof *f->at_entry);
}

/* Gather column q (q + 1 < PTR_DEPTH, as START checked) of the running
 * layer, kept from the second run of a program on: a program run once does
 * not pay for memory it never reads again (f->once holds the column until
 * the next one goes over it). Returns 0 when out of memory, -1 when the
 * column was kept with another SPMAT_BASE (layers sharing pointers). */
static int gather(eie_array_t *a, uint32_t q) {
  struct eie_fast *f = a->fast;
  const eie_ccu2pe_t *c = &a->ccu.pe;
  const uint32_t N = f->N, base = c->entry_base / EIE_ENTRIES_PER_LINE;
  if (f->col[q].base == base + 1) return 1;
  if (f->col[q].base) return -1;
  const int keep = f->runs > 1;
  column_t *col = keep ? &f->col[q] : &f->once;
  uint64_t entries = 0;
  for (uint32_t k = 0; k < N; k++) {
    const uint16_t *p = a->pe[k].ptr_read.ptr + q;
    entries += (uint32_t)(p[1] - p[0]);
    /* The slices lie in N memories: their first lines are fetched together
     * now, not one after the other in the loop below. */
    PREFETCH(a->pe[k].spmat_read.spmat + c->entry_base + p[0]);
  }
  if (!grow((void **)&f->cyc, &f->cap_cyc, (uint64_t)f->ncyc + N, sizeof *f->cyc) ||
      !grow((void **)&f->slices, &f->cap_slices, (uint64_t)f->nslices + N, sizeof *f->slices) ||
      !room_for_macs(f, entries))
    return 0;
  *col = (column_t){base + 1, f->ncyc, f->nslices, 0, f->nmacs, 0, (uint32_t)entries, 0};
  uint16_t *cyc = f->cyc + f->ncyc;
  f->ncyc += N;
  /* The multiply-accumulates are written through locals (their uint32_t
   * stores could alias the counts and the slice, see broadcast()). */
  uint32_t *const macs = f->macs;
  uint16_t *const at_entry = f->at_entry;
  uint32_t nmacs = f->nmacs;
  for (uint32_t k = 0; k < N; k++) {
    const uint16_t *p = a->pe[k].ptr_read.ptr + q;
    const uint32_t start = p[0], n = (uint32_t)(p[1] - p[0]);
    cyc[k] = (uint16_t)(n ? n : 1);
    if (!n) continue;
    const uint8_t *e = a->pe[k].spmat_read.spmat + c->entry_base + start;
    const uint32_t first = base + start / EIE_ENTRIES_PER_LINE;
    const uint32_t last = base + (start + n - 1) / EIE_ENTRIES_PER_LINE;
    const uint32_t acc0 = k * (f->R + 1u), mac0 = nmacs;
    uint32_t row = 0, next = 0, real = 0;
    for (uint32_t x = 0; x < n; x++) {
      const uint32_t v = eie_entry_v(e[x]);
      row = next + eie_entry_z(e[x]);
      next = row + 1;
      if (!v) continue; /* padding adds 0 to a spare accumulator: nothing */
      at_entry[nmacs] = (uint16_t)x;
      macs[nmacs++] = (acc0 + row) << EIE_V_W | v;
      real = x + 1;
    }
    f->slices[f->nslices++] = (slice_t){k,
                                        n,
                                        first,
                                        last,
                                        eie_entry_v(e[0]) ? eie_entry_z(e[0]) : NO_KEY,
                                        real,
                                        eie_entry_v(e[n - 1]) ? row : NONE,
                                        nmacs - mac0};
    col->lines += last - first;
  }
  f->nmacs = nmacs;
  col->nslices = f->nslices - col->slice;
  col->nmacs = f->nmacs - col->mac;
  if (!keep) { /* the next column goes over it */
    f->ncyc = col->cyc;
    f->nslices = col->slice;
    f->nmacs = col->mac;
  }
  return 1;
}

static void forget(struct eie_fast *f, uint32_t ptr_depth) {
  if (f->ncyc) memset(f->col, 0, sizeof *f->col * ptr_depth); /* some column was kept */
  f->ncyc = f->nslices = f->nmacs = 0;
}

/* Column q of the running layer, gathered if need be; NULL when out of
 * memory. */
static const column_t *column(eie_array_t *a, uint32_t q) {
  struct eie_fast *f = a->fast;
  int r = gather(a, q);
  if (r < 0) { /* keep one layer's view of the shared pointers */
    forget(f, a->cfg.ptr_depth);
    r = gather(a, q);
  }
  return r != 1 ? NULL : f->col[q].base ? &f->col[q] : &f->once;
}

/* ---- A pass --------------------------------------------------------------------- */

/* Broadcast x reaches the queues in cycle c: every PE's take cycle,
 * max(c + 2, the last cycle of its column before) (P pops it in max(c + 1,
 * the cycle S took the column before); S takes it the cycle after, or in
 * that column's last cycle), and its column's last cycle. Returns the
 * largest take cycle of broadcast x - D (in older). */
static ALWAYS_INLINE int32_t takes_body(uint32_t N, int32_t c2, const uint16_t *restrict cyc,
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
static int32_t takes_plain(uint32_t N, int32_t c2, const uint16_t *restrict cyc,
                           int32_t *restrict last, int32_t *restrict take,
                           const int32_t *restrict older) {
  return takes_body(N, c2, cyc, last, take, older);
}
/* The same loop compiled for AVX2 where the processor has it (twice the
 * lanes and a max instruction). */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) static int32_t takes_avx2(uint32_t N, int32_t c2,
                                                          const uint16_t *restrict cyc,
                                                          int32_t *restrict last,
                                                          int32_t *restrict take,
                                                          const int32_t *restrict older) {
  return takes_body(N, c2, cyc, last, take, older);
}
/* (What __builtin_cpu_supports reads is set up before main, once: arrays
 * created on several threads at once only read it. Asked earlier, from a
 * constructor, it answers no, and the plain loop gives the same cycles.) */
static takes_fn *takes_pick(void) {
  return __builtin_cpu_supports("avx2") ? takes_avx2 : takes_plain;
}
#else
static takes_fn *takes_pick(void) {
  return takes_plain;
}
#endif

/* Statistics of the pass's streams. */
typedef struct {
  uint64_t reads, entries, macs, bypasses;
  uint32_t sat;
} stream_stats_t;

/* Broadcast x (pointer address q, activation v) reaches every queue in
 * cycle c: the PEs' take cycles, the slices' streams, the column's
 * multiply-accumulates. Returns the last cycle of the stall that follows, or
 * c: the stall rule, checked in cycle c + 1, holds while some queue still
 * holds broadcast x + 1 - D, that is, through the cycle its PE pops it:
 * max(its push + 1, the cycle S took broadcast x - D). */
static uint64_t broadcast(eie_array_t *a, uint32_t x, const column_t *col, int16_t v, uint64_t c,
                          stream_stats_t *st) {
  struct eie_fast *f = a->fast;
  const uint32_t N = f->N, D = f->D;
  int32_t *now = f->take + (size_t)(x % (D + 1)) * N;
  const int32_t *older = f->take + (size_t)((x + 1) % (D + 1)) * N; /* broadcast x - D */
  const int32_t latest = f->takes(N, (int32_t)c + 2, f->cyc + col->cyc, f->last, now, older);
  /* (The loops below read the column's fields and the engine's arrays into
   * locals first: their stores of uint32_t, int32_t and bytes could
   * otherwise be to them, and the compiler would read them again each time.
   * No slices or multiply-accumulates are allocated while no column has
   * any: NULL then.) */
  const uint32_t nslices = col->nslices, nmacs = col->nmacs;
  const slice_t *slice = nslices ? &f->slices[col->slice] : NULL;
  const uint32_t *macs = nmacs ? &f->macs[col->mac] : NULL;
  pe_stream_t *pe = f->pe;
  uint8_t *hits = a->ccu.cb ? f->hit : NULL; /* for the events */
  /* The streams: line reads whenever an entry's line differs from the
   * buffer's; the bypass when the first entry meets in A2 the row that A3
   * writes, that of the entry streamed in the cycle before. */
  uint64_t reads = col->lines, bypasses = 0;
  for (uint32_t i = 0; i < nslices; i++) {
    const slice_t *s = &slice[i];
    pe_stream_t *p = &pe[s->k];
    const uint32_t take = (uint32_t)now[s->k];
    reads += p->line != s->first;
    p->line = s->last;
    const uint32_t hit = (p->stream == take + 1) & (p->row == s->key);
    bypasses += hit;
    if (hits) hits[i] = (uint8_t)hit;
    p->stream = take + s->n + 1;
    p->real = s->real ? take + s->real + 1 : p->real;
    p->row = s->row;
    p->extra += s->n - 1;
  }
  st->reads += reads;
  st->bypasses += bypasses;
  /* The multiply-accumulates, in each PE in stream order. */
  const int16_t *cb = a->ccu.pe.codebook;
  int32_t *acc = f->acc;
  uint32_t sat = 0;
  for (uint32_t i = 0; i < nmacs; i++) {
    const uint32_t m = macs[i];
    acc[m >> EIE_V_W] =
        eie_arith_mac_counted(acc[m >> EIE_V_W], cb[m & (EIE_CB_SIZE - 1u)], v, &sat);
  }
  st->sat += sat;
  st->entries += col->entries;
  st->macs += nmacs;
  /* The stall rule. */
  f->push[x % D] = (int32_t)c;
  if (x + 1 < D) return c;
  const int32_t pushed = f->push[(x + 1) % D] + 1; /* broadcast x + 1 - D's push, + 1 */
  const int32_t until = latest > pushed ? latest : pushed;
  if (until <= (int32_t)c) return c;
  for (uint32_t k = 0; k < N; k++) {
    const int32_t pop = older[k] > pushed ? older[k] : pushed;
    if (pop > (int32_t)c) f->pe[k].stalled += (uint32_t)(pop - (int32_t)c);
  }
  return (uint64_t)until;
}

/* Room for the events of a pass whose PEs hold `entries` entries in all:
 * each PE's ACC (at most one per entry) and the BCASTs (at most one per
 * column). 0 when out of memory. */
static int events_begin(eie_array_t *a, uint64_t entries) {
  struct eie_fast *f = a->fast;
  const eie_ccu_t *cc = &a->ccu;
  if (!grow((void **)&f->acc_ev, &f->cap_acc_ev, entries, sizeof *f->acc_ev) ||
      !grow((void **)&f->bcast_ev, &f->cap_bcast_ev, cc->lnzd.in_len, sizeof *f->bcast_ev))
    return 0;
  uint32_t at = 0;
  for (uint32_t k = 0; k < f->N; k++) {
    const uint16_t *p = a->pe[k].ptr_read.ptr + cc->pe.ptr_pass_base;
    f->at[k] = at;
    f->n[k] = f->next[k] = 0;
    at += (uint32_t)(p[cc->lnzd.in_len] - p[0]);
  }
  f->nbcast = f->next_bcast = f->cycles = 0;
  return 1;
}

/* Cycles 0 .. c of acc_in in use, those new cleared. 0 when out of memory. */
static int events_through(struct eie_fast *f, uint32_t c) {
  if (c < f->cycles) return 1;
  const uint64_t used = (uint64_t)f->words * f->cycles, words = (uint64_t)f->words * (c + 1u);
  if (!grow((void **)&f->acc_in, &f->cap_acc_in, words, sizeof *f->acc_in)) return 0;
  memset(f->acc_in + used, 0, sizeof *f->acc_in * (words - used));
  f->cycles = c + 1u;
  return 1;
}

/* The events of broadcast x (column j, activation v) in cycle c, after
 * broadcast(): its BCAST in cycle c, and an ACC for every multiply-accumulate
 * of its column (its real entries). Entry i of a PE's slice streams in cycle
 * take + 1 + i, is in A1, A2 and A3 in the three cycles after, and A3
 * writes the accumulator in the last of them (§5.5, §5.6); what it writes
 * is the accumulator after the column's multiply-accumulates, as a column
 * holds at most one entry per row of a PE. Its first entry takes the bypass
 * as the stream loop found (f->hit). 0 when out of memory. */
static int record(eie_array_t *a, uint32_t x, const column_t *col, uint32_t j, int16_t v,
                  uint64_t c) {
  struct eie_fast *f = a->fast;
  const eie_ccu2pe_t *cp = &a->ccu.pe;
  const uint32_t N = f->N;
  const int32_t *now = f->take + (size_t)(x % (f->D + 1)) * N;
  f->bcast_ev[f->nbcast++] = (bcast_event_t){(uint32_t)c, (uint16_t)j, v};
  const uint32_t nslices = col->nslices, words = f->words, row0 = cp->row0;
  const slice_t *slice = nslices ? &f->slices[col->slice] : NULL; /* (see broadcast()) */
  const uint32_t *m = col->nmacs ? &f->macs[col->mac] : NULL;
  const uint16_t *x_of = col->nmacs ? &f->at_entry[col->mac] : NULL;
  const int32_t *acc = f->acc;
  for (uint32_t i = 0; i < nslices; i++) {
    const slice_t *s = &slice[i];
    const uint32_t k = s->k, take = (uint32_t)now[k], acc0 = k * (f->R + 1u);
    if (!events_through(f, take + s->n + 4)) return 0;
    /* (Read after events_through, which may move acc_in; written through
     * locals, see broadcast().) */
    uint64_t *in = f->acc_in + k / 64;
    acc_event_t *ev = &f->acc_ev[f->at[k] + f->n[k]];
    const uint16_t bypass = f->hit[i];
    for (uint32_t r = 0; r < s->macs; r++, m++, x_of++) {
      const uint32_t idx = *m >> EIE_V_W, cycle = take + *x_of + 4;
      ev[r] = (acc_event_t){acc[idx], (uint16_t)((row0 + idx - acc0) * N + k),
                            (uint16_t)(*x_of == 0 && bypass)};
      in[(size_t)cycle * words] |= 1ull << (k % 64);
    }
    f->n[k] += s->macs;
  }
  return 1;
}

/* The first cycle from which PE k is empty: S past its last column, A1 past
 * the last entry streamed, A2 and A3 past the last one that was not padding. */
static uint64_t empty_from(const struct eie_fast *f, uint32_t k) {
  const pe_stream_t *p = &f->pe[k];
  uint64_t t = f->last[k] ? (uint64_t)f->last[k] + 1 : 0;
  if (p->stream && p->stream + 1u > t) t = p->stream + 1u;
  if (p->real && p->real + 3u > t) t = p->real + 3u;
  return t;
}

/* SETUP: the whole pass (0 when out of memory). The LNZD's steps are its RUN cycles that do not
 * stall: step 0 reads slot 0, slot l then takes max(1, n_l) steps, one per
 * non-zero selected, and a non-zero selected in step s is broadcast in step
 * s + D_T. The LNZD is exhausted after step max(end of the last slot,
 * last broadcast + 1). Stalls come only after broadcasts. */
static int pass(eie_array_t *a) {
  struct eie_fast *f = a->fast;
  const eie_ccu_t *cc = &a->ccu;
  const eie_ccu2lnzd_t *c = &cc->lnzd;
  const uint32_t N = f->N, D = f->D, depth = a->lnzd.depth;
  if (f->program != cc->program) { /* the memories may have changed since */
    forget(f, a->cfg.ptr_depth);
    f->program = cc->program;
    f->runs = 0;
  }
  f->runs += cc->cycles == 0;
  /* Room for every column of the pass at once (what is not gathered is not
   * touched): growing step by step would copy what was gathered. */
  uint64_t entries = 0;
  for (uint32_t k = 0; k < N; k++) {
    const uint16_t *p = a->pe[k].ptr_read.ptr + cc->pe.ptr_pass_base;
    entries += (uint32_t)(p[c->in_len] - p[0]);
  }
  const uint64_t cols = (uint64_t)c->in_len * N;
  if (!grow((void **)&f->cyc, &f->cap_cyc, f->ncyc + cols, sizeof *f->cyc) ||
      !grow((void **)&f->slices, &f->cap_slices, f->nslices + (entries < cols ? entries : cols),
            sizeof *f->slices) ||
      !room_for_macs(f, entries))
    return 0;
  memset(f->last, 0, sizeof *f->last * N);
  memset(f->take, 0, sizeof *f->take * N * (D + 1));
  const int observed = cc->cb != NULL;
  if (observed && !events_begin(a, entries)) return 0;
  for (uint32_t k = 0; k < N; k++) {
    f->pe[k] = (pe_stream_t){NONE, 0, 0, NONE, 0, 0};
    memset(f->acc + (size_t)k * (f->R + 1u), 0, sizeof *f->acc * cc->pe.pass_rows);
  }
  stream_stats_t st = {0};
  uint64_t t = 0, step = 0, select = 1, stalled = 0, act_reads = 0;
  uint32_t x = 0;
  for (uint32_t l = 0; l < c->slots; l++) {
    const uint32_t in_slot = c->in_len - l * N < N ? c->in_len - l * N : N;
    act_reads += in_slot;
    uint32_t n = 0;
    for (uint32_t k = 0; k < in_slot; k++) {
      const int16_t v = a->pe[k].act_rw.act[c->in_base + l];
      if (!v) continue;
      const column_t *col = column(a, cc->pe.ptr_pass_base + l * N + k);
      if (!col) return 0;
      const uint64_t s = select + n++ + depth; /* its broadcast's step */
      t += s - step;
      step = s + 1;
      const uint64_t until = broadcast(a, x, col, v, t, &st);
      if (observed && !record(a, x, col, l * N + k, v, t)) return 0;
      x++;
      stalled += until - t;
      t = until + 1;
    }
    select += n ? n : 1;
  }
  uint64_t drain = t + (select > step ? select - step : 0); /* the LNZD exhausted */
  for (uint32_t k = 0; k < N; k++) {
    const uint64_t e = empty_from(f, k);
    drain = e > drain ? e : drain;
  }
  /* Nothing above touched the statistics: a pass without memory for its
   * columns or its events leaves them as they were. */
  f->drain = drain;
  f->t = 0;
  eie_stats_t *s = &a->stats;
  for (uint32_t k = 0; k < N; k++) {
    s->pe[k].busy += x ? x + f->pe[k].extra : 0;
    s->pe[k].stalled += f->pe[k].stalled;
  }
  s->act_reads += act_reads;
  s->run_cycles += drain;
  s->stall_cycles += stalled;
  s->broadcasts += x;
  s->ptr_reads += (uint64_t)x * N;
  s->spmat_reads += st.reads;
  s->entries += st.entries;
  s->macs += st.macs;
  s->padding += st.entries - st.macs;
  s->bypasses += st.bypasses;
  s->sat.acc_saturations += st.sat;
  s->layer_sat[cc->layer].acc_saturations += st.sat;
  return 1;
}

int eie_fast_on_reference(const struct eie_fast *f) {
  return f->reference;
}

static void fast_setup(eie_array_t *a) {
  a->fast->reference = !pass(a);
  if (a->fast->reference) eie_reference_datapath.setup(a);
}

/* The events of RUN cycle t, in the reference's order: the PEs' ACC in PE
 * order, then the BCAST. */
static void deliver(eie_array_t *a, uint32_t t) {
  struct eie_fast *f = a->fast;
  for (uint32_t w = 0; t < f->cycles && w < f->words; w++)
    for (uint64_t in = f->acc_in[(size_t)t * f->words + w]; in; in &= in - 1) {
      const uint32_t k = 64 * w + lowest_bit(in);
      const acc_event_t *e = &f->acc_ev[f->at[k] + f->next[k]++];
      /* Each PE's events are read in order, the PEs' by turns: too many
       * streams for the processor to see coming. */
      PREFETCH(e + 16);
      eie_emit(a, EIE_EV_ACC, k, e->index, e->value, e->bypass);
    }
  if (f->next_bcast < f->nbcast && f->bcast_ev[f->next_bcast].cycle == t) {
    const bcast_event_t *e = &f->bcast_ev[f->next_bcast++];
    eie_emit(a, EIE_EV_BCAST, 0, e->j, e->a, 0);
  }
}

static int fast_run(eie_array_t *a) {
  struct eie_fast *f = a->fast;
  if (f->reference) return eie_reference_datapath.run(a);
  if (a->ccu.cb) deliver(a, (uint32_t)f->t);
  return f->t++ == f->drain;
}

/* WB cycle w + 1 delivers the WB events of row w, as the write-back unit
 * writes it then (§5.8): the output now in the activation memory. */
static void deliver_wb(eie_array_t *a, uint32_t w) {
  const eie_ccu2pe_t *c = &a->ccu.pe;
  const uint32_t N = a->cfg.num_pe;
  if (w >= c->pass_rows) return;
  for (uint32_t k = 0; k < N; k++) {
    const uint32_t i = (c->row0 + w) * N + k;
    if (i < c->out_len)
      eie_emit(a, EIE_EV_WB, k, i, a->pe[k].act_rw.act[c->out_base + c->row0 + w], 0);
  }
}

/* The first WB cycle writes every output of the pass, in the write-back's
 * order (the bias of row w is read after row w-1 is written). */
static void fast_wb(eie_array_t *a) {
  const eie_ccu_t *cc = &a->ccu;
  const eie_ccu2pe_t *c = &cc->pe;
  if (a->fast->reference) {
    eie_reference_datapath.wb(a);
    return;
  }
  if (cc->wb_step) {
    if (cc->cb) deliver_wb(a, cc->wb_step - 1);
    return;
  }
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
