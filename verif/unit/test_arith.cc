// Bit-exact arithmetic: MAC saturation and write-back rounding, bias, ReLU.
#include <gtest/gtest.h>

#include "eie/eie_arith.h"

TEST(EieArith, MacSaturatesAt32Bits) {
  EXPECT_EQ(eie_arith_mac(INT32_MAX - 10, 100, 100), INT32_MAX);
  EXPECT_EQ(eie_arith_mac(INT32_MIN + 10, -100, 100), INT32_MIN);
  EXPECT_EQ(eie_arith_mac(5, -3, 4), -7);
  EXPECT_EQ(eie_arith_mac(0, INT16_MIN, INT16_MIN), 1 << 30);  // largest product fits
}

TEST(EieArith, WritebackRoundsHalfUp) {
  // shift 2: 6/4 = 1.5 -> 2, 5/4 = 1.25 -> 1, -6/4 = -1.5 -> -1, -7/4 = -1.75 -> -2
  EXPECT_EQ(eie_arith_writeback(6, 0, 2, 0), 2);
  EXPECT_EQ(eie_arith_writeback(5, 0, 2, 0), 1);
  EXPECT_EQ(eie_arith_writeback(-6, 0, 2, 0), -1);
  EXPECT_EQ(eie_arith_writeback(-7, 0, 2, 0), -2);
  EXPECT_EQ(eie_arith_writeback(-5, 0, 2, 0), -1);
  EXPECT_EQ(eie_arith_writeback(123, 0, 0, 0), 123);
}

TEST(EieArith, WritebackSaturatesTo16Bits) {
  EXPECT_EQ(eie_arith_writeback(40000, 0, 0, 0), 32767);
  EXPECT_EQ(eie_arith_writeback(-40000, 0, 0, 0), -32768);
  EXPECT_EQ(eie_arith_writeback(INT32_MAX, 0, 31, 0), 1);  // (2^31-1 + 2^30) >> 31 = 1
  EXPECT_EQ(eie_arith_writeback(INT32_MAX, 0, 1, 0), 32767);
  EXPECT_EQ(eie_arith_writeback(INT32_MIN, 0, 31, 0), -1);
  EXPECT_EQ(eie_arith_writeback(32760, 100, 0, 0), 32767);  // bias pushes over
}

TEST(EieArith, BiasIsAddedInTheOutputFormat) {
  // (10 + 2) >> 2 = 3, + bias 5 = 8; same as (10 + 5*4 + 2) >> 2.
  EXPECT_EQ(eie_arith_writeback(10, 5, 2, 0), 8);
  EXPECT_EQ(eie_arith_writeback(10 + 5 * 4, 0, 2, 0), 8);
  EXPECT_EQ(eie_arith_writeback(-10, -5, 2, 0), -7);
}

TEST(EieArith, ReluClampsNegativesAfterSaturation) {
  EXPECT_EQ(eie_arith_writeback(-100, 0, 0, 1), 0);
  EXPECT_EQ(eie_arith_writeback(100, 0, 0, 1), 100);
  EXPECT_EQ(eie_arith_writeback(-40000, 0, 0, 1), 0);
  EXPECT_EQ(eie_arith_writeback(4, -5, 0, 1), 0);
}

TEST(EieArith, SaturationsAreCounted) {
  uint32_t sat = 0;
  EXPECT_EQ(eie_arith_mac_counted(INT32_MAX - 10, 100, 100, &sat), INT32_MAX);
  EXPECT_EQ(sat, 1u);
  EXPECT_EQ(eie_arith_mac_counted(INT32_MIN + 10, -100, 100, &sat), INT32_MIN);
  EXPECT_EQ(eie_arith_mac_counted(INT32_MAX - 10000, 100, 100, &sat),
            INT32_MAX);  // exactly at the top
  EXPECT_EQ(sat, 2u);
  EXPECT_EQ(eie_arith_mac_counted(5, -3, 4, &sat), -7);
  EXPECT_EQ(sat, 2u);
  // Write-back: clipped to 16 bits is a saturation; a negative value ReLU clears anyway is not.
  EXPECT_TRUE(eie_arith_writeback_saturates(40000, 0, 0, 0));
  EXPECT_TRUE(eie_arith_writeback_saturates(-40000, 0, 0, 0));
  EXPECT_FALSE(eie_arith_writeback_saturates(-40000, 0, 0, 1));
  EXPECT_TRUE(eie_arith_writeback_saturates(40000, 0, 0, 1));
  EXPECT_TRUE(eie_arith_writeback_saturates(32760, 100, 0, 0));  // the bias pushes over
  EXPECT_FALSE(eie_arith_writeback_saturates(32767, 0, 0, 0));
  EXPECT_FALSE(eie_arith_writeback_saturates(-32768, 0, 0, 0));
  EXPECT_TRUE(eie_arith_writeback_saturates(65535 * 2 + 1, 0, 1, 0));  // (131071 + 1) >> 1 = 65536
  EXPECT_EQ(eie_arith_round_shift(-7, 2), -2);
  EXPECT_EQ(eie_arith_round_shift(int64_t(1) << 40, 8), int64_t(1) << 32);  // exact beyond 32 bits
}
