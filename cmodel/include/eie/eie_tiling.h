/* Running one layer larger than the array holds at once: the output rows in
 * tiles, one run each, cycles summed. A tile is a contiguous block of rows
 * starting at a multiple of NUM_PE, so every row stays on the PE it has in the
 * whole layer (row i on PE i mod N) and the per-PE work of the tiles adds up
 * to that of the whole layer. Each tile is a separate run: it reloads the
 * memories and broadcasts the input again. Used by `eie sweep` and the
 * paper's benchmark layers (docs/results.md). */
#ifndef EIE_TILING_H
#define EIE_TILING_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"
#include "eie/eie_params.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  eie_config_t cfg;          /* the configuration the tiles are encoded for */
  uint32_t out_len;          /* M of the whole layer */
  uint32_t tiles, tile_rows; /* tile t: rows [t*tile_rows, min(M, (t+1)*tile_rows)) */
  eie_program_t *prog;       /* `tiles` programs, input placed */
  uint64_t entries, padding; /* of the encoding, all tiles (padding included in entries) */
  uint64_t work_bound;       /* sum over tiles of eie_program_work_bound */
  uint64_t work_total;       /* sum over tiles of eie_program_work_total */
} eie_tiling_t;

/* Statistics of one run of every tile, summed. */
typedef struct {
  uint32_t num_pe, fifo_depth;
  uint64_t cycles, run_cycles, stall_cycles, broadcasts, macs, entries, padding;
  uint64_t spmat_reads, ptr_reads, act_reads, act_writes, bypasses;
  uint64_t busy; /* sum over tiles and PEs of busy cycles */
  uint64_t work_bound, work_total;
  double energy_pj;    /* eie_stats_energy_pj summed over tiles */
  eie_sat_stats_t sat; /* accumulator and output saturations */
} eie_tiling_stats_t;

/* The sum over PEs, passes and non-zero x_j of max(1, entries of column j):
 * the work the array does on layer L for input x (the §7 bound is its
 * maximum over PEs; a perfectly balanced array needs ceil(total / N)). */
uint64_t eie_program_work_total(const eie_program_t *prog, unsigned layer, const int16_t *x);

/* Raise PTR_DEPTH and ACT_SRAM_DEPTH of cfg to what `layer` needs on one run
 * (up to their maximums; never lowered). SPMAT_LINES is left alone: 16-bit
 * pointers limit a PE to 65535 entries per layer, which the default holds. */
void eie_config_fit_memories(eie_config_t *cfg, const eie_layer_t *layer);

/* Encode `layer` with input x for cfg in the fewest equal row tiles that the
 * configuration holds: each a multiple of NUM_PE x RF_DEPTH rows (whole
 * passes) while that is smaller than the layer, else of NUM_PE rows; the last
 * tile may be shorter. Refuses, with the encoder's message, a layer that does not fit even
 * in tiles of NUM_PE rows. layer and x are only read during the call. */
eie_status_t eie_tiling_build(const eie_config_t *cfg, const eie_layer_t *layer, const int16_t *x,
                              eie_tiling_t *t, eie_err_t *err);
void eie_tiling_free(eie_tiling_t *t);

/* Run every tile on a new cycle-accurate array with FIFO_DEPTH fifo_depth
 * (the encoding does not depend on it) through the host driver; y receives
 * the M outputs (or NULL), s the summed statistics. max_cycles bounds each
 * tile's run. */
eie_status_t eie_tiling_run(const eie_tiling_t *t, uint32_t fifo_depth, uint64_t max_cycles,
                            int16_t *y, eie_tiling_stats_t *s, eie_err_t *err);

/* sum busy / (N * sum run_cycles); 0 when nothing ran. */
double eie_tiling_load_efficiency(const eie_tiling_stats_t *s);

#ifdef __cplusplus
}
#endif
#endif
