/* Deterministic random numbers and random layers (tests, benchmarks, the
 * synthetic layers of `eie gen --random`). */
#ifndef EIE_RANDOM_H
#define EIE_RANDOM_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint64_t s;
} eie_rng_t;

static inline uint64_t eie_rng_next(eie_rng_t *r) { /* splitmix64 */
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
/* Uniform in [0, 1). */
static inline double eie_rng_uniform(eie_rng_t *r) {
  return (double)(eie_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
/* Uniform integer in [0, n). */
static inline uint32_t eie_rng_below(eie_rng_t *r, uint32_t n) {
  return (uint32_t)(((eie_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}
double eie_rng_normal(eie_rng_t *r);

typedef struct {
  uint32_t out_len, in_len;
  double density;     /* fraction of non-zero weights */
  double act_density; /* fraction of non-zero (positive) input activations */
  int bias;           /* random bias */
  int relu;
  uint64_t seed;
} eie_random_spec_t;

/* A random quantized layer (random codebook, indices at `density`, shift
 * chosen so outputs use the 16 bits) and a random non-negative input x
 * (in_len values, malloc'd into *x). Free the layer with eie_layer_free. */
eie_status_t eie_random_layer(const eie_random_spec_t *spec, eie_layer_t *layer, int16_t **x,
                              eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
