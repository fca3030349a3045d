// A minimal virtual platform: a processor model (an initiator thread running
// the C driver) and the EIE accelerator behind a TLM-2.0 socket, with the
// accelerator's DONE interrupt wired to the processor. The processor loads a
// small two-layer network through the socket, starts it, sleeps until the
// interrupt, reads the result and checks it against the functional reference.
//
//   eie_vp            the accelerator is the C model (eie_sc::model)
//   eie_vp --rtl      the accelerator is the Verilated RTL (eie_sc::rtl)
//   eie_vp --rtl --trace vp.fst    ... with an FST of the RTL
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "eie/eie_quantize.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"
#include "eie_sc.h"

using namespace sc_core;

namespace {

// The processor: its software is one thread.
struct cpu : sc_module {
  eie_sc::host port;  // the processor's bus master and interrupt input
  int result = 1;
  SC_HAS_PROCESS(cpu);
  cpu(sc_module_name n, sc_time clock) : sc_module(n), port("port", clock) {
    sc_spawn_options opts;
    opts.set_stack_size(1 << 20);
    sc_spawn([this] { software(); }, "software", &opts);
  }

  void software() {
    // A 96-48-10 network (ReLU on the hidden layer): random float weights and a
    // non-negative input, pruned, weight-shared and quantized layer by layer.
    const uint32_t widths[3] = {96, 48, 10};
    const double density[2] = {0.25, 0.4};
    const int relu[2] = {1, 0};
    eie_rng_t rng = {2024};
    std::vector<double> w0(48 * 96), w1(10 * 48), xf(96);
    for (double &v : w0) v = eie_rng_normal(&rng) / 9.8;
    for (double &v : w1) v = eie_rng_normal(&rng) / 6.9;
    for (double &v : xf) v = eie_rng_uniform(&rng) < 0.5 ? 0.0 : eie_rng_uniform(&rng);
    double *w[2] = {w0.data(), w1.data()}, *bias[2] = {nullptr, nullptr};
    std::vector<int16_t> x(96);
    const eie_float_net_t net = {2, widths, w, bias, density, relu};
    const eie_numerics_opts_t num = {EIE_NUMERICS_HEADROOM_DEFAULT, -1, -1};
    eie_numerics_report_t report;
    eie_layer_t layers[2];
    eie_err_t err;
    if (eie_quantize_network(&net, xf.data(), 1, &num, layers, x.data(), &report, &err) != EIE_OK)
      return fail(err.msg);
    uint32_t pes = 0;
    port.read(EIE_REG_NUM_PE, &pes);
    eie_config_t cfg = eie_config_default();
    cfg.num_pe = pes;
    uint32_t fifo = 0;
    port.read(EIE_REG_FIFO_DEPTH, &fifo);
    cfg.fifo_depth = fifo;
    eie_program_t prog;
    if (eie_program_build(&cfg, layers, 2, &prog, &err) != EIE_OK) return fail(err.msg);
    eie_program_set_input(&prog, x.data());
    std::printf("[%10.3f ns] cpu: accelerator has %u PEs, FIFO %u; loading a 96-48-10 network\n",
                now_ns(), pes, fifo);

    const eie_sc::run_result r = eie_sc::run_program(port, prog, 1000000);
    if (r.status != EIE_OK) return fail(r.error.c_str());
    std::printf(
        "[%10.3f ns] cpu: loaded in %.3f ns, ran %llu cycles (%.3f ns incl. driver accesses)\n",
        now_ns(), r.load_time.to_seconds() * 1e9, (unsigned long long)r.cycles,
        r.run_time.to_seconds() * 1e9);

    std::vector<int16_t> ref(10);
    eie_ref_network(layers, 2, x.data(), ref.data());
    std::printf("[%10.3f ns] cpu: y =", now_ns());
    int best = 0;
    for (int i = 0; i < 10; i++) {
      std::printf(" %d", r.y[i]);
      if (r.y[i] > r.y[best]) best = i;
    }
    result = r.y == ref ? 0 : 1;
    std::printf("\n             argmax %d; %s the functional reference\n", best,
                result ? "DIFFERS FROM" : "matches");
    eie_program_free(&prog);
    for (eie_layer_t &l : layers) eie_layer_free(&l);
    sc_stop();
  }
  void fail(const char *msg) {
    std::fprintf(stderr, "eie_vp: %s\n", msg);
    sc_stop();
  }
  static double now_ns() { return sc_time_stamp().to_seconds() * 1e9; }
};

}  // namespace

int sc_main(int argc, char **argv) {
  eie_sc::quiet_reports();
  bool use_rtl = false;
  const char *trace = nullptr;
  static const char kUsage[] =
      "usage: eie_vp [--rtl [--trace FILE.fst]]\n"
      "A minimal virtual platform: a processor model loads a two-layer network into the EIE\n"
      "accelerator over TLM-2.0, waits for its DONE interrupt and checks the result.\n"
      "  (default)  the accelerator is the C model\n"
      "  --rtl      the accelerator is the Verilated RTL\n"
      "  --trace F  with --rtl: an FST of the RTL\n"
      "Exit: 0 pass, 1 mismatch, 3 bad input.\n";
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--rtl"))
      use_rtl = true;
    else if (!std::strcmp(argv[i], "--trace") && i + 1 < argc)
      trace = argv[++i];
    else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "eie_vp: unknown or incomplete option '%s'\n%s", argv[i], kUsage);
      return 3;
    }
  }
  if (trace && !use_rtl) {
    std::fprintf(stderr, "eie_vp: --trace goes with --rtl (the C model has no FST)\n");
    return 3;
  }
  const sc_time clock(1.25, SC_NS);  // 800 MHz, the paper's clock
  sc_signal<bool> irq("irq");
  cpu proc("cpu", clock);
  std::unique_ptr<eie_sc::target> eie;
  if (use_rtl)
    eie.reset(new eie_sc::rtl("eie", clock, trace));
  else {
    eie_config_t cfg = eie_sc::rtl::config();  // the same array as the RTL build
    eie.reset(new eie_sc::model("eie", cfg, clock));
  }
  proc.port.socket.bind(eie->socket);
  eie->irq(irq);
  proc.port.irq(irq);
  sc_start();
  return proc.result;
}
