// eie_fsafe_read_all: a file read whole with one read, its size as fstat gave
// it, and eie_npy_parse on those bytes.
#include <gtest/gtest.h>
#include <sys/stat.h>
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

// A directory opened once (eie_fsafe_dir_open) and its files read by name: the
// same answers and messages as with the directory's name given each time. A
// regular file in it is read; a link is followed only to a regular file
// inside; a FIFO, a device, a directory are refused without being opened (a
// FIFO would block a reader).
TEST(EieFsafeRead, ADirectoryOpenedOnceReadsAsItsNameDoes) {
  char tmp[] = "/tmp/eie_fsafe_dir_XXXXXX";
  ASSERT_NE(mkdtemp(tmp), nullptr);
  const std::string t = tmp, dir = t + "/pack", out = t + "/outside";
  ASSERT_EQ(mkdir(dir.c_str(), 0777), 0);
  ASSERT_EQ(mkdir(out.c_str(), 0777), 0);
  ASSERT_EQ(mkdir((dir + "/sub").c_str(), 0777), 0);
  auto put = [](const std::string &path, const std::string &text) {
    FILE *f = fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    fputs(text.c_str(), f);
    fclose(f);
  };
  put(dir + "/a.txt", "aaa");
  put(dir + "/sub/b.txt", "bbbb");
  put(out + "/c.txt", "secret");
  ASSERT_EQ(symlink("a.txt", (dir + "/same_dir_link").c_str()), 0);
  ASSERT_EQ(symlink("sub/b.txt", (dir + "/sub_link").c_str()), 0);
  ASSERT_EQ(symlink("../outside/c.txt", (dir + "/out_rel").c_str()), 0);
  ASSERT_EQ(symlink((out + "/c.txt").c_str(), (dir + "/out_abs").c_str()), 0);
  ASSERT_EQ(symlink("/nonexistent/x", (dir + "/dangling").c_str()), 0);
  ASSERT_EQ(symlink("/dev/zero", (dir + "/dev_link").c_str()), 0);
  ASSERT_EQ(symlink("sub", (dir + "/dir_link").c_str()), 0);
  ASSERT_EQ(mkfifo((dir + "/fifo").c_str(), 0666), 0);
  ASSERT_EQ(symlink("fifo", (dir + "/fifo_link").c_str()), 0);
  ASSERT_EQ(symlink(dir.c_str(), (t + "/pack_link").c_str()), 0);
  struct Case {
    const char *name, *want;  // want: the content, or a part of the message
  } cases[] = {
      {"a.txt", "aaa"},
      {"same_dir_link", "aaa"},
      {"sub_link", "bbbb"},
      {"sub/b.txt", "bbbb"},
      {"out_rel", "resolves outside"},
      {"out_abs", "resolves outside"},
      {"dangling", "a symbolic link that does not resolve to a file inside"},
      {"dev_link", "resolves outside"},
      {"dir_link", "is a directory, not a regular file"},
      {"sub", "is a directory, not a regular file"},
      {"fifo", "is a FIFO, not a regular file"},
      {"fifo_link", "is a FIFO, not a regular file"},
      {"missing", "cannot open: No such file or directory"},
      {"../outside/c.txt", "is not a relative name inside it"},
      {"big.txt", ""},  // replaced below: a size bound
  };
  put(dir + "/big.txt", std::string(100, 'x'));
  for (const std::string &root : {dir, t + "/pack_link", t + "/nonexistent"}) {
    eie_fsafe_dir_t d;
    eie_fsafe_dir_open(&d, root.c_str());
    for (const Case &c : cases) {
      const uint64_t max = std::string(c.name) == "big.txt" ? 99 : EIE_FSAFE_NO_LIMIT;
      char *data1 = nullptr, *data2 = nullptr;
      size_t len1 = 0, len2 = 0;
      eie_err_t e1{}, e2{};
      const eie_status_t s1 = eie_fsafe_read_all(root.c_str(), c.name, max, &data1, &len1, &e1);
      const eie_status_t s2 = eie_fsafe_read_all_in(&d, c.name, max, &data2, &len2, &e2);
      EXPECT_EQ(s1, s2) << root << " " << c.name;
      if (!s1 && !s2) {
        EXPECT_EQ(std::string(data1, len1), std::string(data2, len2)) << c.name;
        EXPECT_EQ(std::string(data2, len2), c.want) << c.name;
      } else {
        EXPECT_STREQ(e1.msg, e2.msg) << c.name;
        std::string want = c.want;
        if (root == t + "/nonexistent" && !strstr(c.want, "relative"))
          want = "cannot open: No such file or directory";
        else if (std::string(c.name) == "big.txt")
          want = "100 bytes, more than the 99 bytes allowed";
        const std::string named =
            strstr(c.want, "relative") ? root + ": '" + c.name + "'" : root + "/" + c.name + ": ";
        EXPECT_EQ(std::string(e2.msg).find(named), 0u) << e2.msg;
        EXPECT_NE(std::string(e2.msg).find(want), std::string::npos) << e2.msg;
        EXPECT_EQ(std::string(e2.msg).find("secret"), std::string::npos) << e2.msg;
      }
      free(data1);
      free(data2);
    }
    // And as a stream.
    FILE *f = nullptr;
    eie_err_t e{};
    uint64_t size = 0;
    if (root != t + "/nonexistent") {
      ASSERT_EQ(eie_fsafe_open_in(&d, "sub_link", EIE_FSAFE_NO_LIMIT, &f, &size, &e), EIE_OK)
          << e.msg;
      char buf[8] = {0};
      EXPECT_EQ(fread(buf, 1, sizeof buf, f), 4u);
      EXPECT_STREQ(buf, "bbbb");
      EXPECT_EQ(size, 4u);
      fclose(f);
    }
    eie_fsafe_dir_close(&d);
  }
  const std::string rm = "rm -rf '" + t + "'";
  ASSERT_EQ(system(rm.c_str()), 0);
}
