// Interleaved CSC: the paper's PE0 arrays, padding, empty columns and rows,
// pointer layout over passes, decoding and validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "eie/eie_example.h"
#include "eie/eie_layer.h"
#include "eie_test_util.h"

using eie_test::OwnedLayer;

static std::vector<unsigned> field(const eie_pe_image_t &im, bool v) {
  std::vector<unsigned> out;
  for (uint32_t e = 0; e < im.spmat_used; e++)
    out.push_back(v ? im.spmat[e] >> 4 : im.spmat[e] & 15u);
  return out;
}

TEST(EieCsc, EncodesThePapersWorkedExampleForPe0) {
  eie_layer_t l;
  int16_t x[8];
  eie_example_paper(&l, x);
  eie_config_t cfg = eie_test::config(4, 8);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, &l, 1, &p, &e), EIE_OK) << e.msg;
  EXPECT_EQ(field(p.pe[0], false), (std::vector<unsigned>{0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 0, 2, 0}));
  std::vector<unsigned> ptr(p.pe[0].ptr, p.pe[0].ptr + p.pe[0].ptr_used);
  EXPECT_EQ(ptr, (std::vector<unsigned>{0, 3, 4, 6, 6, 8, 10, 11, 13}));
  // PE1 has nothing in column 2; PE0 and PE2 have two entries each.
  EXPECT_EQ(p.pe[1].ptr[3] - p.pe[1].ptr[2], 0);
  EXPECT_EQ(p.pe[0].ptr[3] - p.pe[0].ptr[2], 2);
  EXPECT_EQ(p.pe[2].ptr[3] - p.pe[2].ptr[2], 2);
  eie_program_free(&p);
}

TEST(EieCsc, EncodesThePapersPaddingExample) {
  // rows [0,0,1,2,0 x18,3] -> v = [1,2,0,3], z = [2,0,15,2]
  uint32_t rows[] = {2, 3, 22};
  uint8_t v[] = {1, 2, 3}, out[8];
  ASSERT_EQ(eie_csc_encode_column(rows, v, 3, out, 8), 4u);
  EXPECT_EQ(out[0], 0x12);
  EXPECT_EQ(out[1], 0x20);
  EXPECT_EQ(out[2], 0x0f);
  EXPECT_EQ(out[3], 0x32);
}

TEST(EieCsc, PadsGapsLongerThan15) {
  struct Case {
    uint32_t gap, padding, z;
  } cases[] = {{15, 0, 15}, {16, 1, 0},  {17, 1, 1}, {31, 1, 15},
               {32, 2, 0},  {47, 2, 15}, {48, 3, 0}};
  for (const Case &c : cases) {
    uint32_t rows[] = {c.gap};
    uint8_t v[] = {7}, out[8];
    uint32_t n = eie_csc_encode_column(rows, v, 1, out, 8);
    ASSERT_EQ(n, c.padding + 1) << "gap " << c.gap;
    for (uint32_t i = 0; i < c.padding; i++) EXPECT_EQ(out[i], 0x0f) << "gap " << c.gap;
    EXPECT_EQ(out[c.padding], 0x70 | c.z) << "gap " << c.gap;
  }
}

TEST(EieCsc, PaddingBetweenEntriesAndRowReconstruction) {
  // One PE, rows 0 and 40: gap 39 -> two paddings and z = 7.
  uint32_t rows[] = {0, 40};
  uint8_t v[] = {1, 2}, out[8];
  ASSERT_EQ(eie_csc_encode_column(rows, v, 2, out, 8), 4u);
  uint32_t last = 0;
  std::vector<uint32_t> real;
  for (int e = 0; e < 4; e++) {
    uint32_t row = (e == 0 ? 0 : last) + (out[e] & 15u);
    if (out[e] >> 4) real.push_back(row);
    last = row + 1;
  }
  EXPECT_EQ(real, (std::vector<uint32_t>{0, 40}));
}

TEST(EieCsc, EmptyColumnsAndRowsCostNoEntries) {
  OwnedLayer L(8, 6);
  L.set(0, 0, 3);
  L.set(7, 5, 4);  // rows 1..6 and columns 1..4 empty
  eie_config_t cfg = eie_test::config(2, 4);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, &L.l, 1, &p, &e), EIE_OK) << e.msg;
  EXPECT_EQ(p.entries, 2u);
  EXPECT_EQ(p.padding, 0u);
  for (int j = 1; j <= 4; j++) EXPECT_EQ(p.pe[0].ptr[j + 1], p.pe[0].ptr[j]);
  uint8_t *idx;
  ASSERT_EQ(eie_program_decode(&p, 0, &idx, &e), EIE_OK) << e.msg;
  EXPECT_EQ(std::vector<uint8_t>(idx, idx + 48), L.idx);
  free(idx);
  eie_program_free(&p);
}

TEST(EieCsc, DecodeRoundTripsRandomLayersAcrossPasses) {
  for (uint64_t seed = 1; seed <= 6; seed++) {
    eie_random_spec_t s = {300, 77, 0.3, 0.5, 0, 0, seed};
    eie_layer_t l;
    int16_t *x;
    eie_err_t e;
    ASSERT_EQ(eie_random_layer(&s, &l, &x, &e), EIE_OK);
    eie_config_t cfg = eie_test::config(uint32_t(1 + seed * 2), 4, 8);  // 8 accumulators: passes
    eie_program_t p;
    ASSERT_EQ(eie_program_build(&cfg, &l, 1, &p, &e), EIE_OK) << e.msg;
    eie_geom_t g = eie_layer_geom(&cfg, 77, 300);
    EXPECT_GT(g.passes, 1u);
    // Pass b+1's p[0] continues where pass b ended.
    for (uint32_t b = 0; b + 1 < g.passes; b++)
      EXPECT_EQ(p.pe[0].ptr[b * 78 + 77], p.pe[0].ptr[(b + 1) * 78]);
    uint8_t *idx;
    ASSERT_EQ(eie_program_decode(&p, 0, &idx, &e), EIE_OK) << e.msg;
    EXPECT_EQ(0, memcmp(idx, l.idx, 300 * 77)) << "seed " << seed;
    free(idx);
    eie_program_free(&p);
    eie_layer_free(&l);
    free(x);
  }
}

TEST(EieCsc, LinesPackEntryZeroInTheLowByte) {
  OwnedLayer L(20, 1);
  for (uint32_t i = 0; i < 10; i++) L.set(i * 2, 0, uint8_t(1 + i));
  eie_config_t cfg = eie_test::config(1, 4);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, &L.l, 1, &p, &e), EIE_OK) << e.msg;
  // Entry 0 = (v=1, z=0), entry 1 = (v=2, z=1): bytes 0x10, 0x21.
  EXPECT_EQ(p.pe[0].spmat[0], 0x10);
  EXPECT_EQ(p.pe[0].spmat[1], 0x21);
  EXPECT_EQ(p.pe[0].spmat_used, 10u);
  eie_program_free(&p);
}

TEST(EieCsc, ValidationRejectsBrokenPointersAndRows) {
  eie_layer_t l;
  int16_t x[8];
  eie_example_paper(&l, x);
  eie_config_t cfg = eie_test::config(4, 8);
  eie_program_t p;
  eie_err_t e;
  ASSERT_EQ(eie_program_build(&cfg, &l, 1, &p, &e), EIE_OK);
  EXPECT_EQ(eie_desc_validate(&cfg, &p.desc[0], p.pe, &e), EIE_OK) << e.msg;
  p.pe[0].ptr[3] = 1;  // p[3] < p[2]
  EXPECT_EQ(eie_desc_validate(&cfg, &p.desc[0], p.pe, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("is below"), std::string::npos) << e.msg;
  p.pe[0].ptr[3] = 6;
  p.pe[0].spmat[0] = 0x1f;  // row 15 in a PE with 4 local rows
  EXPECT_EQ(eie_desc_validate(&cfg, &p.desc[0], p.pe, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("local row"), std::string::npos) << e.msg;
  eie_desc_t d = p.desc[0];
  d.out_base = d.in_base;
  EXPECT_EQ(eie_desc_validate(&cfg, &d, nullptr, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("overlaps"), std::string::npos) << e.msg;
  eie_program_free(&p);
}

// The row check of eie_desc_validate (a word of entries at a time) against
// the entry-by-entry walk it replaced, on random memories: padding runs,
// trailing padding, columns longer than a word, columns that end at the last
// byte of the memory. The same answer and the same message.
namespace {
std::string walk_reference(const eie_config_t &cfg, const eie_desc_t &d,
                           const std::vector<eie_pe_image_t> &im) {
  const eie_geom_t g = eie_layer_geom(&cfg, d.in_len, d.out_len);
  const uint64_t ecap = (uint64_t)cfg.spmat_lines * EIE_ENTRIES_PER_LINE;
  const uint64_t ebase = (uint64_t)d.spmat_base * EIE_ENTRIES_PER_LINE;
  char m[256];
  for (uint32_t k = 0; k < cfg.num_pe; k++)
    for (uint32_t b = 0; b < g.passes; b++) {
      const uint16_t *pb = im[k].ptr + d.ptr_base + b * (d.in_len + 1);
      const uint32_t total = k < d.out_len ? (d.out_len - k + cfg.num_pe - 1) / cfg.num_pe : 0;
      const uint32_t first = b * cfg.rf_depth;
      const uint32_t rows_k = total <= first ? 0 : std::min(total - first, (uint32_t)cfg.rf_depth);
      for (uint32_t j = 0; j < d.in_len; j++) {
        if (pb[j + 1] < pb[j]) return "below";
        if (ebase + pb[j + 1] > ecap) return "beyond";
        uint32_t last = 0, top = 0;
        for (uint64_t e = ebase + pb[j]; e < ebase + pb[j + 1]; e++) {
          const uint32_t row = last + eie_entry_z(im[k].spmat[e]);
          if (eie_entry_v(im[k].spmat[e])) top = row + 1;
          last = row + 1;
        }
        if (top > rows_k) {
          snprintf(m, sizeof m,
                   "PE %u pass %u: column %u writes local row %u of the %u this PE has in the pass",
                   k, b, j, top - 1, rows_k);
          return m;
        }
      }
    }
  return "";
}
}  // namespace

TEST(EieCsc, RowCheckMatchesTheEntryWalk) {
  std::mt19937_64 rng(12345);
  int refused = 0;
  for (int t = 0; t < 4000; t++) {
    eie_config_t cfg = eie_test::config(2, 2, 1 + (uint32_t)(rng() % 40));
    cfg.spmat_lines = 1 + (uint32_t)(rng() % 12);
    const uint32_t cap = cfg.spmat_lines * EIE_ENTRIES_PER_LINE;
    eie_desc_t d{};
    d.in_len = 1 + (uint32_t)(rng() % 6);
    d.out_len = 1 + (uint32_t)(rng() % 90);
    d.out_base = 0;
    d.in_base = eie_act_words(&cfg) - eie_div_ceil(d.in_len, cfg.num_pe);
    const eie_geom_t g = eie_layer_geom(&cfg, d.in_len, d.out_len);
    if ((uint64_t)g.passes * (d.in_len + 1) > cfg.ptr_depth || d.in_base < g.local_rows) continue;
    d.spmat_base = (uint32_t)(rng() % cfg.spmat_lines);
    const uint32_t room = cap - d.spmat_base * EIE_ENTRIES_PER_LINE;
    std::vector<std::vector<uint8_t>> spmat(cfg.num_pe, std::vector<uint8_t>(cap));
    std::vector<std::vector<uint16_t>> ptr(cfg.num_pe, std::vector<uint16_t>(cfg.ptr_depth));
    std::vector<eie_pe_image_t> im(cfg.num_pe);
    const unsigned pad = (unsigned)(rng() % 4);  // how often an entry is padding
    for (uint32_t k = 0; k < cfg.num_pe; k++) {
      for (auto &b : spmat[k]) {
        const unsigned z = rng() % 4 ? (unsigned)(rng() % 3) : (unsigned)(rng() % 16);
        b = eie_entry_make(rng() % 4 < pad ? 0 : 1 + (unsigned)(rng() % 15), z);
      }
      for (uint32_t b = 0; b < g.passes; b++) {
        uint16_t *pb = ptr[k].data() + b * (d.in_len + 1);
        pb[0] = (uint16_t)(rng() % (room + 1));
        for (uint32_t j = 0; j < d.in_len; j++) {
          const uint32_t len = rng() % 3 ? (uint32_t)(rng() % 6) : (uint32_t)(rng() % 20);
          pb[j + 1] = (uint16_t)std::min<uint32_t>(pb[j] + len, room);
          if (rng() % 200 == 0) pb[j + 1] = (uint16_t)(pb[j] - 1);  // backwards
          if (rng() % 200 == 0) pb[j + 1] = (uint16_t)(room + 1);   // beyond
        }
      }
      im[k] = {spmat[k].data(), ptr[k].data(), nullptr, cap, cfg.ptr_depth};
    }
    const std::string want = walk_reference(cfg, d, im);
    eie_err_t e;
    const eie_status_t st = eie_desc_validate(&cfg, &d, im.data(), &e);
    ASSERT_EQ(st != EIE_OK, !want.empty())
        << t << ": " << (st ? e.msg : "accepted") << " / " << want;
    if (st == EIE_OK) continue;
    refused++;
    const std::string got = e.msg;
    if (want == "below" || want == "beyond")
      EXPECT_NE(got.find(want == "below" ? "is below" : "beyond SPMAT_LINES"), std::string::npos)
          << t << ": " << got;
    else
      EXPECT_EQ(got, want) << t;
  }
  EXPECT_GT(refused, 100);
}

// eie_program_alloc: every image at full size and zeroed (a PE's three in one
// allocation); eie_program_free frees pointers or activations a caller put in
// place of a PE's own on their own (the sanitizers see a leak or a bad free).
TEST(EieCsc, ProgramImagesAreFullSizeZeroedAndFreedWhateverReplacedThem) {
  eie_program_t p{};
  p.cfg = eie_test::config(3, 2, 8);
  p.cfg.spmat_lines = 5;
  p.cfg.ptr_depth = 7;
  p.cfg.act_sram_depth = 3;
  eie_err_t e;
  ASSERT_EQ(eie_program_alloc(&p, &e), EIE_OK) << e.msg;
  const uint32_t aw = eie_act_words(&p.cfg);
  for (uint32_t k = 0; k < 3; k++) {
    const eie_pe_image_t &im = p.pe[k];
    EXPECT_EQ(im.spmat_used, 0u);
    EXPECT_EQ(im.ptr_used, 0u);
    for (uint32_t i = 0; i < 5 * EIE_ENTRIES_PER_LINE; i++) EXPECT_EQ(im.spmat[i], 0);
    for (uint32_t i = 0; i < 7; i++) EXPECT_EQ(im.ptr[i], 0);
    for (uint32_t i = 0; i < aw; i++) EXPECT_EQ(im.act[i], 0);
    memset(im.spmat, 0xff, 5 * EIE_ENTRIES_PER_LINE);  // each image apart from the others
    for (uint32_t i = 0; i < 7; i++) im.ptr[i] = uint16_t(100 + i);
    for (uint32_t i = 0; i < aw; i++) im.act[i] = int16_t(-1 - int(i));
    for (uint32_t i = 0; i < 7; i++) EXPECT_EQ(im.ptr[i], 100 + i);
    EXPECT_EQ(im.spmat[0], 0xff);
  }
  p.pe[1].ptr = static_cast<uint16_t *>(calloc(7, sizeof(uint16_t)));
  p.pe[2].act = static_cast<int16_t *>(calloc(aw, sizeof(int16_t)));
  p.pe[2].ptr = static_cast<uint16_t *>(calloc(7, sizeof(uint16_t)));
  eie_program_free(&p);
  EXPECT_EQ(p.pe, nullptr);
}

TEST(EieCsc, RefusesWhatTheConfigurationCannotHold) {
  OwnedLayer L(64, 64);
  for (uint32_t i = 0; i < 64; i++)
    for (uint32_t j = 0; j < 64; j++) L.set(i, j, 1);
  eie_config_t cfg = eie_test::config(1, 4);
  cfg.spmat_lines = 100;  // 800 entries < 4096
  eie_program_t p;
  eie_err_t e;
  EXPECT_EQ(eie_program_build(&cfg, &L.l, 1, &p, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("SPMAT_LINES"), std::string::npos) << e.msg;
  cfg = eie_test::config(1, 4);
  cfg.ptr_depth = 32;
  EXPECT_EQ(eie_program_build(&cfg, &L.l, 1, &p, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("PTR_DEPTH"), std::string::npos) << e.msg;
  cfg = eie_test::config(1, 4, 16);
  cfg.act_sram_depth = 10;  // 64 outputs on one PE need SRAM
  EXPECT_EQ(eie_program_build(&cfg, &L.l, 1, &p, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("activation words"), std::string::npos) << e.msg;
}
