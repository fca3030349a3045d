/* Built-in example layers: the paper's 4-PE worked example (Fig. 2/3). */
#ifndef EIE_EXAMPLE_H
#define EIE_EXAMPLE_H

#include <stdint.h>

#include "eie/eie_layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The 16x8 layer and the input a = (0, 0, a2, 0, a4, a5, 0, a7) of the
 * paper's example, to run on 4 PEs. PE0's slice is exactly the paper's
 * (z = 0 1 0 1 0 2 0 0 0 2 0 2 0, p = 0 3 4 6 6 8 10 11 13); the other PEs'
 * non-zeros are this project's choice. The layer points at static storage. */
void eie_example_paper(eie_layer_t *layer, int16_t x[8]);

#ifdef __cplusplus
}
#endif
#endif
