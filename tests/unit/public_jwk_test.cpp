// Clients' public keys read from JWKs (RFC 7517, RFC 7518 §6, RFC 8037):
// what crypto/public_jwk.hpp accepts, keeps, fingerprints (RFC 7638) and
// verifies with. The keys refused here are made by hand or with OpenSSL and
// libsodium directly, so that the test does not lean on the reader to make
// its own bad inputs.
#include "crypto/public_jwk.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/pkey.hpp"

namespace tessera::crypto {
namespace {

using nlohmann::json;

const std::string kInput = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJjbGllbnQtMSJ9";

// RFC 7638 §3.1: the example RSA key and its thumbprint.
const std::string kRfc7638N =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
    "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-"
    "65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
    "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
    "kEgU8awapJzKnqDKgw";
const std::string kRfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

// RFC 8037 Appendix A.2 and A.3: an Ed25519 public key and its thumbprint.
const std::string kRfc8037X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
const std::string kRfc8037Thumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";

std::string sha256_base64url(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

struct Ed25519Pair {
  std::string public_key = std::string(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key = std::string(crypto_sign_SECRETKEYBYTES, '\0');
};

Ed25519Pair new_ed25519() {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
  Ed25519Pair pair;
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(pair.public_key.data()),
                      reinterpret_cast<unsigned char*>(pair.secret_key.data()));
  return pair;
}

json okp_jwk(const std::string& public_key) {
  return {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", base64url_encode(public_key)}};
}

// A generated ES256 or RS256 key pair and its public JWK members, as
// PublicPkey publishes them.
struct PkeyJwk {
  PkeyPair pair;
  json members;
};

PkeyJwk new_pkey_jwk(SigningAlg alg) {
  PkeyJwk made{pkey_generate(alg), {}};
  const auto pub = PublicPkey::from_der(alg, made.pair.public_der);
  if (!pub) throw std::runtime_error("the generated key does not decode");
  made.members = pub->jwk_members();
  return made;
}

// Generating RSA keys is slow: one of each, shared by the tests.
const PkeyJwk& es256_key() {
  static const PkeyJwk key = new_pkey_jwk(SigningAlg::es256);
  return key;
}
const PkeyJwk& rs256_key() {
  static const PkeyJwk key = new_pkey_jwk(SigningAlg::rs256);
  return key;
}

// An RSA key below the 2048 bits RFC 7518 §3.3 requires, made with OpenSSL.
json rsa_jwk_of_bits(unsigned int bits) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(bits), EVP_PKEY_free);
  if (!key) throw std::runtime_error("generating an RSA key");
  json jwk = {{"kty", "RSA"}};
  for (const auto& [name, param] :
       {std::pair{"n", OSSL_PKEY_PARAM_RSA_N}, std::pair{"e", OSSL_PKEY_PARAM_RSA_E}}) {
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key.get(), param, &number) != 1) throw std::runtime_error(param);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(number)), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(number);
    jwk[name] = base64url_encode(bytes);
  }
  return jwk;
}

std::string member(const json& jwk, const char* name) {
  return jwk.at(name).get<std::string>();
}

// Flips one bit of a base64url member's decoded bytes.
std::string flipped(const std::string& base64url, std::size_t index) {
  auto bytes = *base64url_decode(base64url);
  bytes[index] = static_cast<char>(bytes[index] ^ 0x01);
  return base64url_encode(bytes);
}

PublicJwk accepted(const json& jwk) {
  auto result = read_public_jwk(jwk);
  if (const auto* reason = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << "refused " << jwk.dump() << ": " << *reason;
    return {};
  }
  return std::get<PublicJwk>(std::move(result));
}

// --- accepted keys ------------------------------------------------------------

TEST(PublicJwkTest, AcceptsAnEd25519KeyAndKeepsOnlyItsPublicMembers) {
  const auto pair = new_ed25519();
  auto jwk = okp_jwk(pair.public_key);
  jwk["kid"] = "client-key-1";
  jwk["alg"] = "EdDSA";
  jwk["use"] = "sig";
  // Members RFC 7517 allows but Tessera does not keep: what is shown back is
  // only what verifying needs, not what a client happened to send.
  jwk["x5c"] = json::array({"MIIB"});
  jwk["ext"] = true;
  jwk["key_ops"] = json::array({"verify"});

  const auto key = accepted(jwk);
  EXPECT_EQ(key.alg, SigningAlg::eddsa);
  EXPECT_EQ(key.kid, "client-key-1");
  EXPECT_EQ(key.ed25519, pair.public_key);
  EXPECT_FALSE(key.pkey.has_value());
  const json expected = {{"kty", "OKP"},   {"crv", "Ed25519"}, {"x", member(jwk, "x")},
                         {"alg", "EdDSA"}, {"use", "sig"},     {"kid", "client-key-1"}};
  EXPECT_EQ(key.members, expected);
}

TEST(PublicJwkTest, AddsAlgAndUseAndNoKidWhenTheJwkHasNone) {
  const auto pair = new_ed25519();
  const auto key = accepted(okp_jwk(pair.public_key));
  EXPECT_TRUE(key.kid.empty());
  const json expected = {{"kty", "OKP"},
                         {"crv", "Ed25519"},
                         {"x", base64url_encode(pair.public_key)},
                         {"alg", "EdDSA"},
                         {"use", "sig"}};
  EXPECT_EQ(key.members, expected);
}

TEST(PublicJwkTest, AcceptsAP256KeyWithItsRfc7638Thumbprint) {
  auto jwk = es256_key().members;
  jwk["kid"] = "ec-1";
  jwk["x5t"] = "ignored";
  const auto key = accepted(jwk);
  EXPECT_EQ(key.alg, SigningAlg::es256);
  EXPECT_EQ(key.kid, "ec-1");
  ASSERT_TRUE(key.pkey.has_value());
  EXPECT_EQ(key.pkey->alg(), SigningAlg::es256);
  const json expected = {{"kty", "EC"},           {"crv", "P-256"}, {"x", member(jwk, "x")},
                         {"y", member(jwk, "y")}, {"alg", "ES256"}, {"use", "sig"},
                         {"kid", "ec-1"}};
  EXPECT_EQ(key.members, expected);
  // RFC 7638 §3.2: the required members, in lexicographic order, no spaces;
  // spelled out here rather than left to the JSON library.
  EXPECT_EQ(key.thumbprint,
            sha256_base64url(R"({"crv":"P-256","kty":"EC","x":")" + member(jwk, "x") +
                             R"(","y":")" + member(jwk, "y") + R"("})"));
}

TEST(PublicJwkTest, AcceptsAnRsa2048KeyWithItsRfc7638Thumbprint) {
  auto jwk = rs256_key().members;
  jwk["alg"] = "RS256";
  const auto key = accepted(jwk);
  EXPECT_EQ(key.alg, SigningAlg::rs256);
  EXPECT_TRUE(key.kid.empty());
  ASSERT_TRUE(key.pkey.has_value());
  const json expected = {{"kty", "RSA"},
                         {"n", member(jwk, "n")},
                         {"e", member(jwk, "e")},
                         {"alg", "RS256"},
                         {"use", "sig"}};
  EXPECT_EQ(key.members, expected);
  EXPECT_EQ(key.thumbprint,
            sha256_base64url(R"({"e":")" + member(jwk, "e") + R"(","kty":"RSA","n":")" +
                             member(jwk, "n") + R"("})"));
}

TEST(PublicJwkTest, GivesTheRfc7638ExampleKeyItsPublishedThumbprint) {
  const json jwk = {
      {"kty", "RSA"}, {"n", kRfc7638N}, {"e", "AQAB"}, {"alg", "RS256"}, {"kid", "2011-04-29"}};
  EXPECT_EQ(jwk_thumbprint(jwk), kRfc7638Thumbprint);
  // The key is 2048 bits, so the reader takes it too, with the same print.
  EXPECT_EQ(accepted(jwk).thumbprint, kRfc7638Thumbprint);
}

TEST(PublicJwkTest, GivesTheRfc8037ExampleKeyItsPublishedThumbprint) {
  const json jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", kRfc8037X}};
  EXPECT_EQ(jwk_thumbprint(jwk), kRfc8037Thumbprint);
  EXPECT_EQ(accepted(jwk).thumbprint, kRfc8037Thumbprint);
}

TEST(PublicJwkTest, ThumbprintDoesNotDependOnKidAlgUseOrExtraMembers) {
  const json bare = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", kRfc8037X}};
  auto dressed = bare;
  dressed["kid"] = "other";
  dressed["alg"] = "EdDSA";
  dressed["use"] = "sig";
  dressed["x5u"] = "https://example.com/x5u";
  EXPECT_EQ(accepted(dressed).thumbprint, accepted(bare).thumbprint);
}

TEST(PublicJwkTest, AcceptsAKidOf256PrintableCharacters) {
  auto jwk = okp_jwk(new_ed25519().public_key);
  jwk["kid"] = std::string(256, 'k');
  EXPECT_EQ(accepted(jwk).kid, std::string(256, 'k'));
}

// --- refused keys -------------------------------------------------------------

struct RefusedCase {
  std::string name;
  json jwk;
};

std::vector<RefusedCase> refused_cases() {
  const auto okp = okp_jwk(new_ed25519().public_key);
  const auto ec = es256_key().members;
  const auto rsa = rs256_key().members;
  const std::string zeros = base64url_encode(std::string(32, '\0'));
  auto with = [](json jwk, const char* name, json value) {
    jwk[name] = std::move(value);
    return jwk;
  };
  auto without = [](json jwk, const char* name) {
    jwk.erase(name);
    return jwk;
  };
  return {
      {"an array", json::array({okp})},
      {"a string", json(okp.dump())},
      {"null", json(nullptr)},
      {"no kty", without(okp, "kty")},
      {"kty not a string", with(okp, "kty", 1)},
      {"kty oct with k", {{"kty", "oct"}, {"k", base64url_encode(std::string(32, 'k'))}}},
      {"kty oct without k", {{"kty", "oct"}}},
      {"kty unknown", with(okp, "kty", "okp")},
      // Private halves: a client that sends its private key has leaked it,
      // and keeping it would make Tessera hold a client's secret.
      {"OKP with d", with(okp, "d", base64url_encode(std::string(32, 'd')))},
      {"EC with d", with(ec, "d", base64url_encode(std::string(32, 'd')))},
      {"RSA with d", with(rsa, "d", member(rsa, "n"))},
      {"RSA with p", with(rsa, "p", "AQAB")},
      {"RSA with qi", with(rsa, "qi", "AQAB")},
      {"OKP X25519", with(okp, "crv", "X25519")},
      {"OKP Ed448", with(okp, "crv", "Ed448")},
      {"OKP no crv", without(okp, "crv")},
      {"OKP x of 31 bytes", with(okp, "x", base64url_encode(std::string(31, 'x')))},
      {"OKP x of 33 bytes", with(okp, "x", base64url_encode(std::string(33, 'x')))},
      {"OKP x not base64url", with(okp, "x", "not base64url!")},
      {"OKP x not a string", with(okp, "x", 5)},
      {"OKP no x", without(okp, "x")},
      {"EC P-384", with(ec, "crv", "P-384")},
      {"EC secp256k1", with(ec, "crv", "secp256k1")},
      {"EC no y", without(ec, "y")},
      {"EC x and y zero", with(with(ec, "x", zeros), "y", zeros)},
      {"EC y modified", with(ec, "y", flipped(member(ec, "y"), 31))},
      {"EC x of 31 bytes", with(ec, "x", base64url_encode(std::string(31, '\x01')))},
      {"RSA 1024 bits", rsa_jwk_of_bits(1024)},
      {"RSA no e", without(rsa, "e")},
      {"RSA n not base64url", with(rsa, "n", "***")},
      // alg must be the key's own: never none or HMAC, which would let a
      // forged assertion through (RFC 8725 §3.1).
      {"RS256 on an EC key", with(ec, "alg", "RS256")},
      {"ES256 on an Ed25519 key", with(okp, "alg", "ES256")},
      {"EdDSA on an RSA key", with(rsa, "alg", "EdDSA")},
      {"alg none", with(okp, "alg", "none")},
      {"alg HS256", with(rsa, "alg", "HS256")},
      {"alg PS256", with(rsa, "alg", "PS256")},
      {"alg lower case", with(ec, "alg", "es256")},
      {"alg not a string", with(okp, "alg", 1)},
      {"alg null", with(okp, "alg", nullptr)},
      {"use enc", with(rsa, "use", "enc")},
      {"use not a string", with(okp, "use", true)},
      {"kid a number", with(okp, "kid", 7)},
      {"kid empty", with(okp, "kid", "")},
      {"kid of 257 characters", with(okp, "kid", std::string(257, 'k'))},
      {"kid with a newline", with(okp, "kid", "key\n1")},
      {"kid with a control character", with(okp, "kid", std::string("key\x01", 4))},
      {"kid with DEL", with(okp, "kid", "key\x7f")},
      {"kid not ASCII", with(okp, "kid", "cl\xc3\xa9")},
  };
}

TEST(PublicJwkTest, RefusesWhatIsNotAPublicSigningKeyWithAReason) {
  for (const auto& c : refused_cases()) {
    SCOPED_TRACE(c.name);
    std::variant<PublicJwk, std::string> result;
    ASSERT_NO_THROW(result = read_public_jwk(c.jwk));
    const auto* reason = std::get_if<std::string>(&result);
    ASSERT_NE(reason, nullptr) << "accepted " << c.jwk.dump();
    EXPECT_FALSE(reason->empty());
  }
}

TEST(PublicJwkTest, RefusesASymmetricKeyAsSuchAndAPrivateKeyAsSuch) {
  // Two different mistakes, two different answers to the admin.
  const auto oct = read_public_jwk({{"kty", "oct"}, {"k", "c2VjcmV0"}});
  ASSERT_TRUE(std::holds_alternative<std::string>(oct));
  EXPECT_NE(std::get<std::string>(oct).find("symmetric"), std::string::npos);
  auto jwk = okp_jwk(new_ed25519().public_key);
  jwk["d"] = base64url_encode(std::string(32, 'd'));
  const auto with_d = read_public_jwk(jwk);
  ASSERT_TRUE(std::holds_alternative<std::string>(with_d));
  EXPECT_NE(std::get<std::string>(with_d).find("private"), std::string::npos);
}

// --- verify -------------------------------------------------------------------

TEST(PublicJwkTest, VerifiesAnEd25519SignatureOfItsPrivateKeyAndNoAlteredOne) {
  const auto pair = new_ed25519();
  const auto key = accepted(okp_jwk(pair.public_key));
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(kInput.data()), kInput.size(),
                       reinterpret_cast<const unsigned char*>(pair.secret_key.data()));
  EXPECT_TRUE(key.verify(kInput, signature));
  EXPECT_EQ(signature, ed25519_signature(kInput, pair.secret_key));

  auto altered = signature;
  altered[10] = static_cast<char>(altered[10] ^ 0x01);
  EXPECT_FALSE(key.verify(kInput, altered));
  EXPECT_FALSE(key.verify(kInput + "x", signature));
  EXPECT_FALSE(key.verify(kInput, signature.substr(1)));
  EXPECT_FALSE(key.verify(kInput, ""));
}

void expect_verifies_own_signature(SigningAlg alg, const PkeyJwk& made) {
  const auto key = accepted(made.members);
  const auto private_key = PrivatePkey::from_der(alg, made.pair.private_der);
  ASSERT_TRUE(private_key.has_value());
  const auto signature = private_key->sign(kInput);
  EXPECT_TRUE(key.verify(kInput, signature));

  auto altered = signature;
  altered[5] = static_cast<char>(altered[5] ^ 0x01);
  EXPECT_FALSE(key.verify(kInput, altered));
  EXPECT_FALSE(key.verify(kInput + "x", signature));
  // A peer's bytes of the wrong length are a failed check, not an error.
  EXPECT_FALSE(key.verify(kInput, signature.substr(1)));
  EXPECT_FALSE(key.verify(kInput, signature + "x"));
  EXPECT_FALSE(key.verify(kInput, ""));
}

TEST(PublicJwkTest, VerifiesAnEs256SignatureOfItsPrivateKeyAndNoAlteredOne) {
  expect_verifies_own_signature(SigningAlg::es256, es256_key());
}

TEST(PublicJwkTest, VerifiesAnRs256SignatureOfItsPrivateKeyAndNoAlteredOne) {
  expect_verifies_own_signature(SigningAlg::rs256, rs256_key());
}

TEST(PublicJwkTest, DoesNotVerifyASignatureOfAnotherKey) {
  const auto key = accepted(okp_jwk(new_ed25519().public_key));
  const auto other = new_ed25519();
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(kInput.data()), kInput.size(),
                       reinterpret_cast<const unsigned char*>(other.secret_key.data()));
  EXPECT_FALSE(key.verify(kInput, signature));

  // An RS256 signature offered to an ES256 key is just wrong bytes.
  const auto es = accepted(es256_key().members);
  const auto rs_private = PrivatePkey::from_der(SigningAlg::rs256, rs256_key().pair.private_der);
  ASSERT_TRUE(rs_private.has_value());
  EXPECT_FALSE(es.verify(kInput, rs_private->sign(kInput)));
}

}  // namespace
}  // namespace tessera::crypto
