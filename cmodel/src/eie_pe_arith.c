/* Arithmetic unit: A1 row reconstruction and codebook decode, A2 multiply and
 * accumulator read with bypass, A3 add and write (§5.6).
 *
 * The model does the arithmetic of an entry when the stream unit sends it
 * (cycle c) and keeps what the later stages show in a record of the run of
 * entries it belongs to (entries streamed back to back): A1, A2 and A3 at
 * the start of cycle t are the entries of cycles t-1, t-2 and t-3, and A3's
 * accumulator write (the ACC event) belongs to cycle c+3. Entries are done
 * one at a time in stream order, so A2's accumulator read sees every earlier
 * entry's sum: the value the hardware gets from the accumulators or, when A3
 * holds the same row (entry of cycle c-1), through the bypass. */
#include "eie/eie_arith.h"
#include "eie_internal.h"

/* The run holding the entry of cycle c, if any (c at most 3 cycles before
 * the newest run's end, or later). */
static const eie_pe_arith_run_t *run_at(const eie_pe_t *pe, uint64_t c) {
  for (uint32_t i = 0; i < 4; i++) {
    const eie_pe_arith_run_t *r = &pe->arith[(pe->arith_at - i) & 3];
    if (r->end == EIE_NO_CYCLE || c > r->end) return NULL;
    if (c + r->n > r->end) return r;
  }
  return NULL;
}

/* The multiply-accumulates of n >= 1 entries of one column from row state
 * `last` (rows increase strictly: row = last + z, last = row + 1); w[e] is
 * the codebook weight of entry byte e. A padding entry (v = 0) adds weight
 * 0 to a spare accumulator (index RF_DEPTH) instead of branching: the valid
 * bits gate only what is visible. Returns the row state after the last
 * entry; its sum in *sum. Padding and saturating MACs are counted into
 * *padding and *sat. */
static inline uint32_t mac(int32_t *restrict acc, const int16_t *restrict w, uint32_t spare,
                           const uint8_t *restrict e, uint32_t n, uint32_t last, int16_t act, uint32_t *padding,
                           uint32_t *sat, int32_t *sum) {
  uint32_t pad = 0;
  int32_t s = 0;
  const uint8_t *end = e + n;
  do {
    /* A1: row and codebook; A2: multiply and read; A3: add and write. */
    const uint32_t x = *e, row = last + (x & 0xfu);
    last = row + 1;
    const uint32_t at = x >= 16u ? row : spare;
    pad += x < 16u;
    s = eie_arith_mac_counted(acc[at], w[x], act, sat);
    acc[at] = s;
  } while (++e != end);
  *padding += pad;
  *sum = s;
  return last;
}

/* Saturating MACs of the running layer (§2, §9). */
static inline void count_saturations(eie_array_t *a, uint32_t sat) {
  if (sat) {
    a->stats.sat.acc_saturations += sat;
    a->stats.layer_sat[a->pass.layer].acc_saturations += sat;
  }
}

/* A new run record for n entries ending in cycle `end`, the last at `tail`
 * (row last - 1, UINT32_MAX for last = 0: not known; its sum). */
static inline void record(eie_pe_t *pe, uint64_t end, uint32_t n, const uint8_t *tail, uint32_t last,
                          int32_t sum, uint32_t hit) {
  eie_pe_arith_run_t *r = &pe->arith[++pe->arith_at & 3];
  r->end = end;
  r->n = n;
  r->row = last - 1;
  r->real_row = *tail >> 4 ? last - 1 : UINT32_MAX;
  r->sum = sum;
  r->tail = tail;
  r->bypass = (uint8_t)(hit & (n == 1));
}

/* The bypass: entry e (not padding) of cycle c reaches A2 with the row that
 * A3 writes, the previous run's last (ending in cycle `end`, row `real_row`
 * or UINT32_MAX when it is padding) sent in cycle c-1. */
static inline uint32_t bypass(uint64_t end, uint32_t real_row, uint64_t c, uint32_t last, uint8_t e) {
  return (end + 1 == c) & (real_row == last + (e & 0xfu)) & (e >= 16u);
}

/* The n entries the stream unit sends in cycles c0 .. c0+n-1 (n >= 1), all
 * with activation `act`; `first`: entries[0] starts a column. Only
 * entries[0] can meet A3's row (the bypass). */
void eie_pe_arith_stream(eie_array_t *a, eie_pe_t *pe, uint64_t c0, uint32_t n, const uint8_t *entries,
                         int16_t act, int first) {
  const uint32_t last0 = first ? 0 : pe->last;
  const eie_pe_arith_run_t *r = &pe->arith[pe->arith_at & 3];
  const uint32_t hit = bypass(r->end, r->real_row, c0, last0, entries[0]);
  uint32_t padding = 0, sat = 0;
  int32_t sum;
  pe->last = mac(pe->acc, a->pass.weight, a->pass.rf_depth, entries, n, last0, act, &padding, &sat, &sum);
  count_saturations(a, sat);
  record(pe, c0 + n - 1, n, entries + n - 1, pe->last, sum, hit);
  pe->entries += n;
  pe->padding += padding;
  pe->bypasses += hit;
}

/* Without an observer: the columns of the batch's entries (eie_pe_push), in
 * order, each streamed in cycles take+1 .. take+n (the stream unit's line
 * reads and busy cycles are counted here too). Only the last four runs are
 * recorded, afterwards (A1..A3 and the next bypass look no further back),
 * without what only the events need (row, sum, bypass). */
void eie_pe_arith_batch(eie_array_t *a, eie_pe_t *pe, uint32_t k) {
  const eie_pass_t *ps = &a->pass;
  const eie_pe_batch_t *bt = &a->batch;
  const uint64_t *takes = bt->take + (size_t)k * EIE_BATCH;
  const uint16_t *ptr = pe->ptr + ps->ptr_pass_base;
  const uint8_t *spmat = pe->spmat + ps->entry_base;
  int32_t *acc = pe->acc;
  const int16_t *w = ps->weight;
  const uint32_t spare = ps->rf_depth, nb = bt->n, ebase = ps->entry_base;
  const eie_pe_arith_run_t *r = &pe->arith[pe->arith_at & 3];
  uint64_t prev_end = r->end, hits = 0, entries = 0, reads = 0;
  uint32_t prev_row = r->real_row, padding = 0, sat = 0, line = pe->s.line, empty = 0;
  for (uint32_t i = 0; i < nb; i++) {
    uint32_t start, end;
    eie_pe_ptr_read_column(ptr, bt->j[i], 0, &start, &end);
    const uint32_t n = end - start;
    if (!n) {
      empty++;
      continue;
    }
    reads += eie_pe_spmat_read_lines(&line, ebase + start, n);
    const uint8_t *e = spmat + start;
    hits += bypass(prev_end, prev_row, takes[i] + 1, 0, e[0]);
    int32_t sum;
    const uint32_t last = mac(acc, w, spare, e, n, 0, bt->a[i], &padding, &sat, &sum);
    prev_end = takes[i] + n;
    prev_row = e[n - 1] >= 16u ? last - 1 : UINT32_MAX;
    entries += n;
  }
  /* The runs of the last four non-empty columns, oldest first; only the
   * newest's row is known (prev_row), an older one's reads as none. */
  uint32_t at[4], first[4], count[4], m = 0;
  for (uint32_t i = nb; i-- > 0 && m < 4;) {
    uint32_t start, end;
    eie_pe_ptr_read_column(ptr, bt->j[i], 0, &start, &end);
    if (end == start) continue;
    at[m] = i;
    first[m] = start;
    count[m++] = end - start;
  }
  while (m--)
    record(pe, takes[at[m]] + count[m], count[m], spmat + first[m] + count[m] - 1, m ? 0 : prev_row + 1, 0, 0);
  count_saturations(a, sat);
  pe->s.line = line;
  pe->entries += entries;
  pe->padding += padding;
  pe->bypasses += hits;
  a->stats.spmat_reads += reads;
  a->stats.pe[k].busy += entries + empty; /* a column holds S max(1, n) cycles */
}

/* Cycle c's accumulator write: the ACC event of the entry sent in c-3 (when
 * observed, every run is one entry). */
void eie_pe_arith_retire(const eie_array_t *a, const eie_pe_t *pe, uint32_t k, uint64_t c) {
  const eie_pass_t *ps = &a->pass;
  const eie_pe_arith_run_t *r = run_at(pe, c - 3);
  if (r && r->end == c - 3 && *r->tail >> 4)
    eie_emit_at(ps, c, EIE_EV_ACC, k, (ps->row0 + r->row) * ps->num_pe + k, r->sum, r->bypass);
}

/* Stage A1, A2 or A3 (1..3) holds an entry at the start of cycle t (A1 also
 * holds padding). */
int eie_pe_arith_valid(const eie_pe_t *pe, unsigned stage, uint64_t t) {
  const eie_pe_arith_run_t *r = run_at(pe, t - stage);
  if (!r) return 0;
  return stage == 1 || r->tail[-(int64_t)(r->end - (t - stage))] >> 4 != 0;
}
