/* The cycle-accurate model of the EIE array: host bus, clock, events, stats. */
#ifndef EIE_MODEL_H
#define EIE_MODEL_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_params.h"
#include "eie/eie_regs.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The register map, bus statuses and PE windows are eie_regs.h's (§4). */

/* Observable events (§8). */
typedef enum { EIE_EV_BCAST = 0, EIE_EV_ACC = 1, EIE_EV_WB = 2 } eie_event_kind_t;
typedef struct {
  eie_event_kind_t kind;
  uint64_t cycle;
  uint32_t layer, pass;
  uint32_t pe;    /* ACC, WB */
  uint32_t index; /* BCAST: column j; ACC, WB: global output row i */
  int32_t value;  /* BCAST: a_j; ACC: sum; WB: y */
  int bypass;     /* ACC only */
} eie_event_t;
typedef void (*eie_event_cb)(void *user, const eie_event_t *ev);
const char *eie_event_kind_name(eie_event_kind_t k);

/* Statistics (§9). */
typedef struct {
  uint64_t busy, idle, stalled;
} eie_pe_stats_t;
/* Saturations (§2): MACs whose sum the accumulator clipped to 32 bits, and
 * outputs the write-back clipped to 16 bits (a negative one ReLU clears
 * anyway is not counted). */
typedef struct {
  uint64_t acc_saturations, out_saturations;
} eie_sat_stats_t;
typedef struct {
  uint64_t cycles, run_cycles, stall_cycles, broadcasts, macs, padding, entries;
  uint64_t spmat_reads, ptr_reads, act_reads, act_writes, bypasses;
  eie_sat_stats_t sat;                       /* all layers */
  eie_sat_stats_t layer_sat[EIE_MAX_LAYERS]; /* per layer */
  uint32_t num_layers;                       /* of the last START: layer_sat entries in use */
  uint32_t num_pe;
  eie_pe_stats_t *pe; /* num_pe entries, owned by the array */
} eie_stats_t;
double eie_stats_load_efficiency(const eie_stats_t *s);
double eie_stats_energy_pj(const eie_stats_t *s);

typedef struct eie_array eie_array_t;

eie_status_t eie_array_create(const eie_config_t *cfg, eie_array_t **out, eie_err_t *err);
void eie_array_destroy(eie_array_t *a);
const eie_config_t *eie_array_config(const eie_array_t *a);

/* Host bus (32-bit words). */
eie_bus_status_t eie_array_bus_write(eie_array_t *a, uint32_t addr, uint32_t data);
eie_bus_status_t eie_array_bus_read(eie_array_t *a, uint32_t addr, uint32_t *data);

/* One clock cycle. Does nothing in I/O mode. */
void eie_array_tick(eie_array_t *a);
int eie_array_busy(const eie_array_t *a);
/* Why the last START was refused (STATUS.ERROR), as text. */
const char *eie_array_error(const eie_array_t *a);

/* Events of the runs started from now on (cb NULL: none). With a callback a
 * run takes the reference datapath (every unit steps every cycle), so events
 * come in cycle order and eie_array_view is exact; without one it takes the
 * fast engine, many times faster, with the same cycles, outputs and
 * statistics at DONE (docs/cmodel.md). */
void eie_array_set_event_cb(eie_array_t *a, eie_event_cb cb, void *user);
/* The same events, worked out by the fast engine from the cycles it
 * computes (docs/cmodel.md): event for event those of the reference
 * datapath, each delivered in the eie_array_tick of its cycle, at a small
 * part of the reference's cost. The units are not stepped, so eie_array_view
 * gives only the CCU's state, and the statistics of a pass are added at its
 * SETUP cycle; cycles, outputs and statistics at DONE are the same. (A pass
 * for whose columns memory runs out runs on the reference datapath, the
 * units stepped and the view exact.) */
void eie_array_set_event_cb_fast(eie_array_t *a, eie_event_cb cb, void *user);
const eie_stats_t *eie_array_stats(const eie_array_t *a);
void eie_array_clear_stats(eie_array_t *a);

/* Per-cycle state snapshot of one PE for traces and waveforms. */
typedef struct {
  uint32_t queue_count;
  int ptr_valid, stream_valid, a1_valid, a2_valid, a3_valid;
  uint32_t stream_col, stream_addr, stream_end;
} eie_pe_view_t;
typedef struct {
  int state; /* EIE_CCU_IDLE, _SETUP, _RUN, _WB, _DONE */
  uint32_t layer, pass, next_slot;
  int stall;
  int root_valid;
  uint32_t root_j;
  int32_t root_a;
} eie_ccu_view_t;
/* The CCU's and every PE's state at the start of the current cycle; in runs
 * without an event callback only the CCU's state, layer and pass (the rest
 * reads as 0). */
void eie_array_view(const eie_array_t *a, eie_ccu_view_t *ccu, eie_pe_view_t *pe /* num_pe */);
const char *eie_ccu_state_name(int state);

#ifdef __cplusplus
}
#endif
#endif
