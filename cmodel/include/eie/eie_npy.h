/* Reading and writing NumPy .npy files (format versions 1.0, 2.0 and 3.0,
 * C order, little-endian). Every failure names the file and the problem. */
#ifndef EIE_NPY_H
#define EIE_NPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  EIE_NPY_F32,
  EIE_NPY_F64,
  EIE_NPY_I16,
  EIE_NPY_U16,
  EIE_NPY_I32,
  EIE_NPY_U8,
  EIE_NPY_I64
} eie_npy_dtype_t;

#define EIE_NPY_MAX_DIMS 4

typedef struct {
  eie_npy_dtype_t dtype;
  unsigned ndim; /* 0 (scalar) .. EIE_NPY_MAX_DIMS */
  uint64_t shape[EIE_NPY_MAX_DIMS];
  uint64_t count; /* product of shape (1 for a scalar) */
  void *data;     /* count elements of dtype, native order; free with eie_npy_free */
} eie_npy_t;

/* Size in bytes of one element. */
size_t eie_npy_dtype_size(eie_npy_dtype_t t);
/* NumPy descr string, e.g. "<i2". */
const char *eie_npy_dtype_descr(eie_npy_dtype_t t);

/* Read `path`. Accepts descr '<f4' '<f8' '<i2' '<u2' '<i4' '<i8' '|u1' (byte order '<', '=' or
 * '|'), fortran_order False only, big-endian refused. Errors (EIE_STATUS_BAD_INPUT or
 * EIE_STATUS_IO) carry "<path>: <problem>". Absurd shapes (more than 2^31
 * elements, or data size not matching the file) are refused. */
eie_status_t eie_npy_read(const char *path, eie_npy_t *out, eie_err_t *err);
/* The same from an open stream positioned at the start of the file (not
 * closed); `path` names it in messages. */
eie_status_t eie_npy_fread(FILE *f, const char *path, eie_npy_t *out, eie_err_t *err);

/* Parse a .npy file held in memory (len bytes at buf) in place: out->data
 * points into buf, at its element data put in native order (not to be freed
 * with eie_npy_free). The checks and messages are eie_npy_fread's; a
 * Fortran-ordered array of more than one dimension is refused. */
eie_status_t eie_npy_parse(void *buf, size_t len, const char *path, eie_npy_t *out, eie_err_t *err);

/* Write atomically: the data go to "<path>.tmp.<pid>" which is renamed onto
 * `path` only when complete; nothing is left behind on failure. */
eie_status_t eie_npy_write(const char *path, eie_npy_dtype_t dtype, unsigned ndim,
                           const uint64_t *shape, const void *data, eie_err_t *err);

/* The bytes eie_npy_write writes, in memory: *out (malloc'd, the caller frees
 * it) of *out_len bytes. */
eie_status_t eie_npy_encode(eie_npy_dtype_t dtype, unsigned ndim, const uint64_t *shape,
                            const void *data, void **out, size_t *out_len, eie_err_t *err);

/* Convert every element to double (int64 exact up to 2^53); returns a malloc'd
 * array of out->count doubles or NULL on allocation failure. */
double *eie_npy_to_double(const eie_npy_t *a);

void eie_npy_free(eie_npy_t *a);

#ifdef __cplusplus
}
#endif
#endif
