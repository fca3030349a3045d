/* Lock-step co-simulation of the C model and the Verilated RTL: both advance
 * in one loop, their event streams are compared every cycle, and at the end
 * their outputs and cycle counts. The first divergence is reported in the
 * house format (cycle, PE, field, both values, how many more, rerun command). */
#ifndef EIE_COSIM_H
#define EIE_COSIM_H

#include <stdint.h>
#include <stdio.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { EIE_ENGINE_CMODEL = 0, EIE_ENGINE_RTL = 1, EIE_ENGINE_BOTH = 2 } eie_engine_t;

typedef struct {
  const char *name;       /* test name used in reports and the rerun command */
  const char *trace_path; /* FST of the RTL run, or NULL */
  uint64_t max_cycles;    /* timeout of the run (compute cycles) */
  eie_engine_t engine;    /* EIE_ENGINE_RTL or EIE_ENGINE_BOTH */
  FILE *report;           /* mismatch report (NULL: stderr) */
  eie_event_cb rtl_events; /* EIE_ENGINE_RTL: also give the RTL's events here (or NULL) */
  void *rtl_user;
} eie_cosim_opts_t;

typedef struct {
  uint64_t cycles_model, cycles_rtl;
  uint64_t events_compared, mismatches;
  uint64_t load_ticks;    /* RTL clocks spent loading through the host bus */
  int outputs_match;      /* RTL outputs == expected (and == model outputs) */
  double seconds;         /* wall time of the compute phase */
  uint64_t coverage[7];   /* the RTL's functional coverage points (eie_rtl_cov_names order) */
} eie_cosim_result_t;

/* Load `prog` (input placed) into the RTL (and the model), run, compare.
 * y_rtl receives the RTL outputs (last layer's out_len values). Returns
 * EIE_OK, EIE_STATUS_MISMATCH, EIE_STATUS_TIMEOUT or EIE_STATUS_BAD_INPUT. */
eie_status_t eie_cosim_run(const eie_program_t *prog, const int16_t *expected,
                           const eie_cosim_opts_t *opts, eie_cosim_result_t *res, int16_t *y_rtl,
                           eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
