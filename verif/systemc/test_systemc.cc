// The SystemC targets (tb/systemc): TLM checks, responses, timing and runs,
// on the C model's target and the Verilated RTL's. SystemC elaborates once per
// process, so sc_main builds one platform and GoogleTest runs in its thread.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "eie/eie_example.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"
#include "eie_sc.h"

using namespace sc_core;

namespace {

struct platform {
  const sc_time clock{1.25, SC_NS};
  const eie_config_t cfg = eie_sc::rtl::config();
  sc_signal<bool> irq_m{"irq_model"}, irq_r{"irq_rtl"};
  eie_sc::host hm{"host_model", clock}, hr{"host_rtl", clock};
  eie_sc::model m{"model", cfg, clock, 7};  // a small quantum: runs span many chunks
  eie_sc::rtl r{"rtl", clock};
  platform() {
    hm.socket.bind(m.socket);
    hr.socket.bind(r.socket);
    m.irq(irq_m);
    hm.irq(irq_m);
    r.irq(irq_r);
    hr.irq(irq_r);
  }
};
platform *g_platform;

// A transaction with its own data and byte-enable buffers.
struct txn {
  tlm::tlm_generic_payload p;
  std::vector<uint32_t> words;
  std::vector<unsigned char> be;
  txn(tlm::tlm_command cmd, uint64_t addr, std::vector<uint32_t> w) : words(std::move(w)) {
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(reinterpret_cast<unsigned char *>(words.data()));
    p.set_data_length(unsigned(4 * words.size()));
    p.set_streaming_width(unsigned(4 * words.size()));
    p.set_byte_enable_ptr(nullptr);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  }
  void length(unsigned len, unsigned width) {
    p.set_data_length(len);
    p.set_streaming_width(width);
  }
  void byte_enables(std::vector<unsigned char> b) {
    be = std::move(b);
    p.set_byte_enable_ptr(be.data());
    p.set_byte_enable_length(unsigned(be.size()));
  }
};

txn rd(uint64_t addr, unsigned words = 1) {
  return txn(tlm::TLM_READ_COMMAND, addr, std::vector<uint32_t>(words, 0xdeadbeefu));
}
txn wr(uint64_t addr, std::vector<uint32_t> w) {
  return txn(tlm::TLM_WRITE_COMMAND, addr, std::move(w));
}

uint32_t act_addr(uint32_t pe, uint32_t x) {
  return eie_pe_addr(pe, EIE_PE_ACT_OFF + 4 * x);
}

// The paper's worked example (4 PEs) as a loaded program plus its reference output.
struct paper_program {
  eie_program_t prog{};
  std::vector<int16_t> ref;
  paper_program() {
    eie_layer_t layer;
    int16_t x[8];
    eie_example_paper(&layer, x);
    eie_err_t err;
    EXPECT_EQ(eie_program_build(&g_platform->cfg, &layer, 1, &prog, &err), EIE_OK) << err.msg;
    eie_program_set_input(&prog, x);
    ref.resize(layer.out_len);
    eie_ref_layer(&layer, x, ref.data());
  }
  ~paper_program() { eie_program_free(&prog); }
};

class Target : public ::testing::TestWithParam<std::string> {
 protected:
  eie_sc::host &host() { return GetParam() == "model" ? g_platform->hm : g_platform->hr; }
  const sc_signal<bool> &irq() {
    return GetParam() == "model" ? g_platform->irq_m : g_platform->irq_r;
  }
  tlm::tlm_response_status go(txn &t) { return host().transport(t.p); }
  const sc_time &clock() { return g_platform->clock; }
};

TEST_P(Target, ReadsIdentityAndParameterHash) {
  txn id = rd(EIE_REG_ID), hash = rd(EIE_REG_PARAM_HASH), pes = rd(EIE_REG_NUM_PE);
  ASSERT_EQ(go(id), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(go(hash), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(go(pes), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(id.words[0], EIE_ID_VALUE);
  EXPECT_EQ(hash.words[0], eie_param_hash(&g_platform->cfg));
  EXPECT_EQ(pes.words[0], g_platform->cfg.num_pe);
}

TEST_P(Target, UnknownUnalignedAndOutOfArrayAddressesAreAddressErrors) {
  txn hole = rd(0x02C), unaligned = rd(EIE_REG_STATUS + 2);
  txn beyond = rd(act_addr(g_platform->cfg.num_pe, 0));
  txn deep = rd(act_addr(0, eie_act_words(&g_platform->cfg)));
  EXPECT_EQ(go(hole), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(go(unaligned), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(go(beyond), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(go(deep), tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST_P(Target, LengthsThatAreNotWholeWordsAreBurstErrors) {
  txn half = rd(EIE_REG_ID), streaming = rd(act_addr(0, 0), 2), empty = rd(EIE_REG_ID);
  half.length(2, 2);
  streaming.length(8, 4);
  empty.length(0, 0);
  EXPECT_EQ(go(half), tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(go(streaming), tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(go(empty), tlm::TLM_BURST_ERROR_RESPONSE);
}

TEST_P(Target, PartialByteEnablesAreRefusedFullOnesAccepted) {
  txn partial = wr(act_addr(1, 3), {0x1234}), full = wr(act_addr(1, 3), {0x0042}),
      back = rd(act_addr(1, 3));
  partial.byte_enables({0xff, 0x00, 0xff, 0xff});
  full.byte_enables({0xff, 0xff, 0xff, 0xff});
  EXPECT_EQ(go(partial), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  EXPECT_EQ(go(full), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(go(back), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(back.words[0], 0x42u);
}

TEST_P(Target, WritesToReadOnlyRegistersAreCommandErrors) {
  txn id = wr(EIE_REG_ID, {1}), status = wr(EIE_REG_STATUS, {0});
  EXPECT_EQ(go(id), tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(go(status), tlm::TLM_COMMAND_ERROR_RESPONSE);
}

TEST_P(Target, IgnoreCommandTouchesNothing) {
  txn set = wr(act_addr(2, 5), {7}), ign = wr(act_addr(2, 5), {9}), back = rd(act_addr(2, 5));
  ign.p.set_command(tlm::TLM_IGNORE_COMMAND);
  ASSERT_EQ(go(set), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(go(ign), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(go(back), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(back.words[0], 7u);
}

TEST_P(Target, BurstsWriteAndReadConsecutiveWordsAndSignExtendActivations) {
  txn w = wr(act_addr(3, 8), {1, 0xffff, 0x7fff, 0x8000}), r = rd(act_addr(3, 8), 4);
  ASSERT_EQ(go(w), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(go(r), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(r.words, (std::vector<uint32_t>{1, 0xffffffffu, 0x7fff, 0xffff8000u}));
  // A burst running off the end of the window fails at the first bad word.
  const uint32_t last = eie_act_words(&g_platform->cfg) - 1;
  txn off = rd(act_addr(0, last), 2);
  EXPECT_EQ(go(off), tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST_P(Target, RunsTheWorkedExampleAnswersBusyMeanwhileAndRaisesIrq) {
  paper_program pp;
  eie_sc::host &h = host();
  const eie_bus_t bus = h.bus();
  eie_err_t err;
  ASSERT_EQ(eie_driver_load(&bus, &pp.prog, &err), EIE_OK) << err.msg;
  ASSERT_EQ(h.write(EIE_REG_CTRL, EIE_CTRL_CLEAR), EIE_BUS_OK);
  h.sync();
  EXPECT_FALSE(irq().read());
  const sc_time t0 = sc_time_stamp();
  ASSERT_EQ(h.write(EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
  // Compute mode: registers readable, memories and writable registers busy.
  txn status = rd(EIE_REG_STATUS), mem = rd(act_addr(0, 0)), layers = wr(EIE_REG_NUM_LAYERS, {1});
  txn ro = wr(EIE_REG_ID, {0});
  ASSERT_EQ(go(status), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(status.words[0] & (EIE_STATUS_BUSY | EIE_STATUS_DONE), EIE_STATUS_BUSY);
  EXPECT_EQ(go(mem), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(go(layers), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(go(ro), tlm::TLM_COMMAND_ERROR_RESPONSE);
  // CTRL writes are taken: START is ignored and CLEAR has nothing to clear while busy.
  txn ctrl = wr(EIE_REG_CTRL, {EIE_CTRL_START | EIE_CTRL_CLEAR}), still = rd(EIE_REG_STATUS);
  EXPECT_EQ(go(ctrl), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(go(still), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(still.words[0], uint32_t(EIE_STATUS_BUSY));
  ASSERT_EQ(h.wait_done(1000), EIE_OK);
  const sc_time t_irq = sc_time_stamp();
  uint32_t lo = 0, hi = 1, st = 0;
  ASSERT_EQ(h.read(EIE_REG_CYCLES_LO, &lo), EIE_BUS_OK);
  ASSERT_EQ(h.read(EIE_REG_CYCLES_HI, &hi), EIE_BUS_OK);
  ASSERT_EQ(h.read(EIE_REG_STATUS, &st), EIE_BUS_OK);
  EXPECT_EQ(st, EIE_STATUS_DONE);
  EXPECT_EQ(hi, 0u);
  EXPECT_GT(lo, 0u);
  // DONE rises the run's cycles after the edge that took START: the end of the
  // write's clock on the model; on the RTL the rising edge half a clock after
  // the falling edge where the transactor drove the request.
  const sc_time taken = GetParam() == "model" ? clock() : clock() / 2.0;
  EXPECT_EQ(t_irq - t0 - taken, clock() * double(lo)) << "START at " << t0 << ", irq at " << t_irq;
  std::vector<int16_t> y(pp.ref.size());
  ASSERT_EQ(eie_driver_read_output(&bus, &pp.prog, y.data(), &err), EIE_OK) << err.msg;
  EXPECT_EQ(y, pp.ref);
  ASSERT_EQ(h.write(EIE_REG_CTRL, EIE_CTRL_CLEAR), EIE_BUS_OK);
  h.sync();
  wait(clock());
  EXPECT_FALSE(irq().read());
}

// NUM_LAYERS holds the whole word on both targets, and START refuses every value
// outside 1..MAX_LAYERS with ERROR (a register cut to its low bits would run 33 as 1).
TEST_P(Target, NumLayersHoldsTheWordAndStartRefusesValuesOutsideTheRange) {
  eie_sc::host &h = host();
  for (uint32_t n : {0u, uint32_t(EIE_MAX_LAYERS) + 1, 2u * EIE_MAX_LAYERS + 1, 0x80000001u}) {
    uint32_t back = 0, st = 0;
    ASSERT_EQ(h.write(EIE_REG_NUM_LAYERS, n), EIE_BUS_OK);
    ASSERT_EQ(h.read(EIE_REG_NUM_LAYERS, &back), EIE_BUS_OK);
    EXPECT_EQ(back, n);
    ASSERT_EQ(h.write(EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
    ASSERT_EQ(h.read(EIE_REG_STATUS, &st), EIE_BUS_OK);
    EXPECT_EQ(st, uint32_t(EIE_STATUS_ERROR)) << "NUM_LAYERS " << n;
    ASSERT_EQ(h.write(EIE_REG_CTRL, EIE_CTRL_CLEAR), EIE_BUS_OK);
    ASSERT_EQ(h.read(EIE_REG_STATUS, &st), EIE_BUS_OK);
    ASSERT_EQ(st, 0u) << "NUM_LAYERS " << n;  // not running: the next value starts clean
  }
}

TEST_P(Target, WaitDoneTimesOutWithoutARun) {
  EXPECT_EQ(host().wait_done(50), EIE_STATUS_TIMEOUT);
}

INSTANTIATE_TEST_SUITE_P(SystemC, Target, ::testing::Values("model", "rtl"),
                         [](const ::testing::TestParamInfo<std::string> &i) { return i.param; });

TEST(SystemCModel, AnnotatesOneClockAWord) {
  txn one = rd(EIE_REG_ID), four = rd(act_addr(0, 0), 4);
  sc_time d = SC_ZERO_TIME;
  g_platform->hm.socket->b_transport(one.p, d);
  EXPECT_EQ(d, g_platform->clock);
  d = SC_ZERO_TIME;
  g_platform->hm.socket->b_transport(four.p, d);
  EXPECT_EQ(d, g_platform->clock * 4.0);
}

TEST(SystemCModel, DebugTransportIsUntimedAndCannotStartARun) {
  const sc_time t0 = sc_time_stamp();
  txn w = wr(act_addr(1, 9), {0x55}), r = rd(act_addr(1, 8), 2),
      start = wr(EIE_REG_CTRL, {EIE_CTRL_START});
  txn bad = rd(EIE_REG_ID);
  bad.length(3, 3);
  EXPECT_EQ(g_platform->hm.socket->transport_dbg(w.p), 4u);
  EXPECT_EQ(g_platform->hm.socket->transport_dbg(r.p), 8u);
  EXPECT_EQ(r.words[1], 0x55u);
  EXPECT_EQ(g_platform->hm.socket->transport_dbg(start.p), 0u);
  EXPECT_EQ(g_platform->hm.socket->transport_dbg(bad.p), 0u);
  EXPECT_EQ(sc_time_stamp(), t0);
  EXPECT_FALSE(eie_array_busy(g_platform->m.array()));
}

TEST(SystemCRtl, DebugTransportIsNotSupported) {
  txn r = rd(EIE_REG_ID);
  EXPECT_EQ(g_platform->hr.socket->transport_dbg(r.p), 0u);
}

// The same random two-layer network through both targets with the C driver:
// same outputs, cycles and simulated run time; outputs equal the reference.
TEST(SystemCBoth, SameNetworkSameOutputsCyclesAndRunTime) {
  eie_layer_t layers[2];
  int16_t *x0 = nullptr, *x1 = nullptr;
  eie_err_t err;
  eie_random_spec_t s0 = {40, 90, 0.3, 0.5, 1, 1, 11}, s1 = {12, 40, 0.4, 0.5, 0, 0, 12};
  ASSERT_EQ(eie_random_layer(&s0, &layers[0], &x0, &err), EIE_OK) << err.msg;
  ASSERT_EQ(eie_random_layer(&s1, &layers[1], &x1, &err), EIE_OK) << err.msg;
  eie_program_t prog;
  ASSERT_EQ(eie_program_build(&g_platform->cfg, layers, 2, &prog, &err), EIE_OK) << err.msg;
  eie_program_set_input(&prog, x0);
  std::vector<int16_t> ref(12);
  eie_ref_network(layers, 2, x0, ref.data());
  const eie_sc::run_result m = eie_sc::run_program(g_platform->hm, prog, 100000);
  const eie_sc::run_result r = eie_sc::run_program(g_platform->hr, prog, 100000);
  ASSERT_EQ(m.status, EIE_OK) << m.error;
  ASSERT_EQ(r.status, EIE_OK) << r.error;
  EXPECT_EQ(m.y, ref);
  EXPECT_EQ(r.y, ref);
  EXPECT_EQ(m.cycles, r.cycles);
  EXPECT_EQ(m.run_time, r.run_time);
  eie_program_free(&prog);
  eie_layer_free(&layers[0]);
  eie_layer_free(&layers[1]);
  free(x0);
  free(x1);
}

}  // namespace

int sc_main(int argc, char **argv) {
  eie_sc::quiet_reports();
  ::testing::InitGoogleTest(&argc, argv);
  platform p;
  g_platform = &p;
  int rc = 1;
  sc_spawn_options opts;
  opts.set_stack_size(16 << 20);  // GoogleTest runs on this thread's stack
  sc_spawn(
      [&] {
        rc = RUN_ALL_TESTS();
        sc_stop();
      },
      "gtest", &opts);
  sc_start();
  return rc;
}
