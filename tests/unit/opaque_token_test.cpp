#include "tokens/opaque_token.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/master_key.hpp"
#include "crypto/uuid7.hpp"

namespace tessera::tokens {
namespace {

constexpr std::size_t kSecretStart = 5 + 22;  // after "tsat_" and the id

crypto::SubKey token_key(char fill) {
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, fill)))
      .value()
      .derive(crypto::KeyPurpose::token_hash);
}

crypto::Uuid some_id() {
  return crypto::uuid7(domain::Timestamp{std::chrono::milliseconds(1'700'000'000'123)});
}

TEST(OpaqueTokenTest, HasThePrefixAndOnlyUrlSafeCharacters) {
  const std::regex shape("^tsat_[A-Za-z0-9_-]{65}$");
  for (int i = 0; i < 20; ++i) {
    const auto token = mint_opaque_token(token_key('k'), some_id());
    SCOPED_TRACE(token.value);
    EXPECT_TRUE(std::regex_match(token.value, shape));
  }
}

TEST(OpaqueTokenTest, CarriesItsId) {
  const crypto::Uuid id = some_id();
  const auto token = mint_opaque_token(token_key('k'), id);
  EXPECT_EQ(token.id, id);
  const auto parts = parse_opaque_token(token.value);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->id, id);
  EXPECT_EQ(parts->secret, token.value.substr(kSecretStart));
  EXPECT_EQ(parts->secret.size(), 43u);
}

TEST(OpaqueTokenTest, StoresTheKeyedHashOfTheSecretPart) {
  const auto key = token_key('k');
  const auto token = mint_opaque_token(key, some_id());
  const auto parts = parse_opaque_token(token.value).value();
  EXPECT_EQ(token.hash, opaque_token_hash(key, parts.secret));
  EXPECT_EQ(token.hash.size(), 32u);
  EXPECT_EQ(token.hash.find(parts.secret), std::string::npos);
  EXPECT_NE(token.hash, opaque_token_hash(token_key('j'), parts.secret));
  EXPECT_NE(token.hash, opaque_token_hash(key, token.value));
}

TEST(OpaqueTokenTest, DiffersFromTokenToToken) {
  const auto key = token_key('k');
  const auto first = mint_opaque_token(key, some_id());
  const auto second = mint_opaque_token(key, first.id);
  EXPECT_NE(first.value, second.value);
  EXPECT_NE(first.hash, second.hash);
}

TEST(ParseOpaqueTokenTest, RefusesValuesOfAnotherShape) {
  const std::string valid = mint_opaque_token(token_key('k'), some_id()).value;
  ASSERT_TRUE(parse_opaque_token(valid).has_value());
  auto with = [&](std::size_t position, char c) {
    std::string out = valid;
    out[position] = c;
    return out;
  };
  // '=' is padding to base64url_decode, not a token character; 'A' before
  // it leaves no stray bits, so only the length shows it is not a token.
  std::string padded = with(valid.size() - 2, 'A');
  padded.back() = '=';
  struct Case {
    std::string name;
    std::string value;
  };
  const std::vector<Case> cases = {
      {"empty", ""},
      {"prefix alone", "tsat_"},
      {"another prefix", "tsak_" + valid.substr(5)},
      {"upper-case prefix", "TSAT_" + valid.substr(5)},
      {"no underscore", "tsat-" + valid.substr(5)},
      {"no prefix", valid.substr(5)},
      {"one character short", valid.substr(0, valid.size() - 1)},
      {"one character long", valid + "A"},
      {"'+' in the id", with(6, '+')},
      {"'/' in the secret", with(kSecretStart + 3, '/')},
      {"'.' in the secret", with(kSecretStart + 10, '.')},
      {"space in the secret", with(valid.size() - 1, ' ')},
      {"'=' in the id", with(kSecretStart - 1, '=')},
      {"'=' ending the secret", padded},
      {"an admin key", "tsk_1_" + valid.substr(6)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(parse_opaque_token(c.value), std::nullopt);
  }
}

}  // namespace
}  // namespace tessera::tokens
