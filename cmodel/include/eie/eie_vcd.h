/* A VCD of the C model's state under the RTL's signal names
 * (top.eie_top.u_ccu.state_q, top.eie_top.g_pe[k].u_pe.u_spmat_read.s_addr_q, ...),
 * so the model and an RTL FST can be viewed side by side in GTKWave.
 * Time: picoseconds, 10 a cycle, cycle 0 (the first SETUP cycle) at the origin (0 unless
 * eie_vcd_set_origin moves it). The Verilated RTL's FST has the same unit and clock, so
 * an origin of eie_cosim_run_start_time(load accesses) puts each cycle at the
 * time of the RTL's rising edge that starts it. */
#ifndef EIE_VCD_H
#define EIE_VCD_H

#include "eie/eie_model.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eie_vcd eie_vcd_t;

/* Open `path` and write the header for array `a`. */
eie_status_t eie_vcd_open(const char *path, const eie_array_t *a, eie_vcd_t **out, eie_err_t *err);
/* Feed the array's events here (chain it from the array's event callback). */
void eie_vcd_event(eie_vcd_t *v, const eie_event_t *ev);
/* Per cycle: eie_vcd_capture before eie_array_tick (the state at the start of
 * the cycle), then eie_vcd_cycle after it (writes that state and the cycle's events). */
void eie_vcd_capture(eie_vcd_t *v, const eie_array_t *a);
void eie_vcd_cycle(eie_vcd_t *v, uint64_t cycle);
/* Time of cycle 0 (before the first eie_vcd_cycle). */
void eie_vcd_set_origin(eie_vcd_t *v, uint64_t t0);
eie_status_t eie_vcd_close(eie_vcd_t *v, eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
