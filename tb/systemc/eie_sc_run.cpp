// eie_sc_run: vector packs through the SystemC platform, on the C model's
// TLM target and on the Verilated RTL's, with the one C driver; outputs and
// cycle counts compared with each other and with the pack's expected.npy.
// Exit: 0 pass, 1 mismatch, 2 timeout, 3 bad input.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "eie_pack.h"
#include "eie_sc.h"

using namespace sc_core;

namespace {

const char kUsage[] =
    "usage: eie_sc_run [--engine model|rtl|both] [--clock-mhz F] [--trace FILE.fst]\n"
    "                  [--max-cycles N] [--bus-log FILE] PACK...\n"
    "Runs each pack on the SystemC C-model target and/or the SystemC RTL target\n"
    "(built for %s) through TLM with the C driver, and compares outputs and cycles.\n"
    "--engine: model, rtl or both (default both).\n"
    "--clock-mhz F: the clock of the annotated timing (default 800). --max-cycles N (default "
    "10^8).\n"
    "--trace FILE.fst: an FST of the RTL target.\n"
    "--bus-log FILE: the driver's bus writes (on the first engine), host_load.hex format.\n";

struct options {
  bool model = true, rtl = true;
  double mhz = 800.0;
  const char *trace = nullptr, *bus_log = nullptr;
  uint64_t max_cycles = 100000000ull;
  std::vector<const char *> packs;
};

int bad(const char *fmt, const char *a, const char *b = "") {
  std::fprintf(stderr, "eie_sc_run: ");
  std::fprintf(stderr, fmt, a, b);
  std::fprintf(stderr, "\n");
  return 3;
}

int parse(int argc, char **argv, options &o) {
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "-h" || a == "--help") {
      std::printf(kUsage, eie_sc::rtl::build_name());
      std::exit(0);
    } else if (a == "--engine" && has_value) {
      const std::string e = argv[++i];
      if (e != "model" && e != "rtl" && e != "both")
        return bad("--engine '%s': expected model, rtl or both", e.c_str());
      o.model = e != "rtl";
      o.rtl = e != "model";
    } else if (a == "--clock-mhz" && has_value) {
      char *end;
      o.mhz = std::strtod(argv[++i], &end);
      if (*end || !(o.mhz >= 1.0 && o.mhz <= 10000.0))
        return bad("--clock-mhz '%s': expected a frequency in 1..10000 MHz", argv[i]);
    } else if (a == "--trace" && has_value) {
      o.trace = argv[++i];
    } else if (a == "--bus-log" && has_value) {
      o.bus_log = argv[++i];
    } else if (a == "--max-cycles" && has_value) {
      char *end;
      o.max_cycles = std::strtoull(argv[++i], &end, 10);
      if (*end || o.max_cycles == 0)
        return bad("--max-cycles '%s': expected a positive integer", argv[i]);
    } else if (a.size() > 1 && a[0] == '-') {
      return bad("unknown or incomplete option '%s' (see --help)", a.c_str());
    } else {
      o.packs.push_back(argv[i]);
    }
  }
  if (o.packs.empty()) return bad("%s", "no pack given (see --help)");
  return 0;
}

int exit_of(eie_status_t st) {
  return st == EIE_STATUS_TIMEOUT ? 2 : st == EIE_OK ? 0 : 3;
}

}  // namespace

int sc_main(int argc, char **argv) {
  eie_sc::quiet_reports();
  options o;
  if (int rc = parse(argc, argv, o)) return rc;

  std::vector<eie_pack_t> packs(o.packs.size());
  for (size_t n = 0; n < packs.size(); n++) {
    eie_err_t err;
    if (eie_pack_read(o.packs[n], &packs[n], &err) != EIE_OK) return bad("%s", err.msg);
    const eie_config_t &c = packs[n].prog.cfg;
    if (eie_param_hash(&c) != eie_param_hash(&packs[0].prog.cfg))
      return bad(
          "%s: built for another configuration than %s (one platform runs one configuration)",
          o.packs[n], o.packs[0]);
  }
  const eie_config_t cfg = packs[0].prog.cfg;
  const eie_config_t rcfg = eie_sc::rtl::config();
  if (o.rtl && eie_param_hash(&cfg) != eie_param_hash(&rcfg))
    return bad(
        "%s: the SystemC RTL is built for %s; generate the pack for that configuration "
        "(or use --engine model)",
        o.packs[0], eie_sc::rtl::build_name());

  const sc_time clock(1000.0 / o.mhz, SC_NS);
  sc_signal<bool> irq_m("irq_model"), irq_r("irq_rtl");
  std::unique_ptr<eie_sc::host> hm, hr;
  std::unique_ptr<eie_sc::model> m;
  std::unique_ptr<eie_sc::rtl> r;
  if (o.model) {
    hm.reset(new eie_sc::host("host_model", clock));
    m.reset(new eie_sc::model("model", cfg, clock));
    hm->socket.bind(m->socket);
    m->irq(irq_m);
    hm->irq(irq_m);
  }
  if (o.rtl) {
    hr.reset(new eie_sc::host("host_rtl", clock));
    r.reset(new eie_sc::rtl("rtl", clock, o.trace));
    hr->socket.bind(r->socket);
    r->irq(irq_r);
    hr->irq(irq_r);
  }

  std::FILE *log = nullptr;
  if (o.bus_log && !(log = std::fopen(o.bus_log, "w")))
    return bad("%s: cannot write the bus log", o.bus_log);
  (hm ? hm : hr)->log_writes(log);

  int rc = 0;
  sc_spawn([&] {
    for (size_t n = 0; n < packs.size(); n++) {
      const eie_pack_t &p = packs[n];
      const char *name = o.packs[n];
      const uint32_t out_len = p.prog.desc[p.prog.num_layers - 1].out_len;
      std::vector<std::pair<const char *, eie_sc::run_result>> runs;
      if (hm) runs.emplace_back("model", eie_sc::run_program(*hm, p.prog, o.max_cycles));
      if (hr) runs.emplace_back("rtl", eie_sc::run_program(*hr, p.prog, o.max_cycles));
      bool ok = true;
      for (auto &[eng, res] : runs) {
        if (res.status != EIE_OK) {
          std::printf("FAIL test=%s engine=%s: %s\n", name, eng, res.error.c_str());
          rc = rc ? rc : exit_of(res.status);
          ok = false;
          continue;
        }
        for (uint32_t i = 0; i < out_len; i++)
          if (res.y[i] != p.expected[i]) {
            std::printf(
                "MISMATCH test=%s engine=%s output=%u\n  field   expected  %s\n"
                "  y       0x%04x    0x%04x   <-- first difference\n",
                name, eng, i, eng, uint16_t(p.expected[i]), uint16_t(res.y[i]));
            rc = rc ? rc : 1;
            ok = false;
            break;
          }
      }
      if (ok && runs.size() == 2 && runs[0].second.cycles != runs[1].second.cycles) {
        std::printf(
            "MISMATCH test=%s field=cycles\n  field   model     rtl\n"
            "  cycles  %-9llu %-9llu <-- first difference\n",
            name, (unsigned long long)runs[0].second.cycles,
            (unsigned long long)runs[1].second.cycles);
        rc = rc ? rc : 1;
        ok = false;
      }
      if (!ok) {
        std::printf("  rerun with waves: %s --engine both --trace sc_waves.fst %s\n", argv[0],
                    name);
        continue;
      }
      std::printf("PASS test=%s cycles=%llu outputs=%u", name,
                  (unsigned long long)runs[0].second.cycles, out_len);
      for (auto &[eng, res] : runs)
        std::printf(" %s_load_ns=%.3f %s_run_ns=%.3f", eng, res.load_time.to_seconds() * 1e9, eng,
                    res.run_time.to_seconds() * 1e9);
      std::printf("\n");
      std::fflush(stdout);
    }
    sc_stop();
  });
  sc_start();
  if (log) std::fclose(log);
  for (eie_pack_t &p : packs) eie_pack_free(&p);
  if (o.trace && o.rtl) std::printf("trace: %s\n", o.trace);
  return rc;
}
