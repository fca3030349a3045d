/* The plain functional reference: a loop over the decoded fixed-point
 * matrix with the same arithmetic as the hardware, no timing. */
#ifndef EIE_REF_H
#define EIE_REF_H

#include <stdint.h>

#include "eie/eie_layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* y = layer(x); x has in_len values, y out_len. */
void eie_ref_layer(const eie_layer_t *layer, const int16_t *x, int16_t *y);
/* Run n layers; y holds the last layer's outputs. */
void eie_ref_network(const eie_layer_t *layers, unsigned n, const int16_t *x, int16_t *y);

#ifdef __cplusplus
}
#endif
#endif
