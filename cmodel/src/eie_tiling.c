/* Row tiles of a layer, run one after another (see eie_tiling.h). */
#include "eie/eie_tiling.h"

#include <stdlib.h>
#include <string.h>

#include "eie/eie_driver.h"
#include "eie/eie_model.h"

uint64_t eie_program_work_total(const eie_program_t *prog, unsigned layer, const int16_t *x) {
  const eie_config_t *cfg = &prog->cfg;
  const eie_desc_t *d = &prog->desc[layer];
  eie_geom_t g = eie_layer_geom(cfg, d->in_len, d->out_len);
  uint64_t sum = 0;
  for (uint32_t k = 0; k < cfg->num_pe; k++)
    for (uint32_t b = 0; b < g.passes; b++) {
      const uint16_t *pb = prog->pe[k].ptr + d->ptr_base + b * (d->in_len + 1);
      for (uint32_t j = 0; j < d->in_len; j++) {
        if (!x[j]) continue;
        uint32_t e = (uint32_t)(uint16_t)(pb[j + 1] - pb[j]);
        sum += e ? e : 1;
      }
    }
  return sum;
}

void eie_config_fit_memories(eie_config_t *cfg, const eie_layer_t *layer) {
  const uint32_t N = cfg->num_pe, RF = cfg->rf_depth;
  const uint32_t local_in = eie_div_ceil(layer->in_len, N),
                 local_out = eie_div_ceil(layer->out_len, N);
  /* Activation words: as eie_program_build places them (two register files,
   * two SRAM regions for long vectors, then the bias). */
  uint64_t zmax = 0;
  if (local_in > RF) zmax = local_in;
  if (local_out > RF && local_out > zmax) zmax = local_out;
  uint64_t sram = 2 * zmax + (layer->bias ? local_out : 0);
  if (sram > EIE_ACT_SRAM_DEPTH_MAX) sram = EIE_ACT_SRAM_DEPTH_MAX;
  if (sram > cfg->act_sram_depth) cfg->act_sram_depth = (uint32_t)sram;
  /* Pointers: K + 1 per pass, an even number. */
  uint64_t ptr = (uint64_t)eie_div_ceil(local_out, RF) * (layer->in_len + 1);
  ptr += ptr % 2;
  if (ptr > EIE_PTR_DEPTH_MAX) ptr = EIE_PTR_DEPTH_MAX;
  if (ptr > cfg->ptr_depth) cfg->ptr_depth = (uint32_t)ptr;
}

void eie_tiling_free(eie_tiling_t *t) {
  if (t->prog)
    for (uint32_t i = 0; i < t->tiles; i++) eie_program_free(&t->prog[i]);
  free(t->prog);
  t->prog = NULL;
  t->tiles = 0;
}

/* Encode rows [r0, r0 + rows) of layer as one program with input x. */
static eie_status_t build_tile(const eie_config_t *cfg, const eie_layer_t *layer, const int16_t *x,
                               uint32_t r0, uint32_t rows, eie_program_t *p, eie_err_t *err) {
  eie_layer_t sub = *layer;
  sub.out_len = rows;
  sub.idx = layer->idx + (size_t)r0 * layer->in_len;
  sub.bias = layer->bias ? layer->bias + r0 : NULL;
  eie_status_t st = eie_program_build(cfg, &sub, 1, p, err);
  if (!st) eie_program_set_input(p, x);
  return st;
}

/* All tiles of `rows` rows; on failure nothing is kept. */
static eie_status_t build_all(const eie_config_t *cfg, const eie_layer_t *layer, const int16_t *x,
                              uint32_t rows, eie_tiling_t *t, eie_err_t *err) {
  const uint32_t M = layer->out_len;
  memset(t, 0, sizeof *t);
  t->cfg = *cfg;
  t->out_len = M;
  t->tile_rows = rows;
  const uint32_t n = eie_div_ceil(M, rows);
  t->prog = calloc(n, sizeof *t->prog);
  if (!t->prog) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for %u tiles", n);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t r0 = i * rows, r = M - r0 < rows ? M - r0 : rows;
    eie_status_t st = build_tile(cfg, layer, x, r0, r, &t->prog[i], err);
    if (st) {
      eie_tiling_free(t);
      return st;
    }
    t->tiles = i + 1;
    t->entries += t->prog[i].entries;
    t->padding += t->prog[i].padding;
    t->work_bound += eie_program_work_bound(&t->prog[i], 0, x);
    t->work_total += eie_program_work_total(&t->prog[i], 0, x);
  }
  return EIE_OK;
}

eie_status_t eie_tiling_build(const eie_config_t *cfg, const eie_layer_t *layer, const int16_t *x,
                              eie_tiling_t *t, eie_err_t *err) {
  memset(t, 0, sizeof *t);
  eie_status_t st = eie_config_validate(cfg, err);
  if (st) return st;
  const uint32_t M = layer->out_len, N = cfg->num_pe;
  if (M < 1 || layer->in_len < 1)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "layer %ux%u is empty", M, layer->in_len);
  if ((st = build_all(cfg, layer, x, M, t, err)) != EIE_STATUS_BAD_INPUT) return st;
  /* Does the smallest tile (NUM_PE rows) fit? Otherwise tiling cannot help. */
  const uint32_t min_rows = M < N ? M : N;
  eie_program_t p;
  eie_err_t e2;
  if ((st = build_tile(cfg, layer, x, 0, min_rows, &p, &e2))) {
    if (err) *err = e2;
    return st;
  }
  eie_program_free(&p);
  /* Tiles of whole passes (N x RF rows) while they are smaller than the
   * layer: a short last pass has little work per broadcast and is bound by the
   * scan of the input. Below one pass, multiples of N rows. */
  uint32_t unit = (uint64_t)N * cfg->rf_depth < M ? N * cfg->rf_depth : N;
  uint32_t prev = M;
  for (uint32_t T = 2;; T++) {
    uint32_t rows = eie_div_ceil(eie_div_ceil(M, T), unit) * unit;
    if (rows > M) rows = M;
    if (rows < prev) {
      prev = rows;
      st = build_all(cfg, layer, x, rows, t, err);
      if (st != EIE_STATUS_BAD_INPUT || rows <= min_rows) return st;
    }
    if (rows <= unit && unit > N) unit = N;
  }
}

double eie_tiling_load_efficiency(const eie_tiling_stats_t *s) {
  if (!s->run_cycles || !s->num_pe) return 0.0;
  return (double)s->busy / ((double)s->num_pe * (double)s->run_cycles);
}

eie_status_t eie_tiling_run(const eie_tiling_t *t, uint32_t fifo_depth, uint64_t max_cycles,
                            int16_t *y, eie_tiling_stats_t *s, eie_err_t *err) {
  memset(s, 0, sizeof *s);
  s->num_pe = t->cfg.num_pe;
  s->fifo_depth = fifo_depth;
  s->work_bound = t->work_bound;
  s->work_total = t->work_total;
  for (uint32_t i = 0; i < t->tiles; i++) {
    eie_program_t p = t->prog[i]; /* shallow: only the configuration differs */
    p.cfg.fifo_depth = fifo_depth;
    eie_array_t *a;
    eie_status_t st = eie_array_create(&p.cfg, &a, err);
    if (st) return st;
    eie_bus_t bus = eie_model_bus(a);
    uint64_t cycles = 0;
    if (!(st = eie_driver_load(&bus, &p, err)) &&
        !(st = eie_driver_run(&bus, max_cycles, &cycles, err)) && y)
      st = eie_driver_read_output(&bus, &p, y + (size_t)i * t->tile_rows, err);
    if (!st) {
      const eie_stats_t *as = eie_array_stats(a);
      s->cycles += cycles;
      s->run_cycles += as->run_cycles;
      s->stall_cycles += as->stall_cycles;
      s->broadcasts += as->broadcasts;
      s->macs += as->macs;
      s->entries += as->entries;
      s->padding += as->padding;
      s->spmat_reads += as->spmat_reads;
      s->ptr_reads += as->ptr_reads;
      s->act_reads += as->act_reads;
      s->act_writes += as->act_writes;
      s->bypasses += as->bypasses;
      for (uint32_t k = 0; k < as->num_pe; k++) s->busy += as->pe[k].busy;
      s->energy_pj += eie_stats_energy_pj(as);
      s->sat.acc_saturations += as->sat.acc_saturations;
      s->sat.out_saturations += as->sat.out_saturations;
    }
    eie_array_destroy(a);
    if (st) return st;
  }
  return EIE_OK;
}
