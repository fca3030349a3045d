/* Parameter table, runtime configuration and the parameter hash. */
#include "eie/eie_params.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const eie_param_info_t eie_param_table[] = {
#define X(name, def, lo, hi, rt, desc) {#name, (def), (lo), (hi), (rt), (desc)},
#include "eie/eie_params.def"
#undef X
};
const unsigned eie_param_count = sizeof eie_param_table / sizeof eie_param_table[0];

/* Runtime parameters map to config fields in .def order. */
static uint32_t *config_field(eie_config_t *cfg, const char *name) {
  if (!strcmp(name, "NUM_PE")) return &cfg->num_pe;
  if (!strcmp(name, "FIFO_DEPTH")) return &cfg->fifo_depth;
  if (!strcmp(name, "SPMAT_LINES")) return &cfg->spmat_lines;
  if (!strcmp(name, "PTR_DEPTH")) return &cfg->ptr_depth;
  if (!strcmp(name, "RF_DEPTH")) return &cfg->rf_depth;
  if (!strcmp(name, "ACT_SRAM_DEPTH")) return &cfg->act_sram_depth;
  return NULL;
}

eie_config_t eie_config_default(void) {
  eie_config_t c;
  memset(&c, 0, sizeof c);
  for (unsigned i = 0; i < eie_param_count; i++) {
    uint32_t *f = config_field(&c, eie_param_table[i].name);
    if (f) *f = eie_param_table[i].def;
  }
  return c;
}

uint32_t eie_config_value(const eie_config_t *cfg, unsigned index) {
  if (index >= eie_param_count) return 0;
  const eie_param_info_t *p = &eie_param_table[index];
  if (!p->runtime) return p->def;
  return *config_field((eie_config_t *)cfg, p->name);
}

eie_status_t eie_config_set(eie_config_t *cfg, const char *name, long value, eie_err_t *err) {
  char upper[64];
  size_t n = strlen(name);
  if (n >= sizeof upper) n = sizeof upper - 1;
  for (size_t i = 0; i < n; i++)
    upper[i] = (char)(name[i] == '-' ? '_' : toupper((unsigned char)name[i]));
  upper[n] = 0;
  for (unsigned i = 0; i < eie_param_count; i++) {
    const eie_param_info_t *p = &eie_param_table[i];
    if (strcmp(p->name, upper)) continue;
    if (!p->runtime)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "parameter %s is fixed at %u", p->name, p->def);
    if (value < (long)p->min || value > (long)p->max)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s = %ld is outside %u..%u", p->name, value,
                      p->min, p->max);
    *config_field(cfg, p->name) = (uint32_t)value;
    return EIE_OK;
  }
  return eie_fail(err, EIE_STATUS_BAD_INPUT, "unknown parameter '%s'", name);
}

eie_status_t eie_config_validate(const eie_config_t *cfg, eie_err_t *err) {
  for (unsigned i = 0; i < eie_param_count; i++) {
    const eie_param_info_t *p = &eie_param_table[i];
    uint32_t v = eie_config_value(cfg, i);
    if (v < p->min || v > p->max)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s = %u is outside %u..%u", p->name, v, p->min,
                      p->max);
  }
  if (cfg->ptr_depth % 2)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "PTR_DEPTH = %u must be even (two banks of equal depth)", cfg->ptr_depth);
  return EIE_OK;
}

uint32_t eie_param_hash(const eie_config_t *cfg) {
  uint32_t h = 2166136261u;
  char buf[96];
  for (unsigned i = 0; i < eie_param_count; i++) {
    int n = snprintf(buf, sizeof buf, "%s=%u;", eie_param_table[i].name, eie_config_value(cfg, i));
    for (int k = 0; k < n; k++) {
      h ^= (uint8_t)buf[k];
      h *= 16777619u;
    }
  }
  return h;
}

uint32_t eie_lnzd_depth(uint32_t num_pe) {
  uint32_t d = 0, span = 1;
  while (span < num_pe) {
    span *= EIE_LNZD_RADIX;
    d++;
  }
  return d < 1 ? 1 : d;
}
