/* Deep-compression steps that turn a float layer into what EIE stores:
 * magnitude pruning, weight sharing by k-means, fixed-point conversion. */
#ifndef EIE_COMPRESS_H
#define EIE_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Keep the ceil(density * n) weights of largest magnitude (the product taken
 * with a 1e-12 relative tolerance, so 0.09 * 100 keeps 9), zero the others.
 * Ties in magnitude are broken by lower flat index (deterministic). density in
 * [0, 1]; values already zero stay zero (so fewer may be kept); NaN or
 * infinite weights are refused. In place. */
eie_status_t eie_prune(double *w, size_t n, double density, eie_err_t *err);

/* Weight sharing. Input: n weights (zeros are "pruned" and get index 0).
 * Output: centroids[0..14] (centroid c has codebook index c+1), idx[n] in
 * 0..15 and *used = number of real centroids.
 * - If the non-zero weights have at most 15 distinct values, those values
 *   become the centroids exactly (ascending), *used = that count.
 * - Otherwise 15-means in 1-D: linear initialisation between min and max
 *   non-zero weight, Lloyd iterations (nearest centroid, ties to the lower
 *   index; centroid = mean of its members) until no assignment changes or 100
 *   iterations. Centroids are kept sorted ascending during the iterations, so
 *   "lower index" means the smaller centroid. An iteration is a mean update
 *   followed by an assignment; means are summed in ascending flat index. An
 *   empty cluster is re-seeded to the weight farthest from its centroid (ties:
 *   lowest index; each seed a distinct value), which counts only in its new
 *   cluster for that update. idx is the nearest-centroid assignment of the
 *   final centroids; *used is 15 in the k-means case.
 * Deterministic: no randomness. */
eie_status_t eie_kmeans_share(const double *w, size_t n, double centroids[15], unsigned *used,
                              uint8_t *idx, eie_err_t *err);

/* Largest fraction-bit count f in [0, 15] such that round(maxabs * 2^f) fits
 * in int16 (<= 32767). maxabs == 0 gives 15. */
int eie_frac_bits_for(double maxabs);

/* round-half-away-from-zero(x * 2^frac), saturated to int16; NaN gives 0. */
int16_t eie_to_fixed(double x, int frac);

#ifdef __cplusplus
}
#endif
#endif
