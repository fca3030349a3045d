// eie_driver_load_array: the bulk load of a model array is the bus load of
// eie_driver_load, word for word: every register and memory word reads back
// the same, the access count is the bus load's, and the refusals are the same.
#include <gtest/gtest.h>

#include <string>

#include "eie_test_util.h"

namespace {

struct Counter {
  eie_bus_t inner;
  uint64_t n = 0;
};
eie_bus_status_t count_write(void *ctx, uint32_t addr, uint32_t data) {
  Counter *c = static_cast<Counter *>(ctx);
  c->n++;
  return c->inner.write(c->inner.ctx, addr, data);
}
eie_bus_status_t count_read(void *ctx, uint32_t addr, uint32_t *data) {
  Counter *c = static_cast<Counter *>(ctx);
  c->n++;
  return c->inner.read(c->inner.ctx, addr, data);
}

// Every register and every word of every PE memory window, as the bus reads it.
std::vector<uint32_t> dump(eie_array_t *a, const eie_config_t &c) {
  std::vector<uint32_t> w;
  uint32_t v;
  for (uint32_t r = 0; r < EIE_REG_DESC + EIE_MAX_LAYERS * EIE_DESC_STRIDE; r += 4)
    if (eie_array_bus_read(a, r, &v) == EIE_BUS_OK) w.push_back(v);
  for (uint32_t k = 0; k < c.num_pe; k++) {
    for (uint32_t n = 0; n < 2 * c.spmat_lines; n++) {
      EXPECT_EQ(eie_array_bus_read(a, eie_pe_addr(k, EIE_PE_SPMAT_OFF + 4 * n), &v), EIE_BUS_OK);
      w.push_back(v);
    }
    for (uint32_t q = 0; q < c.ptr_depth; q++) {
      EXPECT_EQ(eie_array_bus_read(a, eie_pe_addr(k, EIE_PE_PTR_OFF + 4 * q), &v), EIE_BUS_OK);
      w.push_back(v);
    }
    for (uint32_t x = 0; x < eie_act_words(&c); x++) {
      EXPECT_EQ(eie_array_bus_read(a, eie_pe_addr(k, EIE_PE_ACT_OFF + 4 * x), &v), EIE_BUS_OK);
      w.push_back(v);
    }
  }
  return w;
}

struct Program {
  eie_config_t c;
  eie_layer_t l{};
  int16_t *x = nullptr;
  eie_program_t p{};
  Program(uint32_t pes, uint32_t fifo, uint32_t rows, uint32_t cols, uint64_t seed)
      : c(eie_test::config(pes, fifo)) {
    c.spmat_lines = 256;
    c.ptr_depth = 1024;
    c.act_sram_depth = 64;
    eie_random_spec_t s{rows, cols, 0.3, 0.5, 1, 1, seed};
    eie_err_t e;
    EXPECT_EQ(eie_random_layer(&s, &l, &x, &e), EIE_OK) << e.msg;
    EXPECT_EQ(eie_program_build(&c, &l, 1, &p, &e), EIE_OK) << e.msg;
    eie_program_set_input(&p, x);
  }
  ~Program() {
    eie_program_free(&p);
    eie_layer_free(&l);
    free(x);
  }
};

}  // namespace

TEST(EieDriverBulk, SameMemoriesRegistersAndAccessesAsTheBusLoad) {
  for (uint64_t seed = 1; seed <= 3; seed++) {
    Program P(seed == 3 ? 3 : 4, 2, 40 + 13 * (uint32_t)seed, 30, seed);
    eie_array_t *bus_a, *bulk_a;
    eie_err_t e;
    ASSERT_EQ(eie_array_create(&P.c, &bus_a, &e), EIE_OK);
    ASSERT_EQ(eie_array_create(&P.c, &bulk_a, &e), EIE_OK);
    Counter cnt{eie_model_bus(bus_a)};
    eie_bus_t cbus = {&cnt, count_write, count_read, cnt.inner.wait_done};
    ASSERT_EQ(eie_driver_load(&cbus, &P.p, &e), EIE_OK) << e.msg;
    uint64_t n = 0;
    ASSERT_EQ(eie_driver_load_array(bulk_a, &P.p, &n, &e), EIE_OK) << e.msg;
    EXPECT_EQ(n, cnt.n);
    EXPECT_EQ(dump(bus_a, P.c), dump(bulk_a, P.c));
    // And the same run.
    eie_bus_t b1 = eie_model_bus(bus_a), b2 = eie_model_bus(bulk_a);
    uint64_t c1 = 0, c2 = 0;
    ASSERT_EQ(eie_driver_run(&b1, 1000000, &c1, &e), EIE_OK) << e.msg;
    ASSERT_EQ(eie_driver_run(&b2, 1000000, &c2, &e), EIE_OK) << e.msg;
    EXPECT_EQ(c1, c2);
    EXPECT_EQ(dump(bus_a, P.c), dump(bulk_a, P.c));
    eie_array_destroy(bus_a);
    eie_array_destroy(bulk_a);
  }
}

// Every activation word is written, not only those a layer uses: images
// filled with a pattern load the same through both paths.
TEST(EieDriverBulk, EveryWordOfTheImagesIsLoaded) {
  Program P(3, 2, 40, 30, 11);
  for (uint32_t k = 0; k < P.c.num_pe; k++) {
    for (uint32_t x = 0; x < eie_act_words(&P.c); x++)
      P.p.pe[k].act[x] = (int16_t)(x * 37 + k * 1009 + 1);
    // The bytes after the last entry of the last line go too.
    const uint32_t used = P.p.pe[k].spmat_used;
    for (uint32_t b = used; b % EIE_ENTRIES_PER_LINE; b++) P.p.pe[k].spmat[b] = (uint8_t)(b | 1);
  }
  eie_array_t *bus_a, *bulk_a;
  eie_err_t e;
  ASSERT_EQ(eie_array_create(&P.c, &bus_a, &e), EIE_OK);
  ASSERT_EQ(eie_array_create(&P.c, &bulk_a, &e), EIE_OK);
  eie_bus_t b = eie_model_bus(bus_a);
  ASSERT_EQ(eie_driver_load(&b, &P.p, &e), EIE_OK) << e.msg;
  ASSERT_EQ(eie_driver_load_array(bulk_a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  EXPECT_EQ(dump(bus_a, P.c), dump(bulk_a, P.c));
  eie_array_destroy(bus_a);
  eie_array_destroy(bulk_a);
}

// A program whose pointers go backwards: both refuse it with the same message.
TEST(EieDriverBulk, RefusesABadProgramAsTheBusLoadDoes) {
  Program P(4, 2, 50, 30, 7);
  const uint32_t base = P.p.desc[0].ptr_base;
  P.p.pe[0].ptr[base + 1] = (uint16_t)(P.p.pe[0].ptr[base] + 1);
  P.p.pe[0].ptr[base + 2] = P.p.pe[0].ptr[base];
  P.p.pe[0].ptr[base] = (uint16_t)(P.p.pe[0].ptr[base] + 1);
  eie_array_t *a;
  eie_err_t e1, e2;
  ASSERT_EQ(eie_array_create(&P.c, &a, &e1), EIE_OK);
  eie_bus_t b = eie_model_bus(a);
  EXPECT_EQ(eie_driver_load(&b, &P.p, &e1), EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e2), EIE_STATUS_BAD_INPUT);
  EXPECT_STREQ(e1.msg, e2.msg);
  EXPECT_NE(std::string(e2.msg).find("is below"), std::string::npos) << e2.msg;
  eie_array_destroy(a);
}

TEST(EieDriverBulk, RefusesWhatTheBusRefuses) {
  Program P(4, 2, 50, 30, 9);
  eie_array_t *a;
  eie_err_t e1, e2;
  ASSERT_EQ(eie_array_create(&P.c, &a, &e1), EIE_OK);
  // Busy: started with a program loaded.
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e1), EIE_OK) << e1.msg;
  ASSERT_EQ(eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
  ASSERT_TRUE(eie_array_busy(a));
  eie_bus_t b = eie_model_bus(a);
  EXPECT_EQ(eie_driver_load(&b, &P.p, &e1), EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e2), EIE_STATUS_BAD_INPUT);
  EXPECT_STREQ(e1.msg, e2.msg);
  EXPECT_NE(std::string(e2.msg).find("busy"), std::string::npos) << e2.msg;
  eie_array_destroy(a);
  // Another parameter set: refused before anything is written.
  eie_config_t other = P.c;
  other.act_sram_depth = 128;
  ASSERT_EQ(eie_array_create(&other, &a, &e1), EIE_OK);
  EXPECT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e2), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e2.msg).find("parameter hash"), std::string::npos) << e2.msg;
  eie_array_destroy(a);
}

// START's check of the descriptors is the one the bulk load made (the load
// validated exactly what it copied); a write after the load to what the
// check reads makes START check again and refuse what became invalid.
namespace {

// CLEAR, START: accepted (busy) or refused (ERROR, and why).
std::string start(eie_array_t *a) {
  EXPECT_EQ(eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_CLEAR), EIE_BUS_OK);
  EXPECT_EQ(eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START), EIE_BUS_OK);
  if (eie_array_busy(a)) return "";
  uint32_t status = 0;
  EXPECT_EQ(eie_array_bus_read(a, EIE_REG_STATUS, &status), EIE_BUS_OK);
  EXPECT_TRUE(status & EIE_STATUS_ERROR);
  return eie_array_error(a);
}

std::vector<int16_t> finish(eie_array_t *a, const eie_program_t &p) {
  eie_bus_t b = eie_model_bus(a);
  eie_err_t e;
  EXPECT_EQ(b.wait_done(a, 1000000), EIE_OK);
  std::vector<int16_t> y(p.desc[p.num_layers - 1].out_len);
  EXPECT_EQ(eie_driver_read_output(&b, &p, y.data(), &e), EIE_OK) << e.msg;
  return y;
}

}  // namespace

TEST(EieDriverBulk, StartRefusesWhatAWriteAfterTheLoadMadeInvalid) {
  Program P(4, 2, 50, 30, 13);
  const uint32_t base = P.p.desc[0].ptr_base;
  eie_array_t *a;
  eie_err_t e;
  ASSERT_EQ(eie_array_create(&P.c, &a, &e), EIE_OK);
  // Loaded and run as it is.
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  ASSERT_EQ(start(a), "");
  EXPECT_EQ(finish(a, P.p), eie_test::reference(&P.l, 1, P.x));
  // A pointer written after the load: below the one before it.
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  const uint16_t p1 = P.p.pe[2].ptr[base + 1];
  ASSERT_GT(p1, 0);
  ASSERT_EQ(eie_array_bus_write(a, eie_pe_addr(2, EIE_PE_PTR_OFF + 4 * (base + 2)), p1 - 1u),
            EIE_BUS_OK);
  EXPECT_NE(start(a).find("PE 2 pass 0: pointer p[2] = " + std::to_string(p1 - 1) + " is below"),
            std::string::npos)
      << eie_array_error(a);
  // An entry written after the load: a row beyond the PE's rows.
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  ASSERT_EQ(eie_array_bus_write(a, eie_pe_addr(1, EIE_PE_SPMAT_OFF), 0xffffffffu), EIE_BUS_OK);
  EXPECT_NE(start(a).find("writes local row"), std::string::npos) << eie_array_error(a);
  // A descriptor written after the load: the output region over the input's.
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  ASSERT_EQ(eie_array_bus_write(a, EIE_REG_DESC + 4 * EIE_DESC_OUT_BASE_WORD, P.p.desc[0].in_base),
            EIE_BUS_OK);
  EXPECT_NE(start(a).find("overlaps input region"), std::string::npos) << eie_array_error(a);
  // NUM_LAYERS written after the load: a second layer of zeros.
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  ASSERT_EQ(eie_array_bus_write(a, EIE_REG_NUM_LAYERS, 2), EIE_BUS_OK);
  EXPECT_NE(start(a).find("layer 1 descriptor: IN_LEN 0 is outside"), std::string::npos)
      << eie_array_error(a);
  // An activation written after the load changes nothing START checks.
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  ASSERT_EQ(eie_array_bus_write(a, eie_pe_addr(0, EIE_PE_ACT_OFF), 0), EIE_BUS_OK);
  EXPECT_EQ(start(a), "");
  finish(a, P.p);
  eie_array_destroy(a);
}

// A program whose pointers reach past the lines the load copies (its
// spmat_used says fewer): START reads those lines as the memories hold them,
// so it checks them itself. Here they hold what was written before the load.
TEST(EieDriverBulk, StartChecksWhatTheLoadDidNotCopy) {
  Program P(4, 2, 50, 30, 17);
  eie_array_t *a;
  eie_err_t e;
  ASSERT_EQ(eie_array_create(&P.c, &a, &e), EIE_OK);
  const uint32_t lines = (P.p.pe[3].spmat_used + 7) / 8;
  ASSERT_GT(lines, 1u);
  for (uint32_t n = 0; n < 2 * lines; n++)  // every entry: v 15, z 15
    ASSERT_EQ(eie_array_bus_write(a, eie_pe_addr(3, EIE_PE_SPMAT_OFF + 4 * n), 0xffffffffu),
              EIE_BUS_OK);
  const uint32_t used = P.p.pe[3].spmat_used;
  P.p.pe[3].spmat_used = 8 * (lines - 1);  // the last line is not copied
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  EXPECT_NE(start(a).find("PE 3 pass 0: column"), std::string::npos) << eie_array_error(a);
  EXPECT_NE(std::string(eie_array_error(a)).find("writes local row"), std::string::npos)
      << eie_array_error(a);
  // The same with the pointers: the last one not copied, 0 in the memory.
  P.p.pe[3].spmat_used = used;
  const uint32_t ptr_used = P.p.pe[3].ptr_used, last = ptr_used - 1;
  ASSERT_GT(P.p.pe[3].ptr[last], 0);
  ASSERT_EQ(eie_array_bus_write(a, eie_pe_addr(3, EIE_PE_PTR_OFF + 4 * last), 0), EIE_BUS_OK);
  P.p.pe[3].ptr_used = last;
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  EXPECT_NE(start(a).find("PE 3 pass 0: pointer p[30] = 0 is below"), std::string::npos)
      << eie_array_error(a);
  // Copied whole, the same program runs.
  P.p.pe[3].ptr_used = ptr_used;
  ASSERT_EQ(eie_driver_load_array(a, &P.p, nullptr, &e), EIE_OK) << e.msg;
  ASSERT_EQ(start(a), "");
  EXPECT_EQ(finish(a, P.p), eie_test::reference(&P.l, 1, P.x));
  eie_array_destroy(a);
}

// The load of another program into an array that ran one: the fast engine
// keeps what it gathered of a program's columns from its second run on, and
// must not use it for the next program (the load counts a new program, as
// START's own check does).
TEST(EieDriverBulk, TheNextProgramRunsAfterAProgramRunTwice) {
  Program A(4, 2, 50, 30, 21), B(4, 2, 50, 30, 22);
  eie_array_t *a;
  eie_err_t e;
  ASSERT_EQ(eie_array_create(&A.c, &a, &e), EIE_OK);
  ASSERT_EQ(eie_driver_load_array(a, &A.p, nullptr, &e), EIE_OK) << e.msg;
  for (int run = 0; run < 3; run++) {
    ASSERT_EQ(start(a), "");
    EXPECT_EQ(finish(a, A.p), eie_test::reference(&A.l, 1, A.x)) << run;
  }
  ASSERT_EQ(eie_driver_load_array(a, &B.p, nullptr, &e), EIE_OK) << e.msg;
  for (int run = 0; run < 2; run++) {
    ASSERT_EQ(start(a), "");
    EXPECT_EQ(finish(a, B.p), eie_test::reference(&B.l, 1, B.x)) << run;
  }
  eie_array_destroy(a);
}
