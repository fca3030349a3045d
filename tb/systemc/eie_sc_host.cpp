// Host initiator: the C driver's eie_bus_t over a TLM initiator socket.
#include "eie_sc.h"

namespace eie_sc {

using namespace sc_core;

void quiet_reports() {
  sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
}

host::host(sc_module_name name, sc_time clock)
    : sc_module(name), socket("socket"), irq("irq"), clock_(clock) {
  // A run of loads may go this far ahead of simulated time before it syncs.
  tlm_utils::tlm_quantumkeeper::set_global_quantum(clock * 1000.0);
  qk_.reset();
}

tlm::tlm_response_status host::transport(tlm::tlm_generic_payload &p) {
  sc_time delay = qk_.get_local_time();
  socket->b_transport(p, delay);
  qk_.set(delay);
  if (qk_.need_sync()) qk_.sync();
  return p.get_response_status();
}

static eie_bus_status_t word(host &h, tlm::tlm_command cmd, uint32_t addr, uint32_t &v) {
  tlm::tlm_generic_payload p;
  p.set_command(cmd);
  p.set_address(addr);
  p.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
  p.set_data_length(4);
  p.set_streaming_width(4);
  p.set_byte_enable_ptr(nullptr);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  return from_tlm(h.transport(p));
}

eie_bus_status_t host::write(uint32_t addr, uint32_t data) {
  if (log_) std::fprintf(log_, "%08x%08x\n", addr, data);
  return word(*this, tlm::TLM_WRITE_COMMAND, addr, data);
}

eie_bus_status_t host::read(uint32_t addr, uint32_t *data) {
  return word(*this, tlm::TLM_READ_COMMAND, addr, *data);
}

eie_status_t host::wait_done(uint64_t max_cycles) {
  qk_.sync();
  const sc_time limit = sc_time_stamp() + clock_ * double(max_cycles);
  while (!irq.read()) {
    if (sc_time_stamp() >= limit) return EIE_STATUS_TIMEOUT;
    wait(limit - sc_time_stamp(), irq.posedge_event());
  }
  return EIE_OK;
}

eie_bus_t host::bus() {
  eie_bus_t b;
  b.ctx = this;
  b.write = [](void *c, uint32_t a, uint32_t d) { return static_cast<host *>(c)->write(a, d); };
  b.read = [](void *c, uint32_t a, uint32_t *d) { return static_cast<host *>(c)->read(a, d); };
  b.wait_done = [](void *c, uint64_t n) { return static_cast<host *>(c)->wait_done(n); };
  return b;
}

run_result run_program(host &h, const eie_program_t &prog, uint64_t max_cycles) {
  run_result r;
  const eie_bus_t b = h.bus();
  eie_err_t err;
  h.sync();
  const sc_time t0 = sc_time_stamp();
  r.status = eie_driver_load(&b, &prog, &err);
  h.sync();
  const sc_time t1 = sc_time_stamp();
  if (r.status == EIE_OK) r.status = eie_driver_run(&b, max_cycles, &r.cycles, &err);
  h.sync();
  r.load_time = t1 - t0;
  r.run_time = sc_time_stamp() - t1;
  if (r.status == EIE_OK) {
    r.y.resize(prog.desc[prog.num_layers - 1].out_len);
    r.status = eie_driver_read_output(&b, &prog, r.y.data(), &err);
  }
  if (r.status != EIE_OK) r.error = err.msg;
  return r;
}

}  // namespace eie_sc
