// Parameters, configuration validation and the parameter hash.
#include <gtest/gtest.h>

#include <string>

#include "eie/eie_params.h"

TEST(EieParams, DefaultsAreThePapersPe) {
  eie_config_t c = eie_config_default();
  EXPECT_EQ(c.num_pe, 64u);
  EXPECT_EQ(c.fifo_depth, 8u);
  EXPECT_EQ(c.spmat_lines * 8u, 128u * 1024u);   // 128 KB of sparse matrix
  EXPECT_EQ(c.ptr_depth * 2u, 32u * 1024u);      // 32 KB of pointers
  EXPECT_EQ(c.act_sram_depth * 2u, 2u * 1024u);  // 2 KB of activations
  EXPECT_EQ(c.rf_depth, 64u);
  eie_err_t e;
  EXPECT_EQ(eie_config_validate(&c, &e), EIE_OK);
}

TEST(EieParams, ValidationRejectsOutOfRangeValues) {
  eie_err_t e;
  eie_config_t c = eie_config_default();
  c.num_pe = 0;
  EXPECT_EQ(eie_config_validate(&c, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("NUM_PE"), std::string::npos);
  c = eie_config_default();
  c.num_pe = 257;
  EXPECT_EQ(eie_config_validate(&c, &e), EIE_STATUS_BAD_INPUT);
  c = eie_config_default();
  c.fifo_depth = 0;
  EXPECT_EQ(eie_config_validate(&c, &e), EIE_STATUS_BAD_INPUT);
  c = eie_config_default();
  c.ptr_depth = 101;
  EXPECT_EQ(eie_config_validate(&c, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("even"), std::string::npos);
}

TEST(EieParams, SetByNameChecksRangeAndFixedParameters) {
  eie_err_t e;
  eie_config_t c = eie_config_default();
  EXPECT_EQ(eie_config_set(&c, "fifo-depth", 3, &e), EIE_OK);
  EXPECT_EQ(c.fifo_depth, 3u);
  EXPECT_EQ(eie_config_set(&c, "NUM_PE", 300, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(eie_config_set(&c, "ACC_W", 24, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("fixed"), std::string::npos);
  EXPECT_EQ(eie_config_set(&c, "NO_SUCH", 1, &e), EIE_STATUS_BAD_INPUT);
}

TEST(EieParams, HashIsStableAndDependsOnEveryRuntimeValue) {
  eie_config_t c = eie_config_default();
  uint32_t h = eie_param_hash(&c);
  EXPECT_EQ(h, eie_param_hash(&c));
  for (unsigned i = 0; i < eie_param_count; i++) {
    if (!eie_param_table[i].runtime) continue;
    eie_config_t d = c;
    eie_err_t e;
    uint32_t v = eie_config_value(&d, i);
    ASSERT_EQ(eie_config_set(&d, eie_param_table[i].name,
                             v == eie_param_table[i].min ? v + 2 : v - 2, &e),
              EIE_OK);
    EXPECT_NE(eie_param_hash(&d), h) << eie_param_table[i].name;
  }
}

TEST(EieParams, LnzdDepthIsTheQuadtreeHeight) {
  EXPECT_EQ(eie_lnzd_depth(1), 1u);
  EXPECT_EQ(eie_lnzd_depth(4), 1u);
  EXPECT_EQ(eie_lnzd_depth(5), 2u);
  EXPECT_EQ(eie_lnzd_depth(16), 2u);
  EXPECT_EQ(eie_lnzd_depth(17), 3u);
  EXPECT_EQ(eie_lnzd_depth(64), 3u);
  EXPECT_EQ(eie_lnzd_depth(65), 4u);
  EXPECT_EQ(eie_lnzd_depth(256), 4u);
}
