/* Arithmetic unit: A1 row reconstruction and codebook decode, A2 multiply and
 * accumulator read with bypass, A3 add and write (§5.6). Stages are evaluated
 * from A3 back to A1 so each reads its own register before it is replaced.
 * An empty stage computes on a spare accumulator (index RF_DEPTH) instead of
 * branching: the hardware's valid bits gate only what is architecturally
 * visible (the accumulator write, the events, the counters). */
#include "eie/eie_arith.h"
#include "eie_internal.h"

/* cond ? x : y for cond in {0, 1}, without a branch (these selects depend on
 * data and would mispredict). */
static inline uint32_t sel(int cond, uint32_t x, uint32_t y) {
  const uint32_t m = 0u - (uint32_t)cond;
  return (x & m) | (y & ~m);
}

void eie_pe_arith_step(eie_array_t *a, eie_pe_t *pe, uint32_t k) {
  const eie_pass_t *ps = &a->pass;
  const uint32_t spare = ps->rf_depth;
  /* A3: add and write. */
  const int a3_was = pe->a3_valid;
  const uint32_t a3_row = sel(a3_was, pe->a3_row, spare);
  const int32_t sum = eie_sat32((int64_t)pe->a3_acc_in + pe->a3_prod);
  pe->acc[a3_row] = sum;
  if (ps->cb && a3_was)
    eie_emit(ps, EIE_EV_ACC, k, (ps->row0 + pe->a3_row) * ps->num_pe + k, sum, pe->a3_bypass);
  /* A2: multiply, read the accumulator (bypassing A3's sum on a hit). */
  const int a2 = pe->a2_valid;
  const int hit = a2 & a3_was & (pe->a3_row == pe->a2_row);
  const uint32_t a2_row = sel(a2, pe->a2_row, spare);
  pe->a3_valid = a2;
  pe->a3_row = a2_row;
  pe->a3_prod = (int32_t)pe->a2_w * (int32_t)pe->a2_a;
  pe->a3_acc_in = (int32_t)sel(hit, (uint32_t)sum, (uint32_t)pe->acc[a2_row]);
  pe->a3_bypass = hit;
  a->stats.macs += (uint64_t)a2;
  a->stats.bypasses += (uint64_t)hit;
  /* A1: row and codebook; padding (v = 0) ends here. */
  const int a1 = pe->a1_valid;
  const uint32_t row = sel(pe->a1_first, 0, pe->last) + (pe->a1_entry & 0xfu);
  const unsigned v = pe->a1_entry >> 4;
  pe->last = sel(a1, row + 1, pe->last);
  pe->a2_valid = a1 & (v != 0);
  pe->a2_row = row;
  pe->a2_w = ps->codebook[v];
  pe->a2_a = pe->a1_a;
  a->stats.padding += (uint64_t)(a1 & (v == 0));
  pe->a1_valid = 0;
}
