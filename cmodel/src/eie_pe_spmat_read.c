/* Sparse-matrix read unit: streams the entries of one column, one per
 * cycle, from 64-bit lines kept in a line buffer; an empty column costs one
 * cycle (§5.5). */
#include "eie_internal.h"

/* Cycles s_now .. c1-1 of the column in S (c1 - 1 at most the column's
 * last cycle): one entry a cycle to the arithmetic unit. */
void eie_pe_spmat_read_stream(eie_array_t *a, eie_pe_t *pe, uint64_t c1) {
  const uint64_t c0 = pe->s_now;
  const uint32_t cycles = (uint32_t)(c1 - c0);
  pe->s_now = c1;
  const uint32_t left = pe->s_end > pe->s_addr ? pe->s_end - pe->s_addr : 0;
  const uint32_t n = cycles < left ? cycles : left;
  if (n) {
    /* A line is read when it differs from the line buffer's. */
    const uint32_t first_line = pe->s_addr / EIE_ENTRIES_PER_LINE;
    const uint32_t last_line = (pe->s_addr + n - 1) / EIE_ENTRIES_PER_LINE;
    a->stats.spmat_reads += last_line - first_line + (uint32_t)(pe->line_addr != first_line);
    pe->line_addr = last_line;
    eie_pe_arith_stream(a, pe, c0, n, pe->spmat + pe->s_addr, pe->s_a, pe->s_first);
  }
  pe->s_addr += cycles;
  pe->s_first &= cycles == 0;
}

/* The last cycle of the column in S (the one with addr + 1 >= end). */
uint64_t eie_pe_spmat_read_last(const eie_pe_t *pe) {
  return pe->s_now + (pe->s_end > pe->s_addr ? pe->s_end - pe->s_addr - 1 : 0);
}

/* Cycle c, in which S is empty or finishes its column: S takes P, if any. */
void eie_pe_spmat_read_take(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t c) {
  pe->s_valid = pe->p_valid;
  pe->s_now = c + 1;
  if (!pe->p_valid) return;
  /* Busy statistic: the column will hold S for max(1, entries) cycles. */
  uint32_t n = pe->p_end - pe->p_start;
  a->stats.pe[k].busy += n ? n : 1;
  pe->s_j = pe->p_j;
  pe->s_a = pe->p_a;
  pe->s_addr = pe->p_start;
  pe->s_end = pe->p_end;
  pe->s_first = 1;
}
