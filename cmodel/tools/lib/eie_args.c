/* Strict command-line numbers (see eie_args.h). */
#include "eie_args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Digits of s[0..n): decimal, "0" or no leading zero; value into *v. */
static int digits(const char *s, size_t n, unsigned long long *v) {
  if (n == 0 || n > 19 || (n > 1 && s[0] == '0')) return -1;
  unsigned long long x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    x = x * 10 + (unsigned)(s[i] - '0');
  }
  *v = x;
  return 0;
}

int eie_args_int(const char *s, long long lo, long long hi, long long *out) {
  if (!s) return -1;
  const int neg = s[0] == '-';
  if (neg && lo >= 0) return -1;
  unsigned long long u;
  if (digits(s + neg, strlen(s + neg), &u) || (neg && u == 0) || u > (unsigned long long)9e18)
    return -1;
  const long long v = neg ? -(long long)u : (long long)u;
  if (v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

int eie_args_u32_list(const char *s, uint32_t lo, uint32_t hi, unsigned max, uint32_t *out,
                      unsigned *n) {
  if (!s) return -1;
  unsigned k = 0;
  for (const char *p = s; *p;) {
    const size_t len = strcspn(p, ",");
    unsigned long long v;
    if (k == max || digits(p, len, &v) || v < lo || v > hi) return -1;
    out[k++] = (uint32_t)v;
    if (!p[len]) break;
    p += len + 1;
    if (!*p) return -1; /* a trailing comma */
  }
  *n = k;
  return 0;
}

int eie_args_mxk(const char *s, unsigned long max, unsigned long *m, unsigned long *k) {
  const char *x = s ? strchr(s, 'x') : NULL;
  unsigned long long a, b;
  if (!x || digits(s, (size_t)(x - s), &a) || digits(x + 1, strlen(x + 1), &b) || a < 1 || b < 1 ||
      a > max || b > max)
    return -1;
  *m = (unsigned long)a;
  *k = (unsigned long)b;
  return 0;
}

int eie_args_real(const char *s, double lo, double hi, double *out) {
  if (!s || !*s || strspn(s, "0123456789.eE+-") != strlen(s)) return -1;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end || errno || !(v >= lo && v <= hi)) return -1;
  *out = v;
  return 0;
}
