// TLM-2.0 checks and status mapping shared by the model and RTL targets.
#include <cstring>

#include "eie_sc.h"

namespace eie_sc {

using namespace sc_core;

namespace {
struct status_map {
  eie_bus_status_t bus;
  tlm::tlm_response_status tlm;
};
// docs/systemc.md: the response of each host-bus status.
constexpr status_map kStatus[] = {
    {EIE_BUS_OK, tlm::TLM_OK_RESPONSE},
    {EIE_BUS_ADDR, tlm::TLM_ADDRESS_ERROR_RESPONSE},
    {EIE_BUS_BUSY, tlm::TLM_GENERIC_ERROR_RESPONSE},
    {EIE_BUS_RO, tlm::TLM_COMMAND_ERROR_RESPONSE},
};

// Whole-transaction checks; TLM_OK_RESPONSE when the words may be accessed.
tlm::tlm_response_status check(const tlm::tlm_generic_payload &p) {
  if (p.get_address() & 3u || p.get_address() > 0xffffffffull)
    return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  const unsigned len = p.get_data_length();
  if (len == 0 || len % 4 || p.get_streaming_width() != len || !p.get_data_ptr())
    return tlm::TLM_BURST_ERROR_RESPONSE;
  if (const unsigned char *be = p.get_byte_enable_ptr()) {
    const unsigned be_len = p.get_byte_enable_length();
    if (be_len == 0) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    for (unsigned n = 0; n < be_len; n++)
      if (be[n] != TLM_BYTE_ENABLED) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  }
  return tlm::TLM_OK_RESPONSE;
}
}  // namespace

tlm::tlm_response_status to_tlm(eie_bus_status_t s) {
  for (const status_map &m : kStatus)
    if (m.bus == s) return m.tlm;
  return tlm::TLM_GENERIC_ERROR_RESPONSE;
}

eie_bus_status_t from_tlm(tlm::tlm_response_status r) {
  for (const status_map &m : kStatus)
    if (m.tlm == r) return m.bus;
  return EIE_BUS_ADDR;
}

target::target(sc_module_name name, sc_time clock)
    : sc_module(name), socket("socket"), irq("irq"), clock_(clock) {
  socket.register_b_transport(this, &target::b_transport);
  socket.register_transport_dbg(this, &target::transport_dbg);
}

bool target::debug_access(bool, uint32_t, uint32_t &, eie_bus_status_t &) {
  return false;
}

void target::b_transport(tlm::tlm_generic_payload &p, sc_time &delay) {
  p.set_dmi_allowed(false);
  tlm::tlm_response_status r = check(p);
  if (p.get_command() == tlm::TLM_IGNORE_COMMAND) {  // checked like an access, touches nothing
    p.set_response_status(r);
    return;
  }
  const bool write = p.is_write();
  const unsigned words = p.get_data_length() / 4;
  unsigned char *data = p.get_data_ptr();
  for (unsigned n = 0; r == tlm::TLM_OK_RESPONSE && n < words; n++) {
    uint32_t v = 0;
    if (write) std::memcpy(&v, data + 4 * n, 4);
    const eie_bus_status_t s = access(write, uint32_t(p.get_address()) + 4 * n, v, delay);
    if (s != EIE_BUS_OK)
      r = to_tlm(s);
    else if (!write)
      std::memcpy(data + 4 * n, &v, 4);
  }
  p.set_response_status(r);
}

unsigned target::transport_dbg(tlm::tlm_generic_payload &p) {
  if (p.get_command() == tlm::TLM_IGNORE_COMMAND || check(p) != tlm::TLM_OK_RESPONSE) return 0;
  const bool write = p.is_write();
  const unsigned words = p.get_data_length() / 4;
  unsigned char *data = p.get_data_ptr();
  unsigned n = 0;
  for (; n < words; n++) {
    uint32_t v = 0;
    eie_bus_status_t s = EIE_BUS_OK;
    if (write) std::memcpy(&v, data + 4 * n, 4);
    if (!debug_access(write, uint32_t(p.get_address()) + 4 * n, v, s) || s != EIE_BUS_OK) break;
    if (!write) std::memcpy(data + 4 * n, &v, 4);
  }
  return 4 * n;
}

}  // namespace eie_sc
