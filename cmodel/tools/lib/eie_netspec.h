/* Network specifications for `eie gen --network SPEC.json` (docs/formats.md):
 * the input vector and, per layer, a weight .npy, an optional bias .npy, the
 * pruning density and ReLU. File names are relative to the spec's folder and
 * stay inside it (no "..", not absolute); each is a regular file. */
#ifndef EIE_NETSPEC_H
#define EIE_NETSPEC_H

#include <stdint.h>

#include "eie/eie_params.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EIE_NETSPEC_SCHEMA "eie-network"
#define EIE_NETSPEC_VERSION 1
#define EIE_NETSPEC_MAX_FILES (2 + 2 * EIE_MAX_LAYERS)
/* int16 weights are fixed point with this many fraction bits unless a
 * layer's "weight_frac" (or eie gen --weight-frac) says otherwise. */
#define EIE_INT16_WEIGHT_FRAC 14

typedef struct {
  unsigned layers; /* 1..EIE_MAX_LAYERS */
  uint32_t
      widths[EIE_MAX_LAYERS + 1]; /* widths[0] = input length, widths[l+1] = layer l's outputs */
  double
      *w[EIE_MAX_LAYERS]; /* layer l: widths[l+1] x widths[l], row-major (int16: / 2^weight_frac) */
  double *bias[EIE_MAX_LAYERS];   /* or NULL */
  double density[EIE_MAX_LAYERS]; /* < 0: keep the given sparsity */
  int relu[EIE_MAX_LAYERS];
  double *x;                          /* float input, or NULL when xq is given */
  int16_t *xq;                        /* int16 input (already Q(input_frac)), or NULL */
  int input_frac;                     /* for an int16 input; -1 otherwise */
  char *files[EIE_NETSPEC_MAX_FILES]; /* every file the spec names, as opened (dir/name) */
  unsigned num_files;
} eie_netspec_t;

/* Read and check a spec and every file it names; errors name the spec or the
 * file and the problem (EIE_STATUS_BAD_INPUT). */
eie_status_t eie_netspec_read(const char *path, eie_netspec_t *ns, eie_err_t *err);
void eie_netspec_free(eie_netspec_t *ns);

#ifdef __cplusplus
}
#endif
#endif
