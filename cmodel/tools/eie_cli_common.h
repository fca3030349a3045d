/* What the eie subcommands share: exit codes and error lines, strict option
 * values, --config files, and a run of a program on the cycle-accurate model. */
#ifndef EIE_CLI_COMMON_H
#define EIE_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "eie/eie_model.h"
#include "eie/eie_params.h"
#include "eie/eie_status.h"
#include "eie/eie_vcd.h"
#include "eie_fsafe.h"

/* Exit codes of every eie command (0: pass). */
#define EIE_EXIT_MISMATCH 1
#define EIE_EXIT_TIMEOUT 2
#define EIE_EXIT_BAD 3

/* "eie: " and fmt with msg for its one %s, a line on stderr; returns code. */
int eie_cli_die(int code, const char *fmt, const char *msg);
/* The exit code of a failed status. */
int eie_cli_exit_for(eie_status_t st);
/* Monotonic wall time in seconds. */
double eie_cli_now(void);

/* An integer (decimal digits, no leading zeros; eie_args.h) in lo..hi for
 * option `opt`, or the line "eie: OPT 'S' is not an integer in lo..hi ..."
 * and -1. */
int eie_cli_parse_long(const char *opt, const char *s, long lo, long hi, long *out);
/* A number in [lo, hi] for option `opt`, or the line "eie: OPT 'S' is not a
 * number in [lo, hi] (decimal)" and -1. */
int eie_cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out);
/* The configuration options of gen and params, for their option tables
 * (<getopt.h>): --pes N, --fifo-depth D, --param NAME=VALUE. */
/* clang-format off */
#define EIE_CLI_CONFIG_OPTIONS               \
  {"pes", required_argument, 0, 'p'},        \
  {"fifo-depth", required_argument, 0, 'f'}, \
  {"param", required_argument, 0, 'P'}
/* clang-format on */
/* Option c of EIE_CLI_CONFIG_OPTIONS ('p', 'f' or 'P') with its value arg
 * into cfg (trace takes 'p' and 'f'); -1 after an error line. */
int eie_cli_config_option(int c, const char *arg, eie_config_t *cfg);
/* Every --config FILE of a command line, wherever it stands, applied first:
 * the other options override the file. Each is recorded in `inputs` (or
 * NULL) so that no output lands on it. 0, or EIE_EXIT_BAD after an error line. */
int eie_cli_apply_config(int argc, char **argv, eie_config_t *cfg, eie_fsafe_inputs_t *inputs);

/* Where the model's events go: a VCD, and/or a list kept in emission order. */
typedef struct {
  eie_vcd_t *vcd;
  int keep;
  eie_event_t *ev;
  size_t n, cap;
  int oom; /* an event could not be kept */
  /* And/or compared, as they come, with a pack's event files (NULL: not). */
  struct eie_pack_event_check *check;
} eie_cli_event_sink_t;
/* An eie_event_cb over an eie_cli_event_sink_t. */
void eie_cli_sink_event(void *user, const eie_event_t *ev);

typedef struct {
  uint64_t cycles;
  double sim_seconds;
  uint64_t load_accesses;  /* host bus accesses of the load (one RTL clock each) */
  uint64_t run_start_time; /* waveform time of cycle 0, as the RTL's FST has it */
} eie_cli_run_t;

/* Run prog (input placed) on the model, loaded as the driver loads it, with
 * progress lines on stderr for long runs; its outputs into y. vcd_path: write
 * a VCD of the run (NULL: none), vcd_name: its name in messages. events: the
 * events, in order, into *events / *num_events (the caller frees them; NULL:
 * not kept). check: each event fed to it as it comes (NULL: none). arr: the
 * array after the run (the caller destroys it; NULL: none). */
eie_status_t eie_cli_simulate(const eie_program_t *prog, int16_t *y, eie_array_t **arr,
                              const char *vcd_path, const char *vcd_name, eie_event_t **events,
                              size_t *num_events, struct eie_pack_event_check *check,
                              uint64_t max_cycles, eie_cli_run_t *res, eie_err_t *err);

#endif
