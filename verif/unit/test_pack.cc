// Vector packs: write, read back, and refuse tampered or malformed ones.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "eie/eie_example.h"
#include "eie_hex.h"
#include "eie_pack.h"
#include "eie_test_util.h"

static std::string tmpdir(const char *name) {
  std::string d = testing::TempDir() + "eie_pack_" + name + "_" + std::to_string(getpid());
  std::string cmd = "rm -rf '" + d + "'";
  if (system(cmd.c_str())) {
  }
  return d;
}

static void keep_event(void *user, const eie_event_t *ev) {
  static_cast<std::vector<eie_event_t> *>(user)->push_back(*ev);
}

// Build a pack of a random layer with a bias on 3 PEs, with the model's events.
static void make_pack(const std::string &dir, std::vector<eie_event_t> *events_out = nullptr) {
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
  pk.layer_out[0] = (int16_t *)malloc(sizeof(int16_t) * 20);
  memcpy(pk.layer_out[0], pk.expected, sizeof(int16_t) * 20);
  pk.fmt[0] = {l.in_frac, l.w_frac, l.out_frac};
  std::vector<eie_event_t> events;
  eie_array_t *a;
  ASSERT_EQ(eie_array_create(&cfg, &a, &e), EIE_OK);
  eie_array_set_event_cb(a, keep_event, &events);
  eie_bus_t bus = eie_model_bus(a);
  ASSERT_EQ(eie_driver_load(&bus, &pk.prog, &e), EIE_OK) << e.msg;
  ASSERT_EQ(eie_driver_run(&bus, 1000000, nullptr, &e), EIE_OK) << e.msg;
  pk.events = events.data();
  pk.num_events = events.size();
  ASSERT_EQ(eie_pack_write(dir.c_str(), &pk, eie_array_stats(a), 0, &e), EIE_OK) << e.msg;
  eie_array_destroy(a);
  if (events_out) *events_out = events;
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
  rewrite("\"schema_version\": 2", "\"schema_version\": 99");
  EXPECT_EQ(eie_pack_read(d.c_str(), &pk, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("schema_version"), std::string::npos) << e.msg;
  rewrite("\"schema_version\": 99", "\"schema_version\": 2");
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

TEST(EiePack, CarriesPerLayerVectorsAndEventStreamsThatARunMustMatch) {
  std::string d = tmpdir("events");
  std::vector<eie_event_t> ev;
  make_pack(d, &ev);
  eie_pack_t pk;
  eie_err_t e;
  ASSERT_EQ(eie_pack_read(d.c_str(), &pk, &e), EIE_OK) << e.msg;
  EXPECT_TRUE(pk.has_events);
  ASSERT_NE(pk.layer_out[0], nullptr);
  EXPECT_EQ(std::vector<int16_t>(pk.layer_out[0], pk.layer_out[0] + 20),
            std::vector<int16_t>(pk.expected, pk.expected + 20));
  ASSERT_GT(ev.size(), 10u);
  EXPECT_EQ(eie_pack_check_events(d.c_str(), 3, ev.data(), ev.size(), &e), EIE_OK) << e.msg;
  // A different accumulator value, a missing event and an extra one are caught.
  size_t acc = 0;
  while (ev[acc].kind != EIE_EV_ACC) acc++;
  auto changed = ev;
  changed[acc].value += 1;
  EXPECT_EQ(eie_pack_check_events(d.c_str(), 3, changed.data(), changed.size(), &e),
            EIE_STATUS_MISMATCH);
  EXPECT_NE(std::string(e.msg).find("pe" + std::to_string(ev[acc].pe) + "_events.txt: event"),
            std::string::npos)
      << e.msg;
  auto shorter = ev;
  shorter.pop_back();
  EXPECT_EQ(eie_pack_check_events(d.c_str(), 3, shorter.data(), shorter.size(), &e),
            EIE_STATUS_MISMATCH);
  auto longer = ev;
  longer.push_back(ev.front());
  EXPECT_EQ(eie_pack_check_events(d.c_str(), 3, longer.data(), longer.size(), &e),
            EIE_STATUS_MISMATCH);
  eie_pack_free(&pk);
  // The text format: a header, then one event a line.
  std::ifstream f(d + "/bcast_events.txt");
  std::string line;
  std::getline(f, line);
  EXPECT_EQ(line, "// events: broadcasts (BCAST), in order");
  std::getline(f, line);
  EXPECT_EQ(line, "// fields: kind cycle layer pass index value bypass");
}

static bool exists(const std::string &p) {
  struct stat st;
  return lstat(p.c_str(), &st) == 0;
}

TEST(EiePack, ReplacesOnlyPacksOrEmptyDirectoriesUnlessForced) {
  std::string d = tmpdir("notpack");
  ASSERT_EQ(mkdir(d.c_str(), 0777), 0);
  std::ofstream(d + "/keep") << "user data";
  eie_pack_t pk{};
  eie_err_t e;
  EXPECT_EQ(eie_pack_check_output(d.c_str(), nullptr, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("not an eie pack"), std::string::npos) << e.msg;
  EXPECT_TRUE(exists(d + "/keep"));
  eie_pack_write_opts_t force = {1, nullptr};
  EXPECT_EQ(eie_pack_check_output(d.c_str(), &force, &e), EIE_OK) << e.msg;
  // A pack holding a file its manifest does not list is not replaced either.
  std::string p = tmpdir("extra");
  make_pack(p);
  EXPECT_EQ(eie_pack_check_output(p.c_str(), nullptr, &e), EIE_OK) << e.msg;
  std::ofstream(p + "/notes.txt") << "mine";
  EXPECT_EQ(eie_pack_check_output(p.c_str(), nullptr, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("holds notes.txt"), std::string::npos) << e.msg;
  // Never over an input, even forced.
  eie_fsafe_inputs_t in{};
  std::string input = p + "/notes.txt";
  eie_fsafe_add_input(&in, input.c_str(), 0);
  eie_pack_write_opts_t guarded = {1, &in};
  EXPECT_EQ(eie_pack_check_output(p.c_str(), &guarded, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("which this command reads"), std::string::npos) << e.msg;
  (void)pk;
}

TEST(EiePack, ParsesEventLinesStrictly) {
  eie_event_t ev;
  const char *why = "";
  auto parse = [&](const char *s) { return eie_pack_parse_event(s, strlen(s), &ev, &why); };
  EXPECT_EQ(parse("ACC 9 0 0 20 126633699 0\n"), 0) << why;
  EXPECT_EQ(ev.value, 126633699);
  EXPECT_EQ(parse("WB 52 0 0 4 -1155 0"), 0) << why;
  EXPECT_EQ(ev.value, -1155);
  EXPECT_EQ(parse("ACC 9 0 0 20 126633699 0 1"), -1);
  EXPECT_EQ(parse("ACC 9 0 0 20 126633699"), -1);
  EXPECT_EQ(parse("ACC 9 0 0 20  1 0"), -1);          // two spaces
  EXPECT_EQ(parse("ACC 9 0 0 20 4294967297 0"), -1);  // wraps modulo 2^32
  EXPECT_EQ(parse("WB 9 0 0 20 40000 0"), -1);        // not 16-bit
  EXPECT_EQ(parse("ACC 9 0 0 -1 5 0"), -1);
  EXPECT_EQ(parse("ACC 09 0 0 1 5 0"), -1);   // leading zero
  EXPECT_EQ(parse("ACC 9 16 0 1 5 0"), -1);   // layer beyond 15
  EXPECT_EQ(parse("BCAST 9 0 0 1 5 1"), -1);  // bypass only on ACC
  EXPECT_EQ(parse("ACC +9 0 0 1 5 0"), -1);
}

TEST(EieHex, ReadsLinesOfAnyLengthAndRefusesBadCharacters) {
  std::string p = testing::TempDir() + "eie_hex_" + std::to_string(getpid()) + ".hex";
  auto read = [&](const std::string &text, size_t *n, eie_err_t *e) {
    std::ofstream(p, std::ios::binary) << text;
    uint64_t *w = nullptr;
    eie_status_t st = eie_hex_read(p.c_str(), 16, 16, &w, n, e);
    free(w);
    return st;
  };
  size_t n = 0;
  eie_err_t e;
  EXPECT_EQ(
      read("// " + std::string(700, 'c') + "\n" + std::string(600, '0') + "1\n00_02\n", &n, &e),
      EIE_OK)
      << e.msg;
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(read(std::string("0000\0zzzz garbage\n", 18), &n, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("line 1: a NUL byte"), std::string::npos) << e.msg;
  EXPECT_EQ(read("0000\n_\n", &n, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("line 2: '_'"), std::string::npos) << e.msg;
  EXPECT_EQ(read(std::string(600, '0') + "\n" + std::string(600, '0') + "g\n", &n, &e),
            EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("line 2: 'g'"), std::string::npos) << e.msg;
  remove(p.c_str());
}
