/* Functional reference: the decoded fixed-point matrix times the input, in
 * ascending column order, with the hardware's saturating arithmetic. */
#include "eie/eie_ref.h"

#include <stdlib.h>
#include <string.h>

#include "eie/eie_arith.h"

void eie_ref_layer(const eie_layer_t *l, const int16_t *x, int16_t *y) {
  const uint32_t K = l->in_len, M = l->out_len;
  for (uint32_t i = 0; i < M; i++) {
    const uint8_t *row = l->idx + (size_t)i * K;
    int32_t acc = 0;
    for (uint32_t j = 0; j < K; j++)
      if (x[j] && row[j]) acc = eie_arith_mac(acc, l->codebook[row[j]], x[j]);
    y[i] = eie_arith_writeback(acc, l->bias ? l->bias[i] : 0, l->shift, l->relu);
  }
}

void eie_ref_network(const eie_layer_t *layers, unsigned n, const int16_t *x, int16_t *y) {
  uint32_t maxlen = layers[0].in_len;
  for (unsigned li = 0; li < n; li++)
    if (layers[li].out_len > maxlen) maxlen = layers[li].out_len;
  int16_t *buf[2] = {malloc(sizeof(int16_t) * maxlen), malloc(sizeof(int16_t) * maxlen)};
  memcpy(buf[0], x, sizeof(int16_t) * layers[0].in_len);
  for (unsigned li = 0; li < n; li++) eie_ref_layer(&layers[li], buf[li % 2], buf[(li + 1) % 2]);
  memcpy(y, buf[n % 2], sizeof(int16_t) * layers[n - 1].out_len);
  free(buf[0]);
  free(buf[1]);
}
