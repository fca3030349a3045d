// The compression pipeline from float weights to quantized layers, and the
// format chooser that keeps the accumulators and outputs from saturating.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "eie/eie_compress.h"
#include "eie/eie_quantize.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"
#include "eie_test_util.h"

namespace {

// A float network, its calibration inputs and what the chooser made of it.
struct Net {
  std::vector<uint32_t> widths;
  std::vector<std::vector<double>> w, b;
  std::vector<double> density;
  std::vector<int> relu;
  std::vector<double> x;  // calibration inputs, the run input first
  eie_numerics_opts_t opts = {EIE_NUMERICS_HEADROOM_DEFAULT, -1, -1};
  std::vector<eie_layer_t> layers;
  std::vector<int16_t> xq;
  eie_numerics_report_t rep{};
  eie_err_t err{};

  Net(std::vector<uint32_t> wd) : widths(wd), w(wd.size() - 1), b(wd.size() - 1) {
    for (size_t l = 0; l + 1 < wd.size(); l++) {
      w[l].assign(size_t(wd[l + 1]) * wd[l], 0.0);
      density.push_back(-1);
      relu.push_back(0);
    }
  }
  eie_status_t quantize() {
    const unsigned L = unsigned(w.size());
    std::vector<double *> wp, bp;
    for (unsigned l = 0; l < L; l++) {
      wp.push_back(w[l].data());
      bp.push_back(b[l].empty() ? nullptr : b[l].data());
    }
    const eie_float_net_t net = {L,         widths.data(),  wp.data(),
                                 bp.data(), density.data(), relu.data()};
    layers.assign(L, eie_layer_t{});
    xq.assign(widths[0], 0);
    return eie_quantize_network(&net, x.data(), uint32_t(x.size() / widths[0]), &opts,
                                layers.data(), xq.data(), &rep, &err);
  }
  // Layer 0 on calibration input v: exact outputs, and the hardware's with its saturations.
  void layer0(size_t v, std::vector<int64_t> &exact, std::vector<int16_t> &hw, eie_sat_stats_t &sat,
              int64_t &peak) {
    const eie_layer_t &l = layers[0];
    std::vector<int16_t> in(widths[0]);
    for (uint32_t j = 0; j < widths[0]; j++) in[j] = eie_to_fixed(x[v * widths[0] + j], l.in_frac);
    exact.assign(l.out_len, 0);
    hw.assign(l.out_len, 0);
    eie_ref_layer_exact(&l, in.data(), exact.data(), &peak);
    eie_ref_layer_count(&l, in.data(), hw.data(), &sat);
  }
  ~Net() {
    for (auto &l : layers) eie_layer_free(&l);
  }
};

// A dense layer of weights in +-0.93 on inputs in 0..1 (near full scale):
// with 16-bit operands the sums need 2^5 times what a Q30 accumulator holds.
Net dense_layer(uint32_t M, uint32_t K, uint64_t seed) {
  Net n({K, M});
  eie_rng_t r = {seed};
  for (double &v : n.w[0]) v = (2 * eie_rng_uniform(&r) - 1) * 0.93;
  for (uint32_t j = 0; j < K; j++) n.x.push_back(0.5 + 0.5 * eie_rng_uniform(&r));
  return n;
}

}  // namespace

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
  Net n({5, 6});
  const double vals[] = {-0.5, 0.25, 0.75};
  for (uint32_t q = 0; q < 30; q += 2) n.w[0][q] = vals[q % 3];
  n.x = {0.4, 0, 0.2, 0.1, 0.8};
  ASSERT_EQ(n.quantize(), EIE_OK) << n.err.msg;
  const eie_layer_t &l = n.layers[0];
  EXPECT_EQ(l.w_frac, 15);  // 0.75 * 2^15 fits; sums of 5 products stay far below 2^30
  EXPECT_EQ(l.codebook[1], int16_t(-0.5 * 32768));
  EXPECT_EQ(l.codebook[2], int16_t(0.25 * 32768));
  EXPECT_EQ(l.codebook[3], int16_t(0.75 * 32768));
  EXPECT_EQ(l.codebook[4], 0);
  EXPECT_EQ(l.shift, unsigned(l.in_frac + l.w_frac - l.out_frac));
  EXPECT_EQ(n.rep.layer[0].dropped_w_bits + n.rep.layer[0].dropped_in_bits, 0u);
  // Shared values equal the given ones: the two float references agree.
  EXPECT_DOUBLE_EQ(n.rep.layer[0].vs_float.max_abs, n.rep.layer[0].vs_shared.max_abs);
}

TEST(EieQuantize, DenseLayerNearFullScaleFitsTheAccumulator) {
  Net n = dense_layer(48, 40, 3);
  ASSERT_EQ(n.quantize(), EIE_OK) << n.err.msg;
  const eie_layer_numerics_t &r = n.rep.layer[0];
  EXPECT_EQ(r.acc_limit, int64_t(1) << 30);  // one bit of headroom
  EXPECT_LT(r.acc_peak, r.acc_limit);
  EXPECT_GE(r.acc_peak, r.acc_limit / 2);  // no bit given up needlessly
  EXPECT_GT(r.dropped_w_bits + r.dropped_in_bits, 0u);
  EXPECT_LE(int(r.dropped_w_bits) - int(r.dropped_in_bits), 1);  // shared, the codebook first
  EXPECT_GE(r.dropped_w_bits, r.dropped_in_bits);
  std::vector<int64_t> exact;
  std::vector<int16_t> hw;
  eie_sat_stats_t sat{};
  int64_t peak;
  n.layer0(0, exact, hw, sat, peak);
  EXPECT_EQ(peak, r.acc_peak);
  EXPECT_EQ(sat.acc_saturations, 0u);
  EXPECT_EQ(sat.out_saturations, 0u);
  for (uint32_t i = 0; i < 48; i++) ASSERT_EQ(int64_t(hw[i]), exact[i]) << "row " << i;
  // Against the shared float weights: what 16-bit outputs can give; against
  // the given weights, 15 shared values of a uniform spread cost far more.
  EXPECT_GT(n.rep.layer[0].vs_shared.sqnr_db, 60);
  EXPECT_LT(n.rep.layer[0].vs_float.sqnr_db, n.rep.layer[0].vs_shared.sqnr_db - 20);
}

TEST(EieQuantize, PartialSumsThatCancelStillFit) {
  // Row 0 climbs to 32 * 0.9 * 0.99 and falls back to 0: the final sum alone
  // would keep every fraction bit and saturate on the way.
  Net n({64, 2});
  for (uint32_t j = 0; j < 64; j++) {
    n.w[0][j] = j < 32 ? 0.9 : -0.9;
    n.w[0][64 + j] = 0.001;
  }
  n.x.assign(64, 0.99);
  ASSERT_EQ(n.quantize(), EIE_OK) << n.err.msg;
  const eie_layer_numerics_t &r = n.rep.layer[0];
  const eie_layer_t &l = n.layers[0];
  const double peak = std::ldexp(double(r.acc_peak), -(l.in_frac + l.w_frac));
  EXPECT_NEAR(peak, 32 * 0.9 * 0.99, 0.01);
  EXPECT_LT(r.acc_peak, r.acc_limit);
  EXPECT_GT(r.dropped_w_bits + r.dropped_in_bits, 0u);
  std::vector<int64_t> exact;
  std::vector<int16_t> hw;
  eie_sat_stats_t sat{};
  int64_t pk;
  n.layer0(0, exact, hw, sat, pk);
  EXPECT_EQ(sat.acc_saturations, 0u);
  EXPECT_EQ(hw[0], 0);
  EXPECT_EQ(int64_t(hw[1]), exact[1]);
}

TEST(EieQuantize, BiasSetsTheOutputRange) {
  Net n({8, 4});
  for (double &v : n.w[0]) v = 0.01;
  n.b[0] = {100, -3, 0.5, 0};
  n.x.assign(8, 0.5);
  ASSERT_EQ(n.quantize(), EIE_OK) << n.err.msg;
  const eie_layer_t &l = n.layers[0];
  EXPECT_EQ(l.out_frac, 8);  // 100.04 * 2^8 = 25610 fits, 2^9 would not
  EXPECT_EQ(l.bias[0], 25600);
  EXPECT_EQ(n.rep.layer[0].sat.out_saturations, 0u);
  EXPECT_LT(n.rep.layer[0].vs_float.max_abs, std::ldexp(1.0, -8));  // within an output LSB
}

TEST(EieQuantize, ForcedFormatsAreKeptAndTheirSaturationsCounted) {
  Net n = dense_layer(48, 40, 3);
  n.x[7] = 1.0;  // beyond Q15
  n.opts.in_frac = 15;
  n.opts.weight_frac = 15;
  ASSERT_EQ(n.quantize(), EIE_OK) << n.err.msg;
  const eie_layer_numerics_t &r = n.rep.layer[0];
  EXPECT_TRUE(r.forced);
  EXPECT_EQ(n.layers[0].in_frac, 15);
  EXPECT_EQ(n.layers[0].w_frac, 15);
  EXPECT_GE(r.acc_peak, int64_t(1) << 31);
  EXPECT_GT(r.sat.acc_saturations, 0u);
  EXPECT_EQ(r.in_clipped, 1u);
  // The chooser's count is the hardware's: the reference and the cycle model.
  std::vector<int64_t> exact;
  std::vector<int16_t> hw;
  eie_sat_stats_t sat{};
  int64_t pk;
  n.layer0(0, exact, hw, sat, pk);
  EXPECT_EQ(sat.acc_saturations, r.sat.acc_saturations);
  EXPECT_EQ(sat.out_saturations, r.sat.out_saturations);
  for (bool observed : {false, true}) {
    auto run =
        eie_test::run_layers(eie_test::config(4, 2), n.layers.data(), 1, n.xq.data(), observed);
    ASSERT_EQ(run.status, EIE_OK) << run.error;
    EXPECT_EQ(run.y, hw);
    EXPECT_EQ(run.stats.sat.acc_saturations, r.sat.acc_saturations) << "observed " << observed;
    EXPECT_EQ(run.stats.layer_sat[0].acc_saturations, r.sat.acc_saturations);
    EXPECT_EQ(run.stats.sat.out_saturations, r.sat.out_saturations);
  }
  // A forced codebook with a free input: only the input gives up bits.
  Net m = dense_layer(48, 40, 3);
  m.opts.weight_frac = 15;
  ASSERT_EQ(m.quantize(), EIE_OK) << m.err.msg;
  EXPECT_EQ(m.layers[0].w_frac, 15);
  EXPECT_EQ(m.rep.layer[0].dropped_w_bits, 0u);
  EXPECT_GT(m.rep.layer[0].dropped_in_bits, 0u);
  EXPECT_LT(m.rep.layer[0].acc_peak, m.rep.layer[0].acc_limit);
}

TEST(EieQuantize, HeadroomIsAnOption) {
  Net a = dense_layer(48, 40, 5), b = dense_layer(48, 40, 5);
  b.opts.headroom = 4;
  ASSERT_EQ(a.quantize(), EIE_OK) << a.err.msg;
  ASSERT_EQ(b.quantize(), EIE_OK) << b.err.msg;
  EXPECT_EQ(b.rep.layer[0].acc_limit, int64_t(1) << 27);
  EXPECT_LT(b.rep.layer[0].acc_peak, int64_t(1) << 27);
  const auto dropped = [](const Net &n) {
    return n.rep.layer[0].dropped_w_bits + n.rep.layer[0].dropped_in_bits;
  };
  EXPECT_EQ(dropped(b), dropped(a) + 3);
}

TEST(EieQuantize, CalibrationInputsAllFit) {
  // The run input is small; a calibration input at full scale sets the formats.
  Net n = dense_layer(48, 40, 9);
  Net big = dense_layer(48, 40, 9);
  for (double &v : n.x) v *= 0.01;
  n.x.insert(n.x.end(), big.x.begin(), big.x.end());
  ASSERT_EQ(n.quantize(), EIE_OK) << n.err.msg;
  EXPECT_EQ(n.rep.calib_inputs, 2u);
  std::vector<int64_t> exact;
  std::vector<int16_t> hw;
  eie_sat_stats_t sat{};
  int64_t pk;
  n.layer0(1, exact, hw, sat, pk);
  EXPECT_EQ(sat.acc_saturations + sat.out_saturations, 0u);
  EXPECT_LT(pk, n.rep.layer[0].acc_limit);
  // The run input alone would have kept more fraction bits.
  Net small = dense_layer(48, 40, 9);
  for (double &v : small.x) v *= 0.01;
  ASSERT_EQ(small.quantize(), EIE_OK) << small.err.msg;
  EXPECT_GT(small.layers[0].out_frac, n.layers[0].out_frac);
}

TEST(EieQuantize, RefusesWhatNoSixteenBitFormatHolds) {
  for (double w : {1e300, 40000.0, 1e-310, 1e-6}) {
    Net n({3, 2});
    for (double &v : n.w[0]) v = w;
    n.x = {1, 0.5, 0.25};
    EXPECT_EQ(n.quantize(), EIE_STATUS_BAD_INPUT) << w;
    EXPECT_NE(std::string(n.err.msg).find("weights"), std::string::npos) << n.err.msg;
  }
  Net n({3, 2});
  for (double &v : n.w[0]) v = 0.5;
  n.x = {1e6, 0.5, 0.25};
  EXPECT_EQ(n.quantize(), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(n.err.msg).find("input"), std::string::npos) << n.err.msg;
  // Outputs beyond 32767 even as integers.
  Net o({2, 1});
  o.w[0] = {30000, 30000};
  o.x = {1, 1};
  EXPECT_EQ(o.quantize(), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(o.err.msg).find("outputs"), std::string::npos) << o.err.msg;
  // Shapes.
  Net s({3, 2});
  s.widths[1] = 0;
  s.x = {1, 1, 1};
  EXPECT_EQ(s.quantize(), EIE_STATUS_BAD_INPUT);
}

TEST(EieQuantize, ChainQuantizesEachLayerOnThePreviousOutputs) {
  eie_rng_t r = {7};
  Net n({50, 30, 20, 8});
  for (auto &w : n.w)
    for (double &d : w) d = eie_rng_normal(&r) * 0.3;
  n.b[1].resize(20);
  for (double &d : n.b[1]) d = eie_rng_normal(&r) * 0.3;
  n.density = {0.5, 0.3, -1};
  n.relu = {1, 1, 0};
  for (int j = 0; j < 50; j++) n.x.push_back(eie_rng_below(&r, 1000) / 512.0);
  n.opts.in_frac = 9;
  ASSERT_EQ(n.quantize(), EIE_OK) << n.err.msg;
  EXPECT_EQ(n.layers[0].in_frac, 9);
  std::vector<int16_t> cur = n.xq;
  for (int k = 0; k < 3; k++) {
    if (k > 0) {
      EXPECT_EQ(n.layers[k].in_frac, n.layers[k - 1].out_frac);  // formats chain
    }
    EXPECT_EQ(n.layers[k].relu, n.relu[k]);
    std::vector<int16_t> y(n.widths[k + 1]);
    std::vector<int64_t> exact(n.widths[k + 1]);
    int64_t peak;
    eie_ref_layer(&n.layers[k], cur.data(), y.data());
    eie_ref_layer_exact(&n.layers[k], cur.data(), exact.data(), &peak);
    EXPECT_EQ(peak, n.rep.layer[k].acc_peak);
    int top = 0;
    for (size_t i = 0; i < y.size(); i++) {
      EXPECT_EQ(int64_t(y[i]), exact[i]) << "layer " << k << " row " << i;
      top = std::max(top, std::abs(int(y[i])));
    }
    EXPECT_GT(top, 8192) << "layer " << k;  // each layer's format uses its range
    cur = y;
  }
  std::vector<int16_t> net(8);
  eie_ref_network(n.layers.data(), 3, n.xq.data(), net.data());
  EXPECT_EQ(net, cur);
  // Pruning costs more than sharing alone: the float with all weights is further away.
  EXPECT_GE(n.rep.vs_float.max_abs, n.rep.vs_shared.max_abs);
  EXPECT_TRUE(std::isfinite(n.rep.vs_float.sqnr_db));
}
