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
  const char *name;        /* test name used in reports and the rerun command */
  const char *trace_path;  /* FST of the RTL run, or NULL */
  uint64_t max_cycles;     /* timeout of the run (compute cycles) */
  eie_engine_t engine;     /* EIE_ENGINE_RTL or EIE_ENGINE_BOTH */
  FILE *report;            /* mismatch report (NULL: stderr) */
  eie_event_cb rtl_events; /* EIE_ENGINE_RTL: also give the RTL's events here (or NULL) */
  void *rtl_user;
  const char
      *rerun; /* the command printed after a mismatch report ("make waves PACK=..."), or NULL */
} eie_cosim_opts_t;

typedef struct {
  uint64_t cycles_model, cycles_rtl;
  uint64_t events_compared, mismatches;
  uint64_t load_ticks;  /* RTL clocks spent loading through the host bus */
  int outputs_match;    /* RTL outputs == expected (and == model outputs) */
  double seconds;       /* wall time of the compute phase */
  uint64_t coverage[7]; /* the RTL's functional coverage points (eie_rtl_cov_names order) */
  /* Waveform time (the FST's units, 10 a cycle) of the rising edge that starts cycle 0:
   * cycle c starts at run_start_time + 10 c. */
  uint64_t run_start_time;
  /* The first divergence: its cycle, and its PE (-1: the broadcast stream, the
   * CCU's busy flag or the cycle count). */
  int diverged;
  int64_t div_pe;
  uint64_t div_cycle;
  /* EIE_ENGINE_BOTH: the C model's statistics of the run (valid when has_stats). */
  int has_stats;
  eie_stats_t stats;
} eie_cosim_result_t;

/* Load `prog` (input placed) into the RTL (and the model), run, compare.
 * y_rtl receives the RTL outputs (last layer's out_len values). Returns
 * EIE_OK, EIE_STATUS_MISMATCH, EIE_STATUS_TIMEOUT or EIE_STATUS_BAD_INPUT. */
eie_status_t eie_cosim_run(const eie_program_t *prog, const int16_t *expected,
                           const eie_cosim_opts_t *opts, eie_cosim_result_t *res, int16_t *y_rtl,
                           eie_err_t *err);

/* Waveform time of the rising edge that starts cycle 0 in a run whose host
 * loaded it with `load_writes` bus accesses, then wrote CTRL = CLEAR and CTRL =
 * START (the sequence of eie_cosim_run and `eie run`). */
uint64_t eie_cosim_run_start_time(uint64_t load_writes);
/* Free what a result owns (stats.pe). */
void eie_cosim_result_free(eie_cosim_result_t *res);
/* Compare the expected events (a C model's, e.g. a pack's event files) with the
 * events a run produced, stream by stream, and report the first divergence in
 * the house format on `report` (a line "  rerun with waves: ..." follows when
 * `rerun` is not NULL). Counts go to res->events_compared and res->mismatches,
 * the first divergence to res->diverged/div_pe/div_cycle. */
void eie_cosim_compare_events(const char *name, uint32_t num_pe, const eie_event_t *expected,
                              size_t n_expected, const eie_event_t *got, size_t n_got, FILE *report,
                              eie_cosim_result_t *res);

#ifdef __cplusplus
}
#endif
#endif
