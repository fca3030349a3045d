// Unit tests for the .npy reader and writer (cmodel/src/eie_npy.c).
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "eie/eie_npy.h"

namespace {

// A fresh directory per test, removed (with its files) afterwards.
class TempDir {
 public:
  TempDir() {
    std::string base = testing::TempDir();
    if (base.empty() || base.back() != '/') base += '/';
    std::string tmpl = base + "eie_npy_XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const char *made = mkdtemp(buf.data());
    if (made) dir_ = made;
  }
  ~TempDir() {
    for (const std::string &name : List()) std::remove(Path(name).c_str());
    rmdir(dir_.c_str());
  }
  bool ok() const { return !dir_.empty(); }
  std::string Path(const std::string &name) const { return dir_ + "/" + name; }
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    DIR *d = opendir(dir_.c_str());
    if (!d) return names;
    while (struct dirent *e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
    return names;
  }

 private:
  std::string dir_;
};

void WriteBytes(const std::string &path, const std::string &bytes) {
  FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  ASSERT_EQ(std::fclose(f), 0);
}

std::string ReadBytes(const std::string &path) {
  std::string out;
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

// Build a .npy file by hand: prefix for `major`.0, the dict, padding so the
// data start on a 64-byte boundary, then `data`.
std::string MakeNpy(int major, const std::string &dict, const std::string &data) {
  size_t len_bytes = major == 1 ? 2 : 4;
  size_t prefix = 8 + len_bytes;
  size_t hlen = dict.size() + 1;
  size_t pad = (64 - (prefix + hlen) % 64) % 64;
  std::string header = dict + std::string(pad, ' ') + "\n";
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  for (size_t i = 0; i < len_bytes; i++)
    out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string Int16Bytes(const std::vector<int16_t> &v) {
  std::string out;
  for (int16_t x : v) {
    uint16_t u = static_cast<uint16_t>(x);
    out += static_cast<char>(u & 0xff);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

// Expect reading `path` to fail with `code` and a message naming the file and
// containing `needle`; the output must be left empty.
void ExpectReadFails(const std::string &path, eie_status_t code, const std::string &needle) {
  eie_npy_t a;
  std::memset(&a, 0xAB, sizeof a);
  eie_err_t err;
  err.msg[0] = '\0';
  EXPECT_EQ(eie_npy_read(path.c_str(), &a, &err), code) << err.msg;
  EXPECT_EQ(a.data, nullptr);
  std::string msg = err.msg;
  EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
  EXPECT_NE(msg.find(needle), std::string::npos) << "message: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

void ExpectHeaderFails(const std::string &dict, const std::string &data,
                       const std::string &needle) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("bad.npy");
  WriteBytes(path, MakeNpy(1, dict, data));
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, needle);
}

template <typename T>
void RoundTrip(eie_npy_dtype_t dtype, unsigned ndim, const std::vector<uint64_t> &shape,
               const std::vector<T> &values) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("a.npy");
  eie_err_t err;
  ASSERT_EQ(eie_npy_write(path.c_str(), dtype, ndim, shape.data(), values.data(), &err), EIE_OK)
      << err.msg;
  eie_npy_t a;
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  EXPECT_EQ(a.dtype, dtype);
  ASSERT_EQ(a.ndim, ndim);
  for (unsigned i = 0; i < ndim; i++) EXPECT_EQ(a.shape[i], shape[i]) << "dim " << i;
  ASSERT_EQ(a.count, values.size());
  ASSERT_NE(a.data, nullptr);
  EXPECT_EQ(std::memcmp(a.data, values.data(), values.size() * sizeof(T)), 0);
  eie_npy_free(&a);
  EXPECT_EQ(dir.List(), std::vector<std::string>{"a.npy"});
}

// The dict text of a file written by eie_npy_write (without padding).
std::string WrittenDict(const std::string &bytes) {
  size_t hlen = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  std::string header = bytes.substr(10, hlen);
  return header.substr(0, header.find('}') + 1);
}

}  // namespace

TEST(EieNpy, ReportsDtypeSizesAndDescrs) {
  EXPECT_EQ(eie_npy_dtype_size(EIE_NPY_F32), 4u);
  EXPECT_EQ(eie_npy_dtype_size(EIE_NPY_F64), 8u);
  EXPECT_EQ(eie_npy_dtype_size(EIE_NPY_I16), 2u);
  EXPECT_EQ(eie_npy_dtype_size(EIE_NPY_U16), 2u);
  EXPECT_EQ(eie_npy_dtype_size(EIE_NPY_I32), 4u);
  EXPECT_EQ(eie_npy_dtype_size(EIE_NPY_U8), 1u);
  EXPECT_EQ(eie_npy_dtype_size(EIE_NPY_I64), 8u);
  EXPECT_STREQ(eie_npy_dtype_descr(EIE_NPY_F32), "<f4");
  EXPECT_STREQ(eie_npy_dtype_descr(EIE_NPY_F64), "<f8");
  EXPECT_STREQ(eie_npy_dtype_descr(EIE_NPY_I16), "<i2");
  EXPECT_STREQ(eie_npy_dtype_descr(EIE_NPY_U16), "<u2");
  EXPECT_STREQ(eie_npy_dtype_descr(EIE_NPY_I32), "<i4");
  EXPECT_STREQ(eie_npy_dtype_descr(EIE_NPY_U8), "|u1");
  EXPECT_STREQ(eie_npy_dtype_descr(EIE_NPY_I64), "<i8");
  EXPECT_EQ(eie_npy_dtype_size(static_cast<eie_npy_dtype_t>(99)), 0u);
  EXPECT_EQ(eie_npy_dtype_descr(static_cast<eie_npy_dtype_t>(99)), nullptr);
}

TEST(EieNpy, RoundTripsFloat32Matrix) {
  RoundTrip<float>(EIE_NPY_F32, 2, {2, 3}, {0.5f, -1.25f, 3e-38f, 1e38f, -0.0f, 7.0f});
}

TEST(EieNpy, RoundTripsFloat64Matrix) {
  RoundTrip<double>(EIE_NPY_F64, 2, {3, 2}, {0.1, -2.5, 1e-300, 1e300, 3.141592653589793, 0});
}

TEST(EieNpy, RoundTripsInt16Matrix) {
  RoundTrip<int16_t>(EIE_NPY_I16, 2, {3, 4},
                     {-32768, 32767, 0, 1, -1, 256, -256, 12345, -12345, 2, 3, 4});
}

TEST(EieNpy, RoundTripsUint16Matrix) {
  RoundTrip<uint16_t>(EIE_NPY_U16, 2, {2, 2}, {0, 65535, 256, 1});
}

TEST(EieNpy, RoundTripsInt32Matrix) {
  RoundTrip<int32_t>(EIE_NPY_I32, 2, {1, 4}, {INT32_MIN, INT32_MAX, -1, 0x01020304});
}

TEST(EieNpy, RoundTripsUint8Matrix) {
  RoundTrip<uint8_t>(EIE_NPY_U8, 2, {2, 3}, {0, 1, 127, 128, 254, 255});
}

TEST(EieNpy, RoundTripsInt64Matrix) {
  RoundTrip<int64_t>(EIE_NPY_I64, 2, {2, 2}, {INT64_MIN, INT64_MAX, -1, 0x0102030405060708LL});
}

TEST(EieNpy, RoundTripsScalar) {
  RoundTrip<double>(EIE_NPY_F64, 0, {}, {42.5});
}

TEST(EieNpy, RoundTripsVector) {
  RoundTrip<int32_t>(EIE_NPY_I32, 1, {5}, {1, 2, 3, 4, 5});
}

TEST(EieNpy, RoundTripsFourDimensionalArray) {
  std::vector<uint16_t> v(2 * 3 * 1 * 4);
  for (size_t i = 0; i < v.size(); i++) v[i] = static_cast<uint16_t>(i * 1000);
  RoundTrip<uint16_t>(EIE_NPY_U16, 4, {2, 3, 1, 4}, v);
}

TEST(EieNpy, RoundTripsEmptyArray) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("e.npy");
  const uint64_t shape[2] = {0, 7};
  eie_err_t err;
  ASSERT_EQ(eie_npy_write(path.c_str(), EIE_NPY_F32, 2, shape, nullptr, &err), EIE_OK) << err.msg;
  eie_npy_t a;
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  EXPECT_EQ(a.ndim, 2u);
  EXPECT_EQ(a.shape[0], 0u);
  EXPECT_EQ(a.shape[1], 7u);
  EXPECT_EQ(a.count, 0u);
  EXPECT_NE(a.data, nullptr);
  eie_npy_free(&a);
}

TEST(EieNpy, WritesNumpyStyleAlignedHeader) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("w.npy");
  const uint64_t shape[2] = {3, 4};
  std::vector<int16_t> v(12, 7);
  eie_err_t err;
  ASSERT_EQ(eie_npy_write(path.c_str(), EIE_NPY_I16, 2, shape, v.data(), &err), EIE_OK) << err.msg;
  std::string bytes = ReadBytes(path);
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 6), std::string("\x93NUMPY", 6));
  EXPECT_EQ(bytes[6], 1);
  EXPECT_EQ(bytes[7], 0);
  size_t hlen = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + hlen) % 64, 0u);
  ASSERT_EQ(bytes.size(), 10 + hlen + 24);
  EXPECT_EQ(bytes[10 + hlen - 1], '\n');
  std::string header = bytes.substr(10, hlen - 1);
  EXPECT_EQ(header.rfind("{'descr': '<i2', 'fortran_order': False, 'shape': (3, 4), }", 0), 0u)
      << header;
  EXPECT_EQ(header.find_first_not_of(' ', WrittenDict(bytes).size()), std::string::npos);
  EXPECT_EQ(bytes.substr(10 + hlen), Int16Bytes(v));

  eie_npy_t a;
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  EXPECT_EQ(a.count, 12u);
  eie_npy_free(&a);
}

TEST(EieNpy, PrintsShapeTuplesTheNumpyWay) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("s.npy");
  const uint8_t data[12] = {0};
  eie_err_t err;
  struct Case {
    unsigned ndim;
    uint64_t shape[4];
    const char *text;
  } cases[] = {
      {0, {0}, "'shape': (), }"},
      {1, {5}, "'shape': (5,), }"},
      {2, {3, 4}, "'shape': (3, 4), }"},
      {4, {1, 2, 3, 2}, "'shape': (1, 2, 3, 2), }"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.text);
    ASSERT_EQ(eie_npy_write(path.c_str(), EIE_NPY_U8, c.ndim, c.shape, data, &err), EIE_OK)
        << err.msg;
    std::string bytes = ReadBytes(path);
    std::string dict = WrittenDict(bytes);
    EXPECT_EQ(dict.find("{'descr': '|u1', 'fortran_order': False, "), 0u) << dict;
    EXPECT_NE(dict.find(c.text), std::string::npos) << dict;
    size_t hlen =
        static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    EXPECT_EQ((10 + hlen) % 64, 0u);
  }
}

TEST(EieNpy, ReadsVersion2Header) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("v2.npy");
  std::string bytes = MakeNpy(2, "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 2), }",
                              Int16Bytes({1, -2, 300, -400}));
  ASSERT_EQ(bytes[6], 2);
  WriteBytes(path, bytes);
  eie_npy_t a;
  eie_err_t err;
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  EXPECT_EQ(a.dtype, EIE_NPY_I16);
  EXPECT_EQ(a.ndim, 2u);
  EXPECT_EQ(a.count, 4u);
  const int16_t *d = static_cast<const int16_t *>(a.data);
  EXPECT_EQ(d[0], 1);
  EXPECT_EQ(d[1], -2);
  EXPECT_EQ(d[2], 300);
  EXPECT_EQ(d[3], -400);
  eie_npy_free(&a);
}

TEST(EieNpy, ReadsVersion3Header) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("v3.npy");
  WriteBytes(path, MakeNpy(3, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
                           std::string("\x01\x02\xff", 3)));
  eie_npy_t a;
  eie_err_t err;
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  EXPECT_EQ(a.dtype, EIE_NPY_U8);
  EXPECT_EQ(a.ndim, 1u);
  EXPECT_EQ(a.shape[0], 3u);
  EXPECT_EQ(static_cast<const uint8_t *>(a.data)[2], 255);
  eie_npy_free(&a);
}

TEST(EieNpy, AcceptsHeaderVariants) {
  struct Case {
    const char *dict;
    eie_npy_dtype_t dtype;
    unsigned ndim;
  } cases[] = {
      {"{'shape': (2, 2), 'fortran_order': False, 'descr': '<i2'}", EIE_NPY_I16, 2},
      {"{\"descr\": \"<i2\", \"fortran_order\": False, \"shape\": (4,)}", EIE_NPY_I16, 1},
      {"  {  'descr' :'<u2' ,'fortran_order':False,'shape':( 2 ,2 , ) , }  ", EIE_NPY_U16, 2},
      {"{'descr': '=i2', 'fortran_order': False, 'shape': (1, 1, 2, 2), }", EIE_NPY_I16, 4},
      {"{'descr': '|i2', 'fortran_order': False, 'shape': (4,), }", EIE_NPY_I16, 1},
      {"{'descr': '<u1', 'fortran_order': False, 'shape': (8,), }", EIE_NPY_U8, 1},
      {"{'descr': '=u1', 'fortran_order': False, 'shape': (2, 4), }", EIE_NPY_U8, 2},
      {"{'descr': u'<i2', 'fortran_order': False, 'shape': (2L, 2L), }", EIE_NPY_I16, 2},
      {"{'descr':'<i2',\n'fortran_order':False,\t'shape':(4,),}", EIE_NPY_I16, 1},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.dict);
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    std::string path = dir.Path("v.npy");
    WriteBytes(path, MakeNpy(1, c.dict, std::string(8, '\x01')));
    eie_npy_t a;
    eie_err_t err;
    ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
    EXPECT_EQ(a.dtype, c.dtype);
    EXPECT_EQ(a.ndim, c.ndim);
    eie_npy_free(&a);
  }
}

TEST(EieNpy, RejectsBadMagic) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("x.npy");
  std::string bytes =
      MakeNpy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }", Int16Bytes({1}));
  bytes[1] = 'n';
  WriteBytes(path, bytes);
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "not a .npy file (bad magic)");
  WriteBytes(path, "");
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "bad magic");
  WriteBytes(path, "PK\x03\x04 this is a zip");
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "bad magic");
}

TEST(EieNpy, RejectsUnsupportedVersion) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("x.npy");
  std::string bytes =
      MakeNpy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }", Int16Bytes({1}));
  bytes[6] = 4;
  WriteBytes(path, bytes);
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "unsupported .npy format version 4.0");
}

TEST(EieNpy, RejectsTruncatedHeader) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("x.npy");
  std::string bytes = MakeNpy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }", "");
  WriteBytes(path, bytes.substr(0, 30));
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "truncated header");
  WriteBytes(path, bytes.substr(0, 9));
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "truncated header");
  WriteBytes(path, bytes.substr(0, 4));
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "truncated header");
}

TEST(EieNpy, RejectsBigEndian) {
  ExpectHeaderFails("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
                    std::string(8, '\0'), "unsupported dtype '>f4' (big-endian)");
  ExpectHeaderFails("{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }",
                    std::string(4, '\0'), "(big-endian)");
}

// Fortran order (what np.save(W.T) writes): read by the logical shape.
TEST(EieNpy, ReadsFortranOrderInCOrder) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  // The 2x3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column, and a
  // 2x3x2 array whose element (i, j, k) is 100 i + 10 j + k.
  std::string path = dir.Path("f.npy");
  WriteBytes(path, MakeNpy(1, "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3), }",
                           Int16Bytes({1, 4, 2, 5, 3, 6})));
  eie_npy_t a;
  eie_err_t err;
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  ASSERT_EQ(a.ndim, 2u);
  EXPECT_EQ(a.shape[0], 2u);
  EXPECT_EQ(a.shape[1], 3u);
  const int16_t *v = static_cast<const int16_t *>(a.data);
  EXPECT_EQ(std::vector<int16_t>(v, v + 6), (std::vector<int16_t>{1, 2, 3, 4, 5, 6}));
  eie_npy_free(&a);
  std::vector<int16_t> f;
  for (int k = 0; k < 2; k++)
    for (int j = 0; j < 3; j++)
      for (int i = 0; i < 2; i++) f.push_back(int16_t(100 * i + 10 * j + k));
  WriteBytes(path, MakeNpy(1, "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3, 2), }",
                           Int16Bytes(f)));
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  v = static_cast<const int16_t *>(a.data);
  for (int i = 0, q = 0; i < 2; i++)
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 2; k++, q++) EXPECT_EQ(v[q], 100 * i + 10 * j + k) << i << j << k;
  eie_npy_free(&a);
}

TEST(EieNpy, RejectsUnknownDtype) {
  ExpectHeaderFails("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }",
                    std::string(16, '\0'), "unsupported dtype '<c8'");
  ExpectHeaderFails("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }",
                    std::string(2, '\0'), "unsupported dtype '|i1'");
  ExpectHeaderFails("{'descr': '<U10', 'fortran_order': False, 'shape': (1,), }",
                    std::string(40, '\0'), "unsupported dtype '<U10'");
  ExpectHeaderFails("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
                    std::string(4, '\0'), "structured");
}

TEST(EieNpy, RejectsTruncatedData) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("a.npy");
  WriteBytes(path, MakeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (32, 32), }",
                           std::string(100, '\0')));
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "truncated data: expected 4096 bytes, found 100");
}

TEST(EieNpy, RejectsTrailingData) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("a.npy");
  WriteBytes(path, MakeNpy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }",
                           std::string(7, '\0')));
  ExpectReadFails(path, EIE_STATUS_BAD_INPUT, "3 unexpected bytes after the data");
}

TEST(EieNpy, ReportsMissingFileAsIoError) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ExpectReadFails(dir.Path("missing.npy"), EIE_STATUS_IO, "cannot open: No such file or directory");
}

TEST(EieNpy, RejectsAbsurdShape) {
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }",
                    std::string(16, '\0'), "absurd shape");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 32769), }",
                    std::string(16, '\0'), "more than 2^31 elements");
  ExpectHeaderFails(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999999, 1), }",
      std::string(16, '\0'), "absurd shape");
  ExpectHeaderFails(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 18446744073709551617), }", "",
      "absurd shape");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1), }",
                    std::string(4, '\0'), "at most 4 dimensions");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
                    std::string(4, '\0'), "negative dimension");
}

TEST(EieNpy, RejectsGarbageInHeader) {
  const std::string data(8, '\0');
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } xyz", data,
                    "malformed header");
  ExpectHeaderFails("'descr': '<f4', 'fortran_order': False, 'shape': (2,)", data,
                    "malformed header: expected '{'");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", data,
                    "found end of header");
  ExpectHeaderFails("{'descr': '<f4' 'fortran_order': False, 'shape': (2,), }", data,
                    "malformed header");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2,), }", data,
                    "True or False");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", data,
                    "trailing comma");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", data,
                    "must be a tuple");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2,,), }", data,
                    "malformed header");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2x,), }", data,
                    "malformed header");
  ExpectHeaderFails("{'descr': '<f4, 'fortran_order': False, 'shape': (2,), }", data,
                    "malformed header");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False}", data, "missing key 'shape'");
  ExpectHeaderFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", data,
                    "unexpected key 'x'");
  ExpectHeaderFails("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", data,
                    "duplicate key 'descr'");
  ExpectHeaderFails(
      std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}") + std::string(1, '\0'),
      data, "byte 0x00");
  ExpectHeaderFails("", data, "found end of header");
}

TEST(EieNpy, WriteFailureReportsIoAndLeavesNothing) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const uint64_t shape[1] = {2};
  const float v[2] = {1, 2};
  eie_err_t err;
  std::string missing = dir.Path("no/such/dir/a.npy");
  EXPECT_EQ(eie_npy_write(missing.c_str(), EIE_NPY_F32, 1, shape, v, &err), EIE_STATUS_IO);
  EXPECT_EQ(std::string(err.msg).rfind(missing + ": ", 0), 0u) << err.msg;

  // Renaming onto a directory fails after the data were written: the
  // temporary file must be removed.
  std::string sub = dir.Path("sub");
  ASSERT_EQ(mkdir(sub.c_str(), 0700), 0);
  EXPECT_EQ(eie_npy_write(sub.c_str(), EIE_NPY_F32, 1, shape, v, &err), EIE_STATUS_IO);
  EXPECT_EQ(std::string(err.msg).rfind(sub + ": ", 0), 0u) << err.msg;
  EXPECT_EQ(dir.List(), std::vector<std::string>{"sub"});
  rmdir(sub.c_str());
}

TEST(EieNpy, WriteReplacesExistingFile) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("a.npy");
  WriteBytes(path, "old contents");
  const uint64_t shape[1] = {3};
  const int32_t v[3] = {7, 8, 9};
  eie_err_t err;
  ASSERT_EQ(eie_npy_write(path.c_str(), EIE_NPY_I32, 1, shape, v, &err), EIE_OK) << err.msg;
  eie_npy_t a;
  ASSERT_EQ(eie_npy_read(path.c_str(), &a, &err), EIE_OK) << err.msg;
  EXPECT_EQ(static_cast<const int32_t *>(a.data)[2], 9);
  eie_npy_free(&a);
  EXPECT_EQ(dir.List(), std::vector<std::string>{"a.npy"});
}

TEST(EieNpy, WriteRejectsInvalidArguments) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.Path("a.npy");
  const uint64_t five[5] = {1, 1, 1, 1, 1};
  const uint64_t huge[3] = {100000, 100000, 100000};
  const float v[1] = {0};
  eie_err_t err;
  EXPECT_EQ(eie_npy_write(path.c_str(), EIE_NPY_F32, 5, five, v, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(eie_npy_write(path.c_str(), EIE_NPY_F32, 3, huge, v, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(err.msg).find("2^31"), std::string::npos) << err.msg;
  EXPECT_EQ(eie_npy_write(path.c_str(), static_cast<eie_npy_dtype_t>(42), 1, five, v, &err),
            EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(eie_npy_write(path.c_str(), EIE_NPY_F32, 1, five, nullptr, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_EQ(eie_npy_write(path.c_str(), EIE_NPY_F32, 1, nullptr, v, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_TRUE(dir.List().empty());
}

TEST(EieNpy, ConvertsEveryDtypeToDouble) {
  const float f32[2] = {1.5f, -2.0f};
  const double f64[2] = {0.25, -1e10};
  const int16_t i16[2] = {-32768, 5};
  const uint16_t u16[2] = {65535, 0};
  const int32_t i32[2] = {INT32_MIN, 9};
  const uint8_t u8[2] = {255, 1};
  const int64_t i64[2] = {-(int64_t{1} << 40), 3};
  struct Case {
    eie_npy_dtype_t dtype;
    const void *data;
    double want[2];
  } cases[] = {
      {EIE_NPY_F32, f32, {1.5, -2.0}},           {EIE_NPY_F64, f64, {0.25, -1e10}},
      {EIE_NPY_I16, i16, {-32768, 5}},           {EIE_NPY_U16, u16, {65535, 0}},
      {EIE_NPY_I32, i32, {-2147483648.0, 9}},    {EIE_NPY_U8, u8, {255, 1}},
      {EIE_NPY_I64, i64, {-1099511627776.0, 3}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(eie_npy_dtype_descr(c.dtype));
    eie_npy_t a{};
    a.dtype = c.dtype;
    a.ndim = 1;
    a.shape[0] = 2;
    a.count = 2;
    a.data = const_cast<void *>(c.data);
    double *d = eie_npy_to_double(&a);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d[0], c.want[0]);
    EXPECT_EQ(d[1], c.want[1]);
    std::free(d);
  }
  EXPECT_EQ(eie_npy_to_double(nullptr), nullptr);
}

TEST(EieNpy, FreeZeroesTheStruct) {
  eie_npy_t a{};
  a.dtype = EIE_NPY_I32;
  a.ndim = 1;
  a.shape[0] = 4;
  a.count = 4;
  a.data = std::malloc(16);
  eie_npy_free(&a);
  EXPECT_EQ(a.data, nullptr);
  EXPECT_EQ(a.count, 0u);
  EXPECT_EQ(a.ndim, 0u);
  eie_npy_free(&a);  // twice is harmless
  eie_npy_free(nullptr);
}
