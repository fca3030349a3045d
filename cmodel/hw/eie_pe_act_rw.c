/* Activation read/write of a PE (rtl/eie_pe_act_rw.sv): the activation
 * address space (two ping-pong register files and the activation SRAM) with
 * one read port, whose data stays in the SRAM's output register, and one
 * write port (docs/microarchitecture.md §3, §5.7). */
#include "eie_hw.h"

void eie_pe_act_rw_read(eie_pe_act_rw_t *m, uint32_t addr) {
  m->rdata = m->act[addr];
}
void eie_pe_act_rw_write(eie_pe_act_rw_t *m, uint32_t addr, int16_t v) {
  m->act[addr] = v;
}
