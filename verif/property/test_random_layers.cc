// Property tests: random layers and networks over PE counts, densities, FIFO
// depths and memory shapes. The cycle model must equal the functional
// reference bit for bit and never beat the work lower bound; run with and
// without an event observer (the reference datapath and the fast engine,
// docs/cmodel.md) it must give the same cycles and statistics, and the fast
// engine's events must be the reference's.
#include <gtest/gtest.h>

#include <algorithm>

#include "eie_test_util.h"

namespace {

const uint32_t kPes[] = {1, 2, 3, 4, 8, 16, 64};

struct Case {
  eie_config_t cfg;
  std::vector<eie_random_spec_t> layers;
};

Case make_case(uint64_t seed, unsigned max_layers) {
  eie_rng_t r = {seed * 7919 + 17};
  Case c;
  c.cfg = eie_test::config(kPes[seed % 7], 1 + eie_rng_below(&r, 16));
  const uint32_t rf_choices[] = {64, 16, 5};
  c.cfg.rf_depth = rf_choices[eie_rng_below(&r, 3)];
  // Largest memories, so every random shape fits (16-bit pointers still limit
  // a layer to 65535 entries per PE: a single PE gets smaller layers).
  c.cfg.spmat_lines = EIE_SPMAT_LINES_MAX;
  c.cfg.ptr_depth = EIE_PTR_DEPTH_MAX;
  c.cfg.act_sram_depth = EIE_ACT_SRAM_DEPTH_MAX;
  const uint32_t max_dim = c.cfg.num_pe == 1 ? 200 : 300;
  unsigned n = 1 + eie_rng_below(&r, max_layers);
  uint32_t in = 1 + eie_rng_below(&r, max_dim);
  for (unsigned l = 0; l < n; l++) {
    eie_random_spec_t s{};
    s.in_len = in;
    s.out_len = 1 + eie_rng_below(&r, max_dim);
    // Densities over the whole range, the ends included.
    uint32_t pick = eie_rng_below(&r, 10);
    s.density = pick == 0 ? 0.0 : pick == 1 ? 1.0 : eie_rng_uniform(&r);
    s.act_density = pick == 2 ? 1.0 : eie_rng_uniform(&r);
    s.bias = eie_rng_below(&r, 2);
    s.relu = eie_rng_below(&r, 2);
    s.seed = seed * 131 + l;
    c.layers.push_back(s);
    in = s.out_len;
  }
  return c;
}

void check(const Case &c, uint64_t seed) {
  std::vector<eie_layer_t> layers(c.layers.size());
  int16_t *x0 = nullptr;
  for (size_t l = 0; l < layers.size(); l++) {
    int16_t *x;
    eie_err_t e;
    ASSERT_EQ(eie_random_layer(&c.layers[l], &layers[l], &x, &e), EIE_OK) << e.msg;
    if (l == 0)
      x0 = x;
    else
      free(x);
  }
  std::string what = "seed " + std::to_string(seed) + ": " + std::to_string(c.cfg.num_pe) +
                     " PEs, FIFO " + std::to_string(c.cfg.fifo_depth) + ", RF " +
                     std::to_string(c.cfg.rf_depth) + ", " + std::to_string(layers.size()) +
                     " layers";
  auto r = eie_test::run_layers(c.cfg, layers.data(), unsigned(layers.size()), x0, false);
  ASSERT_EQ(r.status, EIE_OK) << what << ": " << r.error;
  EXPECT_EQ(r.y, eie_test::reference(layers.data(), unsigned(layers.size()), x0)) << what;
  auto o = eie_test::run_layers(c.cfg, layers.data(), unsigned(layers.size()), x0, true);
  ASSERT_EQ(o.status, EIE_OK) << what << " (observed): " << o.error;
  EXPECT_EQ(o.y, r.y) << what << " (observed)";
  EXPECT_EQ(o.cycles, r.cycles) << what << " (observed)";
  eie_test::expect_same_stats(o, r, what + " (observed vs not)");
  // The fast engine's events: the reference's, event for event.
  auto f = eie_test::run_layers(c.cfg, layers.data(), unsigned(layers.size()), x0,
                                eie_test::kFastEvents);
  ASSERT_EQ(f.status, EIE_OK) << what << " (fast events): " << f.error;
  EXPECT_EQ(f.y, r.y) << what << " (fast events)";
  EXPECT_EQ(f.cycles, r.cycles) << what << " (fast events)";
  eie_test::expect_same_stats(f, r, what + " (fast events vs none)");
  eie_test::expect_same_events(f.events, o.events, what + " (fast engine's events vs reference's)");
  // Lower bound, layer by layer, on the reference's intermediate vectors.
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&c.cfg, layers.data(), unsigned(layers.size()), &p, &e), EIE_OK);
  std::vector<int16_t> x(x0, x0 + layers[0].in_len);
  uint64_t bound = 0;
  for (size_t l = 0; l < layers.size(); l++) {
    bound += eie_program_work_bound(&p, unsigned(l), x.data());
    std::vector<int16_t> y(layers[l].out_len);
    eie_ref_layer(&layers[l], x.data(), y.data());
    x = y;
  }
  EXPECT_GE(r.cycles, bound) << what;
  EXPECT_GE(r.stats.run_cycles, bound) << what;
  eie_program_free(&p);
  for (auto &l : layers) eie_layer_free(&l);
  free(x0);
}

class EieRandomLayer : public ::testing::TestWithParam<int> {};
class EieRandomNetwork : public ::testing::TestWithParam<int> {};

}  // namespace

TEST_P(EieRandomLayer, MatchesReferenceAndRespectsBound) {
  uint64_t seed = uint64_t(GetParam());
  check(make_case(seed, 1), seed);
}
INSTANTIATE_TEST_SUITE_P(Seeds, EieRandomLayer, ::testing::Range(0, 210));

TEST_P(EieRandomNetwork, MatchesReferenceAndRespectsBound) {
  uint64_t seed = 100000 + uint64_t(GetParam());
  check(make_case(seed, 4), seed);
}
INSTANTIATE_TEST_SUITE_P(Seeds, EieRandomNetwork, ::testing::Range(0, 40));

// The paper's layer shape (Alex-7: 4096x4096, 9 % weights, 35 % activations)
// on 64 PEs, FIFO 8: many batches of pushed entries, long stalls, both
// schedules equal and equal to the reference.
TEST(EieSchedules, PaperShapedLayerSameWithAndWithoutObserver) {
  eie_random_spec_t s{};
  s.in_len = 4096;
  s.out_len = 4096;
  s.density = 0.09;
  s.act_density = 0.35;
  s.seed = 7;
  eie_layer_t l;
  int16_t *x = nullptr;
  eie_err_t e;
  ASSERT_EQ(eie_random_layer(&s, &l, &x, &e), EIE_OK) << e.msg;
  const eie_config_t cfg = eie_test::config(64, 8);
  auto r = eie_test::run_layers(cfg, &l, 1, x, false);
  auto o = eie_test::run_layers(cfg, &l, 1, x, true);
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  ASSERT_EQ(o.status, EIE_OK) << o.error;
  EXPECT_EQ(r.y, eie_test::reference(&l, 1, x));
  EXPECT_EQ(o.y, r.y);
  EXPECT_EQ(o.cycles, r.cycles);
  EXPECT_GT(r.stats.stall_cycles, 0u);
  eie_test::expect_same_stats(o, r, "paper-shaped layer");
  auto f = eie_test::run_layers(cfg, &l, 1, x, eie_test::kFastEvents);
  ASSERT_EQ(f.status, EIE_OK) << f.error;
  eie_test::expect_same_events(f.events, o.events, "paper-shaped layer, fast engine's events");
  eie_layer_free(&l);
  free(x);
}
