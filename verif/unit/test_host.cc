// Host interface: registers, memory windows, I/O vs compute mode, START errors.
#include <gtest/gtest.h>

#include "eie/eie_example.h"
#include "eie_test_util.h"

struct Array {
  eie_array_t *a = nullptr;
  explicit Array(const eie_config_t &c) {
    eie_err_t e;
    EXPECT_EQ(eie_array_create(&c, &a, &e), EIE_OK);
  }
  ~Array() { eie_array_destroy(a); }
  uint32_t rd(uint32_t addr) {
    uint32_t v = 0;
    EXPECT_EQ(eie_array_bus_read(a, addr, &v), EIE_BUS_OK) << std::hex << addr;
    return v;
  }
};

// The paper's worked example built for 4 PEs, FIFO 8, and loaded through the
// bus into a fresh array.
struct PaperLoaded {
  eie_config_t c = eie_test::config(4, 8);
  eie_program_t p{};
  Array A{c};
  eie_bus_t bus = eie_model_bus(A.a);
  PaperLoaded() {
    eie_layer_t l;
    int16_t x[8];
    eie_example_paper(&l, x);
    eie_err_t e;
    EXPECT_EQ(eie_program_build(&c, &l, 1, &p, &e), EIE_OK) << e.msg;
    eie_program_set_input(&p, x);
    EXPECT_EQ(eie_driver_load(&bus, &p, &e), EIE_OK) << e.msg;
  }
  ~PaperLoaded() { eie_program_free(&p); }
};

TEST(EieHost, IdentificationAndConfigurationRegisters) {
  eie_config_t c = eie_test::config(5, 3, 16);
  Array A(c);
  EXPECT_EQ(A.rd(EIE_REG_ID), EIE_ID_VALUE);
  EXPECT_EQ(A.rd(EIE_REG_PARAM_HASH), eie_param_hash(&c));
  EXPECT_EQ(A.rd(EIE_REG_NUM_PE), 5u);
  EXPECT_EQ(A.rd(EIE_REG_FIFO_DEPTH), 3u);
  EXPECT_EQ(A.rd(EIE_REG_RF_DEPTH), 16u);
  EXPECT_EQ(A.rd(EIE_REG_STATUS), 0u);
  EXPECT_EQ(eie_array_bus_write(A.a, EIE_REG_ID, 1), EIE_BUS_RO);
  EXPECT_EQ(eie_array_bus_write(A.a, EIE_REG_STATUS, 1), EIE_BUS_RO);
  uint32_t v;
  EXPECT_EQ(eie_array_bus_read(A.a, 0x0ffc, &v), EIE_BUS_ADDR);
  EXPECT_EQ(eie_array_bus_read(A.a, EIE_REG_ID + 1, &v), EIE_BUS_ADDR);
}

// Every register of eie_regs.def answers as its access says: reads succeed (a
// write-only one reads 0), writes to a read-only one answer RO, the others OK.
TEST(EieHost, EveryRegisterAnswersAsItsAccessSays) {
  eie_config_t c = eie_test::config(3, 2);
  Array A(c);
  struct reg {
    const char *name;
    uint32_t offset;
    int access;
  };
  const reg regs[] = {
#define EIE_REG(name, offset, access, width, desc) {#name, offset, EIE_ACCESS_##access},
#include "eie/eie_regs.def"
  };
  for (const reg &r : regs) {
    uint32_t v = 1;
    EXPECT_EQ(eie_array_bus_read(A.a, r.offset, &v), EIE_BUS_OK) << r.name;
    if (r.access == EIE_ACCESS_WO) {
      EXPECT_EQ(v, 0u) << r.name;
    }
    const uint32_t w = r.offset == EIE_REG_CTRL ? 0u : v;  // no START, no CLEAR
    EXPECT_EQ(eie_array_bus_write(A.a, r.offset, w),
              r.access == EIE_ACCESS_RO ? EIE_BUS_RO : EIE_BUS_OK)
        << r.name;
  }
}

// NUM_LAYERS holds the whole word: 33 reads back 33 and START refuses it.
TEST(EieHost, NumLayersHoldsTheWordAndStartRefusesThirtyThree) {
  eie_config_t c = eie_test::config(2, 2);
  Array A(c);
  const uint32_t n = 2u * EIE_MAX_LAYERS + 1;
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_NUM_LAYERS, n), EIE_BUS_OK);
  EXPECT_EQ(A.rd(EIE_REG_NUM_LAYERS), n);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
  EXPECT_EQ(A.rd(EIE_REG_STATUS), EIE_STATUS_ERROR);
  EXPECT_FALSE(eie_array_busy(A.a));
}

TEST(EieHost, MemoryWindowsRoundTrip) {
  eie_config_t c = eie_test::config(3, 2);
  Array A(c);
  uint32_t base = eie_pe_addr(2, 0);
  ASSERT_EQ(eie_array_bus_write(A.a, base + EIE_PE_SPMAT_OFF + 8 * 5, 0x44332211u), EIE_BUS_OK);
  ASSERT_EQ(eie_array_bus_write(A.a, base + EIE_PE_SPMAT_OFF + 8 * 5 + 4, 0x88776655u), EIE_BUS_OK);
  ASSERT_EQ(eie_array_bus_write(A.a, base + EIE_PE_PTR_OFF + 4 * 7, 0x1234), EIE_BUS_OK);
  ASSERT_EQ(eie_array_bus_write(A.a, base + EIE_PE_ACT_OFF + 4 * 9, 0xfffe), EIE_BUS_OK);
  EXPECT_EQ(A.rd(base + EIE_PE_SPMAT_OFF + 8 * 5), 0x44332211u);
  EXPECT_EQ(A.rd(base + EIE_PE_SPMAT_OFF + 8 * 5 + 4), 0x88776655u);
  EXPECT_EQ(A.rd(base + EIE_PE_PTR_OFF + 4 * 7), 0x1234u);
  EXPECT_EQ(A.rd(base + EIE_PE_ACT_OFF + 4 * 9), 0xfffffffeu);  // sign-extended
  uint32_t v;
  EXPECT_EQ(eie_array_bus_read(A.a, eie_pe_addr(3, 0), &v), EIE_BUS_ADDR);  // no PE 3
  EXPECT_EQ(eie_array_bus_read(A.a, base + EIE_PE_PTR_OFF + 4 * c.ptr_depth, &v), EIE_BUS_ADDR);
  EXPECT_EQ(eie_array_bus_read(A.a, base + EIE_PE_ACT_OFF + 4 * eie_act_words(&c), &v),
            EIE_BUS_ADDR);
}

TEST(EieHost, ComputeModeLocksMemoriesUntilDone) {
  PaperLoaded L;
  Array &A = L.A;
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
  EXPECT_EQ(A.rd(EIE_REG_STATUS), EIE_STATUS_BUSY);
  uint32_t v;
  EXPECT_EQ(eie_array_bus_read(A.a, eie_pe_addr(0, EIE_PE_ACT_OFF), &v), EIE_BUS_BUSY);
  EXPECT_EQ(eie_array_bus_write(A.a, EIE_REG_DESC, 1), EIE_BUS_BUSY);
  EXPECT_EQ(eie_array_bus_write(A.a, EIE_REG_NUM_LAYERS, 2), EIE_BUS_BUSY);
  uint64_t n = 0;
  while (eie_array_busy(A.a)) eie_array_tick(A.a), n++;
  EXPECT_EQ(A.rd(EIE_REG_STATUS), EIE_STATUS_DONE);
  EXPECT_EQ(A.rd(EIE_REG_CYCLES_LO), n);
  EXPECT_EQ(A.rd(EIE_REG_CYCLES_HI), 0u);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_CTRL, EIE_CTRL_CLEAR), EIE_BUS_OK);
  EXPECT_EQ(A.rd(EIE_REG_STATUS), 0u);
  eie_array_tick(A.a);  // I/O mode: no clock activity
  EXPECT_EQ(A.rd(EIE_REG_CYCLES_LO), n);
}

TEST(EieHost, StartRefusesBadLayerCountsAndDescriptors) {
  eie_config_t c = eie_test::config(2, 2);
  Array A(c);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_NUM_LAYERS, 0), EIE_BUS_OK);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
  EXPECT_EQ(A.rd(EIE_REG_STATUS), EIE_STATUS_ERROR);
  EXPECT_NE(std::string(eie_array_error(A.a)).find("NUM_LAYERS"), std::string::npos);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_NUM_LAYERS, 1), EIE_BUS_OK);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_DESC + 0, 0), EIE_BUS_OK);  // IN_LEN 0
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_CTRL, EIE_CTRL_CLEAR | EIE_CTRL_START), EIE_BUS_OK);
  EXPECT_EQ(A.rd(EIE_REG_STATUS), EIE_STATUS_ERROR);
  EXPECT_NE(std::string(eie_array_error(A.a)).find("IN_LEN"), std::string::npos);
  EXPECT_FALSE(eie_array_busy(A.a));
}

// START checks the descriptors against the memories once; a second START on
// the same memories and descriptors skips the check, but any write to the
// sparse matrix, the pointers, a descriptor or NUM_LAYERS makes it check again
// (activation writes do not: the check does not read them).
TEST(EieHost, StartChecksAgainAfterAWriteItReads) {
  PaperLoaded L;
  Array &A = L.A;
  const eie_program_t &p = L.p;
  eie_err_t e;
  auto run = [&]() {
    uint64_t cycles = 0;
    return eie_driver_run(&L.bus, 100000, &cycles, &e);
  };
  ASSERT_EQ(run(), EIE_OK) << e.msg;
  ASSERT_EQ(run(), EIE_OK) << e.msg;  // unchanged: no check needed
  const uint32_t ptr0 = eie_pe_addr(0, EIE_PE_PTR_OFF + 4 * p.desc[0].ptr_base);
  const uint32_t p0 = A.rd(ptr0), p1 = A.rd(ptr0 + 4);
  // An activation write keeps the answer; p[1] below p[0] is refused.
  ASSERT_EQ(eie_array_bus_write(A.a, eie_pe_addr(1, EIE_PE_ACT_OFF), 5), EIE_BUS_OK);
  ASSERT_EQ(run(), EIE_OK) << e.msg;
  ASSERT_EQ(eie_array_bus_write(A.a, ptr0, p1 + 1), EIE_BUS_OK);
  EXPECT_EQ(run(), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(eie_array_error(A.a)).find("is below"), std::string::npos)
      << eie_array_error(A.a);
  ASSERT_EQ(eie_array_bus_write(A.a, ptr0, p0), EIE_BUS_OK);
  ASSERT_EQ(run(), EIE_OK) << e.msg;  // restored
  // A descriptor write: IN_LEN 0 is refused, even right after a good START.
  const uint32_t in_len = A.rd(EIE_REG_DESC);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_DESC, 0), EIE_BUS_OK);
  EXPECT_EQ(run(), EIE_STATUS_BAD_INPUT);
  ASSERT_EQ(eie_array_bus_write(A.a, EIE_REG_DESC, in_len), EIE_BUS_OK);
  ASSERT_EQ(run(), EIE_OK) << e.msg;
  // A sparse-matrix write: an entry beyond the PE's rows is refused.
  const uint32_t line0 = eie_pe_addr(0, 8 * p.desc[0].spmat_base);
  const uint32_t word = A.rd(line0);
  ASSERT_EQ(eie_array_bus_write(A.a, line0, word | 0xffu), EIE_BUS_OK);
  EXPECT_EQ(run(), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(eie_array_error(A.a)).find("local row"), std::string::npos)
      << eie_array_error(A.a);
}

TEST(EieHost, DriverRefusesAProgramForOtherParameters) {
  eie_layer_t l;
  int16_t x[8];
  eie_example_paper(&l, x);
  eie_config_t c4 = eie_test::config(4, 8), c4b = eie_test::config(4, 4);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&c4, &l, 1, &p, &e), EIE_OK);
  Array A(c4b);
  eie_bus_t bus = eie_model_bus(A.a);
  EXPECT_EQ(eie_driver_load(&bus, &p, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("parameter hash"), std::string::npos) << e.msg;
  eie_program_free(&p);
}

TEST(EieHost, DescriptorWordsRoundTrip) {
  eie_desc_t d{};
  d.in_len = 7;
  d.out_len = 9;
  d.ptr_base = 100;
  d.spmat_base = 12;
  d.in_base = 1;
  d.out_base = 2;
  d.bias_base = 3;
  d.flags = EIE_FLAG_RELU | (17u << EIE_FLAG_SHIFT_LSB);
  for (int i = 0; i < 16; i++) d.codebook[i] = int16_t(-1000 * i);
  uint32_t w[EIE_DESC_WORDS];
  eie_desc_to_words(&d, w);
  EXPECT_EQ(w[8], uint32_t(uint16_t(-1000)) << 16);
  eie_desc_t back;
  eie_desc_from_words(w, &back);
  EXPECT_EQ(0, memcmp(&d, &back, sizeof d));
  EXPECT_EQ(eie_desc_shift(&back), 17u);
}

// A loaded program runs input after input: only the input vector is rewritten
// (eie_driver_write_input), though the layer chain's ping-pong overwrites it.
TEST(EieHost, DriverWriteInputReusesALoadedProgram) {
  eie_config_t c = eie_test::config(4, 2, 8);
  const uint32_t w[4] = {37, 21, 13, 6};
  eie_layer_t layers[3];
  int16_t *xs[3];
  eie_err_t e;
  for (unsigned l = 0; l < 3; l++) {
    eie_random_spec_t s = {w[l + 1], w[l], 0.3, 0.6, (int)(l != 1), (int)(l < 2), 40u + l};
    ASSERT_EQ(eie_random_layer(&s, &layers[l], &xs[l], &e), EIE_OK) << e.msg;
  }
  eie_program_t p;
  ASSERT_EQ(eie_program_build(&c, layers, 3, &p, &e), EIE_OK) << e.msg;
  eie_program_set_input(&p, xs[0]);
  Array A(c);
  eie_bus_t bus = eie_model_bus(A.a);
  ASSERT_EQ(eie_driver_load(&bus, &p, &e), EIE_OK) << e.msg;
  eie_rng_t r = {7};
  for (int run = 0; run < 4; run++) {
    std::vector<int16_t> x(w[0]);
    for (auto &v : x) v = eie_rng_uniform(&r) < 0.5 ? 0 : int16_t(eie_rng_below(&r, 4000));
    if (run)
      ASSERT_EQ(eie_driver_write_input(&bus, &p, x.data(), &e), EIE_OK) << e.msg;
    else
      x.assign(xs[0], xs[0] + w[0]);
    uint64_t cycles = 0;
    ASSERT_EQ(eie_driver_run(&bus, 1000000, &cycles, &e), EIE_OK) << e.msg;
    std::vector<int16_t> y(w[3]);
    ASSERT_EQ(eie_driver_read_output(&bus, &p, y.data(), &e), EIE_OK) << e.msg;
    EXPECT_EQ(y, eie_test::reference(layers, 3, x.data())) << "run " << run;
    eie_test::Run fresh = eie_test::run_layers(c, layers, 3, x.data(), false);
    ASSERT_EQ(fresh.status, EIE_OK) << fresh.error;
    EXPECT_EQ(cycles, fresh.cycles) << "run " << run;
  }
  eie_program_free(&p);
  for (unsigned l = 0; l < 3; l++) {
    eie_layer_free(&layers[l]);
    free(xs[l]);
  }
}
