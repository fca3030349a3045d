/* Statistics of a run (docs/microarchitecture.md §9) and names of events. */
#include "eie/eie_model.h"

const char *eie_event_kind_name(eie_event_kind_t k) {
  return k == EIE_EV_BCAST ? "BCAST" : k == EIE_EV_ACC ? "ACC" : k == EIE_EV_WB ? "WB" : "?";
}

double eie_stats_load_efficiency(const eie_stats_t *s) {
  if (!s->run_cycles || !s->num_pe) return 0.0;
  uint64_t busy = 0;
  for (uint32_t k = 0; k < s->num_pe; k++) busy += s->pe[k].busy;
  return (double)busy / ((double)s->num_pe * (double)s->run_cycles);
}

/* Energy per operation in pJ, the one place these numbers live
 * (docs/microarchitecture.md §9: 45 nm, Horowitz ISSCC 2014, 5 pJ per 32-bit
 * SRAM access). Queue and register traffic is not counted. */
static const double kPjSpmatLine = 10.0; /* 64-bit sparse-matrix line read: 2 x 5 */
static const double kPjPtrPair = 5.0;    /* pointer pair p[j], p[j+1]: 32 bits */
static const double kPjAct = 2.5;        /* activation read or write: 16 of 32 bits */
static const double kPjMul16 = 0.78;     /* 16-bit multiply: 3.1 x (16/32)^2 = 0.775, rounded */
static const double kPjAdd32 = 0.1;      /* 32-bit add */

double eie_stats_energy_pj(const eie_stats_t *s) {
  return kPjSpmatLine * (double)s->spmat_reads + kPjPtrPair * (double)s->ptr_reads +
         kPjAct * (double)(s->act_reads + s->act_writes) + (kPjMul16 + kPjAdd32) * (double)s->macs;
}
