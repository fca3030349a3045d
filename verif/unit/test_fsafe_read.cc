// eie_fsafe_read_all: a file read whole with one read, its size as fstat gave
// it, and eie_npy_parse on those bytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "eie/eie_npy.h"
#include "eie_fsafe.h"

TEST(EieFsafeRead, ReadsAFileWholeAndParsesAnNpyInPlace) {
  char dir[] = "/tmp/eie_fsafe_read_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/a.npy";
  const int16_t v[5] = {1, -2, 3, -4, 5};
  const uint64_t shape[1] = {5};
  eie_err_t e;
  ASSERT_EQ(eie_npy_write(path.c_str(), EIE_NPY_I16, 1, shape, v, &e), EIE_OK) << e.msg;
  char *data = nullptr;
  size_t len = 0;
  ASSERT_EQ(eie_fsafe_read_all(dir, "a.npy", EIE_FSAFE_NO_LIMIT, &data, &len, &e), EIE_OK) << e.msg;
  void *bytes = nullptr;
  size_t blen = 0;
  ASSERT_EQ(eie_npy_encode(EIE_NPY_I16, 1, shape, v, &bytes, &blen, &e), EIE_OK) << e.msg;
  ASSERT_EQ(len, blen);
  EXPECT_EQ(memcmp(data, bytes, len), 0);
  EXPECT_EQ(data[len], 0);
  eie_npy_t a;
  ASSERT_EQ(eie_npy_parse(data, len, path.c_str(), &a, &e), EIE_OK) << e.msg;
  EXPECT_EQ(a.dtype, EIE_NPY_I16);
  ASSERT_EQ(a.count, 5u);
  EXPECT_EQ(memcmp(a.data, v, sizeof v), 0);
  EXPECT_GE((char *)a.data, data);  // in place
  EXPECT_LT((char *)a.data, data + len);
  // One byte short: the message of eie_npy_fread.
  EXPECT_EQ(eie_npy_parse(data, len - 1, path.c_str(), &a, &e), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(e.msg).find("truncated data: expected 10 bytes, found 9"),
            std::string::npos)
      << e.msg;
  free(bytes);
  free(data);
  remove(path.c_str());
  rmdir(dir);
}

// A regular file whose content is not its size (procfs reports 0 bytes): refused, as a
// file that changed while it was read.
TEST(EieFsafeRead, RefusesAFileWhoseSizeIsNotItsContent) {
  char *data = nullptr;
  size_t len = 0;
  eie_err_t e;
  EXPECT_EQ(eie_fsafe_read_all(nullptr, "/proc/self/status", EIE_FSAFE_NO_LIMIT, &data, &len, &e),
            EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(data, nullptr);
  EXPECT_NE(std::string(e.msg).find("/proc/self/status: changed size while it was read"),
            std::string::npos)
      << e.msg;
}
