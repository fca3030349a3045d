/* The RTL engine of the eie command (cmodel/tools/lib/eie_rtl_engine.h):
 * the RTL builds of eie_rtl.h and the co-simulation of eie_cosim.h. */
#include "eie_rtl_engine.h"

#include <stdio.h>
#include <string.h>

#include "eie_cosim.h"
#include "eie_rtl.h"

_Static_assert(sizeof(((eie_rtl_run_t *)0)->coverage) ==
                   sizeof(((eie_cosim_result_t *)0)->coverage),
               "one coverage point per eie_rtl_cov_names entry");

/* The fields of eie_rtl_run_t, each as eie_cosim_result_t names it. */
/* clang-format off */
#define RUN_FIELDS(X)                                                      \
  X(cycles_rtl) X(cycles_model) X(seconds) X(load_ticks) X(run_start_time) \
  X(events_compared) X(mismatches) X(outputs_match)                        \
  X(diverged) X(div_pe) X(div_cycle) X(has_stats) X(stats)
/* clang-format on */
#define COPY_FIELD(f) to->f = from->f;

static void from_cosim(const eie_cosim_result_t *from, eie_rtl_run_t *to) {
  RUN_FIELDS(COPY_FIELD)
  memcpy(to->coverage, from->coverage, sizeof to->coverage);
}

static void to_cosim(const eie_rtl_run_t *from, eie_cosim_result_t *to) {
  memset(to, 0, sizeof *to);
  RUN_FIELDS(COPY_FIELD)
  memcpy(to->coverage, from->coverage, sizeof to->coverage);
}

static eie_status_t run(const eie_program_t *prog, const int16_t *expected,
                        const eie_rtl_run_opts_t *o, eie_rtl_run_t *res, int16_t *y,
                        eie_err_t *err) {
  const eie_cosim_opts_t co = {.name = o->name,
                               .trace_path = o->trace_path,
                               .max_cycles = o->max_cycles,
                               .engine = o->lockstep ? EIE_ENGINE_BOTH : EIE_ENGINE_RTL,
                               .report = stderr,
                               .rtl_events = o->rtl_events,
                               .rtl_user = o->rtl_user,
                               .rerun = o->rerun};
  eie_cosim_result_t r;
  const eie_status_t st = eie_cosim_run(prog, expected, &co, &r, y, err);
  from_cosim(&r, res); /* stats.pe now the caller's */
  return st;
}

static void compare_events(const char *name, uint32_t num_pe, const eie_event_t *expected,
                           size_t n_expected, const eie_event_t *got, size_t n_got,
                           eie_rtl_run_t *res) {
  eie_cosim_result_t r;
  to_cosim(res, &r);
  eie_cosim_compare_events(name, num_pe, expected, n_expected, got, n_got, stderr, &r);
  from_cosim(&r, res);
}

const eie_rtl_engine_t *eie_rtl_engine(void) {
  static const eie_rtl_engine_t engine = {eie_rtl_variant_count, eie_rtl_variant_name,
                                          eie_rtl_variant_config, run, compare_events};
  return &engine;
}
