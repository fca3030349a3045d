/* The plain functional reference: a loop over the decoded fixed-point
 * matrix with the same arithmetic as the hardware, no timing. */
#ifndef EIE_REF_H
#define EIE_REF_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* y = layer(x); x has in_len values, y out_len. */
void eie_ref_layer(const eie_layer_t *layer, const int16_t *x, int16_t *y);
/* eie_ref_layer, adding the MACs that saturate the accumulator and the
 * outputs that saturate to 16 bits (eie_sat_stats_t) to *sat (or NULL). */
void eie_ref_layer_count(const eie_layer_t *layer, const int16_t *x, int16_t *y,
                         eie_sat_stats_t *sat);
/* The exact layer (docs/microarchitecture.md §2 "Numerics"): 64-bit sums
 * without saturation, rounded as the write-back rounds, bias added, ReLU,
 * no 16-bit clipping: y[i] equals eie_ref_layer's whenever nothing
 * saturates. *peak (or NULL): the largest |partial sum| of any row in
 * ascending column order, the accumulator's range on this input. */
void eie_ref_layer_exact(const eie_layer_t *layer, const int16_t *x, int64_t *y, int64_t *peak);
/* Run n layers; y holds the last layer's outputs. */
void eie_ref_network(const eie_layer_t *layers, unsigned n, const int16_t *x, int16_t *y);

/* The same network for many inputs: the layers' weights gathered once by
 * column (only the codebook indices that are not 0), so that a run touches
 * only the columns of non-zero inputs. Each row still adds its terms in
 * ascending column order with the same saturating arithmetic: y equals
 * eie_ref_network's bit for bit. The layers must outlive it (biases are
 * read from them). */
typedef struct eie_ref_net eie_ref_net_t;
eie_status_t eie_ref_net_create(const eie_layer_t *layers, unsigned n, eie_ref_net_t **out,
                                eie_err_t *err);
void eie_ref_net_run(eie_ref_net_t *net, const int16_t *x, int16_t *y);
/* The same weight-shared network in double precision, activations not
 * quantized: weights codebook * 2^-w_frac, biases * 2^-out_frac, ReLU where
 * the layer has it. y (out_len of the last layer) equals a row-by-row loop in
 * ascending column order up to the sign of zeros (terms of zero inputs are
 * left out). */
void eie_ref_net_run_real(eie_ref_net_t *net, const double *x, double *y);
void eie_ref_net_destroy(eie_ref_net_t *net);

#ifdef __cplusplus
}
#endif
#endif
