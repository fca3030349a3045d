/* Arithmetic unit: A1 row reconstruction and codebook decode, A2 multiply and
 * accumulator read with bypass, A3 add and write (§5.6). Stages are evaluated
 * from A3 back to A1 so each reads its own register before it is replaced. */
#include "eie/eie_arith.h"
#include "eie_internal.h"

void eie_pe_arith_step(eie_array_t *a, eie_pe_t *pe, uint32_t k) {
  const eie_pass_t *ps = &a->pass;
  /* A3: add and write. */
  int32_t sum = 0;
  int a3_was = pe->a3_valid;
  if (a3_was) {
    sum = eie_sat32((int64_t)pe->a3_acc_in + pe->a3_prod);
    pe->acc[pe->a3_row] = sum;
    if (ps->cb)
      eie_emit(ps, EIE_EV_ACC, k, (ps->row0 + pe->a3_row) * ps->num_pe + k, sum, pe->a3_bypass);
  }
  /* A2: multiply, read the accumulator (bypassing A3's sum on a hit). */
  pe->a3_valid = pe->a2_valid;
  if (pe->a2_valid) {
    int hit = a3_was && pe->a3_row == pe->a2_row;
    pe->a3_row = pe->a2_row;
    pe->a3_prod = (int32_t)pe->a2_w * (int32_t)pe->a2_a;
    pe->a3_acc_in = hit ? sum : pe->acc[pe->a2_row];
    pe->a3_bypass = hit;
    a->stats.macs++;
    a->stats.bypasses += (uint64_t)hit;
  }
  /* A1: row and codebook; padding ends here. */
  pe->a2_valid = 0;
  if (pe->a1_valid) {
    uint32_t row = (pe->a1_first ? 0 : pe->last) + (pe->a1_entry & 0xfu);
    unsigned v = pe->a1_entry >> 4;
    pe->last = row + 1;
    if (v) {
      pe->a2_valid = 1;
      pe->a2_row = row;
      pe->a2_w = ps->codebook[v];
      pe->a2_a = pe->a1_a;
    } else {
      a->stats.padding++;
    }
    pe->a1_valid = 0;
  }
}
