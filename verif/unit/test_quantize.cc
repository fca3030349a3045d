// The compression pipeline from float weights to a quantized layer.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "eie/eie_quantize.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"

TEST(EieQuantize, VectorFractionBitsUseTheSixteenBits) {
  std::vector<double> x = {0.5, -1.5, 0.0, 1.25};
  std::vector<int16_t> q(4);
  int frac;
  eie_quantize_vector(x.data(), 4, -1, q.data(), &frac);
  EXPECT_EQ(frac, 14);  // 1.5 * 2^14 = 24576 fits, 2^15 would not
  EXPECT_EQ(q[1], -24576);
  eie_quantize_vector(x.data(), 4, 8, q.data(), &frac);
  EXPECT_EQ(frac, 8);
  EXPECT_EQ(q[3], 320);
}

TEST(EieQuantize, LayerKeepsFewDistinctValuesExactly) {
  // Already weight-shared elsewhere: 3 distinct non-zero values survive exactly.
  const uint32_t M = 6, K = 5;
  std::vector<double> w(M * K, 0.0);
  const double vals[] = {-0.5, 0.25, 0.75};
  for (uint32_t q = 0; q < M * K; q += 2) w[q] = vals[q % 3];
  std::vector<int16_t> x = {100, 0, 50, 25, 200};
  eie_quant_opts_t o = {-1, -1, 0};
  eie_layer_t l;
  eie_err_t e;
  ASSERT_EQ(eie_quantize_layer(w.data(), M, K, nullptr, &o, x.data(), 8, &l, &e), EIE_OK) << e.msg;
  EXPECT_EQ(l.w_frac, 15);  // 0.75 * 2^15 fits
  EXPECT_EQ(l.codebook[1], int16_t(-0.5 * 32768));
  EXPECT_EQ(l.codebook[2], int16_t(0.25 * 32768));
  EXPECT_EQ(l.codebook[3], int16_t(0.75 * 32768));
  EXPECT_EQ(l.codebook[4], 0);
  EXPECT_EQ(l.shift, unsigned(l.in_frac + l.w_frac - l.out_frac));
  eie_layer_free(&l);
}

TEST(EieQuantize, OutputFormatHoldsTheLargestOutput) {
  eie_rng_t r = {42};
  const uint32_t M = 40, K = 60;
  std::vector<double> w(M * K), b(M);
  for (auto &v : w) v = eie_rng_normal(&r) * 0.1;
  for (auto &v : b) v = eie_rng_normal(&r) * 0.1;
  std::vector<int16_t> x(K);
  for (auto &v : x) v = int16_t(eie_rng_below(&r, 256));
  eie_quant_opts_t o = {0.25, -1, 0};
  eie_layer_t l;
  eie_err_t e;
  ASSERT_EQ(eie_quantize_layer(w.data(), M, K, b.data(), &o, x.data(), 8, &l, &e), EIE_OK) << e.msg;
  size_t nz = 0;
  for (size_t q = 0; q < M * K; q++) nz += l.idx[q] != 0;
  EXPECT_EQ(nz, size_t(600));  // 25 % of 2400
  std::vector<int16_t> y(M);
  eie_ref_layer(&l, x.data(), y.data());
  int peak = 0;
  for (int16_t v : y) peak = std::max(peak, std::abs(int(v)));
  EXPECT_LT(peak, 32767);  // no saturation
  EXPECT_GT(peak, 8192);   // and the range is used
  eie_layer_free(&l);
}

TEST(EieQuantize, RejectsBadShapes) {
  double w = 1;
  int16_t x = 1;
  eie_quant_opts_t o = {-1, -1, 0};
  eie_layer_t l;
  eie_err_t e;
  EXPECT_EQ(eie_quantize_layer(&w, 0, 1, nullptr, &o, &x, 8, &l, &e), EIE_STATUS_BAD_INPUT);
}

TEST(EieQuantize, ChainQuantizesEachLayerOnThePreviousOutputs) {
  eie_rng_t r = {7};
  const uint32_t widths[4] = {50, 30, 20, 8};
  std::vector<double> w0(30 * 50), w1(20 * 30), w2(8 * 20), b1(20);
  for (auto *v : {&w0, &w1, &w2, &b1})
    for (double &d : *v) d = eie_rng_normal(&r) * 0.3;
  double *w[3] = {w0.data(), w1.data(), w2.data()}, *bias[3] = {nullptr, b1.data(), nullptr};
  const double density[3] = {0.5, 0.3, -1};
  const int relu[3] = {1, 1, 0};
  std::vector<int16_t> x(50);
  for (auto &v : x) v = int16_t(eie_rng_below(&r, 1000));
  eie_layer_t l[3];
  eie_err_t e;
  ASSERT_EQ(eie_quantize_chain(3, widths, w, bias, density, relu, x.data(), 9, l, &e), EIE_OK) << e.msg;
  EXPECT_EQ(l[0].in_frac, 9);
  std::vector<int16_t> cur = x;
  for (int k = 0; k < 3; k++) {
    if (k > 0) {
      EXPECT_EQ(l[k].in_frac, l[k - 1].out_frac);  // formats chain
    }
    EXPECT_EQ(l[k].relu, relu[k]);
    std::vector<int16_t> y(widths[k + 1]);
    eie_ref_layer(&l[k], cur.data(), y.data());
    int peak = 0;
    for (int16_t v : y) peak = std::max(peak, std::abs(int(v)));
    EXPECT_LT(peak, 32767) << "layer " << k;  // each layer's format fits what it sees
    EXPECT_GT(peak, 8192) << "layer " << k;
    cur = y;
  }
  std::vector<int16_t> net(8);
  eie_ref_network(l, 3, x.data(), net.data());
  EXPECT_EQ(net, cur);
  for (auto &layer : l) eie_layer_free(&layer);
}
