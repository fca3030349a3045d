/* eie_batch: run a data set through a network pack (eie gen --network) on the
 * cycle-accurate C model, and the first images also on the Verilated RTL.
 *
 *   eie_batch PACK IMAGES.npy LABELS.npy [--limit N] [--rtl N] [--json FILE]
 *             [--min-accuracy PCT] [--quiet]
 *
 * The pack is loaded once through the host driver; per image only the input
 * vector is written (eie_driver_write_input), then START, DONE and the output
 * read. IMAGES is (n, in_len): uint8 (scaled by 1/255) or float32/float64;
 * each image is quantized to the pack's layer 0 input format exactly as eie gen
 * quantizes its input (eie_quantize_vector). LABELS is (n) of integers.
 *
 * Checked per image: the C model's outputs against the functional reference
 * on the layers decoded from the pack (eie_ref_net_run: gathered by column
 * once, bit for bit eie_ref_network); on the RTL images, the
 * RTL's outputs, cycle count and events (an order-free digest of every
 * broadcast, accumulator write and write-back with its cycle) against the C
 * model's. Reported: the fixed-point accuracy (argmax of the last layer, ties
 * to the lower class), the accuracy of the same pruned 4-bit weight-shared
 * network with float activations (the codebook values of the pack, biases as
 * stored), cycles per image.
 *
 * Exit codes: 0 pass, 1 mismatch (or accuracy below --min-accuracy), 2
 * timeout, 3 bad input. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eie/eie_driver.h"
#include "eie/eie_model.h"
#include "eie/eie_npy.h"
#include "eie/eie_quantize.h"
#include "eie/eie_random.h" /* eie_layer_free */
#include "eie/eie_ref.h"
#include "eie_pack.h"
#ifdef EIE_WITH_RTL
#include "eie_rtl.h"
#endif

#define MAX_CYCLES 100000000ull

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
static double now_s(void) {
  return clock_s(CLOCK_MONOTONIC);
}
/* CPU time: what the runs cost whatever else the machine runs. */
static double cpu_s(void) {
  return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static int exit_for(eie_status_t st) {
  return st == EIE_STATUS_NO_MEMORY || st == EIE_STATUS_IO ? 3 : (int)st;
}

/* Order-free digest of one run's event stream: a sum of per-event hashes, so
 * the C model's and the RTL's streams compare equal whatever order the events
 * of one cycle arrive in. */
typedef struct {
  uint64_t sum, count;
} digest_t;

static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void digest_event(void *user, const eie_event_t *ev) {
  digest_t *d = user;
  uint64_t h = mix((uint64_t)ev->kind + 0x9e3779b97f4a7c15ull);
  h = mix(h ^ ev->cycle);
  h = mix(h ^ ((uint64_t)ev->layer << 32 | ev->pass));
  h = mix(h ^ ((uint64_t)ev->pe << 32 | ev->index));
  h = mix(h ^ ((uint64_t)(uint32_t)ev->value << 1 | (uint64_t)(ev->bypass != 0)));
  d->sum += h;
  d->count++;
}

/* The layers of a pack, decoded back from its images: the functional
 * reference and the float forward pass run on them. */
static eie_status_t pack_layers(const eie_pack_t *pk, eie_layer_t *layers, eie_err_t *err) {
  memset(layers, 0, sizeof *layers * pk->prog.num_layers);
  for (unsigned l = 0; l < pk->prog.num_layers; l++) {
    const eie_desc_t *d = &pk->prog.desc[l];
    eie_layer_t *ly = &layers[l];
    eie_status_t st = eie_program_decode(&pk->prog, l, &ly->idx, err);
    if (st) return st;
    ly->in_len = d->in_len;
    ly->out_len = d->out_len;
    memcpy(ly->codebook, d->codebook, sizeof ly->codebook);
    ly->in_frac = pk->fmt[l].in_frac;
    ly->w_frac = pk->fmt[l].w_frac;
    ly->out_frac = pk->fmt[l].out_frac;
    ly->shift = eie_desc_shift(d);
    ly->relu = (d->flags & EIE_FLAG_RELU) != 0;
    if (d->flags & EIE_FLAG_BIAS_EN) {
      ly->bias = malloc(sizeof *ly->bias * d->out_len);
      if (!ly->bias) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
      eie_program_gather(&pk->prog, d->bias_base, d->out_len, ly->bias);
    }
  }
  return EIE_OK;
}

static uint32_t argmax_real(const double *y, uint32_t n) {
  uint32_t best = 0;
  for (uint32_t i = 1; i < n; i++)
    if (y[i] > y[best]) best = i;
  return best;
}

static uint32_t argmax16(const int16_t *y, uint32_t n) {
  uint32_t best = 0;
  for (uint32_t i = 1; i < n; i++)
    if (y[i] > y[best]) best = i;
  return best;
}

typedef struct {
  const char *pack, *images, *labels, *json;
  long limit, rtl, jobs;
  double min_acc;
  int quiet;
} opts_t;

static int usage(int rc) {
  fprintf(rc ? stderr : stdout,
          "usage: eie_batch PACK IMAGES.npy LABELS.npy [--limit N] [--jobs N] [--rtl N]\n"
          "                 [--json FILE] [--min-accuracy PCT] [--quiet]\n"
          "  --limit N          the first N images only (default: all)\n"
          "  --jobs N           run the C model on N threads, each an array of its own with the\n"
          "                     program loaded, the images shared out (default: the processors\n"
          "                     online, at most 8; the results do not depend on it)\n"
          "  --rtl N            also run the first N images on the Verilated RTL and compare\n"
          "                     outputs, cycles and events with the C model (default 0)\n"
          "  --json FILE        write the results as JSON\n"
          "  --min-accuracy PCT fail (exit 1) when the fixed-point accuracy is below PCT %%\n"
          "  --quiet            no progress lines\n"
#ifdef EIE_WITH_RTL
          "RTL: built in\n"
#else
          "RTL: not built in (EIE_WITH_RTL=OFF): --rtl must be 0\n"
#endif
  );
  return rc;
}

static int parse_args(int argc, char **argv, opts_t *o) {
  memset(o, 0, sizeof *o);
  o->limit = -1;
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  o->jobs = online < 1 ? 1 : online > 8 ? 8 : online;
  o->min_acc = -1;
  const char *pos[3];
  int npos = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) exit(usage(0));
    if (!strcmp(a, "--quiet")) {
      o->quiet = 1;
    } else if (!strcmp(a, "--limit") || !strcmp(a, "--rtl") || !strcmp(a, "--json") ||
               !strcmp(a, "--min-accuracy") || !strcmp(a, "--jobs")) {
      if (i + 1 >= argc) return usage(3);
      const char *v = argv[++i];
      char *end;
      if (!strcmp(a, "--json")) {
        o->json = v;
      } else if (!strcmp(a, "--min-accuracy")) {
        o->min_acc = strtod(v, &end);
        if (!*v || *end || !(o->min_acc >= 0 && o->min_acc <= 100)) {
          fprintf(stderr, "eie_batch: --min-accuracy '%s' is not a percentage\n", v);
          return 3;
        }
      } else {
        const int jobs = !strcmp(a, "--jobs");
        long n = strtol(v, &end, 10);
        if (!*v || *end || n < jobs || (jobs && n > 256)) {
          fprintf(stderr, "eie_batch: %s '%s' is not a count%s\n", a, v,
                  jobs ? " from 1 to 256" : "");
          return 3;
        }
        *(jobs ? &o->jobs : !strcmp(a, "--limit") ? &o->limit : &o->rtl) = n;
      }
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "eie_batch: unknown option %s\n", a);
      return usage(3);
    } else if (npos < 3) {
      pos[npos++] = a;
    } else {
      return usage(3);
    }
  }
  if (npos != 3) return usage(3);
  o->pack = pos[0];
  o->images = pos[1];
  o->labels = pos[2];
  return 0;
}

/* The images as doubles (uint8 scaled by 1/255), for uint8 images also as
 * read (*pixels, else NULL), and the labels. */
static eie_status_t read_data(const opts_t *o, uint32_t in_len, uint32_t classes, double **x,
                              uint8_t **pixels, uint32_t **labels, uint64_t *count,
                              eie_err_t *err) {
  eie_npy_t im, lb;
  eie_status_t st = eie_npy_read(o->images, &im, err);
  if (st) return st;
  if ((st = eie_npy_read(o->labels, &lb, err))) {
    eie_npy_free(&im);
    return st;
  }
  *x = NULL;
  *pixels = NULL;
  *labels = NULL;
  if (im.ndim != 2 || im.shape[1] != in_len)
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: shape must be (n, %u), the pack's input length",
                  o->images, in_len);
  else if (im.dtype != EIE_NPY_U8 && im.dtype != EIE_NPY_F32 && im.dtype != EIE_NPY_F64)
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: must be uint8, float32 or float64, not %s",
                  o->images, eie_npy_dtype_descr(im.dtype));
  else if (lb.ndim != 1 || lb.shape[0] != im.shape[0])
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: shape must be (%llu), one label per image",
                  o->labels, (unsigned long long)im.shape[0]);
  else if (lb.dtype == EIE_NPY_F32 || lb.dtype == EIE_NPY_F64)
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: labels must be integers", o->labels);
  if (!st) {
    *x = eie_npy_to_double(&im);
    double *l = eie_npy_to_double(&lb);
    *labels = malloc(sizeof **labels * (lb.count ? lb.count : 1));
    if (!*x || !l || !*labels) st = eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
    for (uint64_t i = 0; !st && i < lb.count; i++) {
      if (!(l[i] >= 0 && l[i] < classes))
        st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: label %llu is %g, not a class 0..%u",
                      o->labels, (unsigned long long)i, l[i], classes - 1);
      else
        (*labels)[i] = (uint32_t)l[i];
    }
    free(l);
    if (!st && im.dtype == EIE_NPY_U8) {
      for (uint64_t i = 0; i < im.count; i++) (*x)[i] /= 255.0;
      *pixels = im.data; /* kept */
      im.data = NULL;
    }
    *count = im.shape[0];
  }
  if (st) {
    free(*x);
    free(*pixels);
    free(*labels);
    *x = NULL;
    *pixels = NULL;
    *labels = NULL;
  }
  eie_npy_free(&im);
  eie_npy_free(&lb);
  return st;
}

typedef struct {
  uint64_t cycles;
  digest_t dig;
} run_rec_t;

/* Write the input, run, read the outputs. */
static eie_status_t run_one(const eie_bus_t *bus, const eie_program_t *prog, const int16_t *xq,
                            int16_t *y, uint64_t *cycles, eie_err_t *err) {
  eie_status_t st = eie_driver_write_input(bus, prog, xq, err);
  if (!st) st = eie_driver_run(bus, MAX_CYCLES, cycles, err);
  if (!st) st = eie_driver_read_output(bus, prog, y, err);
  return st;
}

/* What the jobs share: read only, but for the images' records (each job
 * writes its own) and the progress. */
typedef struct {
  const opts_t *o;
  const eie_pack_t *pk;
  const eie_layer_t *layers;
  const double *x;
  const uint8_t *pixels;
  const uint32_t *labels;
  const int16_t *pixel_q;
  uint32_t K, M;
  int in_frac;
  uint64_t n, nrtl;
  int16_t *ymodel;                 /* [nrtl][M] */
  run_rec_t *rec;                  /* [nrtl] */
  atomic_uint_fast64_t done, hits; /* images run, and classified right, by every job so far */
  pthread_mutex_t print;
  double t0;
} shared_t;

/* One job: images begin..end-1 on an array of its own. */
typedef struct {
  shared_t *sh;
  uint64_t begin, end;
  pthread_t thread;
  uint64_t hits, hits_float, ref_diff, first_ref_diff, cyc_sum, cyc_min, cyc_max;
  eie_sat_stats_t sat, layer_sat[EIE_MAX_LAYERS];
  eie_status_t st;
  eie_err_t e;
} worker_t;

/* Each image: quantized, run on the C model, checked against the functional
 * reference; the float network's answer; for the first nrtl images the
 * outputs, cycles and event digest kept for the RTL. */
static void *worker(void *arg) {
  worker_t *w = arg;
  shared_t *sh = w->sh;
  const uint32_t K = sh->K, M = sh->M;
  const eie_program_t *prog = &sh->pk->prog;
  w->cyc_min = UINT64_MAX;
  int16_t *xq = malloc(sizeof *xq * K), *y = malloc(sizeof *y * M),
          *yref = malloc(sizeof *yref * M);
  double *yreal = malloc(sizeof *yreal * M);
  eie_ref_net_t *refnet = NULL;
  eie_array_t *arr = NULL;
  if (!xq || !y || !yref || !yreal) w->st = eie_fail(&w->e, EIE_STATUS_NO_MEMORY, "out of memory");
  if (!w->st) w->st = eie_ref_net_create(sh->layers, prog->num_layers, &refnet, &w->e);
  if (!w->st) w->st = eie_array_create(&prog->cfg, &arr, &w->e);
  eie_bus_t bus = arr ? eie_model_bus(arr) : (eie_bus_t){0};
  if (!w->st) w->st = eie_driver_load(&bus, prog, &w->e);
  digest_t dig;
  for (uint64_t i = w->begin; !w->st && i < w->end; i++) {
    const double *xi = sh->x + i * K;
    if (sh->pixels && sh->in_frac >= 0) {
      for (uint32_t j = 0; j < K; j++) xq[j] = sh->pixel_q[sh->pixels[i * K + j]];
    } else {
      int frac;
      eie_quantize_vector(xi, K, sh->in_frac, xq, &frac);
    }
    uint64_t cycles = 0;
    memset(&dig, 0, sizeof dig);
    eie_array_set_event_cb(arr, i < sh->nrtl ? digest_event : NULL, &dig);
    if ((w->st = run_one(&bus, prog, xq, y, &cycles, &w->e))) break;
    eie_ref_net_run(refnet, xq, yref);
    if (memcmp(y, yref, sizeof *y * M) && w->ref_diff++ == 0) w->first_ref_diff = i;
    const int hit = argmax16(y, M) == sh->labels[i];
    w->hits += (uint64_t)hit;
    eie_ref_net_run_real(refnet, xi, yreal);
    w->hits_float += argmax_real(yreal, M) == sh->labels[i];
    w->cyc_sum += cycles;
    if (cycles < w->cyc_min) w->cyc_min = cycles;
    if (cycles > w->cyc_max) w->cyc_max = cycles;
    if (i < sh->nrtl) {
      memcpy(sh->ymodel + i * M, y, sizeof *y * M);
      sh->rec[i].cycles = cycles;
      sh->rec[i].dig = dig;
    }
    const uint64_t hits = atomic_fetch_add(&sh->hits, (uint64_t)hit) + (uint64_t)hit;
    const uint64_t done = atomic_fetch_add(&sh->done, 1) + 1;
    if (!sh->o->quiet && (done % 1000 == 0 || done == sh->n)) {
      pthread_mutex_lock(&sh->print);
      printf("  C model: %llu/%llu images, accuracy %.2f %%, %.1f s\n", (unsigned long long)done,
             (unsigned long long)sh->n, 100.0 * (double)hits / (double)done, now_s() - sh->t0);
      fflush(stdout);
      pthread_mutex_unlock(&sh->print);
    }
  }
  if (arr) { /* the array's statistics add up over the runs: the saturations of every image */
    const eie_stats_t *ms = eie_array_stats(arr);
    w->sat = ms->sat;
    memcpy(w->layer_sat, ms->layer_sat, sizeof w->layer_sat);
  }
  eie_array_destroy(arr);
  eie_ref_net_destroy(refnet);
  free(xq);
  free(y);
  free(yref);
  free(yreal);
  return NULL;
}

int main(int argc, char **argv) {
  opts_t o;
  int rc = parse_args(argc, argv, &o);
  if (rc) return rc;
  eie_err_t e;
  eie_pack_t pk;
  eie_status_t st = eie_pack_read(o.pack, &pk, &e);
  if (st) {
    fprintf(stderr, "eie_batch: %s\n", e.msg);
    return exit_for(st);
  }
  const unsigned L = pk.prog.num_layers;
  const uint32_t K = pk.prog.desc[0].in_len, M = pk.prog.desc[L - 1].out_len;
  const int in_frac = pk.fmt[0].in_frac;

  eie_layer_t layers[EIE_MAX_LAYERS];
  double *x = NULL, *yreal = NULL;
  eie_ref_net_t *refnet = NULL;
  uint32_t *labels = NULL;
  uint8_t *pixels = NULL;
  int16_t pixel_q[256]; /* a uint8 image's pixel values, quantized */
  int16_t *xq = NULL, *y = NULL, *yref = NULL, *ymodel = NULL;
  run_rec_t *rec = NULL;
  worker_t *wk = NULL;
  uint64_t n = 0;
  if ((st = pack_layers(&pk, layers, &e))) goto done;
  /* The decoded layers must give the pack's own expected outputs. */
  xq = malloc(sizeof *xq * K);
  y = malloc(sizeof *y * M);
  yref = malloc(sizeof *yref * M);
  yreal = malloc(sizeof *yreal * M);
  if (!xq || !y || !yref || !yreal) {
    st = eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
    goto done;
  }
  if ((st = eie_ref_net_create(layers, L, &refnet, &e))) goto done;
  eie_ref_net_run(refnet, pk.input, yref);
  if (memcmp(yref, pk.expected, sizeof *yref * M)) {
    st = eie_fail(&e, EIE_STATUS_MISMATCH,
                  "%s: the layers decoded from the pack do not give its expected outputs", o.pack);
    goto done;
  }
  if ((st = read_data(&o, K, M, &x, &pixels, &labels, &n, &e))) goto done;
  /* Quantizing to a given format is value by value: a uint8 image's 256
   * possible values once, then a table. */
  if (pixels && in_frac >= 0) {
    double v[256];
    for (int p = 0; p < 256; p++) v[p] = (double)p / 255.0;
    int frac;
    eie_quantize_vector(v, 256, in_frac, pixel_q, &frac);
  }
  if (o.limit >= 0 && (uint64_t)o.limit < n) n = (uint64_t)o.limit;
  const uint64_t nrtl = (uint64_t)o.rtl < n ? (uint64_t)o.rtl : n;
  ymodel = malloc(sizeof *ymodel * M * (nrtl ? nrtl : 1));
  rec = calloc(nrtl ? nrtl : 1, sizeof *rec);
  if (!ymodel || !rec) {
    st = eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
    goto done;
  }
  const unsigned jobs = (uint64_t)o.jobs < (n ? n : 1) ? (unsigned)o.jobs : (unsigned)(n ? n : 1);
  if (!o.quiet)
    printf(
        "eie_batch: %s: %u layers, %u PEs, FIFO %u, input Q%d; %llu images on the C model (%u "
        "jobs), %llu on the RTL\n",
        o.pack, L, pk.prog.cfg.num_pe, pk.prog.cfg.fifo_depth, in_frac, (unsigned long long)n, jobs,
        (unsigned long long)nrtl);

  /* ---- C model: every image, the images shared among the jobs ---- */
  shared_t sh = {&o,
                 &pk,
                 layers,
                 x,
                 pixels,
                 labels,
                 pixel_q,
                 K,
                 M,
                 in_frac,
                 n,
                 nrtl,
                 ymodel,
                 rec,
                 0,
                 0,
                 PTHREAD_MUTEX_INITIALIZER,
                 0};
  wk = calloc(jobs, sizeof *wk);
  if (!wk) {
    st = eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
    goto done;
  }
  for (unsigned w = 0; w < jobs; w++) {
    wk[w].sh = &sh;
    wk[w].begin = n * w / jobs;
    wk[w].end = n * (w + 1) / jobs;
  }
  double c0 = cpu_s();
  sh.t0 = now_s();
  unsigned started = 1;
  for (; started < jobs; started++)
    if (pthread_create(&wk[started].thread, NULL, worker, &wk[started])) break;
  worker(&wk[0]);
  for (unsigned w = 1; w < started; w++) pthread_join(wk[w].thread, NULL);
  for (unsigned w = started; w < jobs; w++) worker(&wk[w]); /* not started: run here */
  const double t_model = now_s() - sh.t0, c_model = cpu_s() - c0;
  uint64_t hits = 0, hits_float = 0, ref_diff = 0, cyc_sum = 0, cyc_min = UINT64_MAX, cyc_max = 0;
  uint64_t first_ref_diff = 0;
  eie_sat_stats_t sat = {0}, layer_sat[EIE_MAX_LAYERS];
  memset(layer_sat, 0, sizeof layer_sat);
  for (unsigned w = 0; w < jobs; w++) { /* in image order */
    const worker_t *r = &wk[w];
    if (r->st) {
      st = r->st;
      e = r->e;
      goto done;
    }
    if (r->ref_diff && !ref_diff) first_ref_diff = r->first_ref_diff;
    hits += r->hits;
    hits_float += r->hits_float;
    ref_diff += r->ref_diff;
    cyc_sum += r->cyc_sum;
    cyc_min = r->cyc_min < cyc_min ? r->cyc_min : cyc_min;
    cyc_max = r->cyc_max > cyc_max ? r->cyc_max : cyc_max;
    sat.acc_saturations += r->sat.acc_saturations;
    sat.out_saturations += r->sat.out_saturations;
    for (unsigned l = 0; l < L; l++) {
      layer_sat[l].acc_saturations += r->layer_sat[l].acc_saturations;
      layer_sat[l].out_saturations += r->layer_sat[l].out_saturations;
    }
  }

  /* ---- RTL: the first nrtl images ---- */
  uint64_t rtl_out_diff = 0, rtl_cyc_diff = 0, rtl_ev_diff = 0, rtl_events = 0, rtl_first = 0,
           rtl_bad = 0;
  double t_rtl = 0;
  const char *rtl_name = "";
#ifndef EIE_WITH_RTL
  if (nrtl) {
    st = eie_fail(&e, EIE_STATUS_BAD_INPUT,
                  "--rtl: built without the Verilated RTL (EIE_WITH_RTL=OFF)");
    goto done;
  }
#else
  if (nrtl) {
    eie_rtl_t *rtl;
    if ((st = eie_rtl_create(&pk.prog.cfg, NULL, &rtl, &e))) goto done;
    rtl_name = eie_rtl_name(rtl);
    eie_bus_t rbus = eie_rtl_bus(rtl);
    digest_t dig;
    eie_rtl_set_event_cb(rtl, digest_event, &dig);
    const double t0 = now_s();
    st = eie_driver_load(&rbus, &pk.prog, &e);
    for (uint64_t i = 0; !st && i < nrtl; i++) {
      int frac;
      eie_quantize_vector(x + i * K, K, in_frac, xq, &frac);
      uint64_t cycles = 0;
      memset(&dig, 0, sizeof dig);
      if ((st = run_one(&rbus, &pk.prog, xq, y, &cycles, &e))) break;
      uint64_t c;
      if (eie_rtl_failed(rtl, &c)) {
        st = eie_fail(&e, EIE_STATUS_MISMATCH, "image %llu: an RTL assertion failed at cycle %llu",
                      (unsigned long long)i, (unsigned long long)c);
        break;
      }
      const int out_bad = memcmp(y, ymodel + i * M, sizeof *y * M) != 0;
      const int cyc_bad = cycles != rec[i].cycles;
      const int ev_bad = dig.sum != rec[i].dig.sum || dig.count != rec[i].dig.count;
      if ((out_bad || cyc_bad || ev_bad) && rtl_bad++ == 0) rtl_first = i;
      rtl_out_diff += out_bad;
      rtl_cyc_diff += cyc_bad;
      rtl_ev_diff += ev_bad;
      rtl_events += dig.count;
      if (!o.quiet && ((i + 1) % 50 == 0 || i + 1 == nrtl))
        printf("  RTL (%s): %llu/%llu images, %llu differ from the C model, %.1f s\n", rtl_name,
               (unsigned long long)(i + 1), (unsigned long long)nrtl, (unsigned long long)rtl_bad,
               now_s() - t0);
      fflush(stdout);
    }
    t_rtl = now_s() - t0;
    eie_rtl_destroy(rtl);
    if (st) goto done;
  }
#endif

  /* Non-zero weights the pack holds. */
  uint64_t weights = 0;
  for (unsigned l = 0; l < L; l++)
    for (size_t q = 0; q < (size_t)layers[l].out_len * layers[l].in_len; q++)
      weights += layers[l].idx[q] != 0;
  const double acc = 100.0 * (double)hits / (double)(n ? n : 1);
  const double acc_float = 100.0 * (double)hits_float / (double)(n ? n : 1);
  const double cyc_mean = (double)cyc_sum / (double)(n ? n : 1);
  const int rtl_ok = rtl_bad == 0;
  printf(
      "eie_batch: %llu images: fixed-point (C model) accuracy %.2f %%, weight-shared float %.2f "
      "%%\n",
      (unsigned long long)n, acc, acc_float);
  printf(
      "  cycles per image: mean %.1f, min %llu, max %llu; C model %.2f s (%.0f images/s), CPU %.2f "
      "s (%.0f images/s)\n",
      cyc_mean, (unsigned long long)(n ? cyc_min : 0), (unsigned long long)cyc_max, t_model,
      t_model > 0 ? (double)n / t_model : 0.0, c_model, c_model > 0 ? (double)n / c_model : 0.0);
  printf("  C model vs functional reference: %llu of %llu images differ\n",
         (unsigned long long)ref_diff, (unsigned long long)n);
  printf("  saturations over all images: %llu accumulator, %llu output",
         (unsigned long long)sat.acc_saturations, (unsigned long long)sat.out_saturations);
  for (unsigned l = 0; l < L; l++)
    printf("%slayer %u: %llu, %llu", l ? "; " : " (", l,
           (unsigned long long)layer_sat[l].acc_saturations,
           (unsigned long long)layer_sat[l].out_saturations);
  printf(")\n");
  if (ref_diff) printf("  first difference: image %llu\n", (unsigned long long)first_ref_diff);
  if (nrtl) {
    printf(
        "  RTL (%s) vs C model on %llu images: outputs differ on %llu, cycles on %llu, events on "
        "%llu "
        "(%llu events compared); %.1f s\n",
        rtl_name, (unsigned long long)nrtl, (unsigned long long)rtl_out_diff,
        (unsigned long long)rtl_cyc_diff, (unsigned long long)rtl_ev_diff,
        (unsigned long long)rtl_events, t_rtl);
    if (!rtl_ok) printf("  first difference: image %llu\n", (unsigned long long)rtl_first);
  }
  if (o.json) {
    json_t *j = json_object();
    json_object_set_new(j, "pack", json_string(o.pack));
    json_object_set_new(j, "images", json_integer((json_int_t)n));
    json_object_set_new(j, "jobs", json_integer(jobs));
    json_object_set_new(j, "num_pe", json_integer(pk.prog.cfg.num_pe));
    json_object_set_new(j, "fifo_depth", json_integer(pk.prog.cfg.fifo_depth));
    json_t *fm = json_array();
    for (unsigned l = 0; l < L; l++) {
      json_t *f = json_object();
      json_object_set_new(f, "in_frac", json_integer(pk.fmt[l].in_frac));
      json_object_set_new(f, "w_frac", json_integer(pk.fmt[l].w_frac));
      json_object_set_new(f, "out_frac", json_integer(pk.fmt[l].out_frac));
      json_array_append_new(fm, f);
    }
    json_object_set_new(j, "formats", fm);
    json_object_set_new(j, "acc_saturations", json_integer((json_int_t)sat.acc_saturations));
    json_object_set_new(j, "out_saturations", json_integer((json_int_t)sat.out_saturations));
    json_object_set_new(j, "weights", json_integer((json_int_t)weights));
    json_object_set_new(j, "acc_fixed", json_real(acc / 100.0));
    json_object_set_new(j, "acc_weight_shared_float", json_real(acc_float / 100.0));
    json_object_set_new(j, "cycles_mean", json_real(cyc_mean));
    json_object_set_new(j, "cycles_min", json_integer((json_int_t)(n ? cyc_min : 0)));
    json_object_set_new(j, "cycles_max", json_integer((json_int_t)cyc_max));
    json_object_set_new(j, "model_seconds", json_real(t_model));
    json_object_set_new(j, "model_cpu_seconds", json_real(c_model));
    json_object_set_new(j, "images_per_second", json_real(t_model > 0 ? (double)n / t_model : 0));
    json_object_set_new(j, "images_per_cpu_second",
                        json_real(c_model > 0 ? (double)n / c_model : 0));
    json_object_set_new(j, "ref_mismatches", json_integer((json_int_t)ref_diff));
    json_object_set_new(j, "rtl_images", json_integer((json_int_t)nrtl));
    json_object_set_new(j, "rtl_variant", json_string(rtl_name));
    json_object_set_new(j, "rtl_output_mismatches", json_integer((json_int_t)rtl_out_diff));
    json_object_set_new(j, "rtl_cycle_mismatches", json_integer((json_int_t)rtl_cyc_diff));
    json_object_set_new(j, "rtl_event_mismatches", json_integer((json_int_t)rtl_ev_diff));
    json_object_set_new(j, "rtl_events", json_integer((json_int_t)rtl_events));
    json_object_set_new(j, "rtl_seconds", json_real(t_rtl));
    if (json_dump_file(j, o.json, JSON_INDENT(2) | JSON_SORT_KEYS)) {
      json_decref(j);
      st = eie_fail(&e, EIE_STATUS_IO, "%s: cannot write", o.json);
      goto done;
    }
    json_decref(j);
  }
  if (ref_diff || !rtl_ok)
    st = eie_fail(&e, EIE_STATUS_MISMATCH, "%s",
                  ref_diff ? "the C model differs from the functional reference"
                           : "the RTL differs from the C model");
  else if (o.min_acc >= 0 && acc < o.min_acc)
    st = eie_fail(&e, EIE_STATUS_MISMATCH, "accuracy %.2f %% is below the floor of %.2f %%", acc,
                  o.min_acc);

done:
  if (st) fprintf(stderr, "eie_batch: %s\n", e.msg);
  free(wk);
  for (unsigned l = 0; l < L; l++) eie_layer_free(&layers[l]); /* pack_layers clears them first */
  free(x);
  free(pixels);
  free(labels);
  free(xq);
  free(y);
  free(yref);
  free(ymodel);
  free(rec);
  free(yreal);
  eie_ref_net_destroy(refnet);
  eie_pack_free(&pk);
  return exit_for(st);
}
