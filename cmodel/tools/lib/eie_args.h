/* Command-line numbers, read strictly: decimal digits only (no sign unless
 * negative values are allowed, no leading zeros, no octal or hexadecimal, no
 * spaces), so that `--pes 010` is refused rather than read as 8. */
#ifndef EIE_ARGS_H
#define EIE_ARGS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An integer in lo..hi (a '-' sign only when lo < 0); 0 on success. */
int eie_args_int(const char *s, long long lo, long long hi, long long *out);
/* A comma-separated list of at most max integers, each in lo..hi ("" is the
 * empty list; no empty items): the values into out[], their count into *n;
 * 0 on success. */
int eie_args_u32_list(const char *s, uint32_t lo, uint32_t hi, unsigned max, uint32_t *out,
                      unsigned *n);
/* "MxK" with both in 1..max; 0 on success. */
int eie_args_mxk(const char *s, unsigned long max, unsigned long *m, unsigned long *k);
/* A decimal real ("0.35", "1e-3"; not hexadecimal, inf or nan) in [lo, hi]; 0 on success. */
int eie_args_real(const char *s, double lo, double hi, double *out);

#ifdef __cplusplus
}
#endif
#endif
