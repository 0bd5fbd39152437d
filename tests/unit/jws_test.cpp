// Compact JWS with EdDSA (RFC 7515, RFC 8037) and the base64url it rests on
// (RFC 4648 §5, no padding): what crypto/jws.hpp signs, splits and verifies.
#include "crypto/jws.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "crypto/base64url.hpp"

namespace tessera::crypto {
namespace {

// A key pair straight from libsodium, so the test does not lean on the
// server's own key generation.
struct KeyPair {
  std::string public_key = std::string(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key = std::string(crypto_sign_SECRETKEYBYTES, '\0');
};

KeyPair new_key_pair() {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
  KeyPair pair;
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(pair.public_key.data()),
                      reinterpret_cast<unsigned char*>(pair.secret_key.data()));
  return pair;
}

const std::string kHeader = R"({"alg":"EdDSA","typ":"at+jwt","kid":"k1"})";
const std::string kPayload = R"({"sub":"client-1","scope":"read write","exp":1700000000})";

std::vector<std::string> parts_of(const std::string& compact) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = compact.find('.', start);
    parts.push_back(compact.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string join(const std::string& a, const std::string& b, const std::string& c) {
  return a + "." + b + "." + c;
}

// --- Sign and verify ---------------------------------------------------------

TEST(JwsTest, ASignedTokenSplitsBackIntoItsHeaderAndPayloadAndVerifies) {
  const auto keys = new_key_pair();
  const auto token = jws_sign_eddsa(kHeader, kPayload, keys.secret_key);

  const auto parts = parts_of(token);
  ASSERT_EQ(parts.size(), 3u) << token;
  EXPECT_EQ(parts[0], base64url_encode(kHeader));
  EXPECT_EQ(parts[1], base64url_encode(kPayload));

  const auto split = jws_split(token);
  ASSERT_TRUE(split.has_value()) << token;
  EXPECT_EQ(split->header_json, kHeader);
  EXPECT_EQ(split->payload_json, kPayload);
  EXPECT_EQ(split->signing_input, parts[0] + "." + parts[1]);
  EXPECT_EQ(split->signature.size(), static_cast<std::size_t>(crypto_sign_BYTES));
  EXPECT_TRUE(jws_verify_eddsa(*split, keys.public_key));
}

TEST(JwsTest, TheSignatureIsAPlainEd25519SignatureOfTheSigningInput) {
  const auto keys = new_key_pair();
  const auto split = jws_split(jws_sign_eddsa(kHeader, kPayload, keys.secret_key));
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(crypto_sign_verify_detached(
                reinterpret_cast<const unsigned char*>(split->signature.data()),
                reinterpret_cast<const unsigned char*>(split->signing_input.data()),
                split->signing_input.size(),
                reinterpret_cast<const unsigned char*>(keys.public_key.data())),
            0);
}

TEST(JwsTest, UsesOnlyTheUrlAlphabetWithoutPadding) {
  const auto keys = new_key_pair();
  // Lengths that would need one and two '=' in padded base64.
  for (const std::string payload : {"{\"a\":1}", "{\"ab\":1}", "{\"abc\":1}"}) {
    const auto token = jws_sign_eddsa(kHeader, payload, keys.secret_key);
    EXPECT_EQ(token.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
              std::string::npos)
        << token;
  }
}

TEST(JwsTest, ATamperedHeaderFailsVerification) {
  const auto keys = new_key_pair();
  const auto parts = parts_of(jws_sign_eddsa(kHeader, kPayload, keys.secret_key));
  const auto forged_header = base64url_encode(R"({"alg":"EdDSA","typ":"at+jwt","kid":"k2"})");
  const auto split = jws_split(join(forged_header, parts[1], parts[2]));
  ASSERT_TRUE(split.has_value()) << "well-formed, only the signature is wrong";
  EXPECT_FALSE(jws_verify_eddsa(*split, keys.public_key));
}

TEST(JwsTest, ATamperedPayloadFailsVerification) {
  const auto keys = new_key_pair();
  const auto parts = parts_of(jws_sign_eddsa(kHeader, kPayload, keys.secret_key));
  const auto forged_payload =
      base64url_encode(R"({"sub":"client-1","scope":"read write admin","exp":1700000000})");
  const auto split = jws_split(join(parts[0], forged_payload, parts[2]));
  ASSERT_TRUE(split.has_value());
  EXPECT_FALSE(jws_verify_eddsa(*split, keys.public_key));
}

TEST(JwsTest, ATamperedSignatureFailsVerification) {
  const auto keys = new_key_pair();
  const auto parts = parts_of(jws_sign_eddsa(kHeader, kPayload, keys.secret_key));
  auto signature = base64url_decode(parts[2]).value();
  for (std::size_t i : {std::size_t{0}, signature.size() / 2, signature.size() - 1}) {
    auto flipped = signature;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    const auto split = jws_split(join(parts[0], parts[1], base64url_encode(flipped)));
    ASSERT_TRUE(split.has_value());
    EXPECT_FALSE(jws_verify_eddsa(*split, keys.public_key)) << "bit flipped in byte " << i;
  }
}

TEST(JwsTest, AnotherKeyDoesNotVerify) {
  const auto keys = new_key_pair();
  const auto other = new_key_pair();
  const auto split = jws_split(jws_sign_eddsa(kHeader, kPayload, keys.secret_key));
  ASSERT_TRUE(split.has_value());
  EXPECT_TRUE(jws_verify_eddsa(*split, keys.public_key));
  EXPECT_FALSE(jws_verify_eddsa(*split, other.public_key));
}

TEST(JwsTest, KeysAndSignaturesOfTheWrongSizeDoNotVerify) {
  const auto keys = new_key_pair();
  auto split = jws_split(jws_sign_eddsa(kHeader, kPayload, keys.secret_key));
  ASSERT_TRUE(split.has_value());
  EXPECT_FALSE(jws_verify_eddsa(*split, ""));
  EXPECT_FALSE(jws_verify_eddsa(*split, keys.public_key.substr(0, 31)));
  EXPECT_FALSE(jws_verify_eddsa(*split, keys.public_key + "x"));
  EXPECT_FALSE(jws_verify_eddsa(*split, keys.secret_key)) << "the 64-byte secret key";

  auto short_signature = *split;
  short_signature.signature.pop_back();
  EXPECT_FALSE(jws_verify_eddsa(short_signature, keys.public_key));
  auto long_signature = *split;
  long_signature.signature += '\0';
  EXPECT_FALSE(jws_verify_eddsa(long_signature, keys.public_key));
  auto no_signature = *split;
  no_signature.signature.clear();
  EXPECT_FALSE(jws_verify_eddsa(no_signature, keys.public_key));
}

// --- What jws_split refuses ---------------------------------------------------

class JwsSplitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = new_key_pair();
    // A 7-byte header and an 11-byte payload: padded base64 would end them
    // with "==" and "=", so padding is a real possibility here.
    token_ = jws_sign_eddsa(R"({"a":1})", R"({"b":"xyz"})", keys_.secret_key);
    parts_ = parts_of(token_);
    ASSERT_EQ(parts_.size(), 3u);
    ASSERT_TRUE(jws_split(token_).has_value()) << "the unaltered token splits";
  }
  KeyPair keys_;
  std::string token_;
  std::vector<std::string> parts_;
};

TEST_F(JwsSplitTest, RefusesPaddingInAnyPart) {
  ASSERT_EQ(parts_[0].size() % 4, 2u);
  ASSERT_EQ(parts_[1].size() % 4, 3u);
  ASSERT_EQ(parts_[2].size() % 4, 2u);  // 64 bytes
  EXPECT_FALSE(jws_split(join(parts_[0] + "==", parts_[1], parts_[2])));
  EXPECT_FALSE(jws_split(join(parts_[0], parts_[1] + "=", parts_[2])));
  EXPECT_FALSE(jws_split(join(parts_[0], parts_[1], parts_[2] + "==")));
  EXPECT_FALSE(jws_split(token_ + "="));
}

TEST_F(JwsSplitTest, RefusesAnythingButThreeParts) {
  EXPECT_FALSE(jws_split(parts_[0]));
  EXPECT_FALSE(jws_split(parts_[0] + "." + parts_[1]));
  EXPECT_FALSE(jws_split(token_ + "." + parts_[2]));
  EXPECT_FALSE(jws_split(token_ + "."));
  EXPECT_FALSE(jws_split("." + token_));
  EXPECT_FALSE(jws_split(parts_[0] + ".." + parts_[1] + "." + parts_[2]));
  EXPECT_FALSE(jws_split(""));
  EXPECT_FALSE(jws_split(".."));
  EXPECT_FALSE(jws_split("..."));
}

TEST_F(JwsSplitTest, RefusesEmptyParts) {
  EXPECT_FALSE(jws_split(join("", parts_[1], parts_[2])));
  EXPECT_FALSE(jws_split(join(parts_[0], "", parts_[2])));
  EXPECT_FALSE(jws_split(join(parts_[0], parts_[1], "")));
}

TEST_F(JwsSplitTest, RefusesCharactersOutsideTheUrlAlphabet) {
  for (const std::string bad : {"+", "/", " ", "*", "\n", "%2D", "\xc3\xa9"}) {
    for (std::size_t part = 0; part < 3; ++part) {
      auto altered = parts_;
      altered[part] = altered[part].substr(0, 4) + bad + altered[part].substr(4);
      EXPECT_FALSE(jws_split(join(altered[0], altered[1], altered[2])))
          << "'" << bad << "' in part " << part;
    }
  }
  EXPECT_FALSE(jws_split(token_ + "\n")) << "a trailing newline";
  EXPECT_FALSE(jws_split(" " + token_)) << "a leading space";
}

TEST_F(JwsSplitTest, RefusesPartsOfImpossibleLength) {
  // 4n+1 characters never decode; a dropped character leaves one such part.
  EXPECT_FALSE(jws_split(join(parts_[0] + "AAA", parts_[1], parts_[2])));
  EXPECT_FALSE(jws_split(join(parts_[0], parts_[1] + "AA", parts_[2])));
}

// --- base64url ---------------------------------------------------------------

// RFC 4648 §10 vectors: byte lengths 0 to 6 cover every remainder mod 3.
struct Vector {
  std::string bytes;
  std::string encoded;
};
const std::vector<Vector> kRfc4648 = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
};

TEST(Base64UrlEdgeTest, EncodesEveryLengthModThreeAsRfc4648Says) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(base64url_encode(v.bytes), v.encoded) << "'" << v.bytes << "'";
    const auto decoded = base64url_decode(v.encoded);
    ASSERT_TRUE(decoded.has_value()) << v.encoded;
    EXPECT_EQ(*decoded, v.bytes);
  }
}

TEST(Base64UrlEdgeTest, UsesDashAndUnderscoreForTheLastTwoSymbols) {
  EXPECT_EQ(base64url_encode(std::string("\xfb\xef\xbe", 3)), "----");
  EXPECT_EQ(base64url_encode(std::string("\xff\xff\xff", 3)), "____");
  EXPECT_EQ(base64url_encode(std::string("\xff", 1)), "_w");
  EXPECT_EQ(base64url_decode("____").value(), std::string("\xff\xff\xff", 3));
  EXPECT_EQ(base64url_decode("----").value(), std::string("\xfb\xef\xbe", 3));
}

TEST(Base64UrlEdgeTest, RoundTripsEveryByteAtEveryLengthModThree) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3},
                             std::size_t{254}, std::size_t{255}, std::size_t{256}}) {
    const auto bytes = all.substr(256 - length);
    const auto encoded = base64url_encode(bytes);
    EXPECT_EQ(encoded.size(), (length * 4 + 2) / 3) << "no padding, length " << length;
    const auto decoded = base64url_decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << length;
    EXPECT_EQ(*decoded, bytes) << length;
  }
}

TEST(Base64UrlEdgeTest, RefusesALengthOfOneModFour) {
  EXPECT_FALSE(base64url_decode("Z").has_value());
  EXPECT_FALSE(base64url_decode("Zm9vY").has_value());
}

TEST(Base64UrlEdgeTest, RefusesNonZeroTrailingBits) {
  // "Zg" is 'f'; "Zh" has the same leading bits and stray low bits, so
  // accepting it would give one value two spellings.
  EXPECT_FALSE(base64url_decode("Zh").has_value());
  EXPECT_FALSE(base64url_decode("Zm9").has_value());
}

TEST(Base64UrlEdgeTest, RefusesTheStandardAlphabet) {
  EXPECT_FALSE(base64url_decode("++++").has_value());
  EXPECT_FALSE(base64url_decode("////").has_value());
}

}  // namespace
}  // namespace tessera::crypto
