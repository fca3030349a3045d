/* From a float network to what EIE stores: prune, share weights, choose the
 * fixed-point formats so that no accumulator and no output saturates on the
 * calibration inputs, and measure what the compression costs against float
 * (docs/formats.md "Compression", docs/microarchitecture.md §2 "Numerics"). */
#ifndef EIE_QUANTIZE_H
#define EIE_QUANTIZE_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Quantize an input vector: frac < 0 chooses the fraction bits from max|x|
 * (eie_frac_bits_for); *frac_out receives the bits used. */
void eie_quantize_vector(const double *x, uint32_t n, int frac, int16_t *out, int *frac_out);

/* A float network: layer l maps widths[l] inputs to widths[l+1] outputs,
 * y = relu?(W x + bias). */
typedef struct {
  unsigned layers;        /* 1..EIE_MAX_LAYERS */
  const uint32_t *widths; /* layers + 1 values, each 1..65535 */
  double *const *w;       /* row-major widths[l+1] x widths[l]; pruned in place */
  double *const *bias;    /* widths[l+1] values each, or NULL */
  const double *density;  /* fraction of weights kept by magnitude; < 0 keeps the given zeros */
  const int *relu;
} eie_float_net_t;

/* How the formats are chosen. */
typedef struct {
  unsigned headroom; /* accumulator bits kept free above the largest partial sum, 0..30 */
  int in_frac;       /* layer 0's input fraction bits, 0..15; < 0: chosen */
  int weight_frac;   /* every layer's codebook fraction bits, 0..15; < 0: chosen */
} eie_numerics_opts_t;
#define EIE_NUMERICS_HEADROOM_DEFAULT 1u

/* Error of fixed-point outputs against a float computation, over every
 * output of every calibration input: max |y - y_float|, ||y - y_float|| /
 * ||y_float|| (0 when both are 0) and SQNR = 10 log10(sum y_float^2 /
 * sum (y - y_float)^2) in dB (+inf when there is no error). */
typedef struct {
  double max_abs, rel_l2, sqnr_db;
} eie_qerror_t;

/* What the chooser did for one layer. */
typedef struct {
  int forced;               /* a format the user gave (kept even when it overflows) */
  unsigned dropped_w_bits;  /* codebook fraction bits given up for the accumulator */
  unsigned dropped_in_bits; /* input fraction bits given up (layer 0 only) */
  int64_t acc_peak;         /* largest |partial sum| of any row, any calibration input */
  int64_t acc_limit;        /* 2^(31 - headroom): acc_peak must stay below it */
  uint64_t in_clipped;      /* layer 0: calibration input values clipped to 16 bits */
  eie_sat_stats_t sat;      /* saturations on the calibration inputs (0 unless forced) */
  eie_qerror_t vs_float;    /* this layer on its fixed-point input against float with the
                             * weights as given (layer 0: on the float input) */
  eie_qerror_t vs_shared;   /* ... against float with the pruned, shared weights */
} eie_layer_numerics_t;

typedef struct {
  uint32_t calib_inputs; /* vectors the formats were chosen on */
  unsigned headroom;
  unsigned layers;
  eie_layer_numerics_t layer[EIE_MAX_LAYERS];
  eie_qerror_t vs_float, vs_shared; /* the network end to end, from the float input */
} eie_numerics_report_t;

/* Compress `net` (weights pruned in place) on the calibration inputs x
 * (n_x vectors of widths[0] values, row-major; x[0 .. widths[0]-1] is the
 * run input, quantized into xq). Formats per layer (docs/formats.md):
 * input and codebook fraction bits fill 16 bits, then the fewest bits are
 * dropped (from the operand with more significant bits, the codebook on a
 * tie; the input only in layer 0 and only when not forced) until every
 * partial sum stays below 2^(31 - headroom); the output format is the most
 * fraction bits that hold every exact output and bias in 16 bits. A forced
 * format is kept, and its saturations are counted in the report. Weights,
 * inputs or outputs no 16-bit format can hold are refused
 * (EIE_STATUS_BAD_INPUT). Fills layers[0..layers-1] (free each with
 * eie_layer_free; on failure nothing is left allocated) and *rep. */
eie_status_t eie_quantize_network(const eie_float_net_t *net, const double *x, uint32_t n_x,
                                  const eie_numerics_opts_t *opts, eie_layer_t *layers, int16_t *xq,
                                  eie_numerics_report_t *rep, eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
