// SystemC view of the EIE array (docs/systemc.md): the C model and the
// Verilated RTL behind the same TLM-2.0 loosely-timed target socket, and a
// host initiator that gives the C driver (eie/eie_driver.h) its bus.
//
//   eie_sc::model  the C model; b_transport annotates one clock a word,
//                  a run takes the model's cycle count in simulated time
//   eie_sc::rtl    the Verilated RTL (SystemC output) with a pin-level bus
//                  transactor, optional FST trace
//   eie_sc::host   initiator socket + interrupt input; bus() is an eie_bus_t
//                  for eie_driver_load/run/read_output, called from a thread
//
// Both targets drive `irq` (STATUS.DONE). Compile as C++17 (Debian's SystemC).
#ifndef EIE_SC_H
#define EIE_SC_H

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "eie/eie_driver.h"
#include "eie/eie_model.h"

namespace eie_sc {

// For command-line programs: no "simulation stopped by user" note. (The
// SystemC banner goes away with SC_COPYRIGHT_MESSAGE=DISABLE in the
// environment; it is printed before sc_main.)
void quiet_reports();

// Host-bus status <-> TLM response (one table, docs/systemc.md).
tlm::tlm_response_status to_tlm(eie_bus_status_t s);
eie_bus_status_t from_tlm(tlm::tlm_response_status r);

// The TLM side shared by both targets: command, alignment, length, streaming
// width and byte-enable checks, bursts split into 32-bit words.
class target : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<target, 32> socket;
  sc_core::sc_out<bool> irq;  // STATUS.DONE

  target(sc_core::sc_module_name name, sc_core::sc_time clock);
  const sc_core::sc_time &clock() const { return clock_; }

 protected:
  // One word access. `delay` is the initiator's annotated time on entry and
  // must include the access on return. Not called for debug transactions
  // unless debug_access() is overridden.
  virtual eie_bus_status_t access(bool write, uint32_t addr, uint32_t &data,
                                  sc_core::sc_time &delay) = 0;
  // Debug word access, untimed; false: debug access unsupported.
  virtual bool debug_access(bool write, uint32_t addr, uint32_t &data, eie_bus_status_t &st);

 private:
  void b_transport(tlm::tlm_generic_payload &p, sc_core::sc_time &delay);
  unsigned transport_dbg(tlm::tlm_generic_payload &p);
  sc_core::sc_time clock_;
};

// The C model as a TLM target. The model runs in a thread, `quantum` cycles
// at a time, each chunk followed by a wait of its length; DONE (irq) rises
// exactly START time + cycles * clock.
class model : public target {
 public:
  SC_HAS_PROCESS(model);
  model(sc_core::sc_module_name name, const eie_config_t &cfg, sc_core::sc_time clock,
        unsigned quantum = 1024);
  ~model() override;
  eie_array_t *array() { return a_; }  // for events, stats, views

 protected:
  eie_bus_status_t access(bool write, uint32_t addr, uint32_t &data,
                          sc_core::sc_time &delay) override;
  bool debug_access(bool write, uint32_t addr, uint32_t &data, eie_bus_status_t &st) override;

 private:
  eie_bus_status_t word(bool write, uint32_t addr, uint32_t &data, const sc_core::sc_time &at);
  eie_bus_status_t compute_mode(bool write, uint32_t addr, uint32_t &data);
  void run_thread();
  void update_irq();
  void irq_method();
  eie_array_t *a_ = nullptr;
  sc_core::sc_event start_, irq_ev_;
  bool done_ = false;
  unsigned quantum_;
  bool running_ = false;
};

// The Verilated RTL of this build's SystemC configuration (eie_sc::rtl::config())
// as a TLM target: each word is one request on the host pins, one clock.
// trace_path: FST file (nullptr: none).
class rtl : public target {
 public:
  SC_HAS_PROCESS(rtl);
  rtl(sc_core::sc_module_name name, sc_core::sc_time clock, const char *trace_path = nullptr);
  ~rtl() override;
  static eie_config_t config();  // the configuration the RTL was built with
  static const char *build_name();

 protected:
  eie_bus_status_t access(bool write, uint32_t addr, uint32_t &data,
                          sc_core::sc_time &delay) override;
  void start_of_simulation() override;
  void end_of_simulation() override;

 private:
  struct pins;
  void reset_thread();
  void irq_method();
  std::unique_ptr<pins> p_;
  sc_core::sc_clock clk_;
  std::string trace_path_;
  bool reset_done_ = false;
  sc_core::sc_event reset_done_ev_;
  sc_core::sc_time last_negedge_;
};

// Initiator: blocking transport with a quantum keeper; bus() for the C driver.
class host : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<host, 32> socket;
  sc_core::sc_in<bool> irq;

  host(sc_core::sc_module_name name, sc_core::sc_time clock);
  eie_bus_t bus();  // valid while the host lives; use from an SC_THREAD

  eie_bus_status_t write(uint32_t addr, uint32_t data);
  eie_bus_status_t read(uint32_t addr, uint32_t *data);
  // Synchronise, then wait for irq or max_cycles clocks.
  eie_status_t wait_done(uint64_t max_cycles);
  // A whole transaction as given (for tests of the target's checks).
  tlm::tlm_response_status transport(tlm::tlm_generic_payload &p);
  void sync() { qk_.sync(); }
  // Log every write as a host_load.hex line (address in [63:32], data in [31:0]).
  void log_writes(std::FILE *f) { log_ = f; }

 private:
  sc_core::sc_time clock_;
  std::FILE *log_ = nullptr;
  tlm_utils::tlm_quantumkeeper qk_;
};

// One program through the C driver on `h` (load, run, read the last layer's
// outputs), from an SC_THREAD. status != EIE_OK: `error` says why.
struct run_result {
  eie_status_t status = EIE_OK;
  std::string error;
  uint64_t cycles = 0;                   // CYCLES register after the run
  std::vector<int16_t> y;                // outputs
  sc_core::sc_time load_time, run_time;  // simulated time of the load, of START..DONE
};
run_result run_program(host &h, const eie_program_t &prog, uint64_t max_cycles);

}  // namespace eie_sc

#endif
