// The functional reference for many inputs (eie_ref_net_*: the weights by
// column) against the plain loop (eie_ref_network), bit for bit, on random
// networks whose partial sums saturate in the middle of rows (so that the
// order of a row's terms matters) as well as ones that do not.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "eie/eie_random.h"
#include "eie/eie_ref.h"

namespace {

struct RandomNet {
  std::vector<eie_layer_t> layers;
  ~RandomNet() {
    for (auto &l : layers) eie_layer_free(&l);
  }
};

// widths[0] inputs, then one layer per further width. Big codebook values and
// inputs with a small shift make the accumulators saturate; small ones do not.
void make_net(std::mt19937 &rng, const std::vector<uint32_t> &widths, double density, bool big,
              RandomNet *net) {
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t li = 0; li + 1 < widths.size(); li++) {
    eie_layer_t l{};
    l.in_len = widths[li];
    l.out_len = widths[li + 1];
    for (int c = 1; c < 16; c++)
      l.codebook[c] =
          int16_t(std::uniform_int_distribution<int>(big ? -32768 : -300, big ? 32767 : 300)(rng));
    l.idx = static_cast<uint8_t *>(calloc(size_t(l.in_len) * l.out_len, 1));
    for (size_t q = 0; q < size_t(l.in_len) * l.out_len; q++)
      if (u(rng) < density) l.idx[q] = uint8_t(std::uniform_int_distribution<int>(1, 15)(rng));
    if (u(rng) < 0.7) {
      l.bias = static_cast<int16_t *>(malloc(sizeof(int16_t) * l.out_len));
      for (uint32_t i = 0; i < l.out_len; i++)
        l.bias[i] = int16_t(std::uniform_int_distribution<int>(-2000, 2000)(rng));
    }
    l.shift = unsigned(std::uniform_int_distribution<int>(big ? 0 : 6, big ? 8 : 14)(rng));
    l.relu = u(rng) < 0.5;
    net->layers.push_back(l);
  }
}

TEST(RefNet, EqualsThePlainLoopBitForBit) {
  std::mt19937 rng(20261202);
  uint64_t saturating_rows = 0;
  for (int trial = 0; trial < 60; trial++) {
    const bool big = trial % 2;
    std::vector<uint32_t> widths;
    const int nl = 1 + trial % 3;
    for (int i = 0; i <= nl; i++) widths.push_back(uint32_t(1 + rng() % 90));
    RandomNet net;
    make_net(rng, widths, 0.05 + 0.1 * (trial % 7), big, &net);
    eie_ref_net_t *rn = nullptr;
    eie_err_t e{};
    ASSERT_EQ(eie_ref_net_create(net.layers.data(), unsigned(nl), &rn, &e), EIE_OK) << e.msg;
    for (int input = 0; input < 20; input++) {
      std::vector<int16_t> x(widths[0]);
      for (auto &v : x)
        v = rng() % 3 == 0 ? 0
                           : int16_t(std::uniform_int_distribution<int>(big ? -32768 : -500,
                                                                        big ? 32767 : 500)(rng));
      std::vector<int16_t> want(widths.back()), got(widths.back(), 0x5a5a);
      eie_ref_network(net.layers.data(), unsigned(nl), x.data(), want.data());
      eie_ref_net_run(rn, x.data(), got.data());
      ASSERT_EQ(got, want) << "trial " << trial << " input " << input;
      eie_sat_stats_t sat{};
      std::vector<int16_t> y0(widths[1]);
      eie_ref_layer_count(&net.layers[0], x.data(), y0.data(), &sat);
      saturating_rows += sat.acc_saturations;
    }
    eie_ref_net_destroy(rn);
  }
  // The comparison covered accumulators that saturate mid-row.
  EXPECT_GT(saturating_rows, 100u);
}

// The plain loop in double precision: row by row, ascending columns, every
// stored weight (zero inputs included).
std::vector<double> real_loop(const std::vector<eie_layer_t> &layers, std::vector<double> x) {
  for (const auto &l : layers) {
    std::vector<double> y(l.out_len);
    const double ws = std::ldexp(1.0, -l.w_frac), bs = std::ldexp(1.0, -l.out_frac);
    for (uint32_t i = 0; i < l.out_len; i++) {
      double s = l.bias ? l.bias[i] * bs : 0.0;
      for (uint32_t j = 0; j < l.in_len; j++) {
        const uint8_t v = l.idx[size_t(i) * l.in_len + j];
        if (v) s += l.codebook[v] * ws * x[j];
      }
      y[i] = l.relu && s < 0 ? 0.0 : s;
    }
    x = y;
  }
  return x;
}

TEST(RefNet, RealEqualsThePlainDoubleLoop) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int trial = 0; trial < 40; trial++) {
    std::vector<uint32_t> widths;
    const int nl = 1 + trial % 3;
    for (int i = 0; i <= nl; i++) widths.push_back(uint32_t(1 + rng() % 70));
    RandomNet net;
    make_net(rng, widths, 0.05 + 0.1 * (trial % 7), false, &net);
    for (auto &l : net.layers) {
      l.w_frac = int(rng() % 15);
      l.out_frac = int(rng() % 15);
    }
    eie_ref_net_t *rn = nullptr;
    eie_err_t e{};
    ASSERT_EQ(eie_ref_net_create(net.layers.data(), unsigned(nl), &rn, &e), EIE_OK) << e.msg;
    for (int input = 0; input < 10; input++) {
      std::vector<double> x(widths[0]);
      for (auto &v : x) v = rng() % 3 == 0 ? 0.0 : u(rng);
      const std::vector<double> want = real_loop(net.layers, x);
      std::vector<double> got(widths.back(), -1e300);
      eie_ref_net_run_real(rn, x.data(), got.data());
      ASSERT_EQ(got, want) << "trial " << trial << " input " << input;  // -0.0 == 0.0
    }
    eie_ref_net_destroy(rn);
  }
}

TEST(RefNet, RefusesNoLayers) {
  eie_ref_net_t *rn = reinterpret_cast<eie_ref_net_t *>(1);
  eie_err_t e{};
  eie_layer_t l{};
  EXPECT_EQ(eie_ref_net_create(&l, 0, &rn, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(rn, nullptr);
}

}  // namespace
