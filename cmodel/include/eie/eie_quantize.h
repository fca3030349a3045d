/* From a float layer to what EIE stores: prune, share weights, choose the
 * fixed-point formats (docs/formats.md "Compression"). */
#ifndef EIE_QUANTIZE_H
#define EIE_QUANTIZE_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  double density;  /* fraction of weights kept by magnitude pruning; < 0 keeps the given sparsity */
  int weight_frac; /* codebook fraction bits; < 0 chooses them from the largest centroid */
  int relu;
} eie_quant_opts_t;

/* Quantize an input vector: frac < 0 chooses the fraction bits from max|x|
 * (eie_frac_bits_for); *frac_out receives the bits used. */
void eie_quantize_vector(const double *x, uint32_t n, int frac, int16_t *out, int *frac_out);

/* Compress layer w (M x K row-major doubles, modified: pruned in place) with
 * optional bias (M doubles), for inputs xq in Q(in_frac). The output format is
 * the largest fraction count (<= in_frac + w_frac, shift <= 31) that holds the
 * largest |W x + bias| of xq in 16 bits. Fills `layer` (idx and bias
 * malloc'd; free with eie_layer_free). */
eie_status_t eie_quantize_layer(double *w, uint32_t M, uint32_t K, const double *bias,
                                const eie_quant_opts_t *opts, const int16_t *xq, int in_frac,
                                eie_layer_t *layer, eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
