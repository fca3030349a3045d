/* One processing element (rtl/eie_pe.sv): its units in pipeline order,
 * activation queue -> pointer read (P) -> sparse-matrix read (S, A1) ->
 * arithmetic (A2, A3), and the write-back (docs/microarchitecture.md
 * §5.3-5.8). */
#include "eie_hw.h"

/* SETUP: every unit empty, the accumulators 0. */
void eie_pe_clear(eie_pe_t *pe, const eie_config_t *cfg) {
  eie_pe_act_queue_clear(&pe->act_queue);
  eie_pe_ptr_read_clear(&pe->ptr_read);
  eie_pe_spmat_read_clear(&pe->spmat_read);
  eie_pe_arith_clear(&pe->arith, cfg);
  eie_pe_writeback_clear(&pe->writeback);
}

/* pe2ccu_empty: queue, P, S and the arithmetic stages all empty. */
int eie_pe_empty(const eie_pe_t *pe) {
  return !pe->act_queue.count && !pe->ptr_read.p_valid && !pe->spmat_read.s_valid &&
         !eie_pe_arith_busy(&pe->arith, &pe->spmat_read);
}

/* A RUN cycle (not the drain-detect one), with the LNZD's wires. */
void eie_pe_run_step(eie_array_t *a, uint32_t k, const eie_lnzd_out_t *lnzd) {
  eie_pe_t *pe = &a->pe[k];
  const eie_ccu2pe_t *c = &a->ccu.pe;
  const uint32_t depth = a->cfg.fifo_depth;
  eie_pe_wires_t w;
  /* The wires, from the registers at the start of the cycle. */
  eie_pe_act_queue_out(&pe->act_queue, depth, &w);
  eie_pe_spmat_read_out(&pe->spmat_read, &w);
  eie_pe_ptr_read_out(&pe->ptr_read, c, &w);
  a->stats.pe[k].busy += (uint64_t)pe->spmat_read.s_valid;
  a->stats.pe[k].stalled += (uint64_t)w.q_full;
  /* Every unit's next state. */
  eie_pe_arith_step(a, &pe->arith, k, c, &w);
  eie_pe_spmat_read_step(a, &pe->spmat_read, &w);
  eie_pe_ptr_read_step(a, &pe->ptr_read, c, &w);
  eie_pe_act_queue_step(&pe->act_queue, depth, lnzd, &w);
  if (lnzd->act_re) eie_pe_act_rw_read(&pe->act_rw, lnzd->act_addr);
}

/* A WB cycle. */
void eie_pe_wb_step(eie_array_t *a, uint32_t k) {
  eie_pe_writeback_step(a, &a->pe[k], k);
}
