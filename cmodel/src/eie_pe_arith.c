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

/* The n entries the stream unit sends in cycles c0 .. c0+n-1 (n >= 1), all
 * with activation `act`; `first`: entries[0] starts a column. Rows increase
 * strictly from one entry to the next (row = last + z, last = row + 1), so
 * only entries[0] can meet A3's row (the bypass). A padding entry (v = 0)
 * adds cb[0] = 0 to a spare accumulator (index RF_DEPTH) instead of
 * branching: the valid bits gate only what is visible. */
void eie_pe_arith_stream(eie_array_t *a, eie_pe_t *pe, uint64_t c0, uint32_t n, const uint8_t *entries,
                         int16_t act, int first) {
  const int16_t *cb = a->pass.codebook;
  const uint32_t spare = a->pass.rf_depth;
  int32_t *acc = pe->acc;
  uint32_t last = first ? 0 : pe->last;
  /* A3 holds the previous cycle's entry (not padding) when entries[0]
   * (not padding) reaches A2. */
  const eie_pe_arith_run_t *p = &pe->arith[pe->arith_at & 3];
  const int hit = (p->end == c0 - 1) & (entries[0] >> 4 != 0) & (*p->tail >> 4 != 0) & (p->row == last + (entries[0] & 0xfu));
  uint32_t padding = 0;
  int32_t sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    /* A1: row and codebook; A2: multiply and read; A3: add and write. */
    const uint32_t row = last + (entries[i] & 0xfu);
    const unsigned v = entries[i] >> 4;
    const uint32_t r = v ? row : spare;
    last = row + 1;
    sum = eie_arith_mac(acc[r], cb[v], act);
    acc[r] = sum;
    padding += v == 0;
  }
  pe->last = last;
  eie_pe_arith_run_t *s = &pe->arith[++pe->arith_at & 3];
  s->end = c0 + n - 1;
  s->n = n;
  s->row = last - 1;
  s->sum = sum;
  s->tail = entries + n - 1;
  s->bypass = (uint8_t)(hit & (n == 1));
  a->stats.macs += n - padding;
  a->stats.padding += padding;
  a->stats.bypasses += (uint64_t)hit;
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
