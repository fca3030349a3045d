/* eie gen: compress a layer or a network (prune, share weights, fixed point),
 * encode it for the configured array, run it on the cycle-accurate model,
 * check it against the functional reference and write a vector pack. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_compress.h"
#include "eie/eie_example.h"
#include "eie/eie_model.h"
#include "eie/eie_npy.h"
#include "eie/eie_quantize.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"
#include "eie_args.h"
#include "eie_cli_common.h"
#include "eie_cmds.h"
#include "eie_fsafe.h"
#include "eie_netspec.h"
#include "eie_pack.h"

/* One source line per line of output. */
/* clang-format off */
static const char *gen_help =
    "usage: eie gen (--weights W.npy --input a.npy [--bias b.npy] [--calibrate C.npy] |\n"
    "                --network SPEC.json [--calibrate C.npy] | --random MxK [--act-density X] [--seed S] |\n"
    "                --random-net K,H,..,M [--act-density X] [--seed S] | --example paper)\n"
    "               [--density X] [--pes N] [--fifo-depth D] [--param NAME=VALUE] [--config FILE]\n"
    "               [--no-events] [--no-hex] [--relu | --no-relu] [--weight-frac F] [--input-frac F]\n"
    "               [--headroom B] [--strict] [--force] [-q] -o DIR\n"
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
    "  --no-hex            leave out the $readmemh images and host traces (every .hex file): a pack\n"
    "                      for eie run alone, which reads none of them (not for an RTL testbench)\n"
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
/* clang-format on */

static int load_vector(const char *path, uint64_t want, int allow_i16, double **d, int16_t **q,
                       const char *what) {
  eie_npy_t a;
  eie_err_t e;
  if (eie_fsafe_read_npy(NULL, path, EIE_FSAFE_NO_LIMIT, &a, &e))
    return eie_cli_die(EIE_EXIT_BAD, "%s", e.msg);
  int ok = a.ndim == 1 && (want == 0 || a.shape[0] == want);
  if (!ok) {
    fprintf(stderr, "eie: %s: %s must be 1-D of %llu values, found %u dims (first %llu)\n", path,
            what, (unsigned long long)want, a.ndim, (unsigned long long)(a.ndim ? a.shape[0] : 0));
    eie_npy_free(&a);
    return EIE_EXIT_BAD;
  }
  if (a.dtype == EIE_NPY_I16 && allow_i16) {
    *q = a.data;
    a.data = NULL;
  } else if (a.dtype == EIE_NPY_F32 || a.dtype == EIE_NPY_F64) {
    *d = eie_npy_to_double(&a);
    for (uint64_t i = 0; *d && i < a.count; i++)
      if (!isfinite((*d)[i])) {
        fprintf(stderr, "eie: %s: %s element %llu is not finite\n", path, what,
                (unsigned long long)i);
        free(*d);
        *d = NULL;
        eie_npy_free(&a);
        return EIE_EXIT_BAD;
      }
  } else {
    fprintf(stderr, "eie: %s: %s must be float32, float64%s, not %s\n", path, what,
            allow_i16 ? " or int16" : "", eie_npy_dtype_descr(a.dtype));
    eie_npy_free(&a);
    return EIE_EXIT_BAD;
  }
  eie_npy_free(&a);
  return 0;
}

/* eie gen's options, and what they set for the compression and the pack writer. */
typedef struct {
  const char *wpath, *ipath, *bpath, *out, *rnd, *example, *rnet, *netspec, *calibrate;
  double density, act_density; /* density < 0: not given */
  long seed, wfrac, ifrac;     /* wfrac, ifrac < 0: not given */
  int relu, quiet;
  int events; /* 0: --no-events, the pack without the expected event streams */
  int no_hex; /* --no-hex: the pack without its .hex files */
  int strict; /* --strict: any saturation is an error */
  /* Given: --seed or --act-density, --relu or --no-relu, a numerics option. */
  int seeded, relu_set, numerics_set;
  eie_config_t cfg;
  eie_numerics_opts_t num;     /* --headroom, --weight-frac, --input-frac */
  eie_fsafe_inputs_t inputs;   /* the files it reads (never inside -o DIR) */
  eie_pack_write_opts_t write; /* --force and inputs */
} gen_opts_t;

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
      printf(", %u codebook and %u input fraction bits given up for the accumulator",
             r->dropped_w_bits, r->dropped_in_bits);
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
static unsigned report_saturations(const eie_stats_t *s, const eie_numerics_report_t *rep,
                                   unsigned n, int strict) {
  unsigned bad = 0;
  for (unsigned l = 0; l < n; l++) {
    const eie_sat_stats_t *run = &s->layer_sat[l];
    const eie_layer_numerics_t *r = rep ? &rep->layer[l] : NULL;
    const uint64_t cal = r ? r->sat.acc_saturations + r->sat.out_saturations + r->in_clipped : 0;
    const int tight = r && r->acc_peak >= r->acc_limit;
    if (!run->acc_saturations && !run->out_saturations && !cal && !tight) continue;
    bad++;
    fprintf(stderr,
            "eie: %s: layer %u: %llu accumulator and %llu output saturations on the run input",
            strict ? "error" : "warning", l, (unsigned long long)run->acc_saturations,
            (unsigned long long)run->out_saturations);
    if (r)
      fprintf(stderr,
              "; on the %u calibration inputs %llu and %llu, %llu input values clipped, "
              "partial sums up to %lld (limit %lld)%s",
              rep->calib_inputs, (unsigned long long)r->sat.acc_saturations,
              (unsigned long long)r->sat.out_saturations, (unsigned long long)r->in_clipped,
              (long long)r->acc_peak, (long long)r->acc_limit,
              r->forced ? "; formats forced by the options" : "");
    fprintf(stderr, "\n");
  }
  return bad;
}

/* Encode n layers, simulate, check against the functional reference and write
 * a pack. Takes ownership of xq. layers == NULL: the paper's worked example. */
static int gen_pack(const gen_opts_t *o, const eie_layer_t *layers, unsigned n, int16_t *xq,
                    const eie_numerics_report_t *rep) {
  const eie_config_t *cfg = &o->cfg;
  const char *out = o->out;
  eie_layer_t example;
  if (!layers) {
    xq = malloc(sizeof *xq * 8);
    if (!xq) return eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
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
    return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
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
  eie_cli_run_t res = {0};
  if (!pk.expected || !ref) st = eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
  eie_event_t *events = NULL;
  if (!st)
    st = eie_cli_simulate(&pk.prog, pk.expected, &a, NULL, NULL, o->events ? &events : NULL,
                          &pk.num_events, NULL, UINT64_MAX, &res, &e);
  pk.events = events;
  pk.no_hex = o->no_hex;
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
        st = eie_fail(
            &e, EIE_STATUS_MISMATCH,
            "internal error: cycle model output %u = %d but the functional reference gives %d", i,
            pk.expected[i], ref[i]);
  }
  uint64_t bound = (st || n > 1) ? 0 : eie_program_work_bound(&pk.prog, 0, xq);
  pk.numerics = rep;
  if (!st && report_saturations(eie_array_stats(a), rep, n, o->strict) && o->strict)
    st = eie_fail(&e, EIE_STATUS_BAD_INPUT, "gen: saturation with --strict: nothing written to %s",
                  out);
  if (!st) st = eie_pack_write_opts(out, &pk, eie_array_stats(a), bound, &o->write, &e);
  if (!st && !o->quiet) {
    const eie_stats_t *s = eie_array_stats(a);
    printf("eie gen: %s: ", out);
    for (unsigned l = 0; l < n; l++)
      printf("%s%ux%u", l ? ", " : "", layers[l].out_len, layers[l].in_len);
    printf(" layer%s, %llu stored entries (%llu padding), %u PEs, FIFO %u\n", n > 1 ? "s" : "",
           (unsigned long long)pk.prog.entries, (unsigned long long)pk.prog.padding, cfg->num_pe,
           cfg->fifo_depth);
    for (unsigned l = 0; l < n; l++)
      printf("  layer %u formats: input Q%d, codebook Q%d, output Q%d, shift %u\n", l,
             layers[l].in_frac, layers[l].w_frac, layers[l].out_frac, layers[l].shift);
    printf("  cycles %llu", (unsigned long long)res.cycles);
    if (n == 1) printf(" (bound %llu)", (unsigned long long)bound);
    printf(", %llu entries streamed, macs %llu, load efficiency %.3f\n",
           (unsigned long long)s->entries, (unsigned long long)s->macs,
           eie_stats_load_efficiency(s));
    printf("  saturations: %llu accumulator, %llu output\n",
           (unsigned long long)s->sat.acc_saturations, (unsigned long long)s->sat.out_saturations);
    if (rep) print_numerics(layers, rep);
  }
  eie_array_destroy(a);
  free(ref);
  free(events);
  eie_pack_free(&pk);
  if (st) return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  return 0;
}

/* The calibration inputs: the run input x0 (K values), then the vectors of
 * --calibrate (shape (n, K) or (K,), float), in *x (1 + n rows). */
static int calibration_inputs(const char *calibrate, const double *x0, uint32_t K, double **x,
                              uint32_t *n_x) {
  eie_npy_t c;
  eie_err_t e;
  *n_x = 1;
  uint64_t rows = 0;
  if (calibrate) {
    if (eie_fsafe_read_npy(NULL, calibrate, EIE_FSAFE_NO_LIMIT, &c, &e))
      return eie_cli_die(EIE_EXIT_BAD, "%s", e.msg);
    const uint64_t cols = c.ndim == 2 ? c.shape[1] : c.ndim == 1 ? c.shape[0] : 0;
    rows = c.ndim == 2 ? c.shape[0] : 1;
    if (cols != K || rows < 1 || rows > UINT32_MAX - 1 ||
        (c.dtype != EIE_NPY_F32 && c.dtype != EIE_NPY_F64)) {
      fprintf(stderr,
              "eie: %s: calibration inputs must be float32/float64 of shape (n, %u) or (%u,)\n",
              calibrate, K, K);
      eie_npy_free(&c);
      return EIE_EXIT_BAD;
    }
  }
  *x = malloc(sizeof **x * (size_t)(1 + rows) * K);
  double *cd = rows ? eie_npy_to_double(&c) : NULL;
  if (rows) eie_npy_free(&c);
  if (!*x || (rows && !cd)) {
    free(*x);
    free(cd);
    return eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory for the calibration inputs");
  }
  memcpy(*x, x0, sizeof **x * K);
  for (size_t q = 0; q < (size_t)rows * K; q++)
    if (!isfinite(cd[q])) {
      fprintf(stderr, "eie: %s: calibration input %zu value %zu is not finite\n", calibrate, q / K,
              q % K);
      free(*x);
      free(cd);
      return EIE_EXIT_BAD;
    }
  if (rows) memcpy(*x + K, cd, sizeof **x * (size_t)rows * K);
  free(cd);
  *n_x = (uint32_t)(1 + rows);
  return 0;
}

/* Compress a float network for the run input x0 (eie_quantize_network, on
 * x0 and the calibration inputs) and write its pack. */
static int gen_float(const gen_opts_t *o, const eie_float_net_t *net, const double *x0) {
  double *x = NULL;
  uint32_t n_x = 0;
  int rc = calibration_inputs(o->calibrate, x0, net->widths[0], &x, &n_x);
  if (rc) return rc;
  eie_layer_t layers[EIE_MAX_LAYERS];
  int16_t *xq = malloc(sizeof *xq * net->widths[0]);
  eie_numerics_report_t *rep = malloc(sizeof *rep);
  eie_err_t e;
  eie_status_t st = xq && rep ? eie_quantize_network(net, x, n_x, &o->num, layers, xq, rep, &e)
                              : eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
  free(x);
  if (st) {
    free(xq);
    free(rep);
    return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  }
  rc = gen_pack(o, layers, net->layers, xq, rep);
  for (unsigned l = 0; l < net->layers; l++) eie_layer_free(&layers[l]);
  free(rep);
  return rc;
}

/* --random-net K,H1,...,M: random float layers compressed one after another. */
static int gen_random_net(const gen_opts_t *o) {
  const char *spec = o->rnet;
  uint32_t w[EIE_MAX_LAYERS + 1];
  unsigned n;
  if (eie_args_u32_list(spec, 1, 65535, EIE_MAX_LAYERS + 1, w, &n))
    return eie_cli_die(EIE_EXIT_BAD,
                       "gen: --random-net '%s' is not 2..17 widths in 1..65535 separated by commas",
                       spec);
  if (n < 2)
    return eie_cli_die(EIE_EXIT_BAD, "gen: --random-net '%s' needs at least two widths", spec);
  const unsigned L = n - 1;
  eie_rng_t r = {(uint64_t)o->seed * 0x9e3779b97f4a7c15ull + 11};
  double *x = malloc(sizeof *x * w[0]);
  double *wt[EIE_MAX_LAYERS] = {0}, *bias[EIE_MAX_LAYERS] = {0}, dens[EIE_MAX_LAYERS];
  int relus[EIE_MAX_LAYERS];
  int ok = x != NULL;
  for (uint32_t j = 0; ok && j < w[0]; j++)
    x[j] = eie_rng_uniform(&r) < o->act_density ? eie_rng_uniform(&r) : 0.0;
  for (unsigned l = 0; ok && l < L; l++) {
    wt[l] = malloc(sizeof *wt[l] * (size_t)w[l + 1] * w[l]);
    ok = wt[l] != NULL;
    for (size_t q = 0; ok && q < (size_t)w[l + 1] * w[l]; q++) wt[l][q] = eie_rng_normal(&r) * 0.1;
    dens[l] = o->density < 0 ? 0.1 : o->density;
    relus[l] = o->relu;
  }
  const eie_float_net_t net = {L, w, wt, bias, dens, relus};
  int rc = ok ? gen_float(o, &net, x) : eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
  free(x);
  for (unsigned l = 0; l < L; l++) free(wt[l]);
  return rc;
}

/* --network SPEC.json: the layers and input a specification names. An int16
 * input is Q(input_frac), a format the chooser keeps. */
static int gen_network(gen_opts_t *o) {
  eie_netspec_t ns;
  eie_err_t e;
  eie_status_t st = eie_netspec_read(o->netspec, &ns, &e);
  if (st) return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  for (unsigned i = 0; i < ns.num_files; i++) eie_fsafe_add_input(&o->inputs, ns.files[i], 0);
  if ((st = eie_pack_check_output(o->out, &o->write, &e))) {
    eie_netspec_free(&ns);
    return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  }
  double *x0 = ns.x;
  if (ns.xq) {
    if (!(x0 = malloc(sizeof *x0 * ns.widths[0]))) {
      eie_netspec_free(&ns);
      return eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
    }
    for (uint32_t j = 0; j < ns.widths[0]; j++) x0[j] = ldexp(ns.xq[j], -ns.input_frac);
    o->num.in_frac = ns.input_frac;
  }
  const eie_float_net_t net = {ns.layers, ns.widths, ns.w, ns.bias, ns.density, ns.relu};
  int rc = gen_float(o, &net, x0);
  if (x0 != ns.x) free(x0);
  eie_netspec_free(&ns);
  return rc;
}

/* The options together: one source, none that does not apply, the inputs
 * recorded and the output checked before any work. */
static int gen_check_options(gen_opts_t *o) {
  eie_err_t e;
  if (!o->out) return eie_cli_die(EIE_EXIT_BAD, "gen: %s", "-o DIR is required");
  eie_fsafe_add_input(&o->inputs, o->wpath, 0);
  eie_fsafe_add_input(&o->inputs, o->ipath, 0);
  eie_fsafe_add_input(&o->inputs, o->bpath, 0);
  eie_fsafe_add_input(&o->inputs, o->netspec, 0);
  eie_fsafe_add_input(&o->inputs, o->calibrate, 0);
  if (eie_pack_check_output(o->out, &o->write, &e)) return eie_cli_die(EIE_EXIT_BAD, "%s", e.msg);
  const int sources = (o->rnd != NULL) + (o->example != NULL) + (o->rnet != NULL) +
                      (o->netspec != NULL) + (o->wpath || o->ipath || o->bpath);
  if (sources > 1)
    return eie_cli_die(
        EIE_EXIT_BAD, "gen: %s",
        "give one of --weights/--input, --network, --random, --random-net and --example");
  if (o->calibrate && !o->wpath && !o->netspec)
    return eie_cli_die(EIE_EXIT_BAD, "gen: %s", "--calibrate goes with --weights or --network");
  /* Options that do not apply are refused, not ignored. */
  if (o->seeded && !o->rnd && !o->rnet)
    return eie_cli_die(EIE_EXIT_BAD, "gen: %s",
                       "--seed and --act-density go with --random or --random-net");
  if (o->relu_set && (o->netspec || o->example))
    return eie_cli_die(EIE_EXIT_BAD, "gen: %s",
                       "--relu/--no-relu do not go with --network (each layer says) or --example");
  if (o->example && (o->density >= 0 || o->numerics_set))
    return eie_cli_die(
        EIE_EXIT_BAD, "gen: %s",
        "--example paper is already compressed and quantized: no --density, --weight-frac, "
        "--input-frac, --headroom or --strict");
  if (!o->netspec && !o->rnet && !o->rnd && !o->example && (!o->wpath || !o->ipath))
    return eie_cli_die(EIE_EXIT_BAD, "gen: %s",
                       "give --weights and --input, or --random MxK, or --example paper");
  if (o->example && strcmp(o->example, "paper"))
    return eie_cli_die(EIE_EXIT_BAD, "gen: unknown example '%s' (known: paper)", o->example);
  if (eie_config_validate(&o->cfg, &e)) return eie_cli_die(EIE_EXIT_BAD, "%s", e.msg);
  return 0;
}

/* --random MxK: random normal weights and non-negative inputs, --act-density
 * of them non-zero. */
static int gen_random_layer(gen_opts_t *o, uint32_t *M, uint32_t *K, double **w, double **xd) {
  unsigned long m, k;
  if (eie_args_mxk(o->rnd, 65535, &m, &k))
    return eie_cli_die(EIE_EXIT_BAD, "gen: --random '%s' is not MxK with 1..65535 (decimal)",
                       o->rnd);
  *M = (uint32_t)m;
  *K = (uint32_t)k;
  if (o->density < 0) o->density = 0.1;
  *w = malloc(sizeof **w * (size_t)*M * *K);
  *xd = malloc(sizeof **xd * *K);
  if (!*w || !*xd) return eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
  eie_rng_t r = {(uint64_t)o->seed * 0x9e3779b97f4a7c15ull + 7};
  for (size_t q = 0; q < (size_t)*M * *K; q++) (*w)[q] = eie_rng_normal(&r) * 0.05;
  for (uint32_t j = 0; j < *K; j++)
    (*xd)[j] = eie_rng_uniform(&r) < o->act_density ? eie_rng_uniform(&r) : 0.0;
  return 0;
}

/* --weights FILE, shape (out, in): float, or int16 fixed point Q(--weight-frac),
 * by default Q14; as doubles into *w. */
static int read_weights(const char *path, long wfrac, uint32_t *M, uint32_t *K, double **w) {
  eie_npy_t W;
  eie_err_t e;
  if (eie_fsafe_read_npy(NULL, path, EIE_FSAFE_NO_LIMIT, &W, &e))
    return eie_cli_die(EIE_EXIT_BAD, "%s", e.msg);
  if (W.ndim != 2 || W.shape[0] < 1 || W.shape[1] < 1 || W.shape[0] > 65535 || W.shape[1] > 65535) {
    fprintf(stderr, "eie: %s: weights must be 2-D (out, in) with 1..65535 each\n", path);
    eie_npy_free(&W);
    return EIE_EXIT_BAD;
  }
  *M = (uint32_t)W.shape[0];
  *K = (uint32_t)W.shape[1];
  if (W.dtype != EIE_NPY_I16 && W.dtype != EIE_NPY_F32 && W.dtype != EIE_NPY_F64) {
    fprintf(stderr, "eie: %s: weights must be float32, float64 or int16, not %s\n", path,
            eie_npy_dtype_descr(W.dtype));
    eie_npy_free(&W);
    return EIE_EXIT_BAD;
  }
  *w = eie_npy_to_double(&W);
  const int i16 = W.dtype == EIE_NPY_I16;
  eie_npy_free(&W);
  if (!*w) return eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
  const size_t n = (size_t)*M * *K;
  for (size_t q = 0; i16 && q < n; q++)
    (*w)[q] = ldexp((*w)[q], -(int)(wfrac < 0 ? EIE_INT16_WEIGHT_FRAC : wfrac));
  for (size_t q = 0; q < n; q++)
    if (!isfinite((*w)[q])) {
      fprintf(stderr, "eie: %s: weight (%zu, %zu) is not finite\n", path, q / *K, q % *K);
      return EIE_EXIT_BAD;
    }
  return 0;
}

/* --input FILE, shape (K,): float, or int16 fixed point Q(--input-frac), by
 * default Q8, a format then kept; as doubles into *xd. */
static int read_input(gen_opts_t *o, uint32_t K, double **xd) {
  int16_t *xq = NULL;
  int rc = load_vector(o->ipath, K, 1, xd, &xq, "input");
  if (rc || !xq) return rc;
  const long ifrac = o->ifrac < 0 ? 8 : o->ifrac;
  o->num.in_frac = (int)ifrac;
  *xd = malloc(sizeof **xd * K);
  for (uint32_t j = 0; *xd && j < K; j++) (*xd)[j] = ldexp(xq[j], -(int)ifrac);
  free(xq);
  if (!*xd) return eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
  return 0;
}

/* One float layer, from --random MxK or from --weights, --input and --bias. */
static int gen_layer(gen_opts_t *o) {
  uint32_t M = 0, K = 0;
  double *w = NULL, *bias = NULL, *xd = NULL;
  int16_t *unused = NULL;
  int rc;
  if (o->rnd)
    rc = gen_random_layer(o, &M, &K, &w, &xd);
  else if (!(rc = read_weights(o->wpath, o->wfrac, &M, &K, &w)) && !(rc = read_input(o, K, &xd)) &&
           o->bpath)
    rc = load_vector(o->bpath, M, 0, &bias, &unused, "bias");
  if (!rc) {
    const uint32_t widths[2] = {K, M};
    double *const ws[1] = {w}, *const bs[1] = {bias};
    const eie_float_net_t net = {1, widths, ws, bs, &o->density, &o->relu};
    rc = gen_float(o, &net, xd);
  }
  free(w);
  free(xd);
  free(bias);
  return rc;
}

int eie_cmd_gen(int argc, char **argv) {
  static const struct option opts[] = {{"weights", required_argument, 0, 'w'},
                                       {"input", required_argument, 0, 'i'},
                                       {"bias", required_argument, 0, 'b'},
                                       {"random", required_argument, 0, 'R'},
                                       {"act-density", required_argument, 0, 'A'},
                                       {"density", required_argument, 0, 'd'},
                                       {"seed", required_argument, 0, 's'},
                                       EIE_CLI_CONFIG_OPTIONS,
                                       {"relu", no_argument, 0, 'r'},
                                       {"no-relu", no_argument, 0, 'n'},
                                       {"weight-frac", required_argument, 0, 'W'},
                                       {"input-frac", required_argument, 0, 'I'},
                                       {"output", required_argument, 0, 'o'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"example", required_argument, 0, 'x'},
                                       {"random-net", required_argument, 0, 'N'},
                                       {"network", required_argument, 0, 'S'},
                                       {"help", no_argument, 0, 'h'},
                                       {"config", required_argument, 0, 'C'},
                                       {"no-events", no_argument, 0, 'E'},
                                       {"no-hex", no_argument, 0, 'X'},
                                       {"calibrate", required_argument, 0, 'K'},
                                       {"headroom", required_argument, 0, 'H'},
                                       {"strict", no_argument, 0, 'T'},
                                       {"force", no_argument, 0, 'F'},
                                       {0, 0, 0, 0}};
  gen_opts_t o;
  memset(&o, 0, sizeof o);
  o.density = -1;
  o.act_density = 0.35;
  o.seed = 1;
  o.wfrac = o.ifrac = -1;
  o.relu = 1;
  o.cfg = eie_config_default();
  o.events = 1;
  o.num = (eie_numerics_opts_t){EIE_NUMERICS_HEADROOM_DEFAULT, -1, -1};
  o.write.inputs = &o.inputs;
  long v;
  int c;
  if (eie_cli_apply_config(argc, argv, &o.cfg, &o.inputs)) return EIE_EXIT_BAD;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    switch (c) {
      case 'C':
        break; /* applied above */
      case 'E':
        o.events = 0;
        break;
      case 'X':
        o.no_hex = 1;
        break;
      case 'F':
        o.write.force = 1;
        break;
      case 'K':
        o.calibrate = optarg;
        break;
      case 'H':
        if (eie_cli_parse_long("--headroom", optarg, 0, EIE_ACC_W - 2, &v)) return EIE_EXIT_BAD;
        o.num.headroom = (unsigned)v;
        o.numerics_set = 1;
        break;
      case 'T':
        o.strict = 1;
        o.numerics_set = 1;
        break;
      case 'w':
        o.wpath = optarg;
        break;
      case 'i':
        o.ipath = optarg;
        break;
      case 'b':
        o.bpath = optarg;
        break;
      case 'R':
        o.rnd = optarg;
        break;
      case 'A':
        if (eie_cli_parse_double("--act-density", optarg, 0, 1, &o.act_density))
          return EIE_EXIT_BAD;
        o.seeded = 1;
        break;
      case 'd':
        if (eie_cli_parse_double("--density", optarg, 0, 1, &o.density)) return EIE_EXIT_BAD;
        break;
      case 's':
        if (eie_cli_parse_long("--seed", optarg, 0, 1L << 62, &o.seed)) return EIE_EXIT_BAD;
        o.seeded = 1;
        break;
      case 'p':
      case 'f':
      case 'P':
        if (eie_cli_config_option(c, optarg, &o.cfg)) return EIE_EXIT_BAD;
        break;
      case 'r':
        o.relu = 1;
        o.relu_set = 1;
        break;
      case 'n':
        o.relu = 0;
        o.relu_set = 1;
        break;
      case 'W':
        if (eie_cli_parse_long("--weight-frac", optarg, 0, 15, &o.wfrac)) return EIE_EXIT_BAD;
        o.numerics_set = 1;
        break;
      case 'I':
        if (eie_cli_parse_long("--input-frac", optarg, 0, 15, &o.ifrac)) return EIE_EXIT_BAD;
        o.numerics_set = 1;
        break;
      case 'o':
        o.out = optarg;
        break;
      case 'q':
        o.quiet = 1;
        break;
      case 'x':
        o.example = optarg;
        break;
      case 'N':
        o.rnet = optarg;
        break;
      case 'S':
        o.netspec = optarg;
        break;
      case 'h':
        fputs(gen_help, stdout);
        return 0;
      default:
        fputs("eie gen: see 'eie gen --help'\n", stderr);
        return EIE_EXIT_BAD;
    }
  }
  if (optind < argc)
    return eie_cli_die(EIE_EXIT_BAD, "gen: unexpected argument '%s'", argv[optind]);
  int rc = gen_check_options(&o);
  if (rc) return rc;
  o.num.weight_frac = (int)o.wfrac;
  o.num.in_frac = (int)o.ifrac;
  if (o.netspec) return gen_network(&o);
  if (o.rnet) return gen_random_net(&o);
  if (o.example) return gen_pack(&o, NULL, 0, NULL, NULL);
  return gen_layer(&o);
}
