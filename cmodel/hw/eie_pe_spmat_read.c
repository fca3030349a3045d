/* Sparse-matrix read unit (rtl/eie_pe_spmat_read.sv): S streams the entries
 * of one column, one a cycle, from 64-bit lines read into the SRAM's output
 * register (the line buffer), into stage A1; an empty column holds S one
 * cycle (docs/microarchitecture.md §5.5). */
#include <string.h>

#include "eie_hw.h"

void eie_pe_spmat_read_clear(eie_pe_spmat_read_t *s) {
  s->s_valid = 0;
  s->line_valid = 0;
  s->a1_valid = 0;
}

void eie_pe_spmat_read_out(const eie_pe_spmat_read_t *s, eie_pe_wires_t *w) {
  /* S is done with its column (or empty) in this cycle: it takes P. */
  w->s_free = !s->s_valid || s->s_addr + 1 >= s->s_end;
  w->a1_valid = s->a1_valid;
  w->a1_first = s->a1_first;
  w->a1_a = s->a1_a;
  w->a1_entry = s->a1_valid ? s->line_rdata[s->a1_sel] : 0;
}

void eie_pe_spmat_read_step(eie_array_t *a, eie_pe_spmat_read_t *s, const eie_pe_wires_t *w) {
  const int emit = s->s_valid && s->s_addr < s->s_end;
  const uint32_t line = s->s_addr / EIE_ENTRIES_PER_LINE;
  if (emit && (!s->line_valid || line != s->line_addr)) { /* a line read */
    memcpy(s->line_rdata, s->spmat + (size_t)line * EIE_ENTRIES_PER_LINE, EIE_ENTRIES_PER_LINE);
    a->stats.spmat_reads++;
  }
  s->a1_valid = emit;
  s->a1_sel = s->s_addr % EIE_ENTRIES_PER_LINE;
  s->a1_a = s->s_a;
  s->a1_first = s->s_first;
  if (emit) {
    s->line_valid = 1;
    s->line_addr = line;
  }
  if (w->s_free) {
    s->s_valid = w->p_valid;
    if (w->p_valid) {
      s->s_j = w->p_j;
      s->s_a = w->p_a;
      s->s_addr = w->p_start;
      s->s_end = w->p_end;
      s->s_first = 1;
    }
  } else {
    s->s_addr++;
    s->s_first = 0;
  }
}
