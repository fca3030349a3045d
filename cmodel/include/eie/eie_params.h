/* Architectural parameters (generated from eie_params.def) and the runtime
 * configuration of one EIE array. */
#ifndef EIE_PARAMS_H
#define EIE_PARAMS_H

#include <stdint.h>

#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* EIE_<NAME> is the default, EIE_<NAME>_MIN / _MAX the range. */
enum {
#define X(name, def, lo, hi, rt, desc) \
  EIE_##name = (def), EIE_##name##_MIN = (lo), EIE_##name##_MAX = (hi),
#include "eie/eie_params.def"
#undef X
};

/* One field per runtime parameter, named in lower case. */
typedef struct {
  uint32_t num_pe;
  uint32_t fifo_depth;
  uint32_t spmat_lines;
  uint32_t ptr_depth;
  uint32_t rf_depth;
  uint32_t act_sram_depth;
} eie_config_t;

/* Description of one parameter, in .def order. */
typedef struct {
  const char *name;
  uint32_t def, min, max;
  int runtime;
  const char *desc;
} eie_param_info_t;

extern const eie_param_info_t eie_param_table[];
extern const unsigned eie_param_count;

eie_config_t eie_config_default(void);
/* Value of parameter `index` (in .def order) under `cfg`. */
uint32_t eie_config_value(const eie_config_t *cfg, unsigned index);
/* Set a runtime parameter by name (case-insensitive); range-checked. */
eie_status_t eie_config_set(eie_config_t *cfg, const char *name, long value, eie_err_t *err);
eie_status_t eie_config_validate(const eie_config_t *cfg, eie_err_t *err);
/* FNV-1a over "NAME=VALUE;" for every parameter (docs/microarchitecture.md §1). */
uint32_t eie_param_hash(const eie_config_t *cfg);

/* Derived quantities. */
uint32_t eie_lnzd_depth(uint32_t num_pe); /* max(1, ceil(log4 N)) */
static inline uint32_t eie_act_words(const eie_config_t *cfg) {
  return 2u * cfg->rf_depth + cfg->act_sram_depth;
}
static inline uint32_t eie_div_ceil(uint32_t a, uint32_t b) {
  return (a + b - 1u) / b;
}

#ifdef __cplusplus
}
#endif
#endif
