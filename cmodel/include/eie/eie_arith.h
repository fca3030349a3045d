/* Bit-exact arithmetic shared by the cycle model and the functional
 * reference (docs/microarchitecture.md §2). */
#ifndef EIE_ARITH_H
#define EIE_ARITH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline int32_t eie_sat32(int64_t x) {
  return x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : (int32_t)x;
}
static inline int16_t eie_sat16(int64_t x) {
  return x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : (int16_t)x;
}
/* One MAC: acc = sat32(acc + w*a). */
static inline int32_t eie_arith_mac(int32_t acc, int16_t w, int16_t a) {
  int32_t sum;
  /* w*a fits in 32 bits; on overflow both operands have acc's sign. */
  if (__builtin_add_overflow(acc, (int32_t)w * (int32_t)a, &sum)) sum = acc < 0 ? INT32_MIN : INT32_MAX;
  return sum;
}
/* Write-back: round-half-up shift, add bias, saturate to 16 bits, optional ReLU. */
static inline int16_t eie_arith_writeback(int32_t acc, int16_t bias, unsigned shift, int relu) {
  int64_t r = shift == 0 ? (int64_t)acc : ((int64_t)acc + ((int64_t)1 << (shift - 1))) >> shift;
  int16_t y = eie_sat16(r + bias);
  return (relu && y < 0) ? 0 : y;
}

#ifdef __cplusplus
}
#endif
#endif
