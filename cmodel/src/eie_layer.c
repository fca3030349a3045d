/* Interleaved-CSC encoding, memory layout of a network, descriptors and
 * their validation (docs/microarchitecture.md §3, §4, §6). */
#include "eie/eie_layer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Element n of the codebook field: word, bit position. */
static unsigned cb_word(unsigned n) {
  return EIE_DESC_CODEBOOK_WORD + (EIE_DESC_CODEBOOK_LSB + n * EIE_DESC_CODEBOOK_WIDTH) / 32u;
}
static unsigned cb_lsb(unsigned n) {
  return (EIE_DESC_CODEBOOK_LSB + n * EIE_DESC_CODEBOOK_WIDTH) % 32u;
}

/* The whole-word fields are stored as written; IN_LEN and OUT_LEN too (their
 * bits above the field's width make eie_desc_validate refuse the descriptor). */
void eie_desc_to_words(const eie_desc_t *d, uint32_t w[EIE_DESC_WORDS]) {
  memset(w, 0, sizeof(uint32_t) * EIE_DESC_WORDS);
  w[EIE_DESC_IN_LEN_WORD] = d->in_len;
  w[EIE_DESC_OUT_LEN_WORD] = d->out_len;
  w[EIE_DESC_PTR_BASE_WORD] = d->ptr_base;
  w[EIE_DESC_SPMAT_BASE_WORD] = d->spmat_base;
  w[EIE_DESC_IN_BASE_WORD] = d->in_base;
  w[EIE_DESC_OUT_BASE_WORD] = d->out_base;
  w[EIE_DESC_BIAS_BASE_WORD] = d->bias_base;
  w[EIE_DESC_RELU_WORD] = d->flags;
  for (unsigned n = 0; n < EIE_DESC_CODEBOOK_COUNT; n++)
    w[cb_word(n)] |= (uint32_t)(uint16_t)d->codebook[n] << cb_lsb(n);
}

void eie_desc_from_words(const uint32_t w[EIE_DESC_WORDS], eie_desc_t *d) {
  d->in_len = w[EIE_DESC_IN_LEN_WORD];
  d->out_len = w[EIE_DESC_OUT_LEN_WORD];
  d->ptr_base = w[EIE_DESC_PTR_BASE_WORD];
  d->spmat_base = w[EIE_DESC_SPMAT_BASE_WORD];
  d->in_base = w[EIE_DESC_IN_BASE_WORD];
  d->out_base = w[EIE_DESC_OUT_BASE_WORD];
  d->bias_base = w[EIE_DESC_BIAS_BASE_WORD];
  d->flags = w[EIE_DESC_RELU_WORD];
  for (unsigned n = 0; n < EIE_DESC_CODEBOOK_COUNT; n++)
    d->codebook[n] = (int16_t)eie_desc_field_get(w[cb_word(n)], cb_lsb(n), EIE_DESC_CODEBOOK_WIDTH);
}

eie_geom_t eie_layer_geom(const eie_config_t *cfg, uint32_t in_len, uint32_t out_len) {
  eie_geom_t g;
  g.slots = eie_div_ceil(in_len, cfg->num_pe);
  g.local_rows = eie_div_ceil(out_len, cfg->num_pe);
  g.passes = eie_div_ceil(g.local_rows, cfg->rf_depth);
  return g;
}

uint32_t eie_pass_rows(const eie_config_t *cfg, const eie_geom_t *g, uint32_t pass) {
  uint32_t left = g->local_rows - pass * cfg->rf_depth;
  return left < cfg->rf_depth ? left : cfg->rf_depth;
}

uint32_t eie_csc_encode_column(const uint32_t *rows, const uint8_t *v, uint32_t n, uint8_t *out,
                               uint32_t cap) {
  uint32_t count = 0, next = 0; /* next = first row not yet covered */
  for (uint32_t e = 0; e < n; e++) {
    uint32_t gap = rows[e] - next;
    while (gap > EIE_Z_MAX) { /* padding: v = 0, z = Z_MAX, covers Z_MAX + 1 rows */
      if (out && count < cap) out[count] = eie_entry_make(0, EIE_Z_MAX);
      count++;
      gap -= EIE_Z_MAX + 1;
    }
    if (out && count < cap) out[count] = eie_entry_make(v[e], gap);
    count++;
    next = rows[e] + 1;
  }
  return count;
}

/* Walk one stored column: calls visit(ctx, row, v) for every entry, padding
 * included. Returns the first row past the last entry. */
typedef void (*entry_visit_fn)(void *ctx, uint32_t row, unsigned v);
static uint32_t walk_column(const uint8_t *spmat, uint32_t start, uint32_t end,
                            entry_visit_fn visit, void *ctx) {
  uint32_t last = 0;
  for (uint32_t e = start; e < end; e++) {
    uint32_t row = last + eie_entry_z(spmat[e]);
    if (visit) visit(ctx, row, eie_entry_v(spmat[e]));
    last = row + 1;
  }
  return last;
}

/* ---- Layout -------------------------------------------------------------- */

typedef struct {
  uint32_t base;
  int long_vec; /* in the SRAM */
} region_t;

static eie_status_t check_layer(const eie_layer_t *l, unsigned li, eie_err_t *err) {
  if (l->in_len < 1 || l->in_len > 65535 || l->out_len < 1 || l->out_len > 65535)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "layer %u: shape %ux%u is outside 1..65535", li,
                    l->out_len, l->in_len);
  if (l->shift > EIE_MAX_SHIFT)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "layer %u: output shift %u exceeds %u", li, l->shift,
                    EIE_MAX_SHIFT);
  size_t n = (size_t)l->in_len * l->out_len;
  for (size_t q = 0; q < n; q++)
    if (l->idx[q] > 15)
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "layer %u: codebook index %u at (%zu, %zu) exceeds 15", li, l->idx[q],
                      q / l->in_len, q % l->in_len);
  return EIE_OK;
}

/* A PE's three images are one allocation (eie_program_alloc): the sparse
 * matrix, the pointers right after it, the activations after those. Most of
 * a full-size image is never written, and an allocation that large comes
 * from the system zeroed, its pages touched only where written; three would
 * have the pointers (and activations) cleared byte by byte by calloc. */
static size_t spmat_bytes(const eie_config_t *cfg) {
  return (size_t)cfg->spmat_lines * EIE_ENTRIES_PER_LINE;
}
static size_t ptr_bytes(const eie_config_t *cfg) {
  return sizeof(uint16_t) * cfg->ptr_depth;
}
static size_t act_bytes(const eie_config_t *cfg) {
  return sizeof(int16_t) * (eie_act_words(cfg) ? eie_act_words(cfg) : 1);
}

void eie_program_free(eie_program_t *prog) {
  if (!prog || !prog->pe) return;
  const uintptr_t after_spmat = (uintptr_t)spmat_bytes(&prog->cfg);
  const uintptr_t after_ptr = after_spmat + (uintptr_t)ptr_bytes(&prog->cfg);
  for (uint32_t k = 0; k < prog->cfg.num_pe; k++) {
    eie_pe_image_t *im = &prog->pe[k];
    /* Pointers or activations not where the block put them (a program whose images a caller
     * allocated one by one, or replaced) are freed on their own. */
    const uintptr_t block = (uintptr_t)im->spmat;
    if (!im->spmat || (uintptr_t)im->ptr != block + after_spmat) free(im->ptr);
    if (!im->spmat || (uintptr_t)im->act != block + after_ptr) free(im->act);
    free(im->spmat);
  }
  free(prog->pe);
  prog->pe = NULL;
}

eie_status_t eie_program_alloc(eie_program_t *prog, eie_err_t *err) {
  const eie_config_t *cfg = &prog->cfg;
  prog->pe = calloc(cfg->num_pe, sizeof *prog->pe);
  if (!prog->pe) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for PE images");
  const size_t sb = spmat_bytes(cfg), pb = ptr_bytes(cfg);
  for (uint32_t k = 0; k < cfg->num_pe; k++) {
    eie_pe_image_t *im = &prog->pe[k];
    uint8_t *block = calloc(1, sb + pb + act_bytes(cfg));
    if (!block) {
      eie_program_free(prog);
      return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for PE images");
    }
    im->spmat = block;
    im->ptr = (uint16_t *)(void *)(block + sb); /* sb: a multiple of 8 */
    im->act = (int16_t *)(void *)(block + sb + pb);
  }
  return EIE_OK;
}

/* Encode one layer's entries and pointers into every PE at the given bases.
 * `colT` is the layer's index matrix transposed (K x M). */
static eie_status_t encode_layer(eie_program_t *prog, const eie_layer_t *l, unsigned li,
                                 const uint8_t *colT, uint32_t ptr_base, uint32_t spmat_base,
                                 uint32_t *max_entries, eie_err_t *err) {
  const eie_config_t *cfg = &prog->cfg;
  const uint32_t N = cfg->num_pe, K = l->in_len, M = l->out_len;
  eie_geom_t g = eie_layer_geom(cfg, K, M);
  uint32_t *rows = malloc(sizeof(uint32_t) * (cfg->rf_depth + 1));
  uint8_t *vals = malloc(cfg->rf_depth + 1);
  if (!rows || !vals) {
    free(rows);
    free(vals);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory encoding layer %u", li);
  }
  eie_status_t st = EIE_OK;
  *max_entries = 0;
  const uint64_t cap = (uint64_t)cfg->spmat_lines * EIE_ENTRIES_PER_LINE;
  for (uint32_t k = 0; k < N && st == EIE_OK; k++) {
    eie_pe_image_t *im = &prog->pe[k];
    uint64_t p = 0; /* entries of this layer in this PE so far */
    const uint64_t ebase = (uint64_t)spmat_base * EIE_ENTRIES_PER_LINE;
    for (uint32_t b = 0; b < g.passes && st == EIE_OK; b++) {
      uint32_t rb = eie_pass_rows(cfg, &g, b);
      for (uint32_t j = 0; j <= K; j++) {
        uint32_t q = ptr_base + b * (K + 1) + j;
        if (p > 65535) {
          st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                        "layer %u: PE %u needs more than 65535 entries; 16-bit pointers cannot "
                        "address them (use more PEs or a smaller layer)",
                        li, k);
          break;
        }
        im->ptr[q] = (uint16_t)p;
        if (j == K) break;
        const uint8_t *col = colT + (size_t)j * M;
        uint32_t n = 0;
        for (uint32_t r = 0; r < rb; r++) {
          uint32_t i = (b * cfg->rf_depth + r) * N + k;
          if (i >= M) break;
          if (col[i]) {
            rows[n] = r;
            vals[n] = col[i];
            n++;
          }
        }
        uint32_t cnt = eie_csc_encode_column(rows, vals, n, NULL, 0);
        if (ebase + p + cnt > cap) {
          st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                        "layer %u: PE %u needs more than the %u sparse-matrix lines of SPMAT_LINES",
                        li, k, cfg->spmat_lines);
          break;
        }
        eie_csc_encode_column(rows, vals, n, im->spmat + ebase + p, cnt);
        for (uint32_t e = 0; e < cnt; e++)
          if (eie_entry_v(im->spmat[ebase + p + e]) == 0) prog->padding++;
        prog->entries += cnt;
        p += cnt;
      }
    }
    if (p > *max_entries) *max_entries = (uint32_t)p;
    if (ebase + p > im->spmat_used) im->spmat_used = (uint32_t)(ebase + p);
    uint32_t pend = ptr_base + g.passes * (K + 1);
    if (pend > im->ptr_used) im->ptr_used = pend;
  }
  free(rows);
  free(vals);
  return st;
}

eie_status_t eie_program_build(const eie_config_t *cfg, const eie_layer_t *layers, unsigned n,
                               eie_program_t *prog, eie_err_t *err) {
  memset(prog, 0, sizeof *prog);
  eie_status_t st = eie_config_validate(cfg, err);
  if (st) return st;
  if (n < 1 || n > EIE_MAX_LAYERS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%u layers: the array holds 1..%u", n,
                    EIE_MAX_LAYERS);
  for (unsigned li = 0; li < n; li++) {
    if ((st = check_layer(&layers[li], li, err))) return st;
    if (li + 1 < n && layers[li].out_len != layers[li + 1].in_len)
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "layer %u has %u outputs but layer %u has %u inputs", li, layers[li].out_len,
                      li + 1, layers[li + 1].in_len);
  }
  const uint32_t N = cfg->num_pe, RF = cfg->rf_depth;

  /* Activation placement: register files by parity when a vector fits,
   * otherwise SRAM regions A/B by parity; biases after them. */
  uint32_t zmax = 0;
  for (unsigned v = 0; v <= n; v++) {
    uint32_t len = v == 0 ? layers[0].in_len : layers[v - 1].out_len;
    uint32_t local = eie_div_ceil(len, N);
    if (local > RF && local > zmax) zmax = local;
  }
  region_t reg[EIE_MAX_LAYERS + 1];
  for (unsigned v = 0; v <= n; v++) {
    uint32_t len = v == 0 ? layers[0].in_len : layers[v - 1].out_len;
    uint32_t local = eie_div_ceil(len, N);
    reg[v].long_vec = local > RF;
    reg[v].base = reg[v].long_vec ? 2 * RF + (v % 2) * zmax : (v % 2) * RF;
  }
  uint32_t act_top = 2 * RF + (zmax ? 2 * zmax : 0);
  uint32_t bias_base[EIE_MAX_LAYERS];
  for (unsigned li = 0; li < n; li++) {
    bias_base[li] = 0;
    if (layers[li].bias) {
      bias_base[li] = act_top;
      act_top += eie_div_ceil(layers[li].out_len, N);
    }
  }
  if (act_top > eie_act_words(cfg))
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "the network needs %u activation words per PE but the configuration has %u "
                    "(2 x RF_DEPTH %u + ACT_SRAM_DEPTH %u)",
                    act_top, eie_act_words(cfg), RF, cfg->act_sram_depth);

  uint64_t ptr_total = 0;
  for (unsigned li = 0; li < n; li++) {
    eie_geom_t g = eie_layer_geom(cfg, layers[li].in_len, layers[li].out_len);
    ptr_total += (uint64_t)g.passes * (layers[li].in_len + 1);
  }
  if (ptr_total > cfg->ptr_depth)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "the network needs %llu pointers per PE but PTR_DEPTH is %u",
                    (unsigned long long)ptr_total, cfg->ptr_depth);

  prog->cfg = *cfg;
  prog->num_layers = n;
  if ((st = eie_program_alloc(prog, err))) return st;

  uint32_t ptr_base = 0, spmat_line = 0;
  for (unsigned li = 0; li < n && st == EIE_OK; li++) {
    const eie_layer_t *l = &layers[li];
    uint8_t *colT = malloc((size_t)l->in_len * l->out_len);
    if (!colT) {
      st = eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory encoding layer %u", li);
      break;
    }
    for (uint32_t i = 0; i < l->out_len; i++)
      for (uint32_t j = 0; j < l->in_len; j++)
        colT[(size_t)j * l->out_len + i] = l->idx[(size_t)i * l->in_len + j];
    uint32_t max_entries = 0;
    st = encode_layer(prog, l, li, colT, ptr_base, spmat_line, &max_entries, err);
    free(colT);
    if (st) break;
    eie_desc_t *d = &prog->desc[li];
    memset(d, 0, sizeof *d);
    d->in_len = l->in_len;
    d->out_len = l->out_len;
    d->ptr_base = ptr_base;
    d->spmat_base = spmat_line;
    d->in_base = reg[li].base;
    d->out_base = reg[li + 1].base;
    d->bias_base = bias_base[li];
    d->flags = (l->relu ? EIE_FLAG_RELU : 0) | (l->bias ? EIE_FLAG_BIAS_EN : 0) |
               (l->shift << EIE_FLAG_SHIFT_LSB);
    memcpy(d->codebook, l->codebook, sizeof d->codebook);
    d->codebook[0] = 0;
    eie_geom_t g = eie_layer_geom(cfg, l->in_len, l->out_len);
    ptr_base += g.passes * (l->in_len + 1);
    spmat_line += eie_div_ceil(max_entries, EIE_ENTRIES_PER_LINE);
    if (l->bias)
      for (uint32_t i = 0; i < l->out_len; i++)
        prog->pe[i % N].act[bias_base[li] + i / N] = l->bias[i];
  }
  if (st) eie_program_free(prog);
  return st;
}

void eie_program_set_input(eie_program_t *prog, const int16_t *x) {
  const eie_desc_t *d = &prog->desc[0];
  const uint32_t N = prog->cfg.num_pe;
  for (uint32_t j = 0; j < d->in_len; j++) prog->pe[j % N].act[d->in_base + j / N] = x[j];
}

void eie_program_gather(const eie_program_t *prog, uint32_t base, uint32_t len, int16_t *out) {
  const uint32_t N = prog->cfg.num_pe;
  for (uint32_t i = 0; i < len; i++) out[i] = prog->pe[i % N].act[base + i / N];
}

/* ---- Validation and decoding ------------------------------------------------ */

static int overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen) {
  return a < b + blen && b < a + alen;
}

/* Entries e[0..n) of a column, eight to a 64-bit word (entry i in bits
 * [8i+7:8i], the rest 0); the memory holds room >= n bytes from e, and a
 * whole word is read only where 8 of them are there. */
static uint64_t entry_word(const uint8_t *e, uint32_t n, uint64_t room) {
  uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (room >= 8) {
    memcpy(&w, e, 8);
    return n >= 8 ? w : w & ((1ull << 8 * n) - 1u);
  }
#else
  (void)room;
#endif
  for (uint32_t i = 0; i < n && i < 8; i++) w |= (uint64_t)e[i] << 8 * i;
  return w;
}

/* The sum of the z fields (low nibbles) of a word of entries. */
static uint32_t word_z_sum(uint64_t w) {
  return (uint32_t)(((w & 0x0f0f0f0f0f0f0f0full) * 0x0101010101010101ull) >> 56); /* <= 120 */
}

/* One past the last real row of the n entries of a column at e (0 when none
 * is real), the row walk_column gives that entry plus 1: entry i is in row
 * sum over the entries before it of (z + 1), plus its own z, so the last
 * real entry r ends sum over entries 0..r of (z + 1) rows. A word of eight
 * entries at a time, without a branch per entry: a column's length varies,
 * and a loop over its entries mispredicts its end once a column. */
static uint32_t word_top(uint64_t w, uint32_t rows, uint32_t top) {
  const uint64_t v = w & 0xf0f0f0f0f0f0f0f0ull; /* the v fields */
  if (!v) return top;
  const unsigned last = (63u - (unsigned)__builtin_clzll(v)) | 7u; /* top bit of entry r */
  return rows + (last + 1) / 8 + word_z_sum(w & (~0ull >> (63u - last)));
}
static uint32_t column_top(const uint8_t *e, uint32_t n, uint64_t room) {
  uint32_t rows = 0, top = 0; /* rows: those of the words before this one */
  for (; n > 8; e += 8, n -= 8, room -= 8) {
    const uint64_t w = entry_word(e, 8, room);
    top = word_top(w, rows, top);
    rows += 8 + word_z_sum(w);
  }
  return word_top(entry_word(e, n, room), rows, top);
}

/* The rows all n entries span, sum of (z + 1): column_top's answer plus
 * those of any padding after the last real entry (an encoder writes none),
 * so column_top is needed only when this is too many. */
static uint32_t column_span(const uint8_t *e, uint32_t n, uint64_t room) {
  uint32_t rows = n;
  for (; n > 8; e += 8, n -= 8, room -= 8) rows += word_z_sum(entry_word(e, 8, room));
  return rows + word_z_sum(entry_word(e, n, room));
}

/* The sum of the z fields of the entries from word w0's first up to entry x
 * (not included), from zw (below) and x's word: multiplied as word_z_sum
 * does, after a shift of one entry, the word's byte i holds the sum of the
 * z fields of its entries before entry i. x = room (the memory's end) reads
 * the last word, none of whose entries then count. */
static uint32_t z_before(const uint8_t *e, const uint32_t *zw, uint32_t w0, uint32_t last,
                         uint32_t x) {
  const uint64_t w = entry_word(e + 8 * (x / 8 < last ? x / 8 : last), 8, 8);
  const uint64_t before = ((w & 0x0f0f0f0f0f0f0f0full) << 8) * 0x0101010101010101ull;
  return zw[x / 8 - w0] + (uint32_t)((before >> 8 * (x % 8)) & 0xff);
}

/* Whether a pass of a PE passes the column checks of eie_desc_validate for
 * certain, from a cheaper look at the same memory than the column walk: its
 * pointers p[0..K] do not decrease, the last is within the room entries from
 * e, and every column spans (column_span) at most rows rows. A column spans
 * its entries plus the sum of their z fields, a difference of running sums:
 * zw[i] sums the words from p[0] / 8 up to p[0] / 8 + i (zw holds room / 8 + 1
 * of them). Every column the walk refuses fails here too (column_top <=
 * column_span); a pass not cleared is walked column by column, which names
 * the failing column or clears it. */
static int pass_clear(const uint8_t *e, uint64_t room, const uint16_t *p, uint32_t K, uint32_t rows,
                      uint32_t *zw) {
  uint32_t bad = 0;
  for (uint32_t j = 0; j < K; j++) bad |= p[j + 1] < p[j];
  if (bad || p[K] > room) return 0;
  const uint32_t w0 = p[0] / 8, w1 = p[K] / 8, last = (uint32_t)(room / 8) - 1; /* room >= 8 */
  uint32_t sum = 0;
  for (uint32_t w = w0; w < w1; w++) {
    zw[w - w0] = sum;
    sum += word_z_sum(entry_word(e + 8 * w, 8, 8));
  }
  zw[w1 - w0] = sum;
  uint32_t z0 = z_before(e, zw, w0, last, p[0]);
  for (uint32_t j = 0; j < K; j++) {
    const uint32_t z1 = z_before(e, zw, w0, last, p[j + 1]);
    bad |= (uint32_t)(p[j + 1] - p[j]) + (z1 - z0) > rows;
    z0 = z1;
  }
  return !bad;
}

/* Rows PE k really has in pass b (global rows below OUT_LEN). */
static uint32_t pe_pass_rows(const eie_config_t *cfg, uint32_t out_len, uint32_t k, uint32_t b) {
  uint32_t total = k < out_len ? (out_len - k + cfg->num_pe - 1) / cfg->num_pe : 0;
  uint32_t first = b * cfg->rf_depth;
  if (total <= first) return 0;
  return total - first < cfg->rf_depth ? total - first : cfg->rf_depth;
}

eie_status_t eie_desc_validate(const eie_config_t *cfg, const eie_desc_t *d,
                               const eie_pe_image_t *images, eie_err_t *err) {
  const uint32_t in_max = (1u << EIE_DESC_IN_LEN_WIDTH) - 1u;
  const uint32_t out_max = (1u << EIE_DESC_OUT_LEN_WIDTH) - 1u;
  if (d->in_len < 1 || d->in_len > in_max)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "IN_LEN %u is outside 1..%u", d->in_len, in_max);
  if (d->out_len < 1 || d->out_len > out_max)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "OUT_LEN %u is outside 1..%u", d->out_len, out_max);
  eie_geom_t g = eie_layer_geom(cfg, d->in_len, d->out_len);
  uint64_t ptr_end = (uint64_t)d->ptr_base + (uint64_t)g.passes * (d->in_len + 1);
  if (ptr_end > cfg->ptr_depth)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "pointer arrays end at %llu, beyond PTR_DEPTH %u",
                    (unsigned long long)ptr_end, cfg->ptr_depth);
  if (d->spmat_base >= cfg->spmat_lines)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "SPMAT_BASE %u is beyond SPMAT_LINES %u",
                    d->spmat_base, cfg->spmat_lines);
  const uint32_t aw = eie_act_words(cfg);
  const int bias = (d->flags & EIE_FLAG_BIAS_EN) != 0;
  if ((uint64_t)d->in_base + g.slots > aw)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "input region %u+%u is beyond %u activation words",
                    d->in_base, g.slots, aw);
  if ((uint64_t)d->out_base + g.local_rows > aw)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "output region %u+%u is beyond %u activation words",
                    d->out_base, g.local_rows, aw);
  if (bias && (uint64_t)d->bias_base + g.local_rows > aw)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "bias region %u+%u is beyond %u activation words",
                    d->bias_base, g.local_rows, aw);
  if (overlap(d->out_base, g.local_rows, d->in_base, g.slots))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "output region %u+%u overlaps input region %u+%u",
                    d->out_base, g.local_rows, d->in_base, g.slots);
  if (bias && overlap(d->out_base, g.local_rows, d->bias_base, g.local_rows))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "output region %u+%u overlaps bias region %u+%u",
                    d->out_base, g.local_rows, d->bias_base, g.local_rows);
  if (d->flags & ~(EIE_FLAG_RELU | EIE_FLAG_BIAS_EN |
                   eie_desc_field_mask(EIE_DESC_SHIFT_LSB, EIE_DESC_SHIFT_WIDTH)))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "FLAGS 0x%x has reserved bits set", d->flags);
  if (!images) return EIE_OK;
  const uint64_t ecap = (uint64_t)cfg->spmat_lines * EIE_ENTRIES_PER_LINE;
  const uint64_t ebase = (uint64_t)d->spmat_base * EIE_ENTRIES_PER_LINE;
  /* pass_clear's running sums (without them, every pass is walked). */
  uint32_t *zw = malloc(sizeof *zw * ((size_t)cfg->spmat_lines + 1));
  for (uint32_t k = 0; k < cfg->num_pe; k++) {
    const uint16_t *p = images[k].ptr;
    for (uint32_t b = 0; b < g.passes; b++) {
      const uint16_t *pb = p + d->ptr_base + b * (d->in_len + 1);
      uint32_t rows_k = pe_pass_rows(cfg, d->out_len, k, b);
      if (zw && pass_clear(images[k].spmat + ebase, ecap - ebase, pb, d->in_len, rows_k, zw))
        continue;
      uint32_t start = pb[0];
      for (uint32_t j = 0; j < d->in_len; j++) {
        const uint32_t end = pb[j + 1]; /* column j: entries start..end-1 */
        if (end < start) {
          free(zw);
          return eie_fail(err, EIE_STATUS_BAD_INPUT,
                          "PE %u pass %u: pointer p[%u] = %u is below p[%u] = %u", k, b, j + 1, end,
                          j, start);
        }
        if (ebase + end > ecap) {
          free(zw);
          return eie_fail(err, EIE_STATUS_BAD_INPUT,
                          "PE %u pass %u: column %u ends at entry %llu, beyond SPMAT_LINES %u", k,
                          b, j, (unsigned long long)(ebase + end), cfg->spmat_lines);
        }
        const uint8_t *col = images[k].spmat + ebase + start;
        const uint64_t room = ecap - ebase - start;
        uint32_t top = column_span(col, end - start, room);
        if (top > rows_k) top = column_top(col, end - start, room);
        start = end;
        if (top > rows_k) {
          free(zw);
          return eie_fail(err, EIE_STATUS_BAD_INPUT,
                          "PE %u pass %u: column %u writes local row %u of the %u this PE has in "
                          "the pass",
                          k, b, j, top - 1, rows_k);
        }
      }
    }
  }
  free(zw);
  return EIE_OK;
}

typedef struct {
  uint8_t *idx;
  uint32_t K, N, k, pass_row0, j;
} decode_ctx_t;

static void decode_visit(void *vctx, uint32_t row, unsigned v) {
  decode_ctx_t *c = vctx;
  if (!v) return;
  uint32_t i = (c->pass_row0 + row) * c->N + c->k;
  c->idx[(size_t)i * c->K + c->j] = (uint8_t)v;
}

eie_status_t eie_program_decode(const eie_program_t *prog, unsigned layer, uint8_t **idx,
                                eie_err_t *err) {
  *idx = NULL;
  if (layer >= prog->num_layers)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "layer %u of a %u-layer program", layer,
                    prog->num_layers);
  const eie_config_t *cfg = &prog->cfg;
  const eie_desc_t *d = &prog->desc[layer];
  eie_status_t st = eie_desc_validate(cfg, d, prog->pe, err);
  if (st) return st;
  eie_geom_t g = eie_layer_geom(cfg, d->in_len, d->out_len);
  uint8_t *m = calloc((size_t)d->in_len * d->out_len, 1);
  if (!m) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory decoding layer %u", layer);
  const uint32_t ebase = d->spmat_base * EIE_ENTRIES_PER_LINE;
  for (uint32_t k = 0; k < cfg->num_pe; k++) {
    for (uint32_t b = 0; b < g.passes; b++) {
      const uint16_t *pb = prog->pe[k].ptr + d->ptr_base + b * (d->in_len + 1);
      decode_ctx_t c = {m, d->in_len, cfg->num_pe, k, b * cfg->rf_depth, 0};
      for (uint32_t j = 0; j < d->in_len; j++) {
        c.j = j;
        walk_column(prog->pe[k].spmat, ebase + pb[j], ebase + pb[j + 1], decode_visit, &c);
      }
    }
  }
  *idx = m;
  return EIE_OK;
}

uint64_t eie_program_work_bound(const eie_program_t *prog, unsigned layer, const int16_t *x) {
  const eie_config_t *cfg = &prog->cfg;
  const eie_desc_t *d = &prog->desc[layer];
  eie_geom_t g = eie_layer_geom(cfg, d->in_len, d->out_len);
  uint64_t best = 0;
  for (uint32_t k = 0; k < cfg->num_pe; k++) {
    uint64_t sum = 0;
    for (uint32_t b = 0; b < g.passes; b++) {
      const uint16_t *pb = prog->pe[k].ptr + d->ptr_base + b * (d->in_len + 1);
      for (uint32_t j = 0; j < d->in_len; j++) { /* without a branch on x[j] */
        const uint32_t e = (uint32_t)(pb[j + 1] - pb[j]);
        sum += (uint64_t)(x[j] != 0) * (e ? e : 1);
      }
    }
    if (sum > best) best = sum;
  }
  return best;
}

void eie_layer_free(eie_layer_t *layer) {
  free(layer->idx);
  free(layer->bias);
  layer->idx = NULL;
  layer->bias = NULL;
}
