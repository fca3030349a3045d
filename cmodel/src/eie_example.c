/* The paper's worked example as a layer (see eie_example.h). */
#include "eie/eie_example.h"

#include <string.h>

/* Codebook indices of W (16 x 8); rows 0, 4, 8, 12 are PE0's. */
static const uint8_t paper_idx[16][8] = {
    {1, 0, 2, 0, 3, 4, 5, 0},   /* row 0  PE0 */
    {0, 6, 0, 7, 0, 0, 8, 0},   /* row 1  PE1 */
    {0, 0, 9, 0, 10, 0, 0, 11}, /* row 2  PE2 */
    {0, 12, 0, 0, 0, 13, 0, 0}, /* row 3  PE3 */
    {0, 14, 0, 0, 15, 0, 0, 0}, /* row 4  PE0 */
    {0, 0, 0, 1, 0, 0, 0, 2},   /* row 5  PE1 */
    {0, 0, 0, 0, 3, 0, 4, 0},   /* row 6  PE2 */
    {5, 0, 0, 6, 0, 0, 0, 0},   /* row 7  PE3 */
    {7, 0, 0, 0, 0, 0, 0, 8},   /* row 8  PE0 */
    {9, 0, 0, 0, 0, 0, 10, 11}, /* row 9  PE1 */
    {0, 0, 0, 0, 12, 0, 0, 0},  /* row 10 PE2 */
    {0, 0, 13, 0, 0, 0, 0, 14}, /* row 11 PE3 */
    {15, 0, 1, 0, 0, 2, 0, 3},  /* row 12 PE0 */
    {4, 5, 0, 0, 0, 0, 6, 0},   /* row 13 PE1 */
    {0, 0, 7, 8, 9, 10, 0, 0},  /* row 14 PE2 */
    {0, 0, 0, 11, 0, 12, 0, 0}, /* row 15 PE3 */
};

void eie_example_paper(eie_layer_t *layer, int16_t x[8]) {
  static const int16_t cb[16] = {0,   -16384, -8192, -4096, -2048, -1024, -512,  -256,
                                 256, 512,    1024,  2048,  4096,  8192,  12288, 16384};
  static const int16_t a[8] = {0, 0, 256, 0, -512, 768, 0, 1024};
  memset(layer, 0, sizeof *layer);
  layer->in_len = 8;
  layer->out_len = 16;
  memcpy(layer->codebook, cb, sizeof cb);
  layer->idx = (uint8_t *)&paper_idx[0][0];
  layer->bias = NULL;
  layer->in_frac = 8; /* activations Q7.8 */
  layer->w_frac = 14; /* codebook Q1.14 */
  layer->out_frac = 8;
  layer->shift = 14;
  layer->relu = 0;
  memcpy(x, a, sizeof a);
}
