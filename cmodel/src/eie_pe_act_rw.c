/* Activation read/write of one PE: the activation address space (two
 * ping-pong register files and the activation SRAM), one read and one write
 * port (docs/microarchitecture.md §3, §5.7). */
#include "eie_internal.h"

int16_t eie_pe_act_read(eie_array_t *a, eie_pe_t *pe, uint32_t addr) {
  a->stats.act_reads++;
  return pe->act[addr];
}

void eie_pe_act_write(eie_array_t *a, eie_pe_t *pe, uint32_t addr, int16_t v) {
  a->stats.act_writes++;
  pe->act[addr] = v;
}
