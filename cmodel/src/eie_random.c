/* Random layers for tests and benchmarks (see eie_random.h). */
#include "eie/eie_random.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_arith.h"
#include "eie/eie_ref.h"

double eie_rng_normal(eie_rng_t *r) {
  double u1 = eie_rng_uniform(r), u2 = eie_rng_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

eie_status_t eie_random_layer(const eie_random_spec_t *spec, eie_layer_t *l, int16_t **xo,
                              eie_err_t *err) {
  memset(l, 0, sizeof *l);
  *xo = NULL;
  if (spec->out_len < 1 || spec->in_len < 1 || spec->out_len > 65535 || spec->in_len > 65535)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "random layer shape %ux%u is outside 1..65535",
                    spec->out_len, spec->in_len);
  if (!(spec->density >= 0 && spec->density <= 1) ||
      !(spec->act_density >= 0 && spec->act_density <= 1))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "densities must be in [0, 1]");
  eie_rng_t r = {spec->seed * 0x2545f4914f6cdd1dull + 1};
  const size_t n = (size_t)spec->out_len * spec->in_len;
  l->in_len = spec->in_len;
  l->out_len = spec->out_len;
  l->idx = calloc(n, 1);
  int16_t *x = malloc(sizeof *x * spec->in_len);
  if (spec->bias) l->bias = malloc(sizeof *l->bias * spec->out_len);
  if (!l->idx || !x || (spec->bias && !l->bias)) {
    free(x);
    eie_layer_free(l);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for a random layer");
  }
  /* Codebook: 15 distinct values spread over Q1.14, sorted. */
  l->codebook[0] = 0;
  for (int c = 1; c < EIE_CB_SIZE; c++) {
    int v;
    do {
      v = (int)eie_rng_below(&r, 32768) - 16384;
    } while (v == 0);
    l->codebook[c] = (int16_t)v;
  }
  l->w_frac = 14;
  l->in_frac = 8;
  /* Indices: each weight non-zero with probability `density`. */
  for (size_t q = 0; q < n; q++)
    if (eie_rng_uniform(&r) < spec->density) l->idx[q] = (uint8_t)(1 + eie_rng_below(&r, 15));
  for (uint32_t j = 0; j < spec->in_len; j++)
    x[j] = eie_rng_uniform(&r) < spec->act_density ? (int16_t)(1 + eie_rng_below(&r, 1024)) : 0;
  /* Output format: largest out_frac (<= in+w) that keeps the exact result in 16 bits. */
  int64_t maxabs = 0;
  for (uint32_t i = 0; i < spec->out_len; i++) {
    int64_t acc = 0;
    for (uint32_t j = 0; j < spec->in_len; j++) {
      uint8_t v = l->idx[(size_t)i * spec->in_len + j];
      if (v && x[j]) acc += (int64_t)l->codebook[v] * x[j];
    }
    if (llabs(acc) > maxabs) maxabs = llabs(acc);
  }
  unsigned shift = 0;
  while (shift < 31 && (maxabs >> shift) > 16383) shift++;
  l->shift = shift;
  l->out_frac = l->in_frac + l->w_frac - (int)shift;
  l->relu = spec->relu;
  if (l->bias)
    for (uint32_t i = 0; i < spec->out_len; i++)
      l->bias[i] = (int16_t)((int)eie_rng_below(&r, 4096) - 2048);
  *xo = x;
  return EIE_OK;
}
