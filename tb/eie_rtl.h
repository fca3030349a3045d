/* The Verilated RTL behind a C interface: the only way C code reaches the
 * Verilated ports. One RTL build exists per configuration (see
 * eie_rtl_variants); eie_rtl_create picks the one whose parameters equal the
 * requested configuration and refuses otherwise. */
#ifndef EIE_RTL_H
#define EIE_RTL_H

#include <stdint.h>

#include "eie/eie_driver.h"
#include "eie/eie_model.h"
#include "eie/eie_params.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eie_rtl eie_rtl_t;

/* Configurations built into this binary, as text ("small: 4 PEs, FIFO 2, ..."). */
unsigned eie_rtl_variant_count(void);
const char *eie_rtl_variant_name(unsigned i);
eie_config_t eie_rtl_variant_config(unsigned i);

/* trace_path: FST file to write (NULL: no tracing). */
eie_status_t eie_rtl_create(const eie_config_t *cfg, const char *trace_path, eie_rtl_t **out,
                            eie_err_t *err);
void eie_rtl_destroy(eie_rtl_t *r);
const char *eie_rtl_name(const eie_rtl_t *r);

/* One clock cycle (events of the cycle go to the callback). */
void eie_rtl_tick(eie_rtl_t *r);
int eie_rtl_busy(const eie_rtl_t *r);
uint64_t eie_rtl_cycle(const eie_rtl_t *r); /* the RTL's cycle counter of the current run */
void eie_rtl_set_event_cb(eie_rtl_t *r, eie_event_cb cb, void *user);
/* 1 when an RTL assertion has failed (Verilator printed which); *cycle: the
 * cycle counter then. */
int eie_rtl_failed(const eie_rtl_t *r, uint64_t *cycle);

/* Waveform time now (10 units a clock; rising edges at 10n + 5). */
uint64_t eie_rtl_time(const eie_rtl_t *r);
/* Ticks executed since creation (bus accesses included). */
uint64_t eie_rtl_ticks(const eie_rtl_t *r);

/* Functional coverage points, counted from the observation port every cycle. */
typedef struct {
  uint64_t queue_full;   /* cycles in which some activation queue is full */
  uint64_t stall;        /* RUN cycles in which the broadcast is stalled */
  uint64_t bypass;       /* accumulator writes that took the bypass */
  uint64_t padding;      /* padding entries reaching A1 */
  uint64_t empty_column; /* PE cycles spent on an empty column */
  uint64_t lnzd_idle;    /* RUN cycles, not stalled, with no broadcast */
  uint64_t multi_pass;   /* SETUP cycles of a pass after the first */
} eie_rtl_cov_t;
#define EIE_RTL_COV_POINTS 7
extern const char *const eie_rtl_cov_names[EIE_RTL_COV_POINTS];
void eie_rtl_coverage(const eie_rtl_t *r, eie_rtl_cov_t *cov);

/* The host bus over the RTL: each access takes one clock. */
eie_bus_t eie_rtl_bus(eie_rtl_t *r);

#ifdef __cplusplus
}
#endif
#endif
