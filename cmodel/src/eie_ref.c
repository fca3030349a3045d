/* Functional reference: the decoded fixed-point matrix times the input, in
 * ascending column order, with the hardware's saturating arithmetic; and the
 * exact result the formats are chosen to reach. */
#include "eie/eie_ref.h"

#include <math.h>
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

/* ---- Many inputs: the weights by column ------------------------------------- */

typedef struct {
  const eie_layer_t *l;
  uint32_t *col;         /* in_len + 1: column j's terms are col[j] .. col[j+1]-1 */
  uint32_t *term;        /* row << 4 | codebook index, rows ascending within a column */
  int32_t *acc;          /* out_len */
  double w[EIE_CB_SIZE]; /* codebook * 2^-w_frac */
} ref_col_layer_t;

struct eie_ref_net {
  unsigned n;
  ref_col_layer_t layer[EIE_MAX_LAYERS];
  int16_t *buf[2];
  double *real[2];
};

void eie_ref_net_destroy(eie_ref_net_t *net) {
  if (!net) return;
  for (unsigned li = 0; li < net->n; li++) {
    free(net->layer[li].col);
    free(net->layer[li].term);
    free(net->layer[li].acc);
  }
  free(net->buf[0]);
  free(net->buf[1]);
  free(net->real[0]);
  free(net->real[1]);
  free(net);
}

eie_status_t eie_ref_net_create(const eie_layer_t *layers, unsigned n, eie_ref_net_t **out,
                                eie_err_t *err) {
  *out = NULL;
  if (n < 1 || n > EIE_MAX_LAYERS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%u layers, not 1..%u", n, EIE_MAX_LAYERS);
  eie_ref_net_t *net = calloc(1, sizeof *net);
  if (!net) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  net->n = n;
  uint32_t widest = layers[0].in_len;
  for (unsigned li = 0; li < n; li++) {
    const eie_layer_t *l = &layers[li];
    ref_col_layer_t *c = &net->layer[li];
    const uint32_t K = l->in_len, M = l->out_len;
    if (M > widest) widest = M;
    c->l = l;
    for (int v = 0; v < EIE_CB_SIZE; v++) c->w[v] = l->codebook[v] * ldexp(1.0, -l->w_frac);
    c->col = calloc((size_t)K + 1, sizeof *c->col);
    c->acc = malloc(sizeof *c->acc * (M ? M : 1));
    size_t terms = 0;
    for (size_t q = 0; q < (size_t)M * K; q++) terms += l->idx[q] != 0;
    c->term = malloc(sizeof *c->term * (terms ? terms : 1));
    if (!c->col || !c->acc || !c->term || terms > UINT32_MAX || M > (UINT32_MAX >> 4)) {
      eie_ref_net_destroy(net);
      return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the reference's columns");
    }
    for (uint32_t i = 0; i < M; i++)
      for (uint32_t j = 0; j < K; j++) c->col[j + 1] += l->idx[(size_t)i * K + j] != 0;
    for (uint32_t j = 0; j < K; j++) c->col[j + 1] += c->col[j];
    /* rows in ascending order: each column's terms filled row by row */
    uint32_t *fill = malloc(sizeof *fill * (K ? K : 1));
    if (!fill) {
      eie_ref_net_destroy(net);
      return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
    }
    memcpy(fill, c->col, sizeof *fill * K);
    for (uint32_t i = 0; i < M; i++)
      for (uint32_t j = 0; j < K; j++)
        if (l->idx[(size_t)i * K + j]) c->term[fill[j]++] = i << 4 | l->idx[(size_t)i * K + j];
    free(fill);
  }
  net->buf[0] = malloc(sizeof(int16_t) * widest);
  net->buf[1] = malloc(sizeof(int16_t) * widest);
  net->real[0] = malloc(sizeof(double) * widest);
  net->real[1] = malloc(sizeof(double) * widest);
  if (!net->buf[0] || !net->buf[1] || !net->real[0] || !net->real[1]) {
    eie_ref_net_destroy(net);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  }
  *out = net;
  return EIE_OK;
}

/* One layer, column by column: a row's accumulator sees its terms in
 * ascending column order, as eie_ref_layer's loop adds them. */
static void ref_col_layer(const ref_col_layer_t *c, const int16_t *x, int16_t *y) {
  const eie_layer_t *l = c->l;
  int32_t *acc = c->acc;
  uint32_t sat = 0;
  memset(acc, 0, sizeof *acc * l->out_len);
  /* (Column bounds and terms read into locals: the stores to acc could
   * otherwise be to them, and the compiler would read them again.) */
  const uint32_t *col = c->col, *term = c->term;
  for (uint32_t j = 0; j < l->in_len; j++) {
    const int16_t a = x[j];
    if (!a) continue;
    for (uint32_t t = col[j], end = col[j + 1]; t < end; t++) {
      const uint32_t e = term[t];
      acc[e >> 4] = eie_arith_mac_counted(acc[e >> 4], l->codebook[e & 15u], a, &sat);
    }
  }
  for (uint32_t i = 0; i < l->out_len; i++)
    y[i] = eie_arith_writeback(acc[i], l->bias ? l->bias[i] : 0, l->shift, l->relu);
}

void eie_ref_net_run(eie_ref_net_t *net, const int16_t *x, int16_t *y) {
  const int16_t *in = x;
  for (unsigned li = 0; li < net->n; li++) {
    int16_t *out = li + 1 == net->n ? y : net->buf[li % 2];
    ref_col_layer(&net->layer[li], in, out);
    in = out;
  }
}

void eie_ref_net_run_real(eie_ref_net_t *net, const double *x, double *y) {
  const double *in = x;
  for (unsigned li = 0; li < net->n; li++) {
    const ref_col_layer_t *c = &net->layer[li];
    const eie_layer_t *l = c->l;
    double *out = li + 1 == net->n ? y : net->real[li % 2];
    const double bs = ldexp(1.0, -l->out_frac);
    for (uint32_t i = 0; i < l->out_len; i++) out[i] = l->bias ? l->bias[i] * bs : 0.0;
    const uint32_t *col = c->col, *term = c->term;
    for (uint32_t j = 0; j < l->in_len; j++) {
      const double a = in[j];
      if (a == 0) continue;
      for (uint32_t t = col[j], end = col[j + 1]; t < end; t++)
        out[term[t] >> 4] += c->w[term[t] & 15u] * a;
    }
    if (l->relu)
      for (uint32_t i = 0; i < l->out_len; i++) out[i] = out[i] < 0 ? 0.0 : out[i];
    in = out;
  }
}
