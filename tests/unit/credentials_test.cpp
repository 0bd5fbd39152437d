#include "crypto/credentials.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace tessera::crypto {
namespace {

bool only_url_safe(const std::string& text) {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// 43 characters of the base64url alphabet, like a generated secret.
const std::string kSecret = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456";

TEST(GenerateClientIdTest, IsTwentyTwoUrlSafeCharactersAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string id = generate_client_id();
    EXPECT_EQ(id.size(), 22u) << id;
    EXPECT_TRUE(only_url_safe(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(GenerateClientSecretTest, IsFortyThreeUrlSafeCharactersAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string secret = generate_client_secret();
    EXPECT_EQ(secret.size(), 43u) << secret;
    EXPECT_TRUE(only_url_safe(secret)) << secret;
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(AdminKeyTest, FormatsWithTheRecognisablePrefix) {
  EXPECT_EQ(format_admin_key(42, kSecret), "tsk_42_" + kSecret);
}

TEST(AdminKeyTest, RoundTripsIdAndSecret) {
  ASSERT_EQ(kSecret.size(), 43u);
  struct Case {
    std::int64_t id;
    std::string secret;
  };
  const std::vector<Case> cases = {
      {1, kSecret},
      {42, generate_client_secret()},
      {999'999'999'999'999'999, kSecret},
      // Secrets may contain '_' anywhere, even next to the separator.
      {7, "_" + kSecret.substr(1)},
      {7, kSecret.substr(0, 42) + "_"},
      {7, "__" + kSecret.substr(2, 39) + "__"},
      {7, std::string(43, '_')},
      {7, std::string(43, '-')},
  };
  for (const auto& c : cases) {
    const std::string key = format_admin_key(c.id, c.secret);
    SCOPED_TRACE(key);
    auto parts = parse_admin_key(key);
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->id, c.id);
    EXPECT_EQ(parts->secret, c.secret);
  }
}

TEST(AdminKeyTest, RoundTripsGeneratedSecrets) {
  for (int i = 0; i < 20; ++i) {
    const std::string secret = generate_client_secret();
    auto parts = parse_admin_key(format_admin_key(i + 1, secret));
    ASSERT_TRUE(parts.has_value()) << secret;
    EXPECT_EQ(parts->id, i + 1);
    EXPECT_EQ(parts->secret, secret);
  }
}

TEST(AdminKeyTest, RefusesMalformedKeys) {
  const std::vector<std::string> keys = {
      "",
      "tsk_",
      "tsk_42_",
      "tsx_42_" + kSecret,
      "TSK_42_" + kSecret,
      "tsk42_" + kSecret,
      "xtsk_42_" + kSecret,
      "tsk__" + kSecret,    // no id
      "tsk_4a_" + kSecret,  // non-digit id
      "tsk_-4_" + kSecret,  // sign
      "tsk_ 4_" + kSecret,
      "tsk_1234567890123456789_" + kSecret,  // id over 18 digits
      "tsk_42" + kSecret,                    // no separator
      "tsk_42-" + kSecret,                   // wrong separator
      "tsk_42_" + kSecret.substr(1),         // secret of 42 characters
      "tsk_42_x" + kSecret,                  // secret of 44 characters
      "tsk_42__" + kSecret,                  // 44 characters, starting with '_'
      "tsk_42_" + kSecret.substr(1) + "=",   // padding
      "tsk_42_" + kSecret.substr(1) + "+",   // standard base64
      "tsk_42_" + kSecret.substr(1) + "/",
      "tsk_42_" + kSecret.substr(1) + ".",
      "tsk_42_" + kSecret.substr(1) + " ",
      "tsk_42_" + kSecret.substr(0, 20) + "\n" + kSecret.substr(21),
  };
  for (const auto& key : keys) {
    SCOPED_TRACE(key);
    EXPECT_FALSE(parse_admin_key(key).has_value());
  }
}

}  // namespace
}  // namespace tessera::crypto
