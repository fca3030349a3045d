/* A quantized layer as EIE computes it, the interleaved-CSC encoding of a
 * network into per-PE memory images, and the layer descriptors. */
#ifndef EIE_LAYER_H
#define EIE_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "eie/eie_params.h"
#include "eie/eie_regs.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A sparse-matrix entry byte (docs/microarchitecture.md §3): codebook index
 * v in the high V_W bits, the count z of zero rows before it in the low Z_W
 * bits; v = 0 is padding. */
#define EIE_Z_MASK ((1u << EIE_Z_W) - 1u)
#define EIE_Z_MAX EIE_Z_MASK /* the longest run of zero rows one entry skips */
static inline uint32_t eie_entry_v(uint8_t e) {
  return (uint32_t)e >> EIE_Z_W;
}
static inline uint32_t eie_entry_z(uint8_t e) {
  return e & EIE_Z_MASK;
}
static inline uint8_t eie_entry_make(uint32_t v, uint32_t z) {
  return (uint8_t)(v << EIE_Z_W | z);
}

/* One fully connected layer after compression: y = f(W x + bias). */
typedef struct {
  uint32_t in_len;               /* K */
  uint32_t out_len;              /* M */
  int16_t codebook[EIE_CB_SIZE]; /* [0] is 0 */
  uint8_t *idx;                  /* M*K codebook indices, row-major (idx[i*K + j]); 0 = pruned */
  int16_t *bias;                 /* M values in the output format, or NULL */
  int in_frac, w_frac, out_frac;
  unsigned shift; /* in_frac + w_frac - out_frac, 0..31 */
  int relu;
} eie_layer_t;

/* Layer descriptor, as written to DESC[L] (docs/microarchitecture.md §4). */
/* FLAGS (word EIE_DESC_RELU_WORD) as masks; the fields are eie_regs.h's. */
#define EIE_FLAG_RELU (((1u << EIE_DESC_RELU_WIDTH) - 1u) << EIE_DESC_RELU_LSB)
#define EIE_FLAG_BIAS_EN (((1u << EIE_DESC_BIAS_EN_WIDTH) - 1u) << EIE_DESC_BIAS_EN_LSB)
#define EIE_FLAG_SHIFT_LSB ((uint32_t)EIE_DESC_SHIFT_LSB)
typedef struct {
  uint32_t in_len, out_len, ptr_base, spmat_base, in_base, out_base, bias_base, flags;
  int16_t codebook[EIE_CB_SIZE];
} eie_desc_t;

static inline uint32_t eie_desc_shift(const eie_desc_t *d) {
  return eie_desc_field_get(d->flags, EIE_DESC_SHIFT_LSB, EIE_DESC_SHIFT_WIDTH);
}
void eie_desc_to_words(const eie_desc_t *d, uint32_t w[EIE_DESC_WORDS]);
void eie_desc_from_words(const uint32_t w[EIE_DESC_WORDS], eie_desc_t *d);

/* Free what a layer owns (idx, bias) and clear the pointers; the layers that
 * eie_random_layer and eie_quantize_network build. */
void eie_layer_free(eie_layer_t *layer);

/* Geometry of a layer on a configuration. */
typedef struct {
  uint32_t slots;      /* S = ceil(K/N): input words per PE */
  uint32_t local_rows; /* L_R = ceil(M/N) */
  uint32_t passes;     /* NP = ceil(L_R / R_F) */
} eie_geom_t;
eie_geom_t eie_layer_geom(const eie_config_t *cfg, uint32_t in_len, uint32_t out_len);
/* Rows of pass b (R_b). */
uint32_t eie_pass_rows(const eie_config_t *cfg, const eie_geom_t *g, uint32_t pass);

/* The memory images of every PE plus the descriptors: what a driver loads. */
typedef struct {
  uint8_t *spmat;      /* spmat_lines*8 entry bytes (v<<4 | z) */
  uint16_t *ptr;       /* ptr_depth pointers */
  int16_t *act;        /* act_words activations (inputs, biases; outputs after a run) */
  uint32_t spmat_used; /* entries in use (padding included), from 0 */
  uint32_t ptr_used;   /* pointers in use, from 0 */
} eie_pe_image_t;

typedef struct {
  eie_config_t cfg;
  uint32_t num_layers;
  eie_desc_t desc[EIE_MAX_LAYERS];
  eie_pe_image_t *pe; /* cfg.num_pe images */
  /* Statistics of the encoding. */
  uint64_t entries, padding;
} eie_program_t;

/* Lay out and encode `n` layers (layer L+1 reads what L writes): pointers and
 * entries packed layer after layer, activations in the register files when a
 * vector fits (ping-pong), else in the SRAM; biases in the SRAM. Refuses what
 * the configuration cannot hold with EIE_STATUS_BAD_INPUT and a message. */
eie_status_t eie_program_build(const eie_config_t *cfg, const eie_layer_t *layers, unsigned n,
                               eie_program_t *prog, eie_err_t *err);
/* prog->pe for prog->cfg: cfg.num_pe images at full size (SPMAT_LINES * 8
 * entry bytes, PTR_DEPTH pointers, the activation words), zeroed, none in use;
 * what eie_program_build fills and eie_program_free frees. A PE's three
 * images are one allocation that starts at spmat (free(spmat) frees them
 * all); pointers or activations put in place of a PE's own are freed on
 * their own. */
eie_status_t eie_program_alloc(eie_program_t *prog, eie_err_t *err);
void eie_program_free(eie_program_t *prog);
/* Place input vector x (layer 0's in_len values) into the images. */
void eie_program_set_input(eie_program_t *prog, const int16_t *x);
/* Gather an activation vector of `len` values at `base` from the images. */
void eie_program_gather(const eie_program_t *prog, uint32_t base, uint32_t len, int16_t *out);

/* Validate one descriptor against the configuration and, when `images` is not
 * NULL, the pointer arrays it refers to (monotonic, inside the sparse-matrix
 * memory). What every driver calls before START. */
eie_status_t eie_desc_validate(const eie_config_t *cfg, const eie_desc_t *d,
                               const eie_pe_image_t *images, eie_err_t *err);

/* Decode layer L of a program back to its index matrix (M*K, malloc'd). */
eie_status_t eie_program_decode(const eie_program_t *prog, unsigned layer, uint8_t **idx,
                                eie_err_t *err);

/* Encode one column slice (the entries of `rows` ascending local rows with
 * codebook indices `v`) into (v, z) entries with padding. Returns the entry
 * count; writes at most `cap` entries to out (NULL allowed to count). */
uint32_t eie_csc_encode_column(const uint32_t *rows, const uint8_t *v, uint32_t n, uint8_t *out,
                               uint32_t cap);

/* Lower bound of §7 for layer L of a program with input x: the maximum over
 * PEs of the sum over passes and non-zero x_j of max(1, entries). */
uint64_t eie_program_work_bound(const eie_program_t *prog, unsigned layer, const int16_t *x);

#ifdef __cplusplus
}
#endif
#endif
