// Internal: the per-configuration Verilated model behind eie_rtl.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "eie/eie_model.h"
#include "eie_rtl.h"

namespace eie_vl {

// One Verilated eie_top, whatever its parameters.
class Model {
 public:
  virtual ~Model() = default;
  // Drive the host request for the next rising edge.
  virtual void set_host(bool req, bool we, uint32_t addr, uint32_t wdata) = 0;
  // Half cycle low: evaluate, sample the observation port into events.
  // Then the rising edge. Returns after the edge.
  virtual void tick(eie_event_cb cb, void *user) = 0;
  virtual bool rsp_valid() const = 0;
  virtual uint32_t rsp_rdata() const = 0;
  virtual uint32_t rsp_err() const = 0;
  virtual bool irq() const = 0;
  virtual bool busy() const = 0;
  virtual uint64_t cycles() const = 0;
  virtual const eie_rtl_cov_t &coverage() const = 0;
  virtual uint64_t time() const = 0;
  // An assertion failed (Verilator printed it); the cycle it failed in.
  virtual bool failed(uint64_t *cycle) const = 0;
};

struct Variant {
  const char *name;
  eie_config_t cfg;
  std::unique_ptr<Model> (*make)(const eie_config_t &cfg, const char *trace_path);
};

}  // namespace eie_vl
