/* Host driver: loads a program through the register map and memory windows,
 * starts it and reads the outputs, exactly as software would drive the RTL.
 * Works on any bus: the C model's, or a simulator's through the same calls. */
#ifndef EIE_DRIVER_H
#define EIE_DRIVER_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  void *ctx;
  eie_bus_status_t (*write)(void *ctx, uint32_t addr, uint32_t data);
  eie_bus_status_t (*read)(void *ctx, uint32_t addr, uint32_t *data);
  /* Advance the clock until STATUS.DONE or max_cycles; returns EIE_OK or EIE_STATUS_TIMEOUT. */
  eie_status_t (*wait_done)(void *ctx, uint64_t max_cycles);
} eie_bus_t;

/* A bus over a C-model array. */
eie_bus_t eie_model_bus(eie_array_t *a);

/* Check parameters (PARAM_HASH) and write every used memory word and descriptor. */
eie_status_t eie_driver_load(const eie_bus_t *bus, const eie_program_t *prog, eie_err_t *err);
/* eie_driver_load into a C-model array with its memory windows written in
 * bulk: the same registers, memory contents and errors as eie_driver_load
 * over eie_model_bus(a), much faster. *accesses (may be NULL) gets the number
 * of bus accesses eie_driver_load makes for the program (one RTL clock each).
 * The descriptor check the load makes counts as the next START's when every
 * word its answer depends on is one the load wrote (pointers below ptr_used,
 * entries in the lines of spmat_used): that START skips it, as after a check
 * of its own (docs/microarchitecture.md, §4). */
eie_status_t eie_driver_load_array(eie_array_t *a, const eie_program_t *prog, uint64_t *accesses,
                                   eie_err_t *err);
/* Write CTRL.START, wait for DONE, clear it; cycles of the run in *cycles. */
eie_status_t eie_driver_run(const eie_bus_t *bus, uint64_t max_cycles, uint64_t *cycles,
                            eie_err_t *err);
/* Write layer 0's input vector x (in_len values) where eie_program_set_input
 * places it: between runs of a loaded program, a new input costs in_len bus
 * writes instead of a whole load. */
eie_status_t eie_driver_write_input(const eie_bus_t *bus, const eie_program_t *prog,
                                    const int16_t *x, eie_err_t *err);
/* Read the last layer's output vector (out_len values). */
eie_status_t eie_driver_read_output(const eie_bus_t *bus, const eie_program_t *prog, int16_t *y,
                                    eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
