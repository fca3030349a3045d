/* Sparse-matrix read unit: streams the entries of one column, one per
 * cycle, from 64-bit lines kept in a line buffer; an empty column costs one
 * cycle (§5.5). */
#include "eie_internal.h"

int eie_pe_spmat_read_step(eie_array_t *a, eie_pe_t *pe) {
  int done = 1;
  if (pe->s_valid) {
    if (pe->s_addr < pe->s_end) {
      const uint32_t line = pe->s_addr / EIE_ENTRIES_PER_LINE;
      a->stats.spmat_reads += (uint64_t)(!pe->line_valid | (line != pe->line_addr));
      pe->line_valid = 1;
      pe->line_addr = line;
      pe->a1_valid = 1;
      pe->a1_entry = pe->spmat[pe->s_addr];
      pe->a1_a = pe->s_a;
      pe->a1_first = pe->s_first;
    }
    done = pe->s_addr + 1 >= pe->s_end;
  }
  if (!done) {
    pe->s_addr++;
    pe->s_first = 0;
    return 0;
  }
  /* S is empty or finishes this cycle: take the column in P, if any. */
  pe->s_valid = pe->p_valid;
  if (pe->p_valid) {
    /* Busy statistic: the column will hold S for max(1, entries) cycles. */
    uint32_t n = pe->p_end - pe->p_start;
    a->stats.pe[pe - a->pe].busy += n ? n : 1;
    pe->s_j = pe->p_j;
    pe->s_a = pe->p_a;
    pe->s_addr = pe->p_start;
    pe->s_end = pe->p_end;
    pe->s_first = 1;
  }
  return 1;
}
