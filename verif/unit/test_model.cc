// Cycle model behaviour: LNZD order, queues and stall, bypass, passes, long
// vectors, ping-pong multi-layer runs, layer-done, against the reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "eie/eie_example.h"
#include "eie_test_util.h"

using eie_test::OwnedLayer;
using eie_test::run_layers;

static std::vector<eie_event_t> of_kind(const std::vector<eie_event_t> &ev, eie_event_kind_t k) {
  std::vector<eie_event_t> out;
  for (const auto &e : ev)
    if (e.kind == k) out.push_back(e);
  return out;
}

TEST(EieModel, RunsThePapersWorkedExample) {
  eie_layer_t l;
  int16_t x[8];
  eie_example_paper(&l, x);
  auto r = run_layers(eie_test::config(4, 8), &l, 1, x);
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  EXPECT_EQ(r.y, eie_test::reference(&l, 1, x));
  auto bc = of_kind(r.events, EIE_EV_BCAST);
  ASSERT_EQ(bc.size(), 4u);  // columns 2, 4, 5, 7 only
  const uint32_t cols[] = {2, 4, 5, 7};
  for (int n = 0; n < 4; n++) {
    EXPECT_EQ(bc[n].index, cols[n]);
    EXPECT_EQ(bc[n].value, x[cols[n]]);
    EXPECT_EQ(bc[n].cycle, 3u + n);  // SETUP, read slot 0, select, broadcast
  }
  // Column 2: PE0 and PE2 do two MACs each, PE1 none.
  std::map<uint32_t, int> col2;
  for (const auto &e : of_kind(r.events, EIE_EV_ACC))
    if (e.cycle <= 10) col2[e.pe]++;  // column 2's accumulates land in cycles 9..10
  EXPECT_EQ(col2[0], 2);
  EXPECT_EQ(col2[2], 2);
  EXPECT_EQ(col2.count(1), 0u);
  EXPECT_EQ(r.cycles, 23u);
}

TEST(EieModel, LnzdBroadcastsNonZerosInAscendingOrder) {
  eie_test::RandomLayer R({40, 123, 0.2, 0.4, 0, 0, 11});
  eie_layer_t &l = R.l;
  int16_t *x = R.x;
  auto r = run_layers(eie_test::config(8, 2), &l, 1, x);
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  std::vector<uint32_t> want, got;
  for (uint32_t j = 0; j < 123; j++)
    if (x[j]) want.push_back(j);
  uint64_t prev = 0;
  for (const auto &ev : of_kind(r.events, EIE_EV_BCAST)) {
    got.push_back(ev.index);
    EXPECT_EQ(ev.value, x[ev.index]);
    EXPECT_GT(ev.cycle, prev);  // at most one broadcast per cycle
    prev = ev.cycle;
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(r.y, eie_test::reference(&l, 1, x));
}

TEST(EieModel, AllZeroInputCostsOneCyclePerSlot) {
  OwnedLayer L(8, 16);
  L.set(0, 0, 1);
  L.with_bias({1, -2, 3, -4, 5, -6, 7, -8});
  std::vector<int16_t> x(16, 0);
  auto r = run_layers(eie_test::config(4, 8), &L.l, 1, x.data());
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  // SETUP + (read + 4 empty slots) + drain detect + (2 rows + 1) write-back.
  EXPECT_EQ(r.cycles, 1u + 5u + 1u + 3u);
  EXPECT_EQ(r.y, (std::vector<int16_t>{1, -2, 3, -4, 5, -6, 7, -8}));
  EXPECT_TRUE(of_kind(r.events, EIE_EV_BCAST).empty());
  EXPECT_EQ(r.stats.macs, 0u);
}

// Load that moves between PEs: PE0 does all the work of columns 0..3, PE1 of
// columns 4..7, and so on; PEs 2 and 3 idle. Queues full up and stall the
// broadcast; deeper queues let PE0 and PE1 overlap.
static OwnedLayer imbalanced() {
  OwnedLayer L(16, 32);
  for (uint32_t j = 0; j < 32; j++)
    for (uint32_t r = 0; r < 4; r++) L.set(r * 4 + (j / 4) % 2, j, uint8_t(1 + (j + r) % 15));
  return L;
}

TEST(EieModel, FullQueueStallsTheBroadcast) {
  OwnedLayer L = imbalanced();
  std::vector<int16_t> x(32, 3);
  auto deep = run_layers(eie_test::config(4, 8), &L.l, 1, x.data());
  auto shallow = run_layers(eie_test::config(4, 2), &L.l, 1, x.data());
  ASSERT_EQ(deep.status, EIE_OK);
  ASSERT_EQ(shallow.status, EIE_OK);
  EXPECT_EQ(deep.y, eie_test::reference(&L.l, 1, x.data()));
  EXPECT_EQ(shallow.y, deep.y);
  EXPECT_GT(shallow.stats.stall_cycles, 0u);
  EXPECT_GT(shallow.pe_stats[0].stalled, 0u);
  EXPECT_GT(shallow.pe_stats[1].stalled, 0u);
  EXPECT_EQ(shallow.pe_stats[2].stalled, 0u);  // PE2 drains each broadcast at once
  EXPECT_GT(shallow.cycles, deep.cycles);
  EXPECT_GT(deep.stats.stall_cycles, 0u);  // 4 entries a column vs 1 broadcast a cycle
}

TEST(EieModel, QueueNeverHoldsMoreThanItsDepth) {
  OwnedLayer L = imbalanced();
  std::vector<int16_t> x(32, 3);
  for (uint32_t depth : {1u, 2u, 3u}) {
    eie_config_t cfg = eie_test::config(4, depth);
    eie_program_t p;
    eie_err_t e;
    ASSERT_EQ(eie_program_build(&cfg, &L.l, 1, &p, &e), EIE_OK);
    eie_program_set_input(&p, x.data());
    eie_array_t *a;
    ASSERT_EQ(eie_array_create(&cfg, &a, &e), EIE_OK);
    eie_bus_t bus = eie_model_bus(a);
    ASSERT_EQ(eie_driver_load(&bus, &p, &e), EIE_OK);
    std::vector<eie_event_t> events;  // an observer keeps the views current
    eie_array_set_event_cb(a, eie_test::collect, &events);
    ASSERT_EQ(eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
    std::vector<eie_pe_view_t> pv(4);
    uint32_t peak = 0;
    while (eie_array_busy(a)) {
      eie_array_view(a, nullptr, pv.data());
      for (auto &v : pv) peak = std::max(peak, v.queue_count);
      eie_array_tick(a);
    }
    EXPECT_EQ(peak, depth);
    eie_array_destroy(a);
    eie_program_free(&p);
  }
}

TEST(EieModel, BypassForwardsTheSumAcrossAColumnBoundary) {
  // One PE; column 0 ends at row 3 and column 1 starts at row 3: back-to-back
  // writes of accumulator 3.
  OwnedLayer L(4, 2);
  L.set(3, 0, 2);
  L.set(3, 1, 5);
  std::vector<int16_t> x = {7, 11};
  auto r = run_layers(eie_test::config(1, 4), &L.l, 1, x.data());
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  auto acc = of_kind(r.events, EIE_EV_ACC);
  ASSERT_EQ(acc.size(), 2u);
  EXPECT_EQ(acc[0].bypass, 0);
  EXPECT_EQ(acc[1].bypass, 1);
  EXPECT_EQ(acc[1].cycle, acc[0].cycle + 1);
  EXPECT_EQ(acc[1].value, 2 * 7 + 5 * 11);
  EXPECT_EQ(r.y[3], 2 * 7 + 5 * 11);
  EXPECT_EQ(r.stats.bypasses, 1u);
}

TEST(EieModel, EmptyColumnCostsOneCycle) {
  OwnedLayer L(8, 6);
  L.set(0, 0, 1);
  L.set(5, 0, 1);
  L.set(2, 3, 1);  // columns 1, 2, 4, 5 empty
  std::vector<int16_t> x(6, 1);
  auto r = run_layers(eie_test::config(1, 8), &L.l, 1, x.data());
  ASSERT_EQ(r.status, EIE_OK);
  EXPECT_EQ(r.pe_stats[0].busy, 2u + 1 + 1 + 1 + 1 + 1);  // max(1, entries) per column
}

TEST(EieModel, SaturationAndRoundingMatchTheReference) {
  OwnedLayer L(4, 64, 7);
  L.l.codebook[1] = 32767;
  L.l.codebook[2] = -32768;
  L.l.codebook[3] = 3;
  for (uint32_t j = 0; j < 64; j++) {
    L.set(0, j, 1);              // saturates positive
    L.set(1, j, 2);              // saturates negative
    L.set(2, j, j % 2 ? 1 : 2);  // in and out of saturation
    L.set(3, j, 3);
  }
  std::vector<int16_t> x(64, 32767);
  x[5] = -32768;
  auto r = run_layers(eie_test::config(2, 4), &L.l, 1, x.data());
  ASSERT_EQ(r.status, EIE_OK);
  EXPECT_EQ(r.y, eie_test::reference(&L.l, 1, x.data()));
  EXPECT_EQ(r.y[0], 32767);
  EXPECT_EQ(r.y[1], -32768);
}

TEST(EieModel, ReluAndBiasAtWriteBack) {
  eie_test::RandomLayer R({50, 40, 0.5, 0.6, 1, 1, 5});
  eie_layer_t &l = R.l;
  int16_t *x = R.x;
  auto r = run_layers(eie_test::config(3, 4), &l, 1, x);
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  EXPECT_EQ(r.y, eie_test::reference(&l, 1, x));
  EXPECT_TRUE(std::all_of(r.y.begin(), r.y.end(), [](int16_t v) { return v >= 0; }));
  l.relu = 0;
  auto r2 = run_layers(eie_test::config(3, 4), &l, 1, x);
  EXPECT_EQ(r2.y, eie_test::reference(&l, 1, x));
  EXPECT_TRUE(std::any_of(r2.y.begin(), r2.y.end(), [](int16_t v) { return v < 0; }));
}

TEST(EieModel, PingPongsRegisterFilesAcrossLayers) {
  const uint32_t sizes[] = {24, 20, 16, 12};
  eie_layer_t layers[3];
  int16_t *x0 = nullptr;
  for (int n = 0; n < 3; n++) {
    eie_random_spec_t s = {sizes[n + 1], sizes[n], 0.5, 0.7, n == 1, 1, uint64_t(20 + n)};
    int16_t *x;
    eie_err_t e;
    ASSERT_EQ(eie_random_layer(&s, &layers[n], &x, &e), EIE_OK);
    if (n == 0)
      x0 = x;
    else
      free(x);
  }
  eie_config_t cfg = eie_test::config(4, 4, 8);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, layers, 3, &p, &e), EIE_OK) << e.msg;
  EXPECT_EQ(p.desc[0].in_base, 0u);   // RF0
  EXPECT_EQ(p.desc[0].out_base, 8u);  // RF1
  EXPECT_EQ(p.desc[1].in_base, 8u);
  EXPECT_EQ(p.desc[1].out_base, 0u);
  EXPECT_EQ(p.desc[2].in_base, 0u);
  EXPECT_EQ(p.desc[2].out_base, 8u);
  eie_program_free(&p);
  auto r = run_layers(cfg, layers, 3, x0);
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  EXPECT_EQ(r.y, eie_test::reference(layers, 3, x0));
  // Layer 1 starts only after every write-back of layer 0.
  uint64_t last_wb0 = 0, first_bc1 = UINT64_MAX;
  for (const auto &ev : r.events) {
    if (ev.kind == EIE_EV_WB && ev.layer == 0) last_wb0 = std::max(last_wb0, ev.cycle);
    if (ev.kind == EIE_EV_BCAST && ev.layer == 1) first_bc1 = std::min(first_bc1, ev.cycle);
  }
  EXPECT_LT(last_wb0, first_bc1);
  for (auto &l : layers) eie_layer_free(&l);
  free(x0);
}

TEST(EieModel, LongInputVectorsLiveInTheActivationSram) {
  eie_test::RandomLayer R({6, 50, 0.4, 0.5, 0, 0, 9});
  eie_layer_t &l = R.l;
  int16_t *x = R.x;
  eie_config_t cfg = eie_test::config(2, 3, 4);  // 25 inputs per PE, 4-entry register files
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, &l, 1, &p, &e), EIE_OK) << e.msg;
  EXPECT_GE(p.desc[0].in_base, 8u);  // in the SRAM
  eie_program_free(&p);
  auto r = run_layers(cfg, &l, 1, x);
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  EXPECT_EQ(r.y, eie_test::reference(&l, 1, x));
}

TEST(EieModel, OutputsBeyondTheAccumulatorsRunInPasses) {
  eie_test::RandomLayer R({50, 20, 0.4, 0.6, 1, 0, 13});
  eie_layer_t &l = R.l;
  int16_t *x = R.x;
  eie_config_t cfg = eie_test::config(2, 4, 4);  // 25 rows per PE, 4 accumulators: 7 passes
  auto r = run_layers(cfg, &l, 1, x);
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  EXPECT_EQ(r.y, eie_test::reference(&l, 1, x));
  uint32_t max_pass = 0;
  std::map<uint32_t, uint64_t> first_wb, last_acc;
  for (const auto &ev : r.events) {
    max_pass = std::max(max_pass, ev.pass);
    if (ev.kind == EIE_EV_WB && !first_wb.count(ev.pass)) first_wb[ev.pass] = ev.cycle;
    if (ev.kind == EIE_EV_ACC) last_acc[ev.pass] = ev.cycle;
  }
  EXPECT_EQ(max_pass, 6u);
  // Layer done: every accumulate of a pass retires before its write-back.
  for (auto &kv : last_acc) EXPECT_LT(kv.second, first_wb[kv.first]) << "pass " << kv.first;
}

TEST(EieModel, StatisticsAddUp) {
  eie_test::RandomLayer R({64, 64, 0.2, 0.5, 0, 0, 3});
  eie_layer_t &l = R.l;
  int16_t *x = R.x;
  auto r = run_layers(eie_test::config(8, 4), &l, 1, x);
  ASSERT_EQ(r.status, EIE_OK);
  EXPECT_EQ(r.stats.cycles, r.cycles);
  uint64_t nnz_work = 0;
  for (uint32_t i = 0; i < 64; i++)
    for (uint32_t j = 0; j < 64; j++) nnz_work += (x[j] && l.idx[i * 64 + j]);
  EXPECT_EQ(r.stats.macs, nnz_work);
  EXPECT_EQ(of_kind(r.events, EIE_EV_ACC).size(), nnz_work);
  EXPECT_EQ(r.stats.entries, r.stats.macs + r.stats.padding);
  for (uint32_t k = 0; k < 8; k++)
    EXPECT_EQ(r.pe_stats[k].busy + r.pe_stats[k].idle, r.stats.run_cycles);
  EXPECT_LE(r.stats.spmat_reads, r.stats.entries);
}

TEST(EieModel, LineBufferRereadsOnlyWhenTheLineChanges) {
  // One PE; column 0 has 10 entries (lines 0 and 1), column 1 has 3 entries
  // (entries 10..12, still line 1), column 2 has 5 (13..17: lines 1 and 2).
  OwnedLayer L(32, 3);
  for (uint32_t r = 0; r < 10; r++) L.set(r, 0, 1);
  for (uint32_t r = 0; r < 3; r++) L.set(r, 1, 2);
  for (uint32_t r = 0; r < 5; r++) L.set(r, 2, 3);
  std::vector<int16_t> x = {1, 1, 1};
  auto r = run_layers(eie_test::config(1, 4), &L.l, 1, x.data());
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  EXPECT_EQ(r.stats.entries, 18u);
  EXPECT_EQ(r.stats.spmat_reads, 3u);  // lines 0, 1, 2: each read once
  EXPECT_EQ(r.stats.ptr_reads, 3u);    // one even/odd pair per broadcast column
  // Only column 1 is broadcast: its entries share line 1 with column 0's tail,
  // but the buffer starts each pass empty, so the line is read once.
  std::vector<int16_t> x1 = {0, 1, 0};
  auto r1 = run_layers(eie_test::config(1, 4), &L.l, 1, x1.data());
  EXPECT_EQ(r1.stats.spmat_reads, 1u);
}
