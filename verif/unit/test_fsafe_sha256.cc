// eie_fsafe_sha256_buf and eie_fsafe_sha256: SHA-256 as FIPS 180-4 defines it
// (the known answers of its examples), of a buffer and of a stream from its
// current position.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "eie_fsafe.h"

namespace {

std::string digest(const std::string &s) {
  char hex[65];
  eie_fsafe_sha256_buf(s.data(), s.size(), hex);
  return hex;
}

}  // namespace

TEST(EieFsafeSha256, GivesTheKnownAnswers) {
  EXPECT_EQ(digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(digest(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(EieFsafeSha256, HashesAStreamFromItsPositionToItsEnd) {
  // Longer than the stream's 64 KiB reads, so that the digest spans several.
  std::string s(200000, '\0');
  for (size_t i = 0; i < s.size(); i++) s[i] = static_cast<char>(i * 7 + (i >> 9));
  FILE *f = tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(fwrite(s.data(), 1, s.size(), f), s.size());
  ASSERT_EQ(fseek(f, 12345, SEEK_SET), 0);
  char hex[65];
  ASSERT_EQ(eie_fsafe_sha256(f, hex), 0);
  EXPECT_EQ(std::string(hex), digest(s.substr(12345)));
  fclose(f);
}

TEST(EieFsafeSha256, ReportsAStreamThatCannotBeRead) {
  FILE *f = fopen("/", "r");  // a directory opens, and its reads fail (EISDIR)
  ASSERT_NE(f, nullptr);
  char hex[65];
  EXPECT_EQ(eie_fsafe_sha256(f, hex), -1);
  fclose(f);
}
