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

/* Compress a chain of L float layers (layer l: widths[l+1] x widths[l], row-major
 * w[l], bias[l] or NULL, density[l] as in eie_quant_opts_t, relu[l]), each on
 * the fixed-point outputs the layer before gives for input x0 (widths[0]
 * values in Q(in_frac)), so every layer's formats fit the values it really
 * sees. Weights are pruned in place. Fills layers[0..L-1] (free each with
 * eie_layer_free); on failure frees what it built. */
eie_status_t eie_quantize_chain(unsigned L, const uint32_t *widths, double *const *w,
                                double *const *bias, const double *density, const int *relu,
                                const int16_t *x0, int in_frac, eie_layer_t *layers, eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
