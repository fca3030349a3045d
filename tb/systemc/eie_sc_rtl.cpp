// The Verilated RTL (SystemC output of tb/systemc/eie_sc_top.sv) behind the
// TLM target socket: a pin-level transactor on the host bus (docs/systemc.md).
// Built once, for the configuration EIE_SC_NUM_PE / EIE_SC_FIFO_DEPTH.
#include <stdexcept>

#include EIE_SC_VHEADER
#include "eie_sc.h"
#include "verilated.h"
#include "verilated_fst_sc.h"

namespace eie_sc {

using namespace sc_core;

struct rtl::pins {
  EIE_SC_VCLASS top;
  sc_signal<bool> rst_n{"rst_n"}, req{"req"}, we{"we"}, rsp_valid{"rsp_valid"}, irq{"irq_pin"};
  sc_signal<uint32_t> addr{"addr"}, wdata{"wdata"}, rdata{"rdata"}, err{"err"}, state{"state"};
  sc_signal<uint64_t> cycles{"cycles"};
  std::unique_ptr<VerilatedFstSc> fst;
  explicit pins(const char *name) : top(name) {}
};

eie_config_t rtl::config() {
  eie_config_t cfg = eie_config_default();
  cfg.num_pe = EIE_SC_NUM_PE;
  cfg.fifo_depth = EIE_SC_FIFO_DEPTH;
  return cfg;
}

const char *rtl::build_name() {
  return EIE_SC_BUILD_NAME;
}

rtl::rtl(sc_module_name name, sc_time clock, const char *trace_path)
    : target(name, clock),
      clk_("clk", clock, 0.5, SC_ZERO_TIME, true),
      last_negedge_(sc_max_time()) {
  if (trace_path) {
    trace_path_ = trace_path;
    Verilated::traceEverOn(true);
  }
  p_.reset(new pins("rtl"));
  EIE_SC_VCLASS &t = p_->top;
  t.clk_i(clk_);
  t.rst_ni(p_->rst_n);
  t.host_req_i(p_->req);
  t.host_we_i(p_->we);
  t.host_addr_i(p_->addr);
  t.host_wdata_i(p_->wdata);
  t.host_rsp_valid_o(p_->rsp_valid);
  t.host_rsp_rdata_o(p_->rdata);
  t.host_rsp_err_o(p_->err);
  t.irq_o(p_->irq);
  t.obs_state_o(p_->state);
  t.obs_cycles_o(p_->cycles);
  SC_THREAD(reset_thread);
  SC_METHOD(irq_method);
  sensitive << p_->irq;
}

rtl::~rtl() = default;

void rtl::start_of_simulation() {
  if (trace_path_.empty()) return;
  p_->fst.reset(new VerilatedFstSc);
  p_->top.trace(p_->fst.get(), 99);
  p_->fst->open(trace_path_.c_str());
}

void rtl::end_of_simulation() {
  if (p_->fst) p_->fst->close();
  p_->top.final();
}

// Two clocks of reset, released at a falling edge.
void rtl::reset_thread() {
  p_->rst_n.write(false);
  for (int n = 0; n < 2; n++) wait(clk_.posedge_event());
  wait(clk_.negedge_event());
  p_->rst_n.write(true);
  last_negedge_ = sc_time_stamp();
  reset_done_ = true;
  reset_done_ev_.notify();
}

void rtl::irq_method() {
  irq.write(p_->irq.read());
}

// A request driven at a falling edge is taken at the next rising edge; its
// response is sampled at the falling edge after it, where the next request
// may be driven at once (one word a clock, as docs/microarchitecture.md 4).
eie_bus_status_t rtl::access(bool write, uint32_t addr, uint32_t &data, sc_time &delay) {
  wait(delay);  // pins live in simulated time: catch up with the initiator
  delay = SC_ZERO_TIME;
  while (!reset_done_) wait(reset_done_ev_);
  if (sc_time_stamp() != last_negedge_) wait(clk_.negedge_event());
  p_->req.write(true);
  p_->we.write(write);
  p_->addr.write(addr);
  p_->wdata.write(write ? data : 0u);
  wait(clk_.posedge_event());
  wait(clk_.negedge_event());
  last_negedge_ = sc_time_stamp();
  p_->req.write(false);
  if (!p_->rsp_valid.read())
    SC_REPORT_ERROR("eie_sc::rtl", "no response on the host bus one clock after a request");
  if (!write) data = p_->rdata.read();
  return eie_bus_status_t(p_->err.read());
}

}  // namespace eie_sc
