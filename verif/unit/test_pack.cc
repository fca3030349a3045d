// Vector packs: write, read back, and refuse tampered or malformed ones.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <sys/stat.h>

#include "eie/eie_example.h"
#include "eie_pack.h"
#include "eie_test_util.h"

static std::string tmpdir(const char *name) {
  std::string d = testing::TempDir() + "eie_pack_" + name + "_" + std::to_string(getpid());
  std::string cmd = "rm -rf '" + d + "'";
  if (system(cmd.c_str())) {}
  return d;
}

// Build a pack of a random layer with a bias on 3 PEs.
static void make_pack(const std::string &dir) {
  eie_random_spec_t s = {20, 30, 0.3, 0.5, 1, 1, 4};
  eie_layer_t l;
  int16_t *x;
  eie_err_t e;
  ASSERT_EQ(eie_random_layer(&s, &l, &x, &e), EIE_OK);
  eie_config_t cfg = eie_test::config(3, 2);
  eie_pack_t pk{};
  ASSERT_EQ(eie_program_build(&cfg, &l, 1, &pk.prog, &e), EIE_OK);
  eie_program_set_input(&pk.prog, x);
  pk.input = x;
  pk.expected = (int16_t *)malloc(sizeof(int16_t) * 20);
  eie_ref_layer(&l, x, pk.expected);
  pk.fmt[0] = {l.in_frac, l.w_frac, l.out_frac};
  eie_stats_t st{};
  st.num_pe = 0;
  ASSERT_EQ(eie_pack_write(dir.c_str(), &pk, &st, 0, &e), EIE_OK) << e.msg;
  eie_pack_free(&pk);
  eie_layer_free(&l);
}

TEST(EiePack, WritesAndReadsBack) {
  std::string d = tmpdir("rw");
  make_pack(d);
  eie_pack_t pk;
  eie_err_t e;
  ASSERT_EQ(eie_pack_read(d.c_str(), &pk, &e), EIE_OK) << e.msg;
  EXPECT_EQ(pk.prog.cfg.num_pe, 3u);
  EXPECT_EQ(pk.prog.desc[0].in_len, 30u);
  EXPECT_TRUE(pk.prog.desc[0].flags & EIE_FLAG_BIAS_EN);
  auto r = eie_test::Run();
  eie_array_t *a;
  ASSERT_EQ(eie_array_create(&pk.prog.cfg, &a, &e), EIE_OK);
  eie_bus_t bus = eie_model_bus(a);
  ASSERT_EQ(eie_driver_load(&bus, &pk.prog, &e), EIE_OK) << e.msg;
  uint64_t cycles;
  ASSERT_EQ(eie_driver_run(&bus, 1000000, &cycles, &e), EIE_OK) << e.msg;
  std::vector<int16_t> y(20);
  ASSERT_EQ(eie_driver_read_output(&bus, &pk.prog, y.data(), &e), EIE_OK);
  EXPECT_EQ(y, std::vector<int16_t>(pk.expected, pk.expected + 20));
  eie_array_destroy(a);
  eie_pack_free(&pk);
  // The $readmemh image carries its header.
  std::ifstream hex(d + "/pe0_spmat.hex");
  std::string first;
  std::getline(hex, first);
  EXPECT_EQ(first, "// memory: pe0.spmat");
}

TEST(EiePack, RefusesAFileWhoseHashChanged) {
  std::string d = tmpdir("hash");
  make_pack(d);
  {
    std::ofstream f(d + "/pe1_z.npy", std::ios::binary | std::ios::app);
    f << "x";
  }
  eie_pack_t pk;
  eie_err_t e;
  EXPECT_EQ(eie_pack_read(d.c_str(), &pk, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("pe1_z.npy: sha256"), std::string::npos) << e.msg;
}

TEST(EiePack, RefusesMissingAndMalformedManifests) {
  eie_pack_t pk;
  eie_err_t e;
  EXPECT_EQ(eie_pack_read("/nonexistent/pack", &pk, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("manifest.json: cannot open"), std::string::npos) << e.msg;
  std::string d = tmpdir("bad");
  make_pack(d);
  std::string m = d + "/manifest.json";
  auto rewrite = [&](const std::string &from, const std::string &to) {
    std::ifstream in(m);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
    std::ofstream(m) << s;
  };
  rewrite("\"schema_version\": 1", "\"schema_version\": 99");
  EXPECT_EQ(eie_pack_read(d.c_str(), &pk, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("schema_version"), std::string::npos) << e.msg;
  rewrite("\"schema_version\": 99", "\"schema_version\": 1");
  rewrite("\"NUM_PE\": 3", "\"NUM_PE\": 4");
  EXPECT_EQ(eie_pack_read(d.c_str(), &pk, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("param_hash"), std::string::npos) << e.msg;
  std::ofstream(m) << "{ not json";
  EXPECT_EQ(eie_pack_read(d.c_str(), &pk, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("manifest.json: line 1"), std::string::npos) << e.msg;
}

TEST(EiePack, ReplacesAnExistingPackAtomically) {
  std::string d = tmpdir("replace");
  make_pack(d);
  make_pack(d);
  struct stat sb;
  EXPECT_EQ(stat((d + "/manifest.json").c_str(), &sb), 0);
  EXPECT_NE(stat((d + ".tmp." + std::to_string(getpid())).c_str(), &sb), 0);
  EXPECT_NE(stat((d + ".old." + std::to_string(getpid())).c_str(), &sb), 0);
}
