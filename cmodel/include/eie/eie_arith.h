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
/* The accumulator's add: sat32(acc + prod); *sat += 1 when it saturates. */
static inline int32_t eie_arith_add_counted(int32_t acc, int32_t prod, uint32_t *sat) {
  int32_t sum;
  const int ovf = __builtin_add_overflow(acc, prod, &sum);
  if (ovf) sum = acc < 0 ? INT32_MIN : INT32_MAX; /* both operands have acc's sign */
  *sat += (uint32_t)ovf;
  return sum;
}
/* One MAC: acc = sat32(acc + w*a) (w*a fits in 32 bits). */
static inline int32_t eie_arith_mac_counted(int32_t acc, int16_t w, int16_t a, uint32_t *sat) {
  return eie_arith_add_counted(acc, (int32_t)w * (int32_t)a, sat);
}
static inline int32_t eie_arith_mac(int32_t acc, int16_t w, int16_t a) {
  uint32_t sat = 0;
  return eie_arith_mac_counted(acc, w, a, &sat);
}
/* The write-back's round-half-up shift, exact: (acc + 2^(s-1)) >> s. */
static inline int64_t eie_arith_round_shift(int64_t acc, unsigned shift) {
  return shift == 0 ? acc : (acc + ((int64_t)1 << (shift - 1))) >> shift;
}
/* Write-back: round-half-up shift, add bias, saturate to 16 bits, optional ReLU. */
static inline int16_t eie_arith_writeback(int32_t acc, int16_t bias, unsigned shift, int relu) {
  int16_t y = eie_sat16(eie_arith_round_shift(acc, shift) + bias);
  return (relu && y < 0) ? 0 : y;
}
/* The write-back's 16-bit saturation changes the output (a negative value
 * that ReLU clears anyway does not count). */
static inline int eie_arith_writeback_saturates(int32_t acc, int16_t bias, unsigned shift,
                                                int relu) {
  const int64_t r = eie_arith_round_shift(acc, shift) + bias;
  return r > INT16_MAX || (!relu && r < INT16_MIN);
}

#ifdef __cplusplus
}
#endif
#endif
