// The C model behind a TLM-2.0 loosely-timed target socket (docs/systemc.md).
#include <stdexcept>
#include <string>

#include "eie_sc.h"

namespace eie_sc {

using namespace sc_core;

model::model(sc_module_name name, const eie_config_t &cfg, sc_time clock, unsigned quantum)
    : target(name, clock), quantum_(quantum ? quantum : 1) {
  eie_err_t err;
  if (eie_array_create(&cfg, &a_, &err) != EIE_OK)
    throw std::invalid_argument(std::string("eie_sc::model: ") + err.msg);
  SC_THREAD(run_thread);
  SC_METHOD(irq_method);  // the one driver of irq
  sensitive << irq_ev_;
}

model::~model() {
  eie_array_destroy(a_);
}

eie_bus_status_t model::word(bool write, uint32_t addr, uint32_t &data, const sc_time &at) {
  if (running_) return compute_mode(write, addr, data);
  if (!write) return eie_array_bus_read(a_, addr, &data);
  const eie_bus_status_t s = eie_array_bus_write(a_, addr, data);
  if (addr == EIE_REG_CTRL && s == EIE_BUS_OK) {
    if (eie_array_busy(a_) && !running_) {
      running_ = true;
      start_.notify(at);  // the run starts where the initiator's time is
    }
    update_irq();  // CLEAR lowers it
  }
  return s;
}

// While a run's simulated time has not elapsed the model may already be a
// quantum further on: answer as the array does in compute mode until then
// (registers readable, STATUS = BUSY, memories and writable registers busy,
// CTRL without effect).
eie_bus_status_t model::compute_mode(bool write, uint32_t addr, uint32_t &data) {
  uint32_t v = 0;
  const eie_bus_status_t decode = eie_array_bus_read(a_, addr, &v);
  if (decode == EIE_BUS_ADDR) return decode;
  if (addr >= EIE_PE_WINDOW_BASE) return EIE_BUS_BUSY;
  if (!write) {
    data = addr == EIE_REG_STATUS ? EIE_STATUS_BUSY : v;
    return EIE_BUS_OK;
  }
  // As the array answers while busy (docs/microarchitecture.md 4): a write-only
  // register (CTRL) is taken, a read-only one refused, a writable one and the
  // descriptors are BUSY.
  const int access = eie_reg_access(addr);
  if (access == EIE_ACCESS_WO) return EIE_BUS_OK;
  return access == EIE_ACCESS_RO ? EIE_BUS_RO : EIE_BUS_BUSY;
}

eie_bus_status_t model::access(bool write, uint32_t addr, uint32_t &data, sc_time &delay) {
  delay += clock();  // one bus clock a word, as on the RTL's host pins
  return word(write, addr, data, delay);
}

bool model::debug_access(bool write, uint32_t addr, uint32_t &data, eie_bus_status_t &st) {
  if (write && addr == EIE_REG_CTRL) return false;  // no untimed runs
  st = word(write, addr, data, SC_ZERO_TIME);
  return true;
}

void model::update_irq() {
  uint32_t status = 0;
  eie_array_bus_read(a_, EIE_REG_STATUS, &status);
  done_ = (status & EIE_STATUS_DONE) != 0;
  irq_ev_.notify(SC_ZERO_TIME);
}

void model::irq_method() {
  irq.write(done_);
}

void model::run_thread() {
  for (;;) {
    wait(start_);
    while (eie_array_busy(a_)) {
      unsigned n = 0;
      for (; n < quantum_ && eie_array_busy(a_); n++) eie_array_tick(a_);
      wait(clock() * double(n));
    }
    running_ = false;
    update_irq();
  }
}

}  // namespace eie_sc
