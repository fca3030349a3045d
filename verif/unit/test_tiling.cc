// Row tiles (eie_tiling.h): the work total, memory fitting, tiles that keep
// every row on its PE, runs that match the reference and the plain driver run.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "eie/eie_tiling.h"
#include "eie_test_util.h"

using eie_test::OwnedLayer;
using eie_test::RandomLayer;

namespace {
struct Tiling {
  eie_tiling_t t{};
  eie_status_t st;
  eie_err_t e{};
  Tiling(const eie_config_t &cfg, const eie_layer_t &l, const int16_t *x) {
    st = eie_tiling_build(&cfg, &l, x, &t, &e);
  }
  ~Tiling() { eie_tiling_free(&t); }
};
}  // namespace

// 4x3 on 2 PEs: PE0 has rows 0, 2, PE1 rows 1, 3.
TEST(EieTiling, WorkTotalCountsEntriesAndEmptyColumns) {
  OwnedLayer L(4, 3);
  L.set(0, 0, 1);
  L.set(1, 0, 2);
  L.set(2, 0, 3);  // column 0: PE0 two entries, PE1 one
  L.set(3, 2, 4);  // column 2: PE0 none (one cycle), PE1 one; column 1 empty everywhere
  const eie_config_t cfg = eie_test::config(2, 8);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, &L.l, 1, &p, &e), EIE_OK) << e.msg;
  const int16_t x_all[3] = {1, 1, 1}, x_two[3] = {1, 1, 0}, x_none[3] = {0, 0, 0};
  EXPECT_EQ(eie_program_work_total(&p, 0, x_all), 7u);  // PE0 2+1+1, PE1 1+1+1
  EXPECT_EQ(eie_program_work_bound(&p, 0, x_all), 4u);
  EXPECT_EQ(eie_program_work_total(&p, 0, x_two), 5u);  // PE0 2+1, PE1 1+1
  EXPECT_EQ(eie_program_work_total(&p, 0, x_none), 0u);
  eie_program_free(&p);
}

TEST(EieTiling, FitMemoriesRaisesOnlyWhatTheLayerNeeds) {
  OwnedLayer L(4096, 4096);
  eie_config_t c = eie_test::config(1, 8);
  eie_config_fit_memories(&c, &L.l);
  EXPECT_EQ(c.act_sram_depth, 8192u);  // input and output vectors of 4096 words each
  EXPECT_EQ(c.ptr_depth, 65536u);      // 64 passes x 4097 pointers, capped at the maximum
  EXPECT_EQ(c.spmat_lines, eie_config_default().spmat_lines);
  eie_config_t d = eie_test::config(64, 8);
  eie_config_fit_memories(&d, &L.l);  // the paper's PE holds this layer's vectors and pointers
  EXPECT_EQ(d.act_sram_depth, eie_config_default().act_sram_depth);
  EXPECT_EQ(d.ptr_depth, eie_config_default().ptr_depth);
  OwnedLayer S(10, 2001);
  eie_config_t f = eie_test::config(4, 8);
  eie_config_fit_memories(&f, &S.l);
  EXPECT_EQ(f.ptr_depth, eie_config_default().ptr_depth);  // never lowered
  f.ptr_depth = 1024;
  eie_config_fit_memories(&f, &S.l);
  EXPECT_EQ(f.ptr_depth, 2002u);  // one pass of 2001 pointers, made even
  eie_err_t e;
  EXPECT_EQ(eie_config_validate(&f, &e), EIE_OK) << e.msg;
}

TEST(EieTiling, OneTileRunsLikeThePlainDriver) {
  eie_random_spec_t spec = {300, 200, 0.2, 0.5, 1, 1, 3};
  RandomLayer R(spec);
  const eie_config_t cfg = eie_test::config(8, 4);
  Tiling T(cfg, R.l, R.x);
  ASSERT_EQ(T.st, EIE_OK) << T.e.msg;
  EXPECT_EQ(T.t.tiles, 1u);
  EXPECT_EQ(T.t.tile_rows, 300u);
  std::vector<int16_t> y(300);
  eie_tiling_stats_t s;
  ASSERT_EQ(eie_tiling_run(&T.t, 4, 10000000, y.data(), &s, &T.e), EIE_OK) << T.e.msg;
  auto plain = eie_test::run_layers(cfg, &R.l, 1, R.x);
  ASSERT_EQ(plain.status, EIE_OK) << plain.error;
  EXPECT_EQ(s.cycles, plain.cycles);
  EXPECT_EQ(y, plain.y);
  EXPECT_EQ(y, eie_test::reference(&R.l, 1, R.x));
  EXPECT_EQ(s.work_bound, T.t.work_bound);
  EXPECT_GE(s.cycles, s.work_bound);
  EXPECT_GE(s.work_bound * 8, s.work_total);
  EXPECT_GE(s.work_bound, (s.work_total + 7) / 8);
  double eff = eie_tiling_load_efficiency(&s);
  EXPECT_GT(eff, 0.0);
  EXPECT_LE(eff, 1.0);
}

// 300 rows x 500 inputs at 50 % on each of 2 PEs: about 75,000 entries, more
// than 16-bit pointers address, so the layer needs row tiles.
TEST(EieTiling, SplitsRowsWhenPointersCannotAddressAPEsShare) {
  eie_random_spec_t spec = {600, 500, 0.5, 0.3, 1, 1, 5};
  RandomLayer R(spec);
  eie_config_t cfg = eie_test::config(2, 8);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, &R.l, 1, &p, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("65535 entries"), std::string::npos) << e.msg;
  Tiling T(cfg, R.l, R.x);
  ASSERT_EQ(T.st, EIE_OK) << T.e.msg;
  EXPECT_EQ(T.t.tiles, 2u);
  EXPECT_EQ(T.t.tile_rows % 128, 0u);  // whole passes of 2 PEs x 64 rows: rows keep their PE
  uint64_t entries = 0;
  for (uint32_t i = 0; i < T.t.tiles; i++) entries += T.t.prog[i].entries;
  EXPECT_EQ(entries, T.t.entries);
  std::vector<int16_t> y(600);
  eie_tiling_stats_t s1, s8;
  ASSERT_EQ(eie_tiling_run(&T.t, 1, 10000000, y.data(), &s1, &T.e), EIE_OK) << T.e.msg;
  EXPECT_EQ(y, eie_test::reference(&R.l, 1, R.x));
  std::fill(y.begin(), y.end(), 0);
  ASSERT_EQ(eie_tiling_run(&T.t, 8, 10000000, y.data(), &s8, &T.e), EIE_OK) << T.e.msg;
  EXPECT_EQ(y, eie_test::reference(&R.l, 1, R.x));
  EXPECT_EQ(s8.fifo_depth, 8u);
  EXPECT_EQ(s8.macs, s1.macs);      // the same work, whatever the queue depth
  EXPECT_LE(s8.cycles, s1.cycles);  // a deeper queue stalls the broadcast less
  EXPECT_GE(s8.cycles, s8.work_bound);
  EXPECT_GT(s8.energy_pj, 0.0);
}

TEST(EieTiling, RefusesWhatEvenTheSmallestTileCannotHold) {
  OwnedLayer L(8, 200);
  L.set(0, 0, 1);
  const std::vector<int16_t> x(200, 1);
  eie_config_t cfg = eie_test::config(1, 8);
  cfg.act_sram_depth = 0;  // 200 inputs on one PE do not fit 2 x 64 register-file words
  Tiling T(cfg, L.l, x.data());
  EXPECT_EQ(T.st, EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(T.e.msg).find("activation words"), std::string::npos) << T.e.msg;
  EXPECT_EQ(T.t.prog, nullptr);
}
