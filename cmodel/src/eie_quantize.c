/* Network compression: prune, k-means sharing, fixed-point formats chosen so
 * that the accumulators and outputs hold every calibration input's exact
 * result, and the error against float (docs/formats.md "Compression"). */
#include "eie/eie_quantize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_arith.h"
#include "eie/eie_compress.h"
#include "eie/eie_ref.h"

#define EIE_FRAC_MAX 15 /* fraction bits of a 16-bit format: 0..15 */

void eie_quantize_vector(const double *x, uint32_t n, int frac, int16_t *out, int *frac_out) {
  if (frac < 0) {
    double m = 0;
    for (uint32_t i = 0; i < n; i++)
      if (fabs(x[i]) > m) m = fabs(x[i]);
    frac = eie_frac_bits_for(m);
  }
  for (uint32_t i = 0; i < n; i++) out[i] = eie_to_fixed(x[i], frac);
  *frac_out = frac;
}

/* ---- error against float -------------------------------------------------------- */

typedef struct {
  double ref2, err2, max_abs;
} qsum_t;

static void qsum_add(qsum_t *q, double y, double yf) {
  const double d = y - yf;
  q->ref2 += yf * yf;
  q->err2 += d * d;
  if (fabs(d) > q->max_abs) q->max_abs = fabs(d);
}

static eie_qerror_t qsum_result(const qsum_t *q) {
  eie_qerror_t r = {q->max_abs, 0, INFINITY};
  if (q->err2 > 0) {
    r.rel_l2 = q->ref2 > 0 ? sqrt(q->err2 / q->ref2) : INFINITY;
    r.sqnr_db = q->ref2 > 0 ? 10 * log10(q->ref2 / q->err2) : -INFINITY;
  }
  return r;
}

/* y = relu?(W x + b) in double, W dense row-major (w) or shared (table[idx]);
 * nz: K scratch words. */
static void float_layer(const double *w, const uint8_t *idx, const double *table, uint32_t M,
                        uint32_t K, const double *b, int relu, const double *x, uint32_t *nz,
                        double *y) {
  uint32_t n = 0;
  for (uint32_t j = 0; j < K; j++)
    if (x[j] != 0) nz[n++] = j;
  for (uint32_t i = 0; i < M; i++) {
    const size_t row = (size_t)i * K;
    double s = b ? b[i] : 0;
    for (uint32_t t = 0; t < n; t++) s += (w ? w[row + nz[t]] : table[idx[row + nz[t]]]) * x[nz[t]];
    y[i] = relu && s < 0 ? 0 : s;
  }
}

/* ---- formats ----------------------------------------------------------------------- */

static int64_t max_abs16(const int16_t *v, size_t n) {
  int64_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const int64_t a = v[i] < 0 ? -(int64_t)v[i] : v[i];
    if (a > m) m = a;
  }
  return m;
}

/* Bits of |v| up to its leading one (0 for 0). */
static int sig_bits(int64_t v) {
  int b = 0;
  while (v) {
    v >>= 1;
    b++;
  }
  return b;
}

/* A value no 16-bit format holds, named for a message: too large even as an
 * integer, or so small that every bit pattern rounds it to 0. */
static eie_status_t check_range(double maxabs, const char *what, unsigned l, eie_err_t *err) {
  if (round(maxabs) > INT16_MAX)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "layer %u: %s up to %g do not fit 16 bits (at most 32767 with 0 fraction bits)",
                    l, what, maxabs);
  if (maxabs > 0 && round(ldexp(maxabs, EIE_FRAC_MAX)) == 0)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "layer %u: %s (largest %g) all round to 0 in 16 bits (smallest step 2^-15)", l,
                    what, maxabs);
  return EIE_OK;
}

/* Working buffers, all sized for the widest layer. */
typedef struct {
  uint32_t n_x, width;
  int16_t *in, *out;     /* fixed-point inputs and outputs of the layer, n_x x width */
  int64_t *exact;        /* exact sums, n_x x width */
  double *iso_a, *iso_b; /* the layer alone in float (weights as given / shared), n_x x width */
  double *net_a, *net_b; /* the float networks so far, n_x x width */
  double *fin;           /* one float input */
  uint32_t *nz;
} work_t;

static void work_free(work_t *b) {
  free(b->in);
  free(b->out);
  free(b->exact);
  free(b->iso_a);
  free(b->iso_b);
  free(b->net_a);
  free(b->net_b);
  free(b->fin);
  free(b->nz);
}

static int work_alloc(work_t *b, uint32_t n_x, uint32_t width) {
  const size_t n = (size_t)n_x * width;
  memset(b, 0, sizeof *b);
  b->n_x = n_x;
  b->width = width;
  b->in = malloc(sizeof *b->in * n);
  b->out = malloc(sizeof *b->out * n);
  b->exact = malloc(sizeof *b->exact * n);
  b->iso_a = malloc(sizeof *b->iso_a * n);
  b->iso_b = malloc(sizeof *b->iso_b * n);
  b->net_a = malloc(sizeof *b->net_a * n);
  b->net_b = malloc(sizeof *b->net_b * n);
  b->fin = malloc(sizeof *b->fin * width);
  b->nz = malloc(sizeof *b->nz * width);
  return b->in && b->out && b->exact && b->iso_a && b->iso_b && b->net_a && b->net_b && b->fin &&
         b->nz;
}

/* The float computations of layer l with dense weights w or shared ones
 * (idx, table): alone on the layer's own input (layer 0: the float input;
 * later: its fixed-point input in Q(in_frac)) into iso, and the float network
 * so far (net, updated in place through `tmp`). */
static void float_outputs(work_t *b, unsigned l, const double *w, const uint8_t *idx,
                          const double *table, uint32_t M, uint32_t K, const double *bias, int relu,
                          int in_frac, double *iso, double *net) {
  for (uint32_t v = 0; v < b->n_x; v++) {
    const size_t at = (size_t)v * b->width;
    if (l > 0) {
      for (uint32_t j = 0; j < K; j++) b->fin[j] = ldexp(b->in[at + j], -in_frac);
      float_layer(w, idx, table, M, K, bias, relu, b->fin, b->nz, iso + at);
    }
    memcpy(b->fin, net + at, sizeof *b->fin * K);
    float_layer(w, idx, table, M, K, bias, relu, b->fin, b->nz, net + at);
    if (l == 0) memcpy(iso + at, net + at, sizeof *iso * M);
  }
}

/* Exact sums of every calibration input at the layer's current formats
 * (shift 0, no bias: the accumulator's value) into b->exact; returns the
 * largest |partial sum|. */
static int64_t exact_sums(work_t *b, eie_layer_t *ly) {
  eie_layer_t acc = *ly;
  acc.shift = 0;
  acc.bias = NULL;
  acc.relu = 0;
  int64_t peak = 0;
  for (uint32_t v = 0; v < b->n_x; v++) {
    int64_t p;
    eie_ref_layer_exact(&acc, b->in + (size_t)v * b->width, b->exact + (size_t)v * b->width, &p);
    if (p > peak) peak = p;
  }
  return peak;
}

/* Codebook and input formats (§2 "Numerics"): from 16 full bits, drop the
 * fewest fraction bits that keep every partial sum below the limit, one at a
 * time from the free operand with more significant bits (the codebook on a
 * tie). Leaves b->exact holding the sums at the formats chosen. */
static eie_status_t fit_accumulator(work_t *b, const double *x, unsigned l, const double cent[15],
                                    int *xf, int *wf, int x_free, int w_free, eie_layer_t *ly,
                                    eie_layer_numerics_t *r, eie_err_t *err) {
  const uint32_t K = ly->in_len;
  for (;;) {
    for (unsigned c = 0; c < 15; c++) ly->codebook[c + 1] = eie_to_fixed(cent[c], *wf);
    ly->in_frac = *xf;
    ly->w_frac = *wf;
    if (l == 0) {
      r->in_clipped = 0;
      for (uint32_t v = 0; v < b->n_x; v++)
        for (uint32_t j = 0; j < K; j++) {
          const double q = round(ldexp(x[(size_t)v * K + j], *xf));
          r->in_clipped += q > INT16_MAX || q < INT16_MIN;
          b->in[(size_t)v * b->width + j] = eie_to_fixed(x[(size_t)v * K + j], *xf);
        }
    }
    r->acc_peak = exact_sums(b, ly);
    if (r->acc_peak < r->acc_limit) return EIE_OK;
    int need = 0;
    while ((r->acc_peak >> need) >= r->acc_limit) need++;
    int sx = 0;
    for (uint32_t v = 0; v < b->n_x; v++) {
      const int s = sig_bits(max_abs16(b->in + (size_t)v * b->width, K));
      if (s > sx) sx = s;
    }
    int sw = sig_bits(max_abs16(ly->codebook, EIE_CB_SIZE));
    for (; need > 0; need--) {
      const int can_x = x_free && *xf > 0, can_w = w_free && *wf > 0;
      if (can_x && (!can_w || sx > sw)) {
        --*xf, --sx, r->dropped_in_bits++;
      } else if (can_w) {
        --*wf, --sw, r->dropped_w_bits++;
      } else if (r->forced) {
        return EIE_OK; /* the user's formats stay; the saturations are counted */
      } else {
        return eie_fail(
            err, EIE_STATUS_BAD_INPUT,
            "layer %u: partial sums reach %lld, beyond the %d-bit accumulator even with 0 "
            "fraction bits",
            l, (long long)r->acc_peak, EIE_ACC_W);
      }
    }
  }
}

/* Output format: the most fraction bits (at most in_frac + w_frac) whose
 * outputs, rounded and with the bias as the write-back computes them, all
 * fit 16 bits; fills out_frac, shift and the bias. */
static eie_status_t fit_output(work_t *b, unsigned l, const double *bias, eie_layer_t *ly,
                               eie_err_t *err) {
  const uint32_t M = ly->out_len;
  const int prod = ly->in_frac + ly->w_frac;
  double maxy = 0;
  for (uint32_t v = 0; v < b->n_x; v++)
    for (uint32_t i = 0; i < M; i++) {
      double y = ldexp((double)b->exact[(size_t)v * b->width + i], -prod) + (bias ? bias[i] : 0);
      if (ly->relu && y < 0) y = 0;
      if (fabs(y) > maxy) maxy = fabs(y);
    }
  for (uint32_t i = 0; bias && i < M; i++)
    if (fabs(bias[i]) > maxy) maxy = fabs(bias[i]);
  int fo = eie_frac_bits_for(maxy);
  if (fo > prod) fo = prod;
  if (bias && !ly->bias && !(ly->bias = malloc(sizeof *ly->bias * M)))
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the bias");
  for (;; fo--) {
    if (fo < 0 || round(maxy) > INT16_MAX)
      return eie_fail(
          err, EIE_STATUS_BAD_INPUT,
          "layer %u: outputs up to %g do not fit 16 bits (at most 32767 with 0 fraction bits)", l,
          maxy);
    ly->out_frac = fo;
    ly->shift = (unsigned)(prod - fo);
    for (uint32_t i = 0; bias && i < M; i++) ly->bias[i] = eie_to_fixed(bias[i], fo);
    int fits = 1;
    for (uint32_t v = 0; v < b->n_x && fits; v++)
      for (uint32_t i = 0; i < M && fits; i++) {
        const int64_t y = eie_arith_round_shift(b->exact[(size_t)v * b->width + i], ly->shift) +
                          (ly->bias ? ly->bias[i] : 0);
        fits = y <= INT16_MAX && (ly->relu || y >= INT16_MIN);
      }
    if (fits) return EIE_OK;
  }
}

/* One layer: float references, prune, share, formats, fixed-point outputs
 * (into b->out) and their error. */
static eie_status_t quantize_layer(work_t *b, const eie_float_net_t *net, unsigned l,
                                   const double *x, const eie_numerics_opts_t *o, int *xf,
                                   eie_layer_t *ly, eie_layer_numerics_t *r, eie_err_t *err) {
  const uint32_t K = net->widths[l], M = net->widths[l + 1];
  const size_t n = (size_t)M * K;
  double *w = net->w[l];
  const double *bias = net->bias ? net->bias[l] : NULL;
  for (size_t q = 0; q < n; q++)
    if (!isfinite(w[q]))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "layer %u: weight (%zu, %zu) is not finite", l,
                      q / K, q % K);
  for (uint32_t i = 0; bias && i < M; i++)
    if (!isfinite(bias[i]))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "layer %u: bias %u is not finite", l, i);
  ly->in_len = K;
  ly->out_len = M;
  ly->relu = net->relu[l];
  float_outputs(b, l, w, NULL, NULL, M, K, bias, ly->relu, *xf, b->iso_a, b->net_a);

  eie_status_t st;
  if (net->density[l] >= 0 && (st = eie_prune(w, n, net->density[l], err))) return st;
  if (!(ly->idx = malloc(n)))
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for %ux%u indices", M, K);
  double cent[EIE_CB_SIZE - 1] = {0}, table[EIE_CB_SIZE] = {0};
  unsigned used = 0;
  if ((st = eie_kmeans_share(w, n, cent, &used, ly->idx, err))) return st;
  double maxc = 0;
  for (unsigned c = 0; c < used; c++) {
    table[c + 1] = cent[c];
    if (fabs(cent[c]) > maxc) maxc = fabs(cent[c]);
  }
  for (unsigned c = used; c < EIE_CB_SIZE - 1; c++) cent[c] = 0;
  if ((st = check_range(maxc, "weights", l, err))) return st;
  float_outputs(b, l, NULL, ly->idx, table, M, K, bias, ly->relu, *xf, b->iso_b, b->net_b);

  int wf = o->weight_frac >= 0 ? o->weight_frac : eie_frac_bits_for(maxc);
  const int x_free = l == 0 && o->in_frac < 0, w_free = o->weight_frac < 0;
  r->forced = !w_free || (l == 0 && !x_free);
  r->acc_limit = (int64_t)1 << (EIE_ACC_W - 1 - o->headroom);
  if ((st = fit_accumulator(b, x, l, cent, xf, &wf, x_free, w_free, ly, r, err))) return st;
  if ((st = fit_output(b, l, bias, ly, err))) return st;

  qsum_t qa = {0, 0, 0}, qb = {0, 0, 0};
  for (uint32_t v = 0; v < b->n_x; v++) {
    const size_t at = (size_t)v * b->width;
    eie_ref_layer_count(ly, b->in + at, b->out + at, &r->sat);
    for (uint32_t i = 0; i < M; i++) {
      const double y = ldexp(b->out[at + i], -ly->out_frac);
      qsum_add(&qa, y, b->iso_a[at + i]);
      qsum_add(&qb, y, b->iso_b[at + i]);
    }
  }
  r->vs_float = qsum_result(&qa);
  r->vs_shared = qsum_result(&qb);
  if (!r->forced && (r->sat.acc_saturations || r->sat.out_saturations || r->in_clipped))
    return eie_fail(err, EIE_STATUS_MISMATCH,
                    "internal error: layer %u saturates at the formats chosen for it", l);
  return EIE_OK;
}

eie_status_t eie_quantize_network(const eie_float_net_t *net, const double *x, uint32_t n_x,
                                  const eie_numerics_opts_t *o, eie_layer_t *layers, int16_t *xq,
                                  eie_numerics_report_t *rep, eie_err_t *err) {
  const unsigned L = net->layers;
  memset(rep, 0, sizeof *rep);
  if (L < 1 || L > EIE_MAX_LAYERS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "a network has 1..%d layers, not %u", EIE_MAX_LAYERS,
                    L);
  memset(layers, 0, sizeof *layers * L);
  uint32_t width = 0;
  for (unsigned l = 0; l <= L; l++) {
    if (net->widths[l] < 1 || net->widths[l] > 65535)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "width %u of the network is %u, outside 1..65535",
                      l, net->widths[l]);
    if (net->widths[l] > width) width = net->widths[l];
  }
  if (n_x < 1) return eie_fail(err, EIE_STATUS_BAD_INPUT, "no calibration input");
  if (o->headroom > EIE_ACC_W - 2)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "accumulator headroom %u is outside 0..%d bits",
                    o->headroom, EIE_ACC_W - 2);
  if (o->in_frac > EIE_FRAC_MAX || o->weight_frac > EIE_FRAC_MAX)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "fraction bits are at most %d", EIE_FRAC_MAX);
  const size_t nx = (size_t)n_x * net->widths[0];
  double maxx = 0;
  for (size_t q = 0; q < nx; q++) {
    if (!isfinite(x[q]))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "input %zu value %zu is not finite",
                      q / net->widths[0], q % net->widths[0]);
    if (fabs(x[q]) > maxx) maxx = fabs(x[q]);
  }
  eie_status_t st;
  if ((st = check_range(maxx, "input values", 0, err))) return st;
  work_t b;
  if (!work_alloc(&b, n_x, width)) {
    work_free(&b);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for %u calibration inputs", n_x);
  }
  rep->calib_inputs = n_x;
  rep->headroom = o->headroom;
  rep->layers = L;
  for (uint32_t v = 0; v < n_x; v++)
    memcpy(b.net_a + (size_t)v * width, x + (size_t)v * net->widths[0], sizeof *x * net->widths[0]);
  memcpy(b.net_b, b.net_a, sizeof *b.net_a * (size_t)n_x * width);
  int xf = o->in_frac >= 0 ? o->in_frac : eie_frac_bits_for(maxx);
  unsigned l;
  for (l = 0; l < L; l++) {
    if ((st = quantize_layer(&b, net, l, x, o, &xf, &layers[l], &rep->layer[l], err))) break;
    if (l == 0) memcpy(xq, b.in, sizeof *xq * net->widths[0]);
    xf = layers[l].out_frac;
    int16_t *t = b.in;
    b.in = b.out;
    b.out = t;
  }
  if (!st) {
    const uint32_t M = net->widths[L];
    qsum_t qa = {0, 0, 0}, qb = {0, 0, 0};
    for (uint32_t v = 0; v < n_x; v++)
      for (uint32_t i = 0; i < M; i++) {
        const size_t at = (size_t)v * width + i;
        const double y = ldexp(b.in[at], -layers[L - 1].out_frac);
        qsum_add(&qa, y, b.net_a[at]);
        qsum_add(&qb, y, b.net_b[at]);
      }
    rep->vs_float = qsum_result(&qa);
    rep->vs_shared = qsum_result(&qb);
  }
  work_free(&b);
  if (st)
    for (unsigned k = 0; k <= l && k < L; k++) eie_layer_free(&layers[k]);
  return st;
}
