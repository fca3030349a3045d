/* Host driver over an abstract bus: load, run, read back (§4). */
#include "eie/eie_driver.h"

#include <string.h>

#include "eie_hw.h" /* a model array's memories, for eie_driver_load_array */

static eie_bus_status_t model_write(void *ctx, uint32_t addr, uint32_t data) {
  return eie_array_bus_write(ctx, addr, data);
}
static eie_bus_status_t model_read(void *ctx, uint32_t addr, uint32_t *data) {
  return eie_array_bus_read(ctx, addr, data);
}
static eie_status_t model_wait(void *ctx, uint64_t max_cycles) {
  eie_array_t *a = ctx;
  for (uint64_t c = 0; eie_array_busy(a); c++) {
    if (c >= max_cycles) return EIE_STATUS_TIMEOUT;
    eie_array_tick(a);
  }
  return EIE_OK;
}

eie_bus_t eie_model_bus(eie_array_t *a) {
  eie_bus_t b = {a, model_write, model_read, model_wait};
  return b;
}

static const char *bus_msg(eie_bus_status_t s) {
  return s == EIE_BUS_ADDR   ? "no such address"
         : s == EIE_BUS_BUSY ? "array busy"
         : s == EIE_BUS_RO   ? "read-only register"
                             : "ok";
}

#define WR(addr, data)                                                                     \
  do {                                                                                     \
    eie_bus_status_t s_ = bus->write(bus->ctx, (addr), (data));                            \
    if (s_)                                                                                \
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "bus write 0x%08x: %s", (unsigned)(addr), \
                      bus_msg(s_));                                                        \
  } while (0)

static eie_status_t rd(const eie_bus_t *bus, uint32_t addr, uint32_t *v, eie_err_t *err) {
  eie_bus_status_t s = bus->read(bus->ctx, addr, v);
  if (s) return eie_fail(err, EIE_STATUS_BAD_INPUT, "bus read 0x%08x: %s", addr, bus_msg(s));
  return EIE_OK;
}

/* The first part of a load: ID and PARAM_HASH read and checked, the
 * descriptors checked against the images and written, NUM_LAYERS written:
 * 3 + num_layers * EIE_DESC_WORDS bus accesses. */
static eie_status_t load_registers(const eie_bus_t *bus, const eie_program_t *prog,
                                   eie_err_t *err) {
  const eie_config_t *cfg = &prog->cfg;
  uint32_t v;
  eie_status_t st;
  if ((st = rd(bus, EIE_REG_ID, &v, err))) return st;
  if (v != EIE_ID_VALUE)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "ID register reads 0x%08x, not an EIE array", v);
  if ((st = rd(bus, EIE_REG_PARAM_HASH, &v, err))) return st;
  if (v != eie_param_hash(cfg))
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "program built for parameter hash 0x%08x but the hardware reports 0x%08x",
                    eie_param_hash(cfg), v);
  for (uint32_t l = 0; l < prog->num_layers; l++) {
    if ((st = eie_desc_validate(cfg, &prog->desc[l], prog->pe, err))) return st;
    uint32_t w[EIE_DESC_WORDS];
    eie_desc_to_words(&prog->desc[l], w);
    for (uint32_t n = 0; n < EIE_DESC_WORDS; n++)
      WR(EIE_REG_DESC + l * EIE_DESC_STRIDE + 4 * n, w[n]);
  }
  WR(EIE_REG_NUM_LAYERS, prog->num_layers);
  return EIE_OK;
}

eie_status_t eie_driver_load(const eie_bus_t *bus, const eie_program_t *prog, eie_err_t *err) {
  const eie_config_t *cfg = &prog->cfg;
  eie_status_t st = load_registers(bus, prog, err);
  if (st) return st;
  for (uint32_t k = 0; k < cfg->num_pe; k++) {
    const eie_pe_image_t *im = &prog->pe[k];
    uint32_t lines = eie_div_ceil(im->spmat_used, EIE_ENTRIES_PER_LINE);
    for (uint32_t n = 0; n < lines; n++) {
      const uint8_t *b = im->spmat + (size_t)n * 8;
      WR(eie_pe_addr(k, EIE_PE_SPMAT_OFF + 8 * n),
         (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
      WR(eie_pe_addr(k, EIE_PE_SPMAT_OFF + 8 * n + 4),
         (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24);
    }
    for (uint32_t q = 0; q < im->ptr_used; q++)
      WR(eie_pe_addr(k, EIE_PE_PTR_OFF + 4 * q), im->ptr[q]);
    for (uint32_t x = 0; x < eie_act_words(cfg); x++)
      WR(eie_pe_addr(k, EIE_PE_ACT_OFF + 4 * x), (uint16_t)im->act[x]);
  }
  return EIE_OK;
}

/* After eie_driver_load_array has copied prog into a: 1 when START's check
 * of the descriptors (descriptors_valid, eie_ccu.c) must give the answer
 * load_registers got, so the array may take it as done (eie_ccu_checked).
 * load_registers ran eie_desc_validate(&prog->cfg, &prog->desc[l], prog->pe)
 * for every layer l < prog->num_layers and all passed; START runs
 * eie_desc_validate(&a->cfg, desc decoded from the registers, the memories)
 * for l < NUM_LAYERS. The same function on the same arguments gives the same
 * answer, and they are the same here when:
 *  - the configurations are equal (START also refuses a NUM_LAYERS outside
 *    1..EIE_MAX_LAYERS before it checks; such a count is not taken);
 *  - NUM_LAYERS and the descriptor registers hold prog's count and
 *    descriptors' words (load_registers wrote them, nothing has since);
 *  - every memory word the check reads holds the image's word, which is so
 *    for the words the copy wrote: pointers below ptr_used, entries in the
 *    first ceil(spmat_used / 8) lines. The check reads no activation; it
 *    reads pointers ptr_base .. ptr_base + passes*(in_len+1) - 1 (the
 *    pointer-array bound it checks first), and in pass b the entries
 *    spmat_base*8 + p[0] .. spmat_base*8 + p[in_len] - 1 of the pass's
 *    pointers p, which it found non-decreasing; the rest of the words of
 *    entries it reads (whole words around a column's ends) does not change
 *    its answer: masked off, or counted in two running sums whose
 *    difference it takes (pass_clear, eie_layer.c).
 * A program whose pointers reach past what was copied (words the memories
 * held before) keeps START's own check. */
static int check_carries_over(const eie_array_t *a, const eie_program_t *prog) {
  const eie_config_t *cfg = &prog->cfg;
  const eie_ccu_t *c = &a->ccu;
  if (memcmp(&a->cfg, cfg, sizeof *cfg) || prog->num_layers < 1 ||
      prog->num_layers > EIE_MAX_LAYERS || c->num_layers != prog->num_layers)
    return 0;
  for (uint32_t l = 0; l < prog->num_layers; l++) {
    const eie_desc_t *d = &prog->desc[l];
    uint32_t w[EIE_DESC_WORDS];
    eie_desc_to_words(d, w);
    if (memcmp(w, c->desc[l], sizeof w)) return 0;
    const eie_geom_t g = eie_layer_geom(cfg, d->in_len, d->out_len);
    const uint64_t ptr_end = (uint64_t)d->ptr_base + (uint64_t)g.passes * (d->in_len + 1);
    const uint64_t ebase = (uint64_t)d->spmat_base * EIE_ENTRIES_PER_LINE;
    for (uint32_t k = 0; k < cfg->num_pe; k++) {
      const eie_pe_image_t *im = &prog->pe[k];
      const uint64_t copied =
          (uint64_t)eie_div_ceil(im->spmat_used, EIE_ENTRIES_PER_LINE) * EIE_ENTRIES_PER_LINE;
      if (ptr_end > im->ptr_used) return 0;
      for (uint32_t b = 0; b < g.passes; b++)
        if (ebase + im->ptr[d->ptr_base + b * (d->in_len + 1) + d->in_len] > copied) return 0;
    }
  }
  return 1;
}

/* eie_driver_load into a model array, the memory windows written in bulk.
 * Equivalent to eie_driver_load over eie_model_bus(a), write for write:
 *  - the registers (ID, PARAM_HASH, the descriptors, NUM_LAYERS) go through
 *    the same bus calls, so their checks and side effects are the bus's;
 *  - a PE-window write stores its data at the decoded word and does nothing
 *    else (eie_top.c) but refuse an address beyond the memory (no such
 *    address) or any write while the array is busy, and clear the CCU's
 *    "validated" when it writes the sparse matrix or the pointers. The loop
 *    of eie_driver_load writes line n's bytes b[0..7] as two words, pointer q
 *    as ptr[q] and activation x as (uint16_t)act[x]: after it, the memories
 *    hold exactly the images' first words, which is what the copies below
 *    make, with the same refusals checked first (the busy state cannot change
 *    during a load: nothing clocks the array).
 * Then, where check_carries_over shows it, START's check of the descriptors
 * is the one load_registers made: the array takes it as done, and a START
 * with nothing written since does not make it again (any write to the
 * descriptors, NUM_LAYERS, the pointers or the sparse matrix clears that, as
 * it does after a check START made). */
eie_status_t eie_driver_load_array(eie_array_t *a, const eie_program_t *prog, uint64_t *accesses,
                                   eie_err_t *err) {
  const eie_bus_t b = eie_model_bus(a);
  const eie_config_t *cfg = &prog->cfg, *acfg = &a->cfg;
  if (accesses) *accesses = 0;
  eie_status_t st = load_registers(&b, prog, err);
  if (st) return st;
  uint64_t n = 3 + (uint64_t)prog->num_layers * EIE_DESC_WORDS;
  const uint32_t act_words = eie_act_words(cfg);
  for (uint32_t k = 0; k < cfg->num_pe; k++) {
    const eie_pe_image_t *im = &prog->pe[k];
    const uint32_t lines = eie_div_ceil(im->spmat_used, EIE_ENTRIES_PER_LINE);
    /* The first address the bus would refuse, in the order the loop writes. */
    uint32_t bad = 0;
    if (k >= acfg->num_pe)
      bad = eie_pe_addr(k, EIE_PE_SPMAT_OFF);
    else if (lines > acfg->spmat_lines)
      bad = eie_pe_addr(k, EIE_PE_SPMAT_OFF + 8 * acfg->spmat_lines);
    else if (im->ptr_used > acfg->ptr_depth)
      bad = eie_pe_addr(k, EIE_PE_PTR_OFF + 4 * acfg->ptr_depth);
    else if (act_words > eie_act_words(acfg))
      bad = eie_pe_addr(k, EIE_PE_ACT_OFF + 4 * eie_act_words(acfg));
    const uint32_t first = lines          ? eie_pe_addr(k, EIE_PE_SPMAT_OFF)
                           : im->ptr_used ? eie_pe_addr(k, EIE_PE_PTR_OFF)
                                          : eie_pe_addr(k, EIE_PE_ACT_OFF);
    if (act_words && eie_array_busy(a))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "bus write 0x%08x: %s", (unsigned)first,
                      bus_msg(EIE_BUS_BUSY));
    if (bad)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "bus write 0x%08x: %s", (unsigned)bad,
                      bus_msg(EIE_BUS_ADDR));
    eie_pe_t *pe = &a->pe[k];
    memcpy(pe->spmat_read.spmat, im->spmat, (size_t)lines * EIE_ENTRIES_PER_LINE);
    memcpy(pe->ptr_read.ptr, im->ptr, sizeof(uint16_t) * im->ptr_used);
    memcpy(pe->act_rw.act, im->act, sizeof(int16_t) * act_words);
    if (lines || im->ptr_used) a->ccu.validated = 0;
    n += 2ull * lines + im->ptr_used + act_words;
  }
  if (check_carries_over(a, prog)) eie_ccu_checked(a);
  if (accesses) *accesses = n;
  return EIE_OK;
}

eie_status_t eie_driver_run(const eie_bus_t *bus, uint64_t max_cycles, uint64_t *cycles,
                            eie_err_t *err) {
  uint32_t v, lo, hi;
  eie_status_t st;
  WR(EIE_REG_CTRL, EIE_CTRL_CLEAR);
  WR(EIE_REG_CTRL, EIE_CTRL_START);
  if ((st = rd(bus, EIE_REG_STATUS, &v, err))) return st;
  if (v & EIE_STATUS_ERROR)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "START refused (STATUS.ERROR)");
  if ((st = bus->wait_done(bus->ctx, max_cycles)))
    return eie_fail(err, st, "no DONE within %llu cycles", (unsigned long long)max_cycles);
  if ((st = rd(bus, EIE_REG_STATUS, &v, err))) return st;
  if (!(v & EIE_STATUS_DONE))
    return eie_fail(err, EIE_STATUS_TIMEOUT, "STATUS 0x%x without DONE", v);
  if ((st = rd(bus, EIE_REG_CYCLES_LO, &lo, err)) || (st = rd(bus, EIE_REG_CYCLES_HI, &hi, err)))
    return st;
  if (cycles) *cycles = (uint64_t)hi << 32 | lo;
  WR(EIE_REG_CTRL, EIE_CTRL_CLEAR);
  return EIE_OK;
}

eie_status_t eie_driver_write_input(const eie_bus_t *bus, const eie_program_t *prog,
                                    const int16_t *x, eie_err_t *err) {
  const eie_desc_t *d = &prog->desc[0];
  const uint32_t N = prog->cfg.num_pe;
  for (uint32_t j = 0; j < d->in_len; j++)
    WR(eie_pe_addr(j % N, EIE_PE_ACT_OFF + 4 * (d->in_base + j / N)), (uint16_t)x[j]);
  return EIE_OK;
}

eie_status_t eie_driver_read_output(const eie_bus_t *bus, const eie_program_t *prog, int16_t *y,
                                    eie_err_t *err) {
  const eie_desc_t *d = &prog->desc[prog->num_layers - 1];
  const uint32_t N = prog->cfg.num_pe;
  for (uint32_t i = 0; i < d->out_len; i++) {
    uint32_t v;
    eie_status_t st =
        rd(bus, eie_pe_addr(i % N, EIE_PE_ACT_OFF + 4 * (d->out_base + i / N)), &v, err);
    if (st) return st;
    y[i] = (int16_t)(uint16_t)v;
  }
  return EIE_OK;
}
