// Property tests of the numerics: random float layers of every density,
// inputs up to full scale, compressed with the formats the chooser picks.
// The cycle model must then compute the exact mathematics of the quantized
// layer: outputs equal to the 64-bit reference without saturation (rounded
// as the write-back rounds), bit for bit, with no saturation counted.
#include <gtest/gtest.h>

#include <cmath>

#include "eie/eie_compress.h"
#include "eie/eie_quantize.h"
#include "eie_test_util.h"

namespace {

const uint32_t kPes[] = {1, 2, 3, 4, 8, 16, 64};

class EieNumerics : public ::testing::TestWithParam<int> {};

}  // namespace

TEST_P(EieNumerics, ChosenFormatsGiveTheExactResult) {
  const uint64_t seed = uint64_t(GetParam());
  eie_rng_t r = {seed * 104729 + 3};
  // Shapes a PE can hold (at most 65535 entries per layer): long rows on 8 or more PEs.
  const uint32_t pes = kPes[seed % 7];
  const uint32_t M = 1 + eie_rng_below(&r, pes == 1 ? 200 : 300);
  const uint32_t K = 1 + eie_rng_below(&r, pes >= 8 ? 1024 : 300);
  // Densities over the whole range, dense and empty included.
  const uint32_t pick = eie_rng_below(&r, 8);
  const double density = pick == 0 ? 1.0 : pick == 1 ? 0.0 : eie_rng_uniform(&r);
  const double act_density = pick == 2 ? 1.0 : eie_rng_uniform(&r);
  // Weight and input scales from tiny to large; inputs signed or not.
  const double wscale = std::ldexp(1.0, int(eie_rng_below(&r, 12)) - 8);
  const double xscale = std::ldexp(1.0, int(eie_rng_below(&r, 10)) - 6);
  const bool signed_x = eie_rng_below(&r, 2), with_bias = eie_rng_below(&r, 2);
  int relu = int(eie_rng_below(&r, 2));
  std::vector<double> w(size_t(M) * K), b(M);
  for (double &v : w) v = (2 * eie_rng_uniform(&r) - 1) * wscale;
  for (double &v : b) v = eie_rng_normal(&r) * wscale * 4;
  const uint32_t n_x = 1 + eie_rng_below(&r, 3);
  std::vector<double> x(size_t(n_x) * K);
  for (double &v : x)
    v = eie_rng_uniform(&r) < act_density
            ? (signed_x ? 2 * eie_rng_uniform(&r) - 1 : eie_rng_uniform(&r)) * xscale
            : 0.0;
  double *wp = w.data(), *bp = with_bias ? b.data() : nullptr;
  const uint32_t widths[2] = {K, M};
  const eie_float_net_t net = {1, widths, &wp, &bp, &density, &relu};
  const eie_numerics_opts_t opts = {eie_rng_below(&r, 3), -1, -1};
  eie_layer_t l{};
  std::vector<int16_t> xq(K);
  eie_numerics_report_t rep;
  eie_err_t e;
  const std::string what = "seed " + std::to_string(seed) + ": " + std::to_string(M) + "x" +
                           std::to_string(K) + ", density " + std::to_string(density) + ", " +
                           std::to_string(n_x) + " inputs";
  ASSERT_EQ(eie_quantize_network(&net, x.data(), n_x, &opts, &l, xq.data(), &rep, &e), EIE_OK)
      << what << ": " << e.msg;
  EXPECT_LT(rep.layer[0].acc_peak, rep.layer[0].acc_limit) << what;
  EXPECT_EQ(rep.layer[0].sat.acc_saturations + rep.layer[0].sat.out_saturations, 0u) << what;

  // Every calibration input on the reference, exact against saturating.
  for (uint32_t v = 0; v < n_x; v++) {
    std::vector<int16_t> in(K), hw(M);
    std::vector<int64_t> exact(M);
    int64_t peak;
    for (uint32_t j = 0; j < K; j++) in[j] = eie_to_fixed(x[size_t(v) * K + j], l.in_frac);
    eie_ref_layer_exact(&l, in.data(), exact.data(), &peak);
    eie_ref_layer(&l, in.data(), hw.data());
    EXPECT_LT(peak, rep.layer[0].acc_limit) << what << " input " << v;
    for (uint32_t i = 0; i < M; i++)
      ASSERT_EQ(int64_t(hw[i]), exact[i]) << what << " input " << v << " row " << i;
  }
  // The run input on the cycle model.
  const eie_config_t cfg = eie_test::config(pes, 1 + uint32_t(seed % 5));
  auto run = eie_test::run_layers(cfg, &l, 1, xq.data(), false);
  ASSERT_EQ(run.status, EIE_OK) << what << ": " << run.error;
  std::vector<int64_t> exact(M);
  eie_ref_layer_exact(&l, xq.data(), exact.data(), nullptr);
  for (uint32_t i = 0; i < M; i++)
    ASSERT_EQ(int64_t(run.y[i]), exact[i]) << what << " model row " << i;
  EXPECT_EQ(run.stats.sat.acc_saturations, 0u) << what;
  EXPECT_EQ(run.stats.sat.out_saturations, 0u) << what;
  EXPECT_EQ(run.stats.num_layers, 1u);
  eie_layer_free(&l);
}
INSTANTIATE_TEST_SUITE_P(Seeds, EieNumerics, ::testing::Range(0, 220));
