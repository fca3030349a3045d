// Helpers shared by the GoogleTest suites: run a program on the C model
// through the host driver and collect its events.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "eie/eie_driver.h"
#include "eie/eie_layer.h"
#include "eie/eie_model.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"

namespace eie_test {

struct Run {
  eie_status_t status = EIE_OK;
  std::string error;
  uint64_t cycles = 0;
  std::vector<int16_t> y;
  std::vector<eie_event_t> events;
  eie_stats_t stats{};
  std::vector<eie_pe_stats_t> pe_stats;
};

inline void collect(void *user, const eie_event_t *ev) {
  static_cast<std::vector<eie_event_t> *>(user)->push_back(*ev);
}

// Which events a run keeps (a bool converts: false none, true the reference's).
enum { kNoEvents = 0, kReferenceEvents = 1, kFastEvents = 2 };

// Build, load through the bus, run to DONE, read outputs.
inline Run run_layers(const eie_config_t &cfg, const eie_layer_t *layers, unsigned n,
                      const int16_t *x, int keep_events = kReferenceEvents) {
  Run r;
  eie_err_t err{};
  eie_program_t prog;
  r.status = eie_program_build(&cfg, layers, n, &prog, &err);
  if (r.status) {
    r.error = err.msg;
    return r;
  }
  eie_program_set_input(&prog, x);
  eie_array_t *a = nullptr;
  r.status = eie_array_create(&cfg, &a, &err);
  if (!r.status) {
    if (keep_events == kReferenceEvents) eie_array_set_event_cb(a, collect, &r.events);
    if (keep_events == kFastEvents) eie_array_set_event_cb_fast(a, collect, &r.events);
    eie_bus_t bus = eie_model_bus(a);
    r.status = eie_driver_load(&bus, &prog, &err);
    if (!r.status) r.status = eie_driver_run(&bus, 50000000, &r.cycles, &err);
    if (!r.status) {
      r.y.resize(prog.desc[n - 1].out_len);
      r.status = eie_driver_read_output(&bus, &prog, r.y.data(), &err);
    }
    r.stats = *eie_array_stats(a);
    r.pe_stats.assign(r.stats.pe, r.stats.pe + cfg.num_pe);
    r.stats.pe = nullptr;
    eie_array_destroy(a);
  }
  if (r.status) r.error = err.msg;
  eie_program_free(&prog);
  return r;
}

inline std::vector<int16_t> reference(const eie_layer_t *layers, unsigned n, const int16_t *x) {
  std::vector<int16_t> y(layers[n - 1].out_len);
  eie_ref_network(layers, n, x, y.data());
  return y;
}

inline eie_config_t config(uint32_t pes, uint32_t fifo, uint32_t rf = 64) {
  eie_config_t c = eie_config_default();
  c.num_pe = pes;
  c.fifo_depth = fifo;
  c.rf_depth = rf;
  return c;
}

// Two runs of the same program: every statistic equal, per PE included.
inline void expect_same_stats(const Run &a, const Run &b, const std::string &what) {
#define EIE_SAME(f) EXPECT_EQ(a.stats.f, b.stats.f) << what << ": " #f
  EIE_SAME(cycles);
  EIE_SAME(run_cycles);
  EIE_SAME(stall_cycles);
  EIE_SAME(broadcasts);
  EIE_SAME(macs);
  EIE_SAME(padding);
  EIE_SAME(entries);
  EIE_SAME(spmat_reads);
  EIE_SAME(ptr_reads);
  EIE_SAME(act_reads);
  EIE_SAME(act_writes);
  EIE_SAME(bypasses);
  EIE_SAME(sat.acc_saturations);
  EIE_SAME(sat.out_saturations);
#undef EIE_SAME
  ASSERT_EQ(a.pe_stats.size(), b.pe_stats.size()) << what;
  for (size_t k = 0; k < a.pe_stats.size(); k++) {
    EXPECT_EQ(a.pe_stats[k].busy, b.pe_stats[k].busy) << what << ": PE " << k << " busy";
    EXPECT_EQ(a.pe_stats[k].idle, b.pe_stats[k].idle) << what << ": PE " << k << " idle";
    EXPECT_EQ(a.pe_stats[k].stalled, b.pe_stats[k].stalled) << what << ": PE " << k << " stalled";
  }
}

inline std::string event_string(const eie_event_t &e) {
  return std::string(eie_event_kind_name(e.kind)) + " cycle " + std::to_string(e.cycle) +
         " layer " + std::to_string(e.layer) + " pass " + std::to_string(e.pass) + " PE " +
         std::to_string(e.pe) + " index " + std::to_string(e.index) + " value " +
         std::to_string(e.value) + " bypass " + std::to_string(e.bypass);
}

// Two event streams: equal event for event, in the same order (the first
// difference reported).
inline bool same_event(const eie_event_t &x, const eie_event_t &y) {
  return x.kind == y.kind && x.cycle == y.cycle && x.layer == y.layer && x.pass == y.pass &&
         x.pe == y.pe && x.index == y.index && x.value == y.value && x.bypass == y.bypass;
}
inline void expect_same_events(const std::vector<eie_event_t> &a, const std::vector<eie_event_t> &b,
                               const std::string &what) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; i++) {
    const eie_event_t &x = a[i], &y = b[i];
    if (!same_event(x, y)) {
      ADD_FAILURE() << what << ": event " << i << ": " << event_string(x) << " vs "
                    << event_string(y);
      return;
    }
  }
  EXPECT_EQ(a.size(), b.size()) << what << ": number of events";
}

// A layer over caller-owned storage.
struct OwnedLayer {
  eie_layer_t l{};
  std::vector<uint8_t> idx;
  std::vector<int16_t> bias;
  OwnedLayer(uint32_t out_len, uint32_t in_len, unsigned shift = 0)
      : idx(size_t(out_len) * in_len) {
    l.in_len = in_len;
    l.out_len = out_len;
    for (int c = 1; c < 16; c++) l.codebook[c] = int16_t(c);
    l.shift = shift;
    l.idx = idx.data();
  }
  void set(uint32_t i, uint32_t j, uint8_t v) { idx[size_t(i) * l.in_len + j] = v; }
  void with_bias(std::vector<int16_t> b) {
    bias = std::move(b);
    l.bias = bias.data();
  }
};

// A random layer and its input, freed on scope exit.
struct RandomLayer {
  eie_layer_t l{};
  int16_t *x = nullptr;
  explicit RandomLayer(const eie_random_spec_t &spec) {
    eie_err_t e;
    EXPECT_EQ(eie_random_layer(&spec, &l, &x, &e), EIE_OK) << e.msg;
  }
  RandomLayer(const RandomLayer &) = delete;
  RandomLayer &operator=(const RandomLayer &) = delete;
  ~RandomLayer() {
    eie_layer_free(&l);
    free(x);
  }
};

}  // namespace eie_test
