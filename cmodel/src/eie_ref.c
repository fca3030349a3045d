/* Functional reference: the decoded fixed-point matrix times the input, in
 * ascending column order, with the hardware's saturating arithmetic; and the
 * exact result the formats are chosen to reach. */
#include "eie/eie_ref.h"

#include <stdlib.h>
#include <string.h>

#include "eie/eie_arith.h"

void eie_ref_layer_count(const eie_layer_t *l, const int16_t *x, int16_t *y, eie_sat_stats_t *sat) {
  const uint32_t K = l->in_len, M = l->out_len;
  uint32_t acc_sat = 0;
  uint64_t out_sat = 0;
  for (uint32_t i = 0; i < M; i++) {
    const uint8_t *row = l->idx + (size_t)i * K;
    const int16_t b = l->bias ? l->bias[i] : 0;
    int32_t acc = 0;
    for (uint32_t j = 0; j < K; j++)
      if (x[j] && row[j]) acc = eie_arith_mac_counted(acc, l->codebook[row[j]], x[j], &acc_sat);
    y[i] = eie_arith_writeback(acc, b, l->shift, l->relu);
    out_sat += (uint64_t)eie_arith_writeback_saturates(acc, b, l->shift, l->relu);
  }
  if (sat) {
    sat->acc_saturations += acc_sat;
    sat->out_saturations += out_sat;
  }
}

void eie_ref_layer(const eie_layer_t *l, const int16_t *x, int16_t *y) {
  eie_ref_layer_count(l, x, y, NULL);
}

void eie_ref_layer_exact(const eie_layer_t *l, const int16_t *x, int64_t *y, int64_t *peak) {
  const uint32_t K = l->in_len, M = l->out_len;
  int64_t top = 0;
  for (uint32_t i = 0; i < M; i++) {
    const uint8_t *row = l->idx + (size_t)i * K;
    int64_t acc = 0;
    for (uint32_t j = 0; j < K; j++)
      if (x[j] && row[j]) {
        acc += (int64_t)l->codebook[row[j]] * x[j];
        const int64_t m = acc < 0 ? -acc : acc;
        if (m > top) top = m;
      }
    int64_t r = eie_arith_round_shift(acc, l->shift) + (l->bias ? l->bias[i] : 0);
    y[i] = (l->relu && r < 0) ? 0 : r;
  }
  if (peak) *peak = top;
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
