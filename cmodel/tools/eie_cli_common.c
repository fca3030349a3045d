/* What the eie subcommands share (see eie_cli_common.h). */
#define _POSIX_C_SOURCE 200809L
#include "eie_cli_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eie/eie_driver.h"
#include "eie_args.h"
#include "eie_pack.h"

int eie_cli_die(int code, const char *fmt, const char *msg) {
  fprintf(stderr, "eie: ");
  fprintf(stderr, fmt, msg);
  fprintf(stderr, "\n");
  return code;
}

int eie_cli_exit_for(eie_status_t st) {
  return st == EIE_STATUS_TIMEOUT    ? EIE_EXIT_TIMEOUT
         : st == EIE_STATUS_MISMATCH ? EIE_EXIT_MISMATCH
                                     : EIE_EXIT_BAD;
}

double eie_cli_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int eie_cli_parse_long(const char *opt, const char *s, long lo, long hi, long *out) {
  long long v;
  if (eie_args_int(s, lo, hi, &v)) {
    fprintf(stderr,
            "eie: %s '%s' is not an integer in %ld..%ld (decimal digits, no leading zeros)\n", opt,
            s, lo, hi);
    return -1;
  }
  *out = (long)v;
  return 0;
}

int eie_cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out) {
  if (eie_args_real(s, lo, hi, out)) {
    fprintf(stderr, "eie: %s '%s' is not a number in [%g, %g] (decimal)\n", opt, s, lo, hi);
    return -1;
  }
  return 0;
}

/* --param NAME=VALUE into cfg; -1 after an error line. */
static int parse_param(eie_config_t *cfg, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq) {
    fprintf(stderr, "eie: --param '%s' is not NAME=VALUE\n", arg);
    return -1;
  }
  char name[64];
  snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
  long v;
  if (eie_cli_parse_long("--param", eq + 1, 0, 1L << 30, &v)) return -1;
  eie_err_t e;
  if (eie_config_set(cfg, name, v, &e)) {
    fprintf(stderr, "eie: --param %s\n", e.msg);
    return -1;
  }
  return 0;
}

int eie_cli_config_option(int c, const char *arg, eie_config_t *cfg) {
  long v;
  if (c == 'P') return parse_param(cfg, arg);
  if (c == 'p') {
    if (eie_cli_parse_long("--pes", arg, EIE_NUM_PE_MIN, EIE_NUM_PE_MAX, &v)) return -1;
    cfg->num_pe = (uint32_t)v;
  } else {
    if (eie_cli_parse_long("--fifo-depth", arg, EIE_FIFO_DEPTH_MIN, EIE_FIFO_DEPTH_MAX, &v))
      return -1;
    cfg->fifo_depth = (uint32_t)v;
  }
  return 0;
}

/* --config FILE: a JSON object of parameters ({"NUM_PE": 16, "FIFO_DEPTH": 4}), or a
 * pack's manifest.json (its "config"). */
static int load_config_file(const char *path, eie_config_t *cfg) {
  json_t *j;
  eie_err_t e;
  if (eie_fsafe_read_json(NULL, path, &j, &e)) {
    fprintf(stderr, "eie: gen: --config %s\n", e.msg);
    return EIE_EXIT_BAD;
  }
  json_t *c = json_is_object(json_object_get(j, "config")) ? json_object_get(j, "config") : j;
  int rc = 0;
  if (!json_is_object(c))
    rc = eie_cli_die(EIE_EXIT_BAD, "%s: not a JSON object of parameters", path);
  else if (eie_config_from_json(c, path, cfg, &e) || eie_config_validate(cfg, &e))
    rc = eie_cli_die(EIE_EXIT_BAD, "%s", e.msg);
  json_decref(j);
  return rc;
}

int eie_cli_apply_config(int argc, char **argv, eie_config_t *cfg, eie_fsafe_inputs_t *inputs) {
  for (int i = 1; i < argc; i++) {
    const char *path = !strcmp(argv[i], "--config") && i + 1 < argc ? argv[i + 1]
                       : !strncmp(argv[i], "--config=", 9)          ? argv[i] + 9
                                                                    : NULL;
    if (path && load_config_file(path, cfg)) return EIE_EXIT_BAD;
    if (path && inputs) eie_fsafe_add_input(inputs, path, 0);
  }
  return 0;
}

void eie_cli_sink_event(void *user, const eie_event_t *ev) {
  eie_cli_event_sink_t *s = user;
  if (s->vcd) eie_vcd_event(s->vcd, ev);
  if (s->check) eie_pack_events_feed(s->check, ev);
  if (!s->keep || s->oom) return;
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 4096;
    eie_event_t *p = realloc(s->ev, cap * sizeof *p);
    if (!p) {
      s->oom = 1;
      return;
    }
    s->ev = p;
    s->cap = cap;
  }
  s->ev[s->n++] = *ev;
}

/* The model's run to DONE, with a progress line on stderr every 2 s. */
typedef struct {
  eie_array_t *a;
  double start, last_report;
  eie_vcd_t *vcd; /* or NULL */
} progress_t;

static eie_status_t wait_with_progress(progress_t *pb, uint64_t max_cycles) {
  uint64_t c = 0;
  while (eie_array_busy(pb->a)) {
    for (int n = 0; n < 4096 && eie_array_busy(pb->a); n++, c++) {
      if (c >= max_cycles) return EIE_STATUS_TIMEOUT; /* exact: cycle max_cycles never runs */
      if (pb->vcd) eie_vcd_capture(pb->vcd, pb->a);
      eie_array_tick(pb->a);
      if (pb->vcd) eie_vcd_cycle(pb->vcd, c);
    }
    double t = eie_cli_now();
    if (t - pb->last_report > 2.0) {
      fprintf(stderr, "eie: simulating, cycle %llu (%.0f s)\n", (unsigned long long)c,
              t - pb->start);
      pb->last_report = t;
    }
  }
  return EIE_OK;
}

/* CLEAR, START, and the run to DONE; the cycle count into res. */
static eie_status_t start_and_wait(progress_t *pb, uint64_t max_cycles, eie_cli_run_t *res,
                                   eie_err_t *err) {
  eie_array_t *a = pb->a;
  pb->start = pb->last_report = eie_cli_now();
  if (eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_CLEAR) ||
      eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "bus refused START");
  if (!eie_array_busy(a))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "START refused: %s", eie_array_error(a));
  double t0 = eie_cli_now();
  eie_status_t st = wait_with_progress(pb, max_cycles);
  res->sim_seconds = eie_cli_now() - t0;
  if (st) return eie_fail(err, st, "no DONE within %llu cycles", (unsigned long long)max_cycles);
  uint32_t lo, hi;
  eie_array_bus_read(a, EIE_REG_CYCLES_LO, &lo);
  eie_array_bus_read(a, EIE_REG_CYCLES_HI, &hi);
  res->cycles = (uint64_t)hi << 32 | lo;
  eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_CLEAR);
  return EIE_OK;
}

eie_status_t eie_cli_simulate(const eie_program_t *prog, int16_t *y, eie_array_t **arr,
                              const char *vcd_path, const char *vcd_name, eie_event_t **events,
                              size_t *num_events, struct eie_pack_event_check *check,
                              uint64_t max_cycles, eie_cli_run_t *res, eie_err_t *err) {
  eie_array_t *a;
  eie_status_t st = eie_array_create(&prog->cfg, &a, err);
  if (st) return st;
  progress_t pb = {a, 0, 0, NULL};
  eie_cli_event_sink_t sink = {NULL, events != NULL, NULL, 0, 0, 0, check};
  if (vcd_path) {
    if ((st = eie_vcd_open(vcd_path, a, &pb.vcd, err))) {
      eie_array_destroy(a);
      return st;
    }
    sink.vcd = pb.vcd;
  }
  /* Event files are written from the reference datapath, the definition of
   * the events (and the VCD needs its units' state); a pack's files are
   * checked against the fast engine's events, which the property tests hold
   * equal to the reference's: every eie gen then eie run compares the two. */
  if (vcd_path || events)
    eie_array_set_event_cb(a, eie_cli_sink_event, &sink);
  else if (check)
    eie_array_set_event_cb_fast(a, eie_cli_sink_event, &sink);
  eie_bus_t bus = eie_model_bus(a);
  uint64_t accesses;
  if ((st = eie_driver_load_array(a, prog, &accesses, err))) goto out;
  res->load_accesses = accesses;
  /* As eie_cosim_run_start_time: reset (2 clocks), the load, CLEAR, START. */
  res->run_start_time = 20 + 10 * (accesses + 1) + 5;
  if (pb.vcd) eie_vcd_set_origin(pb.vcd, res->run_start_time);
  if ((st = start_and_wait(&pb, max_cycles, res, err))) goto out;
  st = eie_driver_read_output(&bus, prog, y, err);
  if (!st && sink.oom)
    st = eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the event streams");
out:
  if (events && !st) {
    *events = sink.ev;
    *num_events = sink.n;
  } else {
    free(sink.ev);
  }
  if (pb.vcd) {
    eie_err_t e2;
    eie_status_t st2 = eie_vcd_close(pb.vcd, &e2);
    if (st2 && !st) st = eie_fail(err, st2, "%s: %s", vcd_name, e2.msg);
  }
  if (st || !arr)
    eie_array_destroy(a);
  else
    *arr = a;
  return st;
}
