/* eie: generate vector packs, run them on the cycle-accurate model, trace
 * cycles. Exit codes: 0 pass, 1 mismatch, 2 timeout, 3 bad input. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "eie/eie_compress.h"
#include "eie/eie_driver.h"
#include "eie/eie_example.h"
#include "eie/eie_model.h"
#include "eie/eie_npy.h"
#include "eie/eie_quantize.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"
#include "eie/eie_vcd.h"
#include "eie_args.h"
#include "eie_fsafe.h"
#include "eie_netspec.h"
#include "eie_pack.h"
#include "eie_sweep.h"
#ifdef EIE_WITH_RTL
#include "eie_cosim.h"
#include "eie_rtl.h"
#endif

#define EXIT_MISMATCH 1
#define EXIT_TIMEOUT 2
#define EXIT_BAD 3

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int die(int code, const char *fmt, const char *msg) {
  fprintf(stderr, "eie: ");
  fprintf(stderr, fmt, msg);
  fprintf(stderr, "\n");
  return code;
}

static int exit_for(eie_status_t st) {
  return st == EIE_STATUS_TIMEOUT ? EXIT_TIMEOUT : st == EIE_STATUS_MISMATCH ? EXIT_MISMATCH : EXIT_BAD;
}

/* Parse an integer option strictly: decimal digits, no leading zeros (eie_args.h). */
static int parse_long(const char *opt, const char *s, long lo, long hi, long *out) {
  long long v;
  if (eie_args_int(s, lo, hi, &v)) {
    fprintf(stderr, "eie: %s '%s' is not an integer in %ld..%ld (decimal digits, no leading zeros)\n", opt,
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

/* --param NAME=VALUE */
static int parse_param(eie_config_t *cfg, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq) {
    fprintf(stderr, "eie: --param '%s' is not NAME=VALUE\n", arg);
    return -1;
  }
  char name[64];
  snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
  long v;
  if (parse_long("--param", eq + 1, 0, 1L << 30, &v)) return -1;
  eie_err_t e;
  if (eie_config_set(cfg, name, v, &e)) {
    fprintf(stderr, "eie: --param %s\n", e.msg);
    return -1;
  }
  return 0;
}

/* Run a program on the model through the driver; progress on stderr for long runs. */
typedef struct {
  eie_array_t *a;
  double start, last_report;
  eie_vcd_t *vcd; /* or NULL */
} progress_bus_t;

static eie_status_t wait_with_progress(void *ctx, uint64_t max_cycles) {
  progress_bus_t *pb = ctx;
  uint64_t c = 0;
  while (eie_array_busy(pb->a)) {
    for (int n = 0; n < 4096 && eie_array_busy(pb->a); n++, c++) {
      if (c >= max_cycles) return EIE_STATUS_TIMEOUT; /* exact: cycle max_cycles never runs */
      if (pb->vcd) eie_vcd_capture(pb->vcd, pb->a);
      eie_array_tick(pb->a);
      if (pb->vcd) eie_vcd_cycle(pb->vcd, c);
    }
    double t = now_s();
    if (t - pb->last_report > 2.0) {
      fprintf(stderr, "eie: simulating, cycle %llu (%.0f s)\n", (unsigned long long)c, t - pb->start);
      pb->last_report = t;
    }
  }
  return EIE_OK;
}

typedef struct {
  uint64_t cycles;
  double sim_seconds;
  uint64_t load_accesses; /* host bus accesses of the load (one RTL clock each) */
} run_result_t;

/* A bus that counts accesses: the load's length in RTL clocks, so that the
 * model's VCD puts cycle 0 where the RTL's FST has it. */
typedef struct {
  eie_bus_t inner;
  uint64_t n;
} count_bus_t;
static eie_bus_status_t count_write(void *ctx, uint32_t addr, uint32_t data) {
  count_bus_t *c = ctx;
  c->n++;
  return c->inner.write(c->inner.ctx, addr, data);
}
static eie_bus_status_t count_read(void *ctx, uint32_t addr, uint32_t *data) {
  count_bus_t *c = ctx;
  c->n++;
  return c->inner.read(c->inner.ctx, addr, data);
}
static eie_status_t count_wait(void *ctx, uint64_t max_cycles) {
  count_bus_t *c = ctx;
  return c->inner.wait_done(c->inner.ctx, max_cycles);
}

/* Where the model's events go: a VCD, and/or a list kept for the pack. */
typedef struct {
  eie_vcd_t *vcd;
  int keep;
  eie_event_t *ev;
  size_t n, cap;
  int oom;
} event_sink_t;

static void sink_event(void *user, const eie_event_t *ev) {
  event_sink_t *s = user;
  if (s->vcd) eie_vcd_event(s->vcd, ev);
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

/* vcd_path: write a VCD of the model's run (NULL: none), vcd_name: its name in
 * messages. keep: the events,
 * in order, into *events / *num_events (the caller frees them). */
static eie_status_t simulate(const eie_program_t *prog, int16_t *y, eie_array_t **arr,
                             const char *vcd_path, const char *vcd_name, eie_event_t **events, size_t *num_events,
                             uint64_t max_cycles, run_result_t *res, eie_err_t *err) {
  eie_array_t *a;
  eie_status_t st = eie_array_create(&prog->cfg, &a, err);
  if (st) return st;
  progress_bus_t pb = {a, 0, 0, NULL};
  event_sink_t sink = {NULL, events != NULL, NULL, 0, 0, 0};
  if (vcd_path) {
    if ((st = eie_vcd_open(vcd_path, a, &pb.vcd, err))) {
      eie_array_destroy(a);
      return st;
    }
    sink.vcd = pb.vcd;
  }
  if (vcd_path || events) eie_array_set_event_cb(a, sink_event, &sink);
  eie_bus_t bus = eie_model_bus(a);
  count_bus_t cb = {bus, 0};
  eie_bus_t cbus = {&cb, count_write, count_read, count_wait};
  if ((st = eie_driver_load(&cbus, prog, err))) goto out;
  res->load_accesses = cb.n;
  /* As eie_cosim_run_start_time: reset (2 clocks), the load, CLEAR, START. */
  if (pb.vcd) eie_vcd_set_origin(pb.vcd, 20 + 10 * (cb.n + 1) + 5);
  pb.start = pb.last_report = now_s();
  /* Start and wait with progress. */
  if (eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_CLEAR) ||
      eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START)) {
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "bus refused START");
    goto out;
  }
  if (!eie_array_busy(a)) {
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "START refused: %s", eie_array_error(a));
    goto out;
  }
  double t0 = now_s();
  st = wait_with_progress(&pb, max_cycles);
  res->sim_seconds = now_s() - t0;
  if (st) {
    eie_fail(err, st, "no DONE within %llu cycles", (unsigned long long)max_cycles);
    goto out;
  }
  uint32_t lo, hi;
  eie_array_bus_read(a, EIE_REG_CYCLES_LO, &lo);
  eie_array_bus_read(a, EIE_REG_CYCLES_HI, &hi);
  res->cycles = (uint64_t)hi << 32 | lo;
  eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_CLEAR);
  st = eie_driver_read_output(&bus, prog, y, err);
  if (!st && sink.oom) st = eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the event streams");
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

/* ---- eie gen --------------------------------------------------------------------- */

static const char *gen_help =
    "usage: eie gen (--weights W.npy --input a.npy [--bias b.npy] [--calibrate C.npy] |\n"
    "                --network SPEC.json [--calibrate C.npy] | --random MxK [--act-density X] [--seed S] |\n"
    "                --random-net K,H,..,M [--act-density X] [--seed S] | --example paper)\n"
    "               [--density X] [--pes N] [--fifo-depth D] [--param NAME=VALUE] [--config FILE]\n"
    "               [--no-events] [--relu | --no-relu] [--weight-frac F] [--input-frac F] [--headroom B]\n"
    "               [--strict] [--force] [-q] -o DIR\n"
    "\n"
    "Compress a fully connected layer (prune, share weights, fixed point), encode it as\n"
    "interleaved CSC for the configured array, simulate it, and write a vector pack DIR.\n"
    "\n"
    "  --weights FILE      weights, shape (out, in): float32/float64, or int16 fixed point\n"
    "                      (Q14, or Q--weight-frac)\n"
    "  --input FILE        input activations, shape (in,): float32/float64 or int16\n"
    "  --bias FILE         optional bias, shape (out,): float32/float64\n"
    "  --random MxK        instead of files: random normal weights and non-negative inputs\n"
    "  --example paper     the paper's 16x8 worked example (Fig. 2/3), already quantized\n"
    "  --network SPEC.json a network: input and per-layer weights, bias, density, relu\n"
    "                      (docs/formats.md), each layer compressed on the previous outputs\n"
    "  --random-net K,H,..,M  a random multi-layer network (1..16 layers, widths K -> .. -> M),\n"
    "                      each layer quantized on the previous layer's fixed-point outputs\n"
    "  --act-density X     with --random: fraction of non-zero inputs (default 0.35)\n"
    "  --density X         keep this fraction of weights by magnitude (default: keep the given\n"
    "                      sparsity; with --random 0.1)\n"
    "  --seed S            seed of --random (default 1)\n"
    "  --pes N             processing elements, 1..256 (default 64)\n"
    "  --fifo-depth D      activation queue entries, 1..256 (default 8)\n"
    "  --param NAME=VALUE  any runtime parameter (SPMAT_LINES, PTR_DEPTH, RF_DEPTH, ACT_SRAM_DEPTH)\n"
    "  --config FILE       parameters from a JSON object ({\"NUM_PE\": 16, ...}) or a pack's\n"
    "                      manifest.json; --pes, --fifo-depth and --param override it\n"
    "  --no-events         leave out the expected event streams (pe<k>_events.txt, bcast_events.txt)\n"
    "  --relu / --no-relu  apply ReLU at write-back (default --relu)\n"
    "  --weight-frac F     codebook fraction bits, kept even if the accumulator saturates\n"
    "                      (default: chosen so that it does not; docs/formats.md)\n"
    "  --input-frac F      input fraction bits, kept likewise (default: chosen; an int16\n"
    "                      input is Q8, or Q--input-frac, and keeps that format)\n"
    "  --calibrate FILE    with --weights or --network: more inputs, shape (n, in), float;\n"
    "                      the formats hold every one of them and the run input\n"
    "  --headroom B        accumulator bits left free above the largest partial sum\n"
    "                      (default 1, 0..30)\n"
    "  --strict            any saturation (accumulator or output) is an error: exit 3,\n"
    "                      nothing written (default: a warning per layer)\n"
    "  -o, --output DIR    pack directory (replaced atomically when it is an eie pack or empty)\n"
    "  --force             replace DIR even when it is not an eie pack (never when it holds an input)\n"
    "  -q, --quiet         no summary\n";

static int load_vector(const char *path, uint64_t want, int allow_i16, double **d, int16_t **q,
                       const char *what) {
  eie_npy_t a;
  eie_err_t e;
  if (eie_fsafe_read_npy(NULL, path, EIE_FSAFE_NO_LIMIT, &a, &e)) return die(EXIT_BAD, "%s", e.msg);
  int ok = a.ndim == 1 && (want == 0 || a.shape[0] == want);
  if (!ok) {
    fprintf(stderr, "eie: %s: %s must be 1-D of %llu values, found %u dims (first %llu)\n", path,
            what, (unsigned long long)want, a.ndim, (unsigned long long)(a.ndim ? a.shape[0] : 0));
    eie_npy_free(&a);
    return EXIT_BAD;
  }
  if (a.dtype == EIE_NPY_I16 && allow_i16) {
    *q = a.data;
    a.data = NULL;
  } else if (a.dtype == EIE_NPY_F32 || a.dtype == EIE_NPY_F64) {
    *d = eie_npy_to_double(&a);
    for (uint64_t i = 0; *d && i < a.count; i++)
      if (!isfinite((*d)[i])) {
        fprintf(stderr, "eie: %s: %s element %llu is not finite\n", path, what, (unsigned long long)i);
        free(*d);
        eie_npy_free(&a);
        return EXIT_BAD;
      }
  } else {
    fprintf(stderr, "eie: %s: %s must be float32, float64%s, not %s\n", path, what,
            allow_i16 ? " or int16" : "", eie_npy_dtype_descr(a.dtype));
    eie_npy_free(&a);
    return EXIT_BAD;
  }
  eie_npy_free(&a);
  return 0;
}

/* Encode n layers, simulate, check against the functional reference and write
 * a pack. Takes ownership of xq. layers == NULL: the paper's worked example. */
/* --config FILE: a JSON object of parameters ({"NUM_PE": 16, "FIFO_DEPTH": 4}), or a
 * pack's manifest.json (its "config"). */
static int load_config_file(const char *path, eie_config_t *cfg) {
  json_t *j;
  eie_err_t e;
  if (eie_fsafe_read_json(NULL, path, &j, &e)) {
    fprintf(stderr, "eie: gen: --config %s\n", e.msg);
    return EXIT_BAD;
  }
  json_t *c = json_is_object(json_object_get(j, "config")) ? json_object_get(j, "config") : j;
  int rc = 0;
  if (!json_is_object(c))
    rc = die(EXIT_BAD, "%s: not a JSON object of parameters", path);
  else if (eie_config_from_json(c, path, cfg, &e) || eie_config_validate(cfg, &e))
    rc = die(EXIT_BAD, "%s", e.msg);
  json_decref(j);
  return rc;
}

/* Every --config FILE of a command line, wherever it stands, applied first:
 * the other options override the file. Each is recorded in `inputs` (or
 * NULL) so that no output lands on it. */
static int apply_config_options(int argc, char **argv, eie_config_t *cfg, eie_fsafe_inputs_t *inputs) {
  for (int i = 1; i < argc; i++) {
    const char *path = !strcmp(argv[i], "--config") && i + 1 < argc ? argv[i + 1]
                       : !strncmp(argv[i], "--config=", 9)           ? argv[i] + 9
                                                                     : NULL;
    if (path && load_config_file(path, cfg)) return EXIT_BAD;
    if (path && inputs) eie_fsafe_add_input(inputs, path, 0);
  }
  return 0;
}

/* eie gen --no-events: packs without the expected event streams. */
static int with_events = 1;
/* eie gen: the files it reads (never inside -o DIR) and --force. */
static eie_fsafe_inputs_t gen_inputs;
static eie_pack_write_opts_t gen_out = {0, &gen_inputs};
/* eie gen's numerics options: --headroom, --input-frac, --weight-frac,
 * --calibrate FILE and --strict. */
static eie_numerics_opts_t gen_num = {EIE_NUMERICS_HEADROOM_DEFAULT, -1, -1};
static const char *gen_calibrate;
static int gen_strict;

/* What the formats cost, as one line: max |error|, relative L2, SQNR. */
static void print_qerror(const char *what, const eie_qerror_t *q) {
  printf("%s max %.3g, rel L2 %.3g, SQNR %.1f dB", what, q->max_abs, q->rel_l2, q->sqnr_db);
}

/* The compression's numerics (formats, accumulator range, error against
 * float) after the summary line. */
static void print_numerics(const eie_layer_t *layers, const eie_numerics_report_t *rep) {
  for (unsigned l = 0; l < rep->layers; l++) {
    const eie_layer_numerics_t *r = &rep->layer[l];
    printf("  layer %u: partial sums up to 2^%.1f (limit 2^%d)", l, log2((double)r->acc_peak + 1),
           EIE_ACC_W - 1 - (int)rep->headroom);
    if (r->dropped_w_bits || r->dropped_in_bits)
      printf(", %u codebook and %u input fraction bits given up for the accumulator", r->dropped_w_bits,
             r->dropped_in_bits);
    printf("%s\n   ", r->forced ? " (formats forced)" : "");
    print_qerror(" error vs float:", &r->vs_float);
    print_qerror("; vs pruned+shared:", &r->vs_shared);
    printf(" (output LSB %.3g)\n", ldexp(1, -layers[l].out_frac));
  }
  if (rep->layers > 1) {
    print_qerror("  network error vs float:", &rep->vs_float);
    print_qerror("; vs pruned+shared:", &rep->vs_shared);
    printf("\n");
  }
  printf("  calibrated on %u input%s, %u bit%s of accumulator headroom\n", rep->calib_inputs,
         rep->calib_inputs > 1 ? "s" : "", rep->headroom, rep->headroom == 1 ? "" : "s");
}

/* Saturations of the run (model statistics) and of the calibration inputs
 * (rep, or NULL): a warning per layer that has any, or with --strict an
 * error. Returns the number of layers that saturate. */
static unsigned report_saturations(const eie_stats_t *s, const eie_numerics_report_t *rep, unsigned n) {
  unsigned bad = 0;
  for (unsigned l = 0; l < n; l++) {
    const eie_sat_stats_t *run = &s->layer_sat[l];
    const eie_layer_numerics_t *r = rep ? &rep->layer[l] : NULL;
    const uint64_t cal = r ? r->sat.acc_saturations + r->sat.out_saturations + r->in_clipped : 0;
    const int tight = r && r->acc_peak >= r->acc_limit;
    if (!run->acc_saturations && !run->out_saturations && !cal && !tight) continue;
    bad++;
    fprintf(stderr, "eie: %s: layer %u: %llu accumulator and %llu output saturations on the run input",
            gen_strict ? "error" : "warning", l, (unsigned long long)run->acc_saturations,
            (unsigned long long)run->out_saturations);
    if (r)
      fprintf(stderr, "; on the %u calibration inputs %llu and %llu, %llu input values clipped, partial sums up "
              "to %lld (limit %lld)%s", rep->calib_inputs, (unsigned long long)r->sat.acc_saturations,
              (unsigned long long)r->sat.out_saturations, (unsigned long long)r->in_clipped,
              (long long)r->acc_peak, (long long)r->acc_limit, r->forced ? "; formats forced by the options" : "");
    fprintf(stderr, "\n");
  }
  return bad;
}

static int gen_pack(const eie_config_t *cfg, const eie_layer_t *layers, unsigned n, int16_t *xq,
                    const eie_numerics_report_t *rep, const char *out, int quiet) {
  eie_layer_t example;
  if (!layers) {
    xq = malloc(sizeof *xq * 8);
    if (!xq) return die(EXIT_BAD, "%s", "out of memory");
    eie_example_paper(&example, xq);
    layers = &example;
    n = 1;
  }
  eie_pack_t pk;
  memset(&pk, 0, sizeof pk);
  eie_err_t e;
  eie_status_t st = eie_program_build(cfg, layers, n, &pk.prog, &e);
  if (st) {
    free(xq);
    return die(exit_for(st), "%s", e.msg);
  }
  const uint32_t M = layers[n - 1].out_len;
  for (unsigned l = 0; l < n; l++) {
    pk.fmt[l].in_frac = layers[l].in_frac;
    pk.fmt[l].w_frac = layers[l].w_frac;
    pk.fmt[l].out_frac = layers[l].out_frac;
  }
  pk.input = xq;
  eie_program_set_input(&pk.prog, xq);
  pk.expected = malloc(sizeof *pk.expected * M);
  int16_t *ref = malloc(sizeof *ref * M);
  eie_array_t *a = NULL;
  run_result_t res = {0, 0, 0};
  if (!pk.expected || !ref) st = eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
  eie_event_t *events = NULL;
  if (!st) st = simulate(&pk.prog, pk.expected, &a, NULL, NULL, with_events ? &events : NULL, &pk.num_events,
                         UINT64_MAX, &res, &e);
  pk.events = events;
  /* Each layer's expected outputs from the functional reference, chained. */
  for (unsigned l = 0; l < n && !st; l++) {
    if (!(pk.layer_out[l] = malloc(sizeof(int16_t) * layers[l].out_len)))
      st = eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
    else
      eie_ref_layer(&layers[l], l ? pk.layer_out[l - 1] : xq, pk.layer_out[l]);
  }
  if (!st) {
    memcpy(ref, pk.layer_out[n - 1], sizeof *ref * M);
    for (uint32_t i = 0; i < M && !st; i++)
      if (ref[i] != pk.expected[i])
        st = eie_fail(&e, EIE_STATUS_MISMATCH,
                      "internal error: cycle model output %u = %d but the functional reference gives %d",
                      i, pk.expected[i], ref[i]);
  }
  uint64_t bound = (st || n > 1) ? 0 : eie_program_work_bound(&pk.prog, 0, xq);
  pk.numerics = rep;
  if (!st && report_saturations(eie_array_stats(a), rep, n) && gen_strict)
    st = eie_fail(&e, EIE_STATUS_BAD_INPUT, "gen: saturation with --strict: nothing written to %s", out);
  if (!st) st = eie_pack_write_opts(out, &pk, eie_array_stats(a), bound, &gen_out, &e);
  if (!st && !quiet) {
    const eie_stats_t *s = eie_array_stats(a);
    printf("eie gen: %s: ", out);
    for (unsigned l = 0; l < n; l++) printf("%s%ux%u", l ? ", " : "", layers[l].out_len, layers[l].in_len);
    printf(" layer%s, %llu stored entries (%llu padding), %u PEs, FIFO %u\n", n > 1 ? "s" : "",
           (unsigned long long)pk.prog.entries, (unsigned long long)pk.prog.padding, cfg->num_pe,
           cfg->fifo_depth);
    for (unsigned l = 0; l < n; l++)
      printf("  layer %u formats: input Q%d, codebook Q%d, output Q%d, shift %u\n", l,
             layers[l].in_frac, layers[l].w_frac, layers[l].out_frac, layers[l].shift);
    printf("  cycles %llu", (unsigned long long)res.cycles);
    if (n == 1) printf(" (bound %llu)", (unsigned long long)bound);
    printf(", %llu entries streamed, macs %llu, load efficiency %.3f\n", (unsigned long long)s->entries,
           (unsigned long long)s->macs, eie_stats_load_efficiency(s));
    printf("  saturations: %llu accumulator, %llu output\n", (unsigned long long)s->sat.acc_saturations,
           (unsigned long long)s->sat.out_saturations);
    if (rep) print_numerics(layers, rep);
  }
  eie_array_destroy(a);
  free(ref);
  free(events);
  eie_pack_free(&pk);
  if (st) return die(exit_for(st), "%s", e.msg);
  return 0;
}

/* The calibration inputs: the run input x0 (K values), then the vectors of
 * --calibrate (shape (n, K) or (K,), float), in *x (1 + n rows). */
static int calibration_inputs(const double *x0, uint32_t K, double **x, uint32_t *n_x) {
  eie_npy_t c;
  eie_err_t e;
  *n_x = 1;
  uint64_t rows = 0;
  if (gen_calibrate) {
    if (eie_fsafe_read_npy(NULL, gen_calibrate, EIE_FSAFE_NO_LIMIT, &c, &e)) return die(EXIT_BAD, "%s", e.msg);
    const uint64_t cols = c.ndim == 2 ? c.shape[1] : c.ndim == 1 ? c.shape[0] : 0;
    rows = c.ndim == 2 ? c.shape[0] : 1;
    if (cols != K || rows < 1 || rows > UINT32_MAX - 1 || (c.dtype != EIE_NPY_F32 && c.dtype != EIE_NPY_F64)) {
      fprintf(stderr, "eie: %s: calibration inputs must be float32/float64 of shape (n, %u) or (%u,)\n",
              gen_calibrate, K, K);
      eie_npy_free(&c);
      return EXIT_BAD;
    }
  }
  *x = malloc(sizeof **x * (size_t)(1 + rows) * K);
  double *cd = rows ? eie_npy_to_double(&c) : NULL;
  if (rows) eie_npy_free(&c);
  if (!*x || (rows && !cd)) {
    free(*x);
    free(cd);
    return die(EXIT_BAD, "%s", "out of memory for the calibration inputs");
  }
  memcpy(*x, x0, sizeof **x * K);
  for (size_t q = 0; q < (size_t)rows * K; q++)
    if (!isfinite(cd[q])) {
      fprintf(stderr, "eie: %s: calibration input %zu value %zu is not finite\n", gen_calibrate, q / K, q % K);
      free(*x);
      free(cd);
      return EXIT_BAD;
    }
  if (rows) memcpy(*x + K, cd, sizeof **x * (size_t)rows * K);
  free(cd);
  *n_x = (uint32_t)(1 + rows);
  return 0;
}

/* Compress a float network for the run input x0 (eie_quantize_network, on
 * x0 and the calibration inputs) and write its pack. */
static int gen_float(const eie_config_t *cfg, const eie_float_net_t *net, const double *x0, const char *out,
                     int quiet) {
  double *x = NULL;
  uint32_t n_x = 0;
  int rc = calibration_inputs(x0, net->widths[0], &x, &n_x);
  if (rc) return rc;
  eie_layer_t layers[EIE_MAX_LAYERS];
  int16_t *xq = malloc(sizeof *xq * net->widths[0]);
  eie_numerics_report_t *rep = malloc(sizeof *rep);
  eie_err_t e;
  eie_status_t st = xq && rep ? eie_quantize_network(net, x, n_x, &gen_num, layers, xq, rep, &e)
                              : eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
  free(x);
  if (st) {
    free(xq);
    free(rep);
    return die(exit_for(st), "%s", e.msg);
  }
  rc = gen_pack(cfg, layers, net->layers, xq, rep, out, quiet);
  for (unsigned l = 0; l < net->layers; l++) eie_layer_free(&layers[l]);
  free(rep);
  return rc;
}

/* --random-net K,H1,...,M: random float layers compressed one after another. */
static int gen_random_net(const eie_config_t *cfg, const char *spec, double density,
                          double act_density, uint64_t seed, int relu, const char *out, int quiet) {
  uint32_t w[EIE_MAX_LAYERS + 1];
  unsigned n = 0;
  const char *p = spec;
  while (*p) {
    char num[16];
    const size_t len = strcspn(p, ",");
    long long v;
    snprintf(num, sizeof num, "%.*s", (int)(len < 15 ? len : 15), p);
    if (len > 15 || eie_args_int(num, 1, 65535, &v) || n > EIE_MAX_LAYERS || (p[len] == ',' && !p[len + 1]))
      return die(EXIT_BAD, "gen: --random-net '%s' is not 2..17 widths in 1..65535 separated by commas", spec);
    w[n++] = (uint32_t)v;
    p += len + (p[len] == ',');
  }
  if (n < 2) return die(EXIT_BAD, "gen: --random-net '%s' needs at least two widths", spec);
  const unsigned L = n - 1;
  eie_rng_t r = {seed * 0x9e3779b97f4a7c15ull + 11};
  double *x = malloc(sizeof *x * w[0]);
  double *wt[EIE_MAX_LAYERS] = {0}, *bias[EIE_MAX_LAYERS] = {0}, dens[EIE_MAX_LAYERS];
  int relus[EIE_MAX_LAYERS];
  int ok = x != NULL;
  for (uint32_t j = 0; ok && j < w[0]; j++) x[j] = eie_rng_uniform(&r) < act_density ? eie_rng_uniform(&r) : 0.0;
  for (unsigned l = 0; ok && l < L; l++) {
    wt[l] = malloc(sizeof *wt[l] * (size_t)w[l + 1] * w[l]);
    ok = wt[l] != NULL;
    for (size_t q = 0; ok && q < (size_t)w[l + 1] * w[l]; q++) wt[l][q] = eie_rng_normal(&r) * 0.1;
    dens[l] = density;
    relus[l] = relu;
  }
  const eie_float_net_t net = {L, w, wt, bias, dens, relus};
  int rc = ok ? gen_float(cfg, &net, x, out, quiet) : die(EXIT_BAD, "%s", "out of memory");
  free(x);
  for (unsigned l = 0; l < L; l++) free(wt[l]);
  return rc;
}

/* --network SPEC.json: the layers and input a specification names. An int16
 * input is Q(input_frac), a format the chooser keeps. */
static int gen_network(const eie_config_t *cfg, const char *spec, const char *out, int quiet) {
  eie_netspec_t ns;
  eie_err_t e;
  eie_status_t st = eie_netspec_read(spec, &ns, &e);
  if (st) return die(exit_for(st), "%s", e.msg);
  for (unsigned i = 0; i < ns.num_files; i++) eie_fsafe_add_input(&gen_inputs, ns.files[i], 0);
  if ((st = eie_pack_check_output(out, &gen_out, &e))) {
    eie_netspec_free(&ns);
    return die(exit_for(st), "%s", e.msg);
  }
  double *x0 = ns.x;
  if (ns.xq) {
    if (!(x0 = malloc(sizeof *x0 * ns.widths[0]))) {
      eie_netspec_free(&ns);
      return die(EXIT_BAD, "%s", "out of memory");
    }
    for (uint32_t j = 0; j < ns.widths[0]; j++) x0[j] = ldexp(ns.xq[j], -ns.input_frac);
    gen_num.in_frac = ns.input_frac;
  }
  const eie_float_net_t net = {ns.layers, ns.widths, ns.w, ns.bias, ns.density, ns.relu};
  int rc = gen_float(cfg, &net, x0, out, quiet);
  if (x0 != ns.x) free(x0);
  eie_netspec_free(&ns);
  return rc;
}

static int cmd_gen(int argc, char **argv) {
  static const struct option opts[] = {
      {"weights", required_argument, 0, 'w'},  {"input", required_argument, 0, 'i'},
      {"bias", required_argument, 0, 'b'},     {"random", required_argument, 0, 'R'},
      {"act-density", required_argument, 0, 'A'}, {"density", required_argument, 0, 'd'},
      {"seed", required_argument, 0, 's'},     {"pes", required_argument, 0, 'p'},
      {"fifo-depth", required_argument, 0, 'f'}, {"param", required_argument, 0, 'P'},
      {"relu", no_argument, 0, 'r'},           {"no-relu", no_argument, 0, 'n'},
      {"weight-frac", required_argument, 0, 'W'}, {"input-frac", required_argument, 0, 'I'},
      {"output", required_argument, 0, 'o'},   {"quiet", no_argument, 0, 'q'},
      {"example", required_argument, 0, 'x'},  {"random-net", required_argument, 0, 'N'},
      {"network", required_argument, 0, 'S'},  {"help", no_argument, 0, 'h'},
      {"config", required_argument, 0, 'C'},   {"no-events", no_argument, 0, 'E'},
      {"calibrate", required_argument, 0, 'K'}, {"headroom", required_argument, 0, 'H'},
      {"strict", no_argument, 0, 'T'},         {"force", no_argument, 0, 'F'},
      {0, 0, 0, 0}};
  const char *wpath = NULL, *ipath = NULL, *bpath = NULL, *out = NULL, *rnd = NULL, *example = NULL,
             *rnet = NULL, *netspec = NULL;
  double density = -1, act_density = 0.35;
  long seed = 1, wfrac = -1, ifrac = -1, v;
  int relu = 1, quiet = 0, c, seeded = 0, relu_set = 0, numerics_set = 0;
  eie_config_t cfg = eie_config_default();
  eie_err_t e;
  if (apply_config_options(argc, argv, &cfg, &gen_inputs)) return EXIT_BAD;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    switch (c) {
      case 'C': break; /* applied above */
      case 'E': with_events = 0; break;
      case 'F': gen_out.force = 1; break;
      case 'K': gen_calibrate = optarg; break;
      case 'H':
        if (parse_long("--headroom", optarg, 0, EIE_ACC_W - 2, &v)) return EXIT_BAD;
        gen_num.headroom = (unsigned)v;
        numerics_set = 1;
        break;
      case 'T': gen_strict = 1; numerics_set = 1; break;
      case 'w': wpath = optarg; break;
      case 'i': ipath = optarg; break;
      case 'b': bpath = optarg; break;
      case 'R': rnd = optarg; break;
      case 'A': if (eie_cli_parse_double("--act-density", optarg, 0, 1, &act_density)) return EXIT_BAD; seeded = 1; break;
      case 'd': if (eie_cli_parse_double("--density", optarg, 0, 1, &density)) return EXIT_BAD; break;
      case 's': if (parse_long("--seed", optarg, 0, 1L << 62, &seed)) return EXIT_BAD; seeded = 1; break;
      case 'p':
        if (parse_long("--pes", optarg, EIE_NUM_PE_MIN, EIE_NUM_PE_MAX, &v)) return EXIT_BAD;
        cfg.num_pe = (uint32_t)v;
        break;
      case 'f':
        if (parse_long("--fifo-depth", optarg, EIE_FIFO_DEPTH_MIN, EIE_FIFO_DEPTH_MAX, &v)) return EXIT_BAD;
        cfg.fifo_depth = (uint32_t)v;
        break;
      case 'P': if (parse_param(&cfg, optarg)) return EXIT_BAD; break;
      case 'r': relu = 1; relu_set = 1; break;
      case 'n': relu = 0; relu_set = 1; break;
      case 'W': if (parse_long("--weight-frac", optarg, 0, 15, &wfrac)) return EXIT_BAD; numerics_set = 1; break;
      case 'I': if (parse_long("--input-frac", optarg, 0, 15, &ifrac)) return EXIT_BAD; numerics_set = 1; break;
      case 'o': out = optarg; break;
      case 'q': quiet = 1; break;
      case 'x': example = optarg; break;
      case 'N': rnet = optarg; break;
      case 'S': netspec = optarg; break;
      case 'h': fputs(gen_help, stdout); return 0;
      default: fputs("eie gen: see 'eie gen --help'\n", stderr); return EXIT_BAD;
    }
  }
  if (optind < argc) return die(EXIT_BAD, "gen: unexpected argument '%s'", argv[optind]);
  if (!out) return die(EXIT_BAD, "gen: %s", "-o DIR is required");
  eie_fsafe_add_input(&gen_inputs, wpath, 0);
  eie_fsafe_add_input(&gen_inputs, ipath, 0);
  eie_fsafe_add_input(&gen_inputs, bpath, 0);
  eie_fsafe_add_input(&gen_inputs, netspec, 0);
  eie_fsafe_add_input(&gen_inputs, gen_calibrate, 0);
  if (eie_pack_check_output(out, &gen_out, &e)) return die(EXIT_BAD, "%s", e.msg);
  if ((rnd != NULL) + (example != NULL) + (rnet != NULL) + (netspec != NULL) + (wpath || ipath || bpath) > 1)
    return die(EXIT_BAD, "gen: %s",
               "give one of --weights/--input, --network, --random, --random-net and --example");
  if (gen_calibrate && !wpath && !netspec)
    return die(EXIT_BAD, "gen: %s", "--calibrate goes with --weights or --network");
  /* Options that do not apply are refused, not ignored. */
  if (seeded && !rnd && !rnet)
    return die(EXIT_BAD, "gen: %s", "--seed and --act-density go with --random or --random-net");
  if (relu_set && (netspec || example))
    return die(EXIT_BAD, "gen: %s", "--relu/--no-relu do not go with --network (each layer says) or --example");
  if (example && (density >= 0 || numerics_set))
    return die(EXIT_BAD, "gen: %s",
               "--example paper is already compressed and quantized: no --density, --weight-frac, --input-frac, "
               "--headroom or --strict");
  gen_num.weight_frac = (int)wfrac;
  gen_num.in_frac = (int)ifrac;
  if (netspec) {
    if (eie_config_validate(&cfg, &e)) return die(EXIT_BAD, "%s", e.msg);
    return gen_network(&cfg, netspec, out, quiet);
  }
  if (rnet) {
    if (eie_config_validate(&cfg, &e)) return die(EXIT_BAD, "%s", e.msg);
    return gen_random_net(&cfg, rnet, density < 0 ? 0.1 : density, act_density, (uint64_t)seed, relu,
                          out, quiet);
  }
  if (!rnd && !example && (!wpath || !ipath))
    return die(EXIT_BAD, "gen: %s", "give --weights and --input, or --random MxK, or --example paper");
  if (example && strcmp(example, "paper")) return die(EXIT_BAD, "gen: unknown example '%s' (known: paper)", example);
  if (eie_config_validate(&cfg, &e)) return die(EXIT_BAD, "%s", e.msg);
  if (example) return gen_pack(&cfg, NULL, 0, NULL, NULL, out, quiet);

  uint32_t M, K;
  double *w = NULL, *bias = NULL, *xd = NULL;
  int16_t *xq = NULL;
  int rc = 0;
  if (rnd) {
    unsigned long m, k;
    if (eie_args_mxk(rnd, 65535, &m, &k))
      return die(EXIT_BAD, "gen: --random '%s' is not MxK with 1..65535 (decimal)", rnd);
    M = (uint32_t)m;
    K = (uint32_t)k;
    if (density < 0) density = 0.1;
    w = malloc(sizeof *w * (size_t)M * K);
    xd = malloc(sizeof *xd * K);
    if (!w || !xd) return die(EXIT_BAD, "%s", "out of memory");
    eie_rng_t r = {(uint64_t)seed * 0x9e3779b97f4a7c15ull + 7};
    for (size_t q = 0; q < (size_t)M * K; q++) w[q] = eie_rng_normal(&r) * 0.05;
    for (uint32_t j = 0; j < K; j++) xd[j] = eie_rng_uniform(&r) < act_density ? eie_rng_uniform(&r) : 0.0;
  } else {
    eie_npy_t W;
    if (eie_fsafe_read_npy(NULL, wpath, EIE_FSAFE_NO_LIMIT, &W, &e)) return die(EXIT_BAD, "%s", e.msg);
    if (W.ndim != 2 || W.shape[0] < 1 || W.shape[1] < 1 || W.shape[0] > 65535 || W.shape[1] > 65535) {
      fprintf(stderr, "eie: %s: weights must be 2-D (out, in) with 1..65535 each\n", wpath);
      eie_npy_free(&W);
      return EXIT_BAD;
    }
    M = (uint32_t)W.shape[0];
    K = (uint32_t)W.shape[1];
    if (W.dtype != EIE_NPY_I16 && W.dtype != EIE_NPY_F32 && W.dtype != EIE_NPY_F64) {
      fprintf(stderr, "eie: %s: weights must be float32, float64 or int16, not %s\n", wpath,
              eie_npy_dtype_descr(W.dtype));
      eie_npy_free(&W);
      return EXIT_BAD;
    }
    w = eie_npy_to_double(&W);
    const int i16 = W.dtype == EIE_NPY_I16;
    eie_npy_free(&W);
    if (!w) return die(EXIT_BAD, "%s", "out of memory");
    /* int16 weights are fixed point: Q(--weight-frac), by default Q14. */
    for (size_t q = 0; i16 && q < (size_t)M * K; q++) w[q] = ldexp(w[q], -(int)(wfrac < 0 ? EIE_INT16_WEIGHT_FRAC : wfrac));
    for (size_t q = 0; q < (size_t)M * K; q++)
      if (!isfinite(w[q])) {
        fprintf(stderr, "eie: %s: weight (%zu, %zu) is not finite\n", wpath, q / K, q % K);
        free(w);
        return EXIT_BAD;
      }
    if ((rc = load_vector(ipath, K, 1, &xd, &xq, "input"))) {
      free(w);
      return rc;
    }
    if (xq) { /* an int16 input is Q(--input-frac), by default Q8: a format kept */
      if (ifrac < 0) ifrac = 8;
      gen_num.in_frac = (int)ifrac;
      xd = malloc(sizeof *xd * K);
      for (uint32_t j = 0; xd && j < K; j++) xd[j] = ldexp(xq[j], -(int)ifrac);
      free(xq);
      if (!xd) {
        free(w);
        return die(EXIT_BAD, "%s", "out of memory");
      }
    }
    int16_t *unused = NULL;
    if (bpath && (rc = load_vector(bpath, M, 0, &bias, &unused, "bias"))) {
      free(w);
      free(xd);
      return rc;
    }
  }
  const uint32_t widths[2] = {K, M};
  double *const ws[1] = {w}, *const bs[1] = {bias};
  const eie_float_net_t net = {1, widths, ws, bs, &density, &relu};
  rc = gen_float(&cfg, &net, xd, out, quiet);
  free(w);
  free(xd);
  free(bias);
  return rc;
}

/* ---- eie run ----------------------------------------------------------------------- */

static const char *run_help =
    "usage: eie run DIR [--engine cmodel|rtl|both|auto] [--json] [--max-cycles N] [--trace FILE]\n"
    "               [--name NAME]\n"
    "\n"
    "Load vector pack DIR through the host interface into the cycle-accurate C model, the\n"
    "Verilated RTL, or both in lock-step (every cycle's events compared), run it, compare the\n"
    "outputs with expected.npy and the events with the pack's event files, print statistics.\n"
    "Exit: 0 match, 1 mismatch, 2 timeout, 3 bad input.\n"
    "\n"
    "  --engine E       cmodel (default), rtl, both, or auto (both when this binary has an RTL\n"
    "                   build for the pack's configuration, else cmodel)\n"
    "  --json           one JSON object on stdout, the same keys for every engine (null when a\n"
    "                   value does not apply; docs/formats.md)\n"
    "  --max-cycles N   give up (exit 2) when the run needs more than N cycles (default 2^40)\n"
    "  --trace FILE     rtl/both: an FST waveform of the RTL and FILE.gtkw, a GTKWave view that\n"
    "                   starts at cycle 0 with a marker at the first divergence; cmodel: a VCD of\n"
    "                   the model under the RTL's signal names, on the FST's time axis (the same\n"
    "                   cycle at the same time: open both in GTKWave with the same cursor)\n"
    "  --name NAME      test name in mismatch reports (default: the pack's directory name); the\n"
    "                   rerun hint then names the regression test (make waves TEST=NAME)\n";

/* What one run gives, whatever the engine: eie run's report and JSON. */
typedef struct {
  const char *engine, *pack;
  int match;
  uint64_t cycles;
  int has_cycles_model;
  uint64_t cycles_model;
  double sim_seconds;
  uint32_t mismatches; /* outputs that differ from expected.npy */
  int has_events;      /* the run's events were compared */
  uint64_t events_compared, event_mismatches;
  uint64_t load_clocks;
  int has_rtl;
  uint64_t coverage[7];
  const eie_stats_t *stats; /* the C model's (NULL: the RTL alone) */
  uint64_t bound;
  uint32_t num_pe;
  int diverged;
  int64_t div_pe;
  uint64_t div_cycle;
  uint64_t run_start_time; /* waveform time of cycle 0 (FST and model VCD) */
} run_summary_t;

static const char *rtl_cov_name(unsigned i) {
  static const char *const names[7] = {"queue_full", "stall", "bypass", "padding", "empty_column", "lnzd_idle",
                                       "multi_pass"};
  return names[i];
}

/* One JSON shape for every engine (docs/formats.md, "eie run --json"). */
static void print_run_json(const run_summary_t *r) {
  json_t *o;
  if (r->stats) {
    o = eie_stats_json(r->stats, r->bound);
  } else { /* the statistics' keys, every value null */
    eie_stats_t z;
    memset(&z, 0, sizeof z);
    eie_pe_stats_t pe = {0, 0, 0};
    z.num_pe = 1;
    z.pe = &pe;
    o = eie_stats_json(&z, 0);
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o, tmp, k, v) json_object_set_new(o, k, json_null());
  }
  json_object_set_new(o, "cycles", json_integer((json_int_t)r->cycles));
  json_object_set_new(o, "cycles_model",
                      r->has_cycles_model ? json_integer((json_int_t)r->cycles_model) : json_null());
  json_object_set_new(o, "sim_seconds", json_real(r->sim_seconds));
  json_object_set_new(o, "match", json_boolean(r->match));
  json_object_set_new(o, "mismatches", json_integer(r->mismatches));
  json_object_set_new(o, "events_compared",
                      r->has_events ? json_integer((json_int_t)r->events_compared) : json_null());
  json_object_set_new(o, "event_mismatches",
                      r->has_events ? json_integer((json_int_t)r->event_mismatches) : json_null());
  json_object_set_new(o, "load_clocks", json_integer((json_int_t)r->load_clocks));
  json_object_set_new(o, "run_start_time", json_integer((json_int_t)r->run_start_time));
  const char *seed = getenv("EIE_RTL_SEED"); /* random initial values of the RTL */
  json_object_set_new(o, "rtl_seed", r->has_rtl && seed ? json_integer(atoi(seed)) : json_null());
  json_t *cov = json_null();
  if (r->has_rtl) {
    cov = json_object();
    for (unsigned i = 0; i < 7; i++) json_object_set_new(cov, rtl_cov_name(i), json_integer((json_int_t)r->coverage[i]));
  }
  json_object_set_new(o, "coverage", cov);
  json_t *d = json_null();
  if (r->diverged) {
    d = json_object();
    json_object_set_new(d, "pe", r->div_pe >= 0 ? json_integer(r->div_pe) : json_null());
    json_object_set_new(d, "cycle", json_integer((json_int_t)r->div_cycle));
    json_object_set_new(d, "time", json_integer((json_int_t)(r->run_start_time + 10 * r->div_cycle)));
  }
  json_object_set_new(o, "first_divergence", d);
  json_object_set_new(o, "engine", json_string(r->engine));
  json_object_set_new(o, "pack", json_string(r->pack));
  char *txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  puts(txt);
  free(txt);
  json_decref(o);
}

/* What eie run's trace view needs once the trace is in place. */
static run_summary_t run_view;
static int run_view_valid;

/* FILE.gtkw beside an RTL trace: the observation port (and the diverging PE's
 * pipeline), from cycle 0, with a marker at the rising edge that starts the
 * diverging cycle. The "[*] run_start_time=" line is read by scripts/waves.sh. */
static int write_trace_view(const char *trace, const run_summary_t *r, const eie_fsafe_inputs_t *in) {
  char path[4200];
  snprintf(path, sizeof path, "%s.gtkw", trace);
  eie_fsafe_out_t o;
  eie_err_t e;
  if (eie_fsafe_out_open(&o, path, in, &e)) return die(EXIT_BAD, "run: --trace view %s", e.msg);
  FILE *f = o.f;
  const uint32_t n = r->num_pe;
  const uint64_t marker = r->run_start_time + 10 * r->div_cycle;
  fprintf(f, "[*] EIE run of %s: %s\n", r->pack, r->diverged ? "first divergence marked" : "no divergence");
  fprintf(f, "[*] run_start_time=%llu", (unsigned long long)r->run_start_time);
  if (r->diverged)
    fprintf(f, " divergence_pe=%lld divergence_cycle=%llu divergence_time=%llu", (long long)r->div_pe,
            (unsigned long long)r->div_cycle, (unsigned long long)marker);
  fprintf(f, "\n[dumpfile] \"%s\"\n[timestart] %llu\n", trace, (unsigned long long)r->run_start_time);
  if (r->diverged) fprintf(f, "[markertime] %llu\n", (unsigned long long)marker);
  fprintf(f, "[size] 1600 900\n[signals_width] 360\n");
  const char *one[] = {"clk_i", "obs_bcast_valid_o"};
  struct {
    const char *name;
    unsigned w;
  } vec[] = {{"obs_state_o", 3},         {"obs_layer_o", 4},       {"obs_pass_o", 16},
             {"obs_cycles_o", 64},       {"obs_bcast_j_o", 16},    {"obs_bcast_a_o", 16},
             {"obs_acc_valid_o", n},     {"obs_acc_row_o", 16 * n}, {"obs_acc_sum_o", 32 * n},
             {"obs_acc_bypass_o", n},    {"obs_wb_valid_o", n},    {"obs_wb_row_o", 16 * n},
             {"obs_wb_y_o", 16 * n}};
  for (unsigned i = 0; i < 2; i++) fprintf(f, "@28\ntop.eie_top.%s\n", one[i]);
  for (unsigned i = 0; i < sizeof vec / sizeof vec[0]; i++) {
    if (vec[i].w == 1)
      fprintf(f, "@28\ntop.eie_top.%s\n", vec[i].name);
    else
      fprintf(f, "@22\ntop.eie_top.%s[%u:0]\n", vec[i].name, vec[i].w - 1);
  }
  if (eie_fsafe_out_commit(&o, &e)) return die(EXIT_BAD, "run: --trace view %s", e.msg);
  return 0;
}

#ifdef EIE_WITH_RTL
/* The line after a mismatch report: where the waves are, or how to get them. */
static void rerun_hint(char *buf, size_t n, const char *dir, const char *trace, int named, const char *name) {
  if (trace)
    snprintf(buf, n, "waves: %s, open the view at the divergence with  gtkwave %s %s.gtkw", trace, trace, trace);
  else if (named)
    snprintf(buf, n, "rerun with waves: make waves TEST=%s", name);
  else
    snprintf(buf, n, "rerun with waves: make waves PACK=%s", dir);
}

static int run_rtl(const char *dir, const eie_pack_t *pk, eie_engine_t engine, int json, uint64_t maxc,
                   const char *trace, const char *trace_name, const char *name, int named) {
  const eie_desc_t *dl = &pk->prog.desc[pk->prog.num_layers - 1];
  int16_t *y = malloc(sizeof *y * dl->out_len);
  if (!y) return die(EXIT_BAD, "%s", "out of memory");
  /* The RTL alone: its event streams are compared with the pack's expected ones. */
  event_sink_t sink = {NULL, 1, NULL, 0, 0, 0};
  const int check_events = engine == EIE_ENGINE_RTL && pk->has_events;
  char rerun[9000];
  rerun_hint(rerun, sizeof rerun, dir, trace_name, named, name);
  eie_cosim_opts_t o = {name, trace, maxc, engine, stderr, check_events ? sink_event : NULL, &sink, rerun};
  eie_cosim_result_t r;
  eie_err_t e;
  eie_status_t st = eie_cosim_run(&pk->prog, pk->expected, &o, &r, y, &e);
  const char *ename = engine == EIE_ENGINE_BOTH ? "both" : "rtl";
  run_summary_t sum;
  memset(&sum, 0, sizeof sum);
  sum.engine = ename;
  sum.pack = dir;
  sum.num_pe = pk->prog.cfg.num_pe;
  sum.run_start_time = r.run_start_time;
  sum.load_clocks = r.load_ticks;
  if (check_events && (st == EIE_OK || st == EIE_STATUS_MISMATCH)) {
    eie_event_t *want = NULL;
    size_t nwant = 0;
    if (sink.oom)
      st = eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory for the event streams");
    else if (eie_pack_read_events(dir, pk->prog.cfg.num_pe, &want, &nwant, &e))
      st = EIE_STATUS_BAD_INPUT;
    else {
      eie_cosim_compare_events(name, pk->prog.cfg.num_pe, want, nwant, sink.ev, sink.n, stderr, &r);
      if (r.mismatches) {
        fprintf(stderr, "  %s\n", rerun);
        st = EIE_STATUS_MISMATCH;
      }
    }
    free(want);
  }
  free(sink.ev);
  /* Where the waves are wanted, even when the run timed out or diverged. */
  run_view_valid = trace != NULL;
  sum.diverged = r.diverged;
  sum.div_pe = r.div_pe;
  sum.div_cycle = r.div_cycle;
  run_view = sum;
  if (st && st != EIE_STATUS_MISMATCH) {
    eie_cosim_result_free(&r);
    free(y);
    return die(exit_for(st), "%s", e.msg);
  }
  sum.match = st == EIE_OK;
  sum.cycles = r.cycles_rtl;
  sum.has_cycles_model = engine == EIE_ENGINE_BOTH;
  sum.cycles_model = r.cycles_model;
  sum.sim_seconds = r.seconds;
  sum.has_events = engine == EIE_ENGINE_BOTH || check_events;
  sum.events_compared = r.events_compared;
  sum.event_mismatches = r.mismatches;
  sum.has_rtl = 1;
  memcpy(sum.coverage, r.coverage, sizeof sum.coverage);
  sum.stats = r.has_stats ? &r.stats : NULL;
  sum.bound = pk->prog.num_layers == 1 ? eie_program_work_bound(&pk->prog, 0, pk->input) : 0;
  uint32_t first = 0, diffs = 0;
  if (!r.outputs_match)
    for (uint32_t i = 0; i < dl->out_len; i++)
      if (y[i] != pk->expected[i] && diffs++ == 0) first = i;
  sum.mismatches = diffs;
  if (json) {
    print_run_json(&sum);
  } else {
    printf("eie run: %s on %s: %s\n", dir, ename, st == EIE_OK ? "match" : "MISMATCH");
    printf("  cycles %llu", (unsigned long long)r.cycles_rtl);
    if (engine == EIE_ENGINE_BOTH)
      printf(" (C model %llu)", (unsigned long long)r.cycles_model);
    if (sum.has_events)
      printf(", %llu events compared, %llu differ", (unsigned long long)r.events_compared,
             (unsigned long long)r.mismatches);
    printf("\n  simulation %.3f s (%.0f cycles/s), loading %llu bus clocks\n", r.seconds,
           r.seconds > 0 ? (double)r.cycles_rtl / r.seconds : 0.0, (unsigned long long)r.load_ticks);
  }
  if (diffs)
    fprintf(stderr, "MISMATCH pack=%s output=%u expected=%d rtl=%d (%u outputs differ)\n  %s\n", dir, first,
            pk->expected[first], y[first], diffs, r.diverged ? "the first divergence is reported above" : rerun);
  eie_cosim_result_free(&r);
  free(y);
  return st == EIE_OK ? 0 : EXIT_MISMATCH;
}
#endif

static int run_pack(const char *dir, const char *engine, int json, long maxc, const char *trace,
                    const char *trace_name, const char *name);

static int cmd_run(int argc, char **argv) {
  static const struct option opts[] = {{"engine", required_argument, 0, 'e'},
                                       {"json", no_argument, 0, 'j'},
                                       {"max-cycles", required_argument, 0, 'm'},
                                       {"trace", required_argument, 0, 't'},
                                       {"name", required_argument, 0, 'n'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int json = 0, c;
  long maxc = 1L << 40;
  const char *engine = "cmodel", *trace = NULL, *name = NULL;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
      case 'e': engine = optarg; break;
      case 'j': json = 1; break;
      case 'm': if (parse_long("--max-cycles", optarg, 1, 1L << 50, &maxc)) return EXIT_BAD; break;
      case 't': trace = optarg; break;
      case 'n': name = optarg; break;
      case 'h': fputs(run_help, stdout); return 0;
      default: fputs("eie run: see 'eie run --help'\n", stderr); return EXIT_BAD;
    }
  }
#ifdef EIE_WITH_RTL
  const int known = !strcmp(engine, "cmodel") || !strcmp(engine, "rtl") || !strcmp(engine, "both") ||
                    !strcmp(engine, "auto");
  const char *available = "cmodel, rtl, both, auto";
#else
  const int known = !strcmp(engine, "cmodel") || !strcmp(engine, "auto");
  const char *available = "cmodel, auto; this binary was built without the RTL";
#endif
  if (!known) {
    fprintf(stderr, "eie: run: engine '%s' is not available (available: %s)\n", engine, available);
    return EXIT_BAD;
  }
  if (optind + 1 != argc) return die(EXIT_BAD, "run: %s", "give exactly one pack directory");
  const char *dir = argv[optind];
  /* The trace goes to a temporary file beside FILE, never into the pack. */
  eie_fsafe_out_t tr;
  eie_fsafe_inputs_t in = {{0}, {0}, 0};
  eie_fsafe_add_input(&in, dir, 1);
  eie_err_t e;
  if (trace && (eie_fsafe_out_open(&tr, trace, &in, &e) || eie_fsafe_out_release(&tr, &e)))
    return die(EXIT_BAD, "run: --trace %s", e.msg);
  int rc = run_pack(dir, engine, json, maxc, trace ? tr.tmp : NULL, trace, name);
  if (!trace) return rc;
  /* Kept for a mismatch or a timeout too: that is when it is wanted. */
  struct stat sb;
  if (rc != 0 && rc != EXIT_MISMATCH && rc != EXIT_TIMEOUT) {
    eie_fsafe_out_abort(&tr);
  } else if (stat(tr.tmp, &sb) || sb.st_size == 0) {
    eie_fsafe_out_abort(&tr);
    rc = die(EXIT_BAD, "run: --trace %s: nothing was written", trace);
  } else if (eie_fsafe_out_commit(&tr, &e)) {
    rc = die(EXIT_BAD, "run: --trace %s", e.msg);
  } else if (run_view_valid) {
    const int vrc = write_trace_view(trace, &run_view, &in);
    if (vrc) rc = vrc;
  }
  return rc;
}

/* eie run, once the options are read: trace is the temporary file of the
 * trace (NULL: none), trace_name its name. */
static int run_pack(const char *dir, const char *engine, int json, long maxc, const char *trace,
                    const char *trace_name, const char *name) {
  eie_pack_t pk;
  eie_err_t e;
  eie_status_t st = eie_pack_read(dir, &pk, &e);
  if (st) return die(exit_for(st), "%s", e.msg);
  const int named = name != NULL;
  if (!name) {
    const char *slash = strrchr(dir, '/');
    name = slash && slash[1] ? slash + 1 : dir;
  }
#ifdef EIE_WITH_RTL
  if (!strcmp(engine, "auto")) {
    engine = "cmodel";
    for (unsigned i = 0; i < eie_rtl_variant_count(); i++) {
      eie_config_t vc = eie_rtl_variant_config(i);
      if (!memcmp(&vc, &pk.prog.cfg, sizeof vc)) engine = "both";
    }
  }
  if (strcmp(engine, "cmodel")) {
    int rc = run_rtl(dir, &pk, !strcmp(engine, "rtl") ? EIE_ENGINE_RTL : EIE_ENGINE_BOTH, json, (uint64_t)maxc,
                     trace, trace_name, name, named);
    eie_pack_free(&pk);
    return rc;
  }
#else
  if (!strcmp(engine, "auto")) engine = "cmodel";
  (void)named;
#endif
  const eie_desc_t *dl = &pk.prog.desc[pk.prog.num_layers - 1];
  int16_t *y = malloc(sizeof *y * dl->out_len);
  eie_array_t *a = NULL;
  run_result_t res = {0, 0, 0};
  eie_event_t *events = NULL;
  size_t num_events = 0;
  st = y ? simulate(&pk.prog, y, &a, trace, trace_name, pk.has_events ? &events : NULL, &num_events, (uint64_t)maxc,
                    &res, &e)
         : eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
  /* The run's event streams must be the pack's expected ones. */
  if (!st && pk.has_events) st = eie_pack_check_events(dir, pk.prog.cfg.num_pe, events, num_events, &e);
  free(events);
  if (st) {
    eie_array_destroy(a); /* the run's array when only the event check failed */
    free(y);
    eie_pack_free(&pk);
    return die(exit_for(st), "%s", e.msg);
  }
  uint32_t diffs = 0, first = 0;
  for (uint32_t i = 0; i < dl->out_len; i++)
    if (y[i] != pk.expected[i] && diffs++ == 0) first = i;
  const eie_stats_t *s = eie_array_stats(a);
  uint64_t bound = pk.prog.num_layers == 1 ? eie_program_work_bound(&pk.prog, 0, pk.input) : 0;
  if (json) {
    run_summary_t sum;
    memset(&sum, 0, sizeof sum);
    sum.engine = engine;
    sum.pack = dir;
    sum.match = diffs == 0;
    sum.cycles = sum.cycles_model = res.cycles;
    sum.has_cycles_model = 1;
    sum.sim_seconds = res.sim_seconds;
    sum.mismatches = diffs;
    sum.has_events = pk.has_events;
    sum.events_compared = num_events;
    sum.load_clocks = res.load_accesses;
    sum.stats = s;
    sum.bound = bound;
    sum.num_pe = pk.prog.cfg.num_pe;
    sum.run_start_time = 20 + 10 * (res.load_accesses + 1) + 5;
    print_run_json(&sum);
  } else {
    printf("eie run: %s on %s: %s\n", dir, engine, diffs ? "MISMATCH" : "match");
    printf("  cycles %llu, run cycles %llu, stall cycles %llu, broadcasts %llu, macs %llu\n",
           (unsigned long long)res.cycles, (unsigned long long)s->run_cycles,
           (unsigned long long)s->stall_cycles, (unsigned long long)s->broadcasts,
           (unsigned long long)s->macs);
    printf("  load efficiency %.3f, padding %llu, line reads %llu, pointer reads %llu, energy %.1f nJ\n",
           eie_stats_load_efficiency(s), (unsigned long long)s->padding,
           (unsigned long long)s->spmat_reads, (unsigned long long)s->ptr_reads,
           eie_stats_energy_pj(s) / 1000.0);
    printf("  saturations: %llu accumulator, %llu output\n", (unsigned long long)s->sat.acc_saturations,
           (unsigned long long)s->sat.out_saturations);
    printf("  simulation %.3f s\n", res.sim_seconds);
  }
  if (diffs)
    fprintf(stderr, "MISMATCH pack=%s output=%u expected=%d got=%d (%u outputs differ)\n"
                    "  the model's run cycle by cycle: eie trace %s\n",
            dir, first, pk.expected[first], y[first], diffs, dir);
  eie_array_destroy(a);
  free(y);
  eie_pack_free(&pk);
  return diffs ? EXIT_MISMATCH : 0;
}

/* ---- eie trace --------------------------------------------------------------------- */

static const char *trace_help =
    "usage: eie trace (DIR | --example paper [--pes N] [--fifo-depth D]) [--format md|csv|json]\n"
    "                 [--events]\n"
    "\n"
    "Print a run of the C model cycle by cycle: CCU state, LNZD root, broadcast, and per PE\n"
    "the queue occupancy, the column and entry being streamed, the accumulator write and the\n"
    "write-back (rows are output rows, all numbers decimal).\n"
    "\n"
    "  --format F       md (default: a Markdown table), csv (one line a cycle, a header line),\n"
    "                   json (one object: pack, num_pe, cycles: [{cycle, ccu, lnzd, broadcast,\n"
    "                   pe: [{queue, stream, acc, wb}]}], null where nothing happens)\n"
    "  --events         the event stream instead (one event a line)\n"
    "  --example paper  the paper's worked example instead of a pack, on --pes N (default 4)\n"
    "                   PEs with --fifo-depth D (default 8); a pack has its own configuration\n";

/* One cycle's events, per PE. */
typedef struct {
  int acc_v[256], acc_b[256], wb_v[256];
  uint32_t acc_row[256], wb_row[256];
  int32_t acc_val[256], wb_y[256];
  int bc_v;
  uint32_t bc_j;
  int32_t bc_a;
  int events_only;
} trace_ctx_t;

static void trace_cb(void *user, const eie_event_t *ev) {
  trace_ctx_t *t = user;
  if (t->events_only) {
    if (ev->kind == EIE_EV_BCAST)
      printf("%llu BCAST layer=%u pass=%u j=%u a=%d\n", (unsigned long long)ev->cycle, ev->layer,
             ev->pass, ev->index, ev->value);
    else
      printf("%llu %s layer=%u pass=%u pe=%u row=%u value=%d%s\n", (unsigned long long)ev->cycle,
             eie_event_kind_name(ev->kind), ev->layer, ev->pass, ev->pe, ev->index, ev->value,
             ev->kind == EIE_EV_ACC ? (ev->bypass ? " bypass=1" : " bypass=0") : "");
    return;
  }
  if (ev->kind == EIE_EV_BCAST) {
    t->bc_v = 1;
    t->bc_j = ev->index;
    t->bc_a = ev->value;
  }
  if (ev->pe >= 256) return;
  if (ev->kind == EIE_EV_ACC) {
    t->acc_v[ev->pe] = 1;
    t->acc_row[ev->pe] = ev->index;
    t->acc_val[ev->pe] = ev->value;
    t->acc_b[ev->pe] = ev->bypass;
  }
  if (ev->kind == EIE_EV_WB) {
    t->wb_v[ev->pe] = 1;
    t->wb_row[ev->pe] = ev->index;
    t->wb_y[ev->pe] = ev->value;
  }
}

enum { TRACE_MD, TRACE_CSV, TRACE_JSON };

static void trace_header(int fmt, uint32_t N, const char *pack) {
  if (fmt == TRACE_MD) {
    printf("| cycle | CCU | LNZD root | broadcast |");
    for (uint32_t k = 0; k < N; k++) printf(" PE%u q | PE%u stream | PE%u write |", k, k, k);
    printf("\n|---|---|---|---|");
    for (uint32_t k = 0; k < N; k++) printf("---|---|---|");
    printf("\n");
  } else if (fmt == TRACE_CSV) {
    printf("cycle,ccu,lnzd_j,lnzd_a,stall,bcast_j,bcast_a");
    for (uint32_t k = 0; k < N; k++)
      printf(",pe%u_queue,pe%u_col,pe%u_entry,pe%u_acc_row,pe%u_acc_value,pe%u_acc_bypass,pe%u_wb_row,pe%u_wb_y", k, k,
             k, k, k, k, k, k);
    printf("\n");
  } else {
    json_t *p = json_string(pack);
    char *txt = json_dumps(p, JSON_ENCODE_ANY);
    printf("{\"pack\":%s,\"num_pe\":%u,\"cycles\":[", txt ? txt : "null", N);
    free(txt);
    json_decref(p);
  }
}

static void trace_row(int fmt, uint64_t cyc, const eie_ccu_view_t *cv, const eie_pe_view_t *pv, const trace_ctx_t *t,
                      uint32_t N) {
  if (fmt == TRACE_MD) {
    char root[48] = "", bc[48] = "";
    if (cv->root_valid) snprintf(root, sizeof root, "(%u, %d)%s", cv->root_j, cv->root_a, cv->stall ? " stall" : "");
    if (t->bc_v) snprintf(bc, sizeof bc, "(%u, %d)", t->bc_j, t->bc_a);
    printf("| %llu | %s | %s | %s |", (unsigned long long)cyc, eie_ccu_state_name(cv->state), root, bc);
    for (uint32_t k = 0; k < N; k++) {
      char st[48] = "", acc[48] = "", wb[32] = "";
      if (pv[k].stream_valid) {
        if (pv[k].stream_addr < pv[k].stream_end)
          snprintf(st, sizeof st, "col %u e%u", pv[k].stream_col, pv[k].stream_addr);
        else
          snprintf(st, sizeof st, "col %u (empty)", pv[k].stream_col);
      }
      if (t->acc_v[k]) snprintf(acc, sizeof acc, "b%u=%d%s", t->acc_row[k], t->acc_val[k], t->acc_b[k] ? " byp" : "");
      if (t->wb_v[k]) snprintf(wb, sizeof wb, "y%u=%d", t->wb_row[k], t->wb_y[k]);
      printf(" %u | %s | %s%s |", pv[k].queue_count, st, acc, wb);
    }
    printf("\n");
    return;
  }
  if (fmt == TRACE_CSV) {
    printf("%llu,%s,", (unsigned long long)cyc, eie_ccu_state_name(cv->state));
    if (cv->root_valid) printf("%u,%d,", cv->root_j, cv->root_a); else printf(",,");
    printf("%d,", cv->stall ? 1 : 0);
    if (t->bc_v) printf("%u,%d", t->bc_j, t->bc_a); else printf(",");
    for (uint32_t k = 0; k < N; k++) {
      printf(",%u,", pv[k].queue_count);
      if (pv[k].stream_valid) {
        printf("%u,", pv[k].stream_col);
        if (pv[k].stream_addr < pv[k].stream_end) printf("%u", pv[k].stream_addr);
      } else {
        printf(",");
      }
      if (t->acc_v[k]) printf(",%u,%d,%d", t->acc_row[k], t->acc_val[k], t->acc_b[k] ? 1 : 0); else printf(",,,");
      if (t->wb_v[k]) printf(",%u,%d", t->wb_row[k], t->wb_y[k]); else printf(",,");
    }
    printf("\n");
    return;
  }
  printf("%s{\"cycle\":%llu,\"ccu\":\"%s\",\"lnzd\":", cyc ? "," : "", (unsigned long long)cyc,
         eie_ccu_state_name(cv->state));
  if (cv->root_valid)
    printf("{\"j\":%u,\"a\":%d,\"stall\":%s}", cv->root_j, cv->root_a, cv->stall ? "true" : "false");
  else
    printf("null");
  printf(",\"broadcast\":");
  if (t->bc_v) printf("{\"j\":%u,\"a\":%d}", t->bc_j, t->bc_a); else printf("null");
  printf(",\"pe\":[");
  for (uint32_t k = 0; k < N; k++) {
    printf("%s{\"queue\":%u,\"stream\":", k ? "," : "", pv[k].queue_count);
    if (pv[k].stream_valid) {
      printf("{\"col\":%u,\"entry\":", pv[k].stream_col);
      if (pv[k].stream_addr < pv[k].stream_end) printf("%u}", pv[k].stream_addr); else printf("null}");
    } else {
      printf("null");
    }
    printf(",\"acc\":");
    if (t->acc_v[k])
      printf("{\"row\":%u,\"value\":%d,\"bypass\":%s}", t->acc_row[k], t->acc_val[k], t->acc_b[k] ? "true" : "false");
    else
      printf("null");
    printf(",\"wb\":");
    if (t->wb_v[k]) printf("{\"row\":%u,\"y\":%d}}", t->wb_row[k], t->wb_y[k]); else printf("null}");
  }
  printf("]}");
}

static int cmd_trace(int argc, char **argv) {
  static const struct option opts[] = {{"example", required_argument, 0, 'x'},
                                       {"pes", required_argument, 0, 'p'},
                                       {"fifo-depth", required_argument, 0, 'f'},
                                       {"events", no_argument, 0, 'E'},
                                       {"format", required_argument, 0, 'F'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *example = NULL, *format = NULL;
  long pes = 4, fifo = 8;
  int c, events = 0, sized = 0, fmt = TRACE_MD;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
      case 'x': example = optarg; break;
      case 'p': if (parse_long("--pes", optarg, 1, 256, &pes)) return EXIT_BAD; sized = 1; break;
      case 'f': if (parse_long("--fifo-depth", optarg, 1, 256, &fifo)) return EXIT_BAD; sized = 1; break;
      case 'E': events = 1; break;
      case 'F': format = optarg; break;
      case 'h': fputs(trace_help, stdout); return 0;
      default: fputs("eie trace: see 'eie trace --help'\n", stderr); return EXIT_BAD;
    }
  }
  if (format) {
    if (!strcmp(format, "md")) fmt = TRACE_MD;
    else if (!strcmp(format, "csv")) fmt = TRACE_CSV;
    else if (!strcmp(format, "json")) fmt = TRACE_JSON;
    else return die(EXIT_BAD, "trace: --format '%s' is not md, csv or json", format);
    if (events) return die(EXIT_BAD, "trace: %s", "--format and --events do not go together (--events prints one event a line)");
  }
  if (example && optind < argc) return die(EXIT_BAD, "trace: %s", "give a pack directory or --example paper, not both");
  if (!example && sized)
    return die(EXIT_BAD, "trace: %s", "--pes and --fifo-depth go with --example (a pack has its own configuration)");
  eie_pack_t pk;
  memset(&pk, 0, sizeof pk);
  eie_err_t e;
  eie_status_t st;
  const char *what = "paper";
  if (example) {
    if (strcmp(example, "paper")) return die(EXIT_BAD, "trace: unknown example '%s' (known: paper)", example);
    eie_layer_t l;
    int16_t x[8];
    eie_example_paper(&l, x);
    eie_config_t cfg = eie_config_default();
    cfg.num_pe = (uint32_t)pes;
    cfg.fifo_depth = (uint32_t)fifo;
    if ((st = eie_program_build(&cfg, &l, 1, &pk.prog, &e))) return die(exit_for(st), "%s", e.msg);
    eie_program_set_input(&pk.prog, x);
  } else {
    if (optind + 1 != argc) return die(EXIT_BAD, "trace: %s", "give a pack directory or --example paper");
    what = argv[optind];
    if ((st = eie_pack_read(argv[optind], &pk, &e))) return die(exit_for(st), "%s", e.msg);
  }
  const uint32_t N = pk.prog.cfg.num_pe;
  eie_array_t *a;
  if ((st = eie_array_create(&pk.prog.cfg, &a, &e))) {
    eie_pack_free(&pk);
    return die(exit_for(st), "%s", e.msg);
  }
  trace_ctx_t *t = calloc(1, sizeof *t);
  eie_pe_view_t *pv = calloc(N, sizeof *pv);
  if (!t || !pv) {
    free(t);
    free(pv);
    eie_array_destroy(a);
    eie_pack_free(&pk);
    return die(EXIT_BAD, "%s", "out of memory");
  }
  t->events_only = events;
  eie_array_set_event_cb(a, trace_cb, t);
  eie_bus_t bus = eie_model_bus(a);
  if ((st = eie_driver_load(&bus, &pk.prog, &e)) || eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START) ||
      !eie_array_busy(a)) {
    int rc = die(EXIT_BAD, "trace: %s", st ? e.msg : eie_array_error(a));
    free(t);
    free(pv);
    eie_array_destroy(a);
    eie_pack_free(&pk);
    return rc;
  }
  eie_ccu_view_t cv;
  if (!events) trace_header(fmt, N, what);
  for (uint64_t cyc = 0; eie_array_busy(a); cyc++) {
    eie_array_view(a, &cv, pv);
    const int ev_only = t->events_only;
    memset(t, 0, sizeof *t);
    t->events_only = ev_only;
    eie_array_tick(a);
    if (!events) trace_row(fmt, cyc, &cv, pv, t, N);
  }
  if (!events && fmt == TRACE_JSON) printf("]}\n");
  free(pv);
  free(t);
  eie_array_destroy(a);
  eie_pack_free(&pk);
  return 0;
}

/* ---- main --------------------------------------------------------------------------- */

static const char *main_help =
    "usage: eie COMMAND [options]\n"
    "\n"
    "Cycle-accurate C model of the EIE sparse-inference accelerator.\n"
    "\n"
    "commands:\n"
    "  gen     compress a layer and write a vector pack (eie gen --help)\n"
    "  run     run a vector pack and check it (eie run --help)\n"
    "  trace   print a cycle-by-cycle table of a run (eie trace --help)\n"
    "  sweep   run a layer over PE counts and FIFO depths, one CSV row each (eie sweep --help)\n"
    "  params  print the architectural parameters and a configuration's parameter hash (hex, decimal)\n"
    "          (--sv: the SystemVerilog package generated from them)\n"
    "  version print the version\n";

/* NAME_IN_CAPS -> NameInCaps (lowRISC parameter style). */
static void camel(const char *name, char *out, size_t n) {
  size_t o = 0;
  int up = 1;
  for (const char *c = name; *c && o + 1 < n; c++) {
    if (*c == '_') {
      up = 1;
      continue;
    }
    out[o++] = up ? *c : (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
    up = 0;
  }
  out[o] = 0;
}

/* The SystemVerilog package generated from eie_params.def (rtl/eie_params_pkg.sv). */
static int params_sv(void) {
  eie_config_t cfg = eie_config_default();
  printf("// Generated by `eie params --sv` from cmodel/include/eie/eie_params.def: do not edit.\n"
         "// Regenerate: build/bin/eie params --sv > rtl/eie_params_pkg.sv\n"
         "package eie_params_pkg;\n");
  for (unsigned i = 0; i < eie_param_count; i++) {
    const eie_param_info_t *p = &eie_param_table[i];
    char n[64];
    camel(p->name, n, sizeof n);
    printf("  // %s%s\n", p->desc, p->runtime ? "" : " (fixed)");
    printf("  parameter int %s = %u;\n", n, p->def);
    if (p->runtime) printf("  parameter int %sMin = %u;\n  parameter int %sMax = %u;\n", n, p->min, n, p->max);
  }
  printf("  // FNV-1a hash of the defaults above (docs/microarchitecture.md section 1)\n"
         "  parameter logic [31:0] ParamHashDefault = 32'h%08x;\n"
         "endpackage\n",
         eie_param_hash(&cfg));
  return 0;
}

static const char *params_help =
    "usage: eie params [--pes N] [--fifo-depth D] [--param NAME=VALUE] [--config FILE] [--hash]\n"
    "                  | --sv | --rtl-builds\n"
    "\n"
    "Print the architectural parameters of a configuration (default: the defaults), their\n"
    "ranges, and its parameter hash in hex and decimal (the RTL's ParamHash, a pack's\n"
    "param_hash).\n"
    "\n"
    "  --pes N, --fifo-depth D, --param NAME=VALUE, --config FILE   the configuration, as eie gen\n"
    "  --hash          only the hash: hex and decimal, one line (e.g. for a testbench's ParamHash)\n"
    "  --sv            the SystemVerilog package generated from the defaults (rtl/eie_params_pkg.sv)\n"
    "  --rtl-builds    the RTL configurations built into this binary, one a line\n";

static int cmd_params(int argc, char **argv) {
  static const struct option opts[] = {{"pes", required_argument, 0, 'p'},   {"fifo-depth", required_argument, 0, 'f'},
                                       {"param", required_argument, 0, 'P'}, {"config", required_argument, 0, 'C'},
                                       {"sv", no_argument, 0, 's'},          {"rtl-builds", no_argument, 0, 'r'},
                                       {"hash", no_argument, 0, 'H'},        {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  eie_config_t cfg = eie_config_default();
  int sv = 0, builds = 0, custom = 0, only_hash = 0, c;
  long v;
  eie_err_t e;
  if (apply_config_options(argc, argv, &cfg, NULL)) return EXIT_BAD;
  opterr = 0; /* unknown options and missing values reported below, as the other commands do */
  while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
    switch (c) {
      case 'C': custom = 1; break;
      case 'p':
        if (parse_long("--pes", optarg, EIE_NUM_PE_MIN, EIE_NUM_PE_MAX, &v)) return EXIT_BAD;
        cfg.num_pe = (uint32_t)v;
        custom = 1;
        break;
      case 'f':
        if (parse_long("--fifo-depth", optarg, EIE_FIFO_DEPTH_MIN, EIE_FIFO_DEPTH_MAX, &v)) return EXIT_BAD;
        cfg.fifo_depth = (uint32_t)v;
        custom = 1;
        break;
      case 'P':
        if (parse_param(&cfg, optarg)) return EXIT_BAD;
        custom = 1;
        break;
      case 's': sv = 1; break;
      case 'r': builds = 1; break;
      case 'H': only_hash = 1; break;
      case 'h': fputs(params_help, stdout); return 0;
      case ':':
        fprintf(stderr, "eie: params: option '%s' needs a value\n", argv[optind - 1]);
        fputs(params_help, stderr);
        return EXIT_BAD;
      default:
        fprintf(stderr, "eie: params: unknown option '%s'\n", argv[optind - 1]);
        fputs(params_help, stderr);
        return EXIT_BAD;
    }
  }
  if (optind < argc) return die(EXIT_BAD, "params: unexpected argument '%s'", argv[optind]);
  if (sv && (custom || builds || only_hash))
    return die(EXIT_BAD, "params: %s", "--sv prints the defaults' package: no other option");
  if (builds && only_hash) return die(EXIT_BAD, "params: %s", "--rtl-builds and --hash do not go together");
  if (builds && custom) return die(EXIT_BAD, "params: %s", "--rtl-builds takes no configuration options");
  if (sv) return params_sv();
  if (builds) {
#ifdef EIE_WITH_RTL
    for (unsigned i = 0; i < eie_rtl_variant_count(); i++) {
      eie_config_t vc = eie_rtl_variant_config(i);
      printf("%s NUM_PE=%u FIFO_DEPTH=%u param_hash 0x%08x (%u)\n", eie_rtl_variant_name(i), vc.num_pe,
             vc.fifo_depth, eie_param_hash(&vc), eie_param_hash(&vc));
    }
#endif
    return 0;
  }
  if (eie_config_validate(&cfg, &e)) return die(EXIT_BAD, "%s", e.msg);
  if (only_hash) { /* hex and decimal, e.g. for a testbench's ParamHash */
    printf("0x%08x %u\n", eie_param_hash(&cfg), eie_param_hash(&cfg));
    return 0;
  }
  eie_config_t def = eie_config_default();
  printf("%-18s %8s %8s %8s %8s  %s\n", "name", "value", "default", "min", "max", "meaning");
  for (unsigned i = 0; i < eie_param_count; i++) {
    const eie_param_info_t *p = &eie_param_table[i];
    const unsigned val = eie_config_value(&cfg, i);
    printf("%-18s %8u %8u %8u %8u  %s%s\n", p->name, val, p->def, p->min, p->max, p->desc,
           p->runtime ? "" : " (fixed)");
  }
  const uint32_t h = eie_param_hash(&cfg);
  printf("parameter hash 0x%08x (decimal %u)%s\n", h, h, custom ? "" : ", the defaults");
  if (custom) printf("default parameter hash 0x%08x (decimal %u)\n", eie_param_hash(&def), eie_param_hash(&def));
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(main_help, stderr);
    return EXIT_BAD;
  }
  const char *cmd = argv[1];
  int rc;
  argv++;
  argc--;
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(main_help, stdout);
    rc = 0;
  } else if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    puts(EIE_GENERATOR);
    rc = 0;
  } else if (!strcmp(cmd, "gen")) {
    rc = cmd_gen(argc, argv);
  } else if (!strcmp(cmd, "run")) {
    rc = cmd_run(argc, argv);
  } else if (!strcmp(cmd, "trace")) {
    rc = cmd_trace(argc, argv);
  } else if (!strcmp(cmd, "sweep")) {
    rc = eie_cmd_sweep(argc, argv);
  } else if (!strcmp(cmd, "params")) {
    rc = cmd_params(argc, argv);
  } else {
    fprintf(stderr, "eie: unknown command '%s' (see 'eie --help')\n", cmd);
    rc = EXIT_BAD;
  }
  /* Whatever went to stdout must have arrived (a full disk, a closed pipe). */
  eie_err_t e;
  if (eie_fsafe_close_stdout(&e)) {
    fprintf(stderr, "eie: %s\n", e.msg);
    if (!rc) rc = EXIT_BAD;
  }
  return rc;
}
