/* Sparse-matrix read unit: streams the entries of one column, one per
 * cycle, from 64-bit lines kept in a line buffer; an empty column costs one
 * cycle (§5.5). */
#include "eie_internal.h"

/* Cycles s->now .. c1-1 of the column in S (c1 - 1 at most the column's
 * last cycle): one entry a cycle to the arithmetic unit. */
void eie_pe_spmat_read_stream(eie_array_t *a, eie_pe_t *pe, eie_pe_stream_regs_t *s, uint64_t c1) {
  const uint64_t c0 = s->now;
  const uint32_t cycles = (uint32_t)(c1 - c0);
  s->now = c1;
  const uint32_t left = s->end > s->addr ? s->end - s->addr : 0;
  const uint32_t n = cycles < left ? cycles : left;
  if (n) {
    a->stats.spmat_reads += eie_pe_spmat_read_lines(&s->line, s->addr, n);
    eie_pe_arith_stream(a, pe, c0, n, pe->spmat + s->addr, s->a, s->first);
  }
  s->addr += cycles;
  s->first &= cycles == 0;
}

/* The last cycle of the column in S (the one with addr + 1 >= end). */
uint64_t eie_pe_spmat_read_last(const eie_pe_stream_regs_t *s) { return s->last; }

/* Cycle c, in which S is empty or finishes its column: S takes P, if any.
 * Returns the cycles the column will hold S (the busy statistic): max(1,
 * entries), 0 without a column. */
uint32_t eie_pe_spmat_read_take(eie_pe_stream_regs_t *s, const eie_pe_ptr_regs_t *p, uint64_t c) {
  s->valid = p->valid;
  s->now = c + 1;
  if (!p->valid) return 0;
  s->j = p->j;
  s->a = p->a;
  s->addr = p->start;
  s->end = p->end;
  s->first = 1;
  const uint32_t n = p->end - p->start, cycles = n ? n : 1;
  s->last = c + cycles;
  return cycles;
}
