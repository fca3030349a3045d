/* Layer compression pipeline: prune, k-means sharing, fixed point. */
#include "eie/eie_quantize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_compress.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"

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

eie_status_t eie_quantize_layer(double *w, uint32_t M, uint32_t K, const double *bias,
                                const eie_quant_opts_t *o, const int16_t *xq, int in_frac,
                                eie_layer_t *l, eie_err_t *err) {
  memset(l, 0, sizeof *l);
  if (M < 1 || K < 1 || M > 65535 || K > 65535)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "layer shape %ux%u is outside 1..65535", M, K);
  if (o->weight_frac > 15)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "weight fraction bits %d exceed 15", o->weight_frac);
  const size_t n = (size_t)M * K;
  eie_status_t st;
  if (o->density >= 0 && (st = eie_prune(w, n, o->density, err))) return st;
  l->idx = malloc(n);
  if (!l->idx) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for %ux%u indices", M, K);
  double cent[15];
  unsigned used = 0;
  if ((st = eie_kmeans_share(w, n, cent, &used, l->idx, err))) {
    eie_layer_free(l);
    return st;
  }
  double maxc = 0;
  for (unsigned c = 0; c < used; c++)
    if (fabs(cent[c]) > maxc) maxc = fabs(cent[c]);
  l->w_frac = o->weight_frac >= 0 ? o->weight_frac : eie_frac_bits_for(maxc);
  l->codebook[0] = 0;
  for (unsigned c = 0; c < 15; c++) l->codebook[c + 1] = c < used ? eie_to_fixed(cent[c], l->w_frac) : 0;
  l->in_len = K;
  l->out_len = M;
  l->in_frac = in_frac;
  l->relu = o->relu;

  /* Output format from the exact fixed-point products plus the bias. */
  double scale = ldexp(1.0, -(in_frac + l->w_frac)), maxy = 0;
  for (uint32_t i = 0; i < M; i++) {
    int64_t acc = 0;
    const uint8_t *row = l->idx + (size_t)i * K;
    for (uint32_t j = 0; j < K; j++)
      if (row[j] && xq[j]) acc += (int64_t)l->codebook[row[j]] * xq[j];
    double y = (double)acc * scale + (bias ? bias[i] : 0.0);
    if (fabs(y) > maxy) maxy = fabs(y);
  }
  int fo = eie_frac_bits_for(maxy);
  if (fo > in_frac + l->w_frac) fo = in_frac + l->w_frac;
  if (in_frac + l->w_frac - fo > 31) fo = in_frac + l->w_frac - 31;
  l->out_frac = fo;
  l->shift = (unsigned)(in_frac + l->w_frac - fo);
  if (bias) {
    l->bias = malloc(sizeof *l->bias * M);
    if (!l->bias) {
      eie_layer_free(l);
      return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the bias");
    }
    for (uint32_t i = 0; i < M; i++) l->bias[i] = eie_to_fixed(bias[i], fo);
  }
  return EIE_OK;
}

/* See eie_quantize.h. */
eie_status_t eie_quantize_chain(unsigned L, const uint32_t *widths, double *const *w,
                                double *const *bias, const double *density, const int *relu,
                                const int16_t *x0, int in_frac, eie_layer_t *layers, eie_err_t *e) {
  int16_t *cur = malloc(sizeof *cur * widths[0]);
  if (!cur) return eie_fail(e, EIE_STATUS_NO_MEMORY, "out of memory");
  memcpy(cur, x0, sizeof *cur * widths[0]);
  int frac = in_frac;
  eie_status_t st = EIE_OK;
  unsigned l;
  for (l = 0; l < L && !st; l++) {
    eie_quant_opts_t qo = {density[l], -1, relu[l]};
    if ((st = eie_quantize_layer(w[l], widths[l + 1], widths[l], bias[l], &qo, cur, frac, &layers[l], e)))
      break;
    int16_t *next = malloc(sizeof *next * widths[l + 1]);
    if (!next) {
      st = eie_fail(e, EIE_STATUS_NO_MEMORY, "out of memory");
      l++;
      break;
    }
    eie_ref_layer(&layers[l], cur, next);
    free(cur);
    cur = next;
    frac = layers[l].out_frac;
  }
  free(cur);
  if (st)
    for (unsigned k = 0; k < l; k++) eie_layer_free(&layers[k]);
  return st;
}
