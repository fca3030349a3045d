/* The Verilated RTL as the eie command sees it: which configurations are
 * built, and one run of a program on the RTL alone or in lock-step with the C
 * model. The command depends only on this header; the implementation lives
 * with the RTL (tb/eie_rtl_engine.c, over eie_cosim.h and eie_rtl.h) and is
 * linked in when the RTL is built, otherwise cmodel/tools/eie_rtl_none.c. */
#ifndef EIE_RTL_ENGINE_H
#define EIE_RTL_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"
#include "eie/eie_params.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How to run. Reports (mismatches, assertions) go to stderr. */
typedef struct {
  const char *name;        /* test name in reports */
  const char *trace_path;  /* FST of the RTL run, or NULL */
  uint64_t max_cycles;     /* timeout (compute cycles) */
  int lockstep;            /* 1: the C model runs beside the RTL, events compared every cycle */
  eie_event_cb rtl_events; /* RTL alone: the RTL's events also go here (or NULL) */
  void *rtl_user;
  const char *rerun; /* the line printed after a mismatch report, or NULL */
} eie_rtl_run_opts_t;

#define EIE_RTL_RUN_COVERAGE 7

/* What a run gives. */
typedef struct {
  uint64_t cycles_rtl;
  uint64_t cycles_model; /* lock-step only */
  double seconds;        /* wall time of the compute phase */
  uint64_t load_ticks;   /* RTL clocks of the load through the host bus */
  /* Waveform time (10 a cycle) of the rising edge that starts cycle 0. */
  uint64_t run_start_time;
  uint64_t events_compared;
  uint64_t mismatches; /* events, cycle counts and assertions that differ */
  int outputs_match;   /* the RTL's outputs equal the expected ones (and the model's) */
  /* The RTL's functional coverage points: queue_full, stall, bypass,
   * padding, empty_column, lnzd_idle, multi_pass. */
  uint64_t coverage[EIE_RTL_RUN_COVERAGE];
  /* The first divergence: its cycle and PE (-1: not one PE's stream). */
  int diverged;
  int64_t div_pe;
  uint64_t div_cycle;
  /* Lock-step: the C model's statistics (has_stats); stats.pe is the caller's to free(). */
  int has_stats;
  eie_stats_t stats;
} eie_rtl_run_t;

typedef struct {
  /* The RTL configurations built into this binary. */
  unsigned (*build_count)(void);
  const char *(*build_name)(unsigned i);
  eie_config_t (*build_config)(unsigned i);
  /* Load prog (input placed) into the RTL, run it, compare: y receives the
   * RTL's outputs (the last layer's out_len values). Returns EIE_OK,
   * EIE_STATUS_MISMATCH, EIE_STATUS_TIMEOUT or EIE_STATUS_BAD_INPUT. */
  eie_status_t (*run)(const eie_program_t *prog, const int16_t *expected,
                      const eie_rtl_run_opts_t *opts, eie_rtl_run_t *res, int16_t *y,
                      eie_err_t *err);
  /* Compare expected events with a run's, stream by stream; counts added to
   * res, the first divergence reported on stderr and kept in res. */
  void (*compare_events)(const char *name, uint32_t num_pe, const eie_event_t *expected,
                         size_t n_expected, const eie_event_t *got, size_t n_got,
                         eie_rtl_run_t *res);
} eie_rtl_engine_t;

/* The RTL engine of this binary; NULL when it was built without the RTL. */
const eie_rtl_engine_t *eie_rtl_engine(void);

#ifdef __cplusplus
}
#endif
#endif
