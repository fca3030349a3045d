/* Benchmark: the cycle-accurate model against a plain CSC sparse
 * matrix-vector product on the same layer, in the same run.
 *   eie_bench [--rows M] [--cols K] [--density X] [--act-density Y] [--pes N]
 *             [--fifo-depth D] [--seed S] [--repeat R] [--json FILE]
 * Defaults: the paper's Alex-7 shape, 4096x4096, 9 % weights, 35 % activations,
 * 64 PEs, FIFO 8. Reports the best of R repetitions of each, in CPU time. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eie/eie_arith.h"
#include "eie/eie_driver.h"
#include "eie/eie_model.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"

/* The thread's CPU time: on a shared machine the wall time of a run counts
 * the time other processes had the core, and the longer the run the more. */
static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Plain CSC of the decoded fixed-point matrix. */
typedef struct {
  uint32_t *colptr, *row;
  int16_t *val;
} csc_t;

static void csc_build(const eie_layer_t *l, csc_t *c) {
  const uint32_t M = l->out_len, K = l->in_len;
  size_t nnz = 0;
  for (size_t q = 0; q < (size_t)M * K; q++) nnz += l->idx[q] != 0;
  c->colptr = calloc(K + 1, sizeof *c->colptr);
  c->row = malloc(sizeof *c->row * (nnz + 1));
  c->val = malloc(sizeof *c->val * (nnz + 1));
  for (uint32_t i = 0; i < M; i++)
    for (uint32_t j = 0; j < K; j++) c->colptr[j + 1] += l->idx[(size_t)i * K + j] != 0;
  for (uint32_t j = 0; j < K; j++) c->colptr[j + 1] += c->colptr[j];
  uint32_t *fill = malloc(sizeof *fill * K);
  memcpy(fill, c->colptr, sizeof *fill * K);
  for (uint32_t i = 0; i < M; i++)
    for (uint32_t j = 0; j < K; j++) {
      uint8_t v = l->idx[(size_t)i * K + j];
      if (v) {
        c->row[fill[j]] = i;
        c->val[fill[j]++] = l->codebook[v];
      }
    }
  free(fill);
}

/* y = writeback(W x): skips zero activations, saturating accumulate. */
static void csc_spmv(const eie_layer_t *l, const csc_t *c, const int16_t *x, int32_t *acc,
                     int16_t *y) {
  memset(acc, 0, sizeof *acc * l->out_len);
  for (uint32_t j = 0; j < l->in_len; j++) {
    if (!x[j]) continue;
    for (uint32_t e = c->colptr[j]; e < c->colptr[j + 1]; e++)
      acc[c->row[e]] = eie_arith_mac(acc[c->row[e]], c->val[e], x[j]);
  }
  for (uint32_t i = 0; i < l->out_len; i++)
    y[i] = eie_arith_writeback(acc[i], l->bias ? l->bias[i] : 0, l->shift, l->relu);
}

/* An observer that only counts events (what any observer costs the model). */
static void count_event(void *user, const eie_event_t *ev) {
  (void)ev;
  ++*(uint64_t *)user;
}

/* An observer that folds the events, in order, into a digest: the two
 * datapaths' streams must give the same (not timed). */
static void digest_event(void *user, const eie_event_t *ev) {
  uint64_t *d = user;
  const uint64_t f[] = {ev->kind, ev->cycle, ev->layer,           ev->pass,
                        ev->pe,   ev->index, (uint32_t)ev->value, (uint64_t)ev->bypass};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++)
    *d = (*d ^ f[i]) * 0x100000001b3ull; /* FNV-1a over the fields */
}

/* Best CPU time of `repeat` runs, START to DONE only (loading is not
 * simulation); the cycles in *cycles. */
static double time_runs(eie_array_t *a, int repeat, uint64_t *cycles) {
  double best = 1e30;
  for (int r = 0; r < repeat; r++) {
    eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_CLEAR);
    eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START);
    const double t0 = now_s();
    while (eie_array_busy(a)) eie_array_tick(a);
    const double t1 = now_s();
    if (t1 - t0 < best) best = t1 - t0;
    uint32_t lo, hi;
    eie_array_bus_read(a, EIE_REG_CYCLES_LO, &lo);
    eie_array_bus_read(a, EIE_REG_CYCLES_HI, &hi);
    *cycles = (uint64_t)hi << 32 | lo;
  }
  return best;
}

int main(int argc, char **argv) {
  static const struct option opts[] = {{"rows", required_argument, 0, 'm'},
                                       {"cols", required_argument, 0, 'k'},
                                       {"density", required_argument, 0, 'd'},
                                       {"act-density", required_argument, 0, 'a'},
                                       {"pes", required_argument, 0, 'p'},
                                       {"fifo-depth", required_argument, 0, 'f'},
                                       {"seed", required_argument, 0, 's'},
                                       {"repeat", required_argument, 0, 'r'},
                                       {"json", required_argument, 0, 'j'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  eie_random_spec_t spec = {4096, 4096, 0.09, 0.35, 0, 1, 1};
  eie_config_t cfg = eie_config_default();
  int repeat = 5, c;
  const char *json_path = NULL;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
      case 'm':
        spec.out_len = (uint32_t)atol(optarg);
        break;
      case 'k':
        spec.in_len = (uint32_t)atol(optarg);
        break;
      case 'd':
        spec.density = atof(optarg);
        break;
      case 'a':
        spec.act_density = atof(optarg);
        break;
      case 'p':
        cfg.num_pe = (uint32_t)atol(optarg);
        break;
      case 'f':
        cfg.fifo_depth = (uint32_t)atol(optarg);
        break;
      case 's':
        spec.seed = (uint64_t)atoll(optarg);
        break;
      case 'r':
        repeat = atoi(optarg);
        break;
      case 'j':
        json_path = optarg;
        break;
      case 'h':
        puts(
            "usage: eie_bench [--rows M] [--cols K] [--density X] [--act-density Y] [--pes N]\n"
            "                 [--fifo-depth D] [--seed S] [--repeat R] [--json FILE]");
        return 0;
      default:
        return 3;
    }
  }
  if (repeat < 1) repeat = 1;
  eie_err_t e;
  eie_layer_t l;
  int16_t *x;
  if (eie_config_validate(&cfg, &e) || eie_random_layer(&spec, &l, &x, &e)) {
    fprintf(stderr, "eie_bench: %s\n", e.msg);
    return 3;
  }
  eie_program_t prog;
  if (eie_program_build(&cfg, &l, 1, &prog, &e)) {
    fprintf(stderr, "eie_bench: %s\n", e.msg);
    return 3;
  }
  eie_program_set_input(&prog, x);
  const uint32_t M = l.out_len;
  int16_t *y_model = malloc(sizeof(int16_t) * M), *y_plain = malloc(sizeof(int16_t) * M);
  int32_t *acc = malloc(sizeof(int32_t) * M);
  csc_t csc;
  csc_build(&l, &csc);

  double best_model = 1e30, best_plain = 1e30;
  uint64_t cycles = 0;
  eie_array_t *a;
  if (eie_array_create(&cfg, &a, &e)) {
    fprintf(stderr, "eie_bench: %s\n", e.msg);
    return 3;
  }
  eie_bus_t bus = eie_model_bus(a);
  if (eie_driver_load(&bus, &prog, &e)) {
    fprintf(stderr, "eie_bench: %s\n", e.msg);
    return 3;
  }
  /* The model without an observer (the fast engine), then with one: the
   * fast engine's events, and the reference datapath's (every unit every
   * cycle). The model's outputs go next to its inputs in memory, not over
   * them: every run is identical. */
  best_model = time_runs(a, repeat, &cycles);
  uint64_t events = 0, ref_events = 0, observed_cycles = 0, ref_cycles = 0;
  eie_array_set_event_cb_fast(a, count_event, &events);
  const double best_observed = time_runs(a, repeat, &observed_cycles);
  eie_array_set_event_cb(a, count_event, &ref_events);
  const double best_reference = time_runs(a, repeat, &ref_cycles);
  uint64_t digest = 14695981039346656037ull, ref_digest = digest, c1, c2;
  eie_array_set_event_cb_fast(a, digest_event, &digest);
  time_runs(a, 1, &c1);
  eie_array_set_event_cb(a, digest_event, &ref_digest);
  time_runs(a, 1, &c2);
  eie_array_set_event_cb(a, NULL, NULL);
  for (int r = 0; r < repeat; r++) {
    const double t0 = now_s();
    csc_spmv(&l, &csc, x, acc, y_plain);
    const double t1 = now_s();
    if (t1 - t0 < best_plain) best_plain = t1 - t0;
  }
  eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_CLEAR);
  eie_driver_read_output(&bus, &prog, y_model, &e);
  const int same_events = events == ref_events && digest == ref_digest;
  const int match = !memcmp(y_model, y_plain, sizeof(int16_t) * M) && observed_cycles == cycles &&
                    ref_cycles == cycles && same_events;
  const eie_stats_t *s = eie_array_stats(a);
  double pe_cycles = (double)cycles * cfg.num_pe;
  double ratio = best_model / best_plain;
  printf("layer %ux%u, weight density %.3f, activation density %.3f, %u PEs, FIFO %u\n", M,
         l.in_len, spec.density, spec.act_density, cfg.num_pe, cfg.fifo_depth);
  printf("simulated cycles          %llu\n", (unsigned long long)cycles);
  printf("load efficiency           %.3f\n", eie_stats_load_efficiency(s));
  printf("cycle model CPU time      %.3f ms (best of %d)\n", best_model * 1e3, repeat);
  printf("simulated PE-cycles/s     %.3g\n", pe_cycles / best_model);
  printf("simulated cycles/s        %.3g\n", (double)cycles / best_model);
  printf("plain CSC SpMV CPU time   %.3f ms (best of %d)\n", best_plain * 1e3, repeat);
  printf("model / plain             %.2fx (target <= 10x)\n", ratio);
  printf("with an observer          %.3f ms (best of %d; %llu events), %.1fx the unobserved run\n",
         best_observed * 1e3, repeat, (unsigned long long)(events / (uint64_t)repeat),
         best_observed / best_model);
  printf("observer, reference       %.3f ms (best of %d), %.1fx the unobserved run\n",
         best_reference * 1e3, repeat, best_reference / best_model);
  printf("events equal              %s\n", same_events ? "yes" : "NO");
  printf("outputs and cycles equal  %s\n", match ? "yes" : "NO");
  if (json_path) {
    json_t *o = json_object();
    json_object_set_new(o, "rows", json_integer(M));
    json_object_set_new(o, "cols", json_integer(l.in_len));
    json_object_set_new(o, "pes", json_integer(cfg.num_pe));
    json_object_set_new(o, "fifo_depth", json_integer(cfg.fifo_depth));
    json_object_set_new(o, "cycles", json_integer((json_int_t)cycles));
    json_object_set_new(o, "model_seconds", json_real(best_model));
    json_object_set_new(o, "plain_seconds", json_real(best_plain));
    json_object_set_new(o, "observed_seconds", json_real(best_observed));
    json_object_set_new(o, "reference_observed_seconds", json_real(best_reference));
    json_object_set_new(o, "pe_cycles_per_second", json_real(pe_cycles / best_model));
    json_object_set_new(o, "ratio", json_real(ratio));
    json_object_set_new(o, "match", json_boolean(match));
    json_dump_file(o, json_path, JSON_INDENT(2));
    json_decref(o);
  }
  eie_array_destroy(a);
  eie_program_free(&prog);
  eie_layer_free(&l);
  free(x);
  free(y_model);
  free(y_plain);
  free(acc);
  free(csc.colptr);
  free(csc.row);
  free(csc.val);
  return match ? 0 : 1;
}
