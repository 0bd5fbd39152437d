// ES256 and RS256 keys (RFC 7518 §3.3-3.4, §6) with OpenSSL 3: what
// crypto/pkey.hpp generates, decodes, signs, verifies and publishes. Keys the server must refuse,
// and the key rebuilt from the published JWK, are made here with OpenSSL directly, so the test does
// not lean on the code under test to make them.
#include "crypto/pkey.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/signing_alg.hpp"

namespace tessera::crypto {
namespace {

const std::string kInput = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjbGllbnQtMSJ9";

// --- OpenSSL, directly --------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string bytes_of(unsigned char* data, std::size_t size) {
  std::string out(reinterpret_cast<const char*>(data), size);
  OPENSSL_free(data);
  return out;
}

// `structure` is "PrivateKeyInfo" (PKCS#8), "type-specific" (PKCS#1, SEC1)
// or "SubjectPublicKeyInfo".
std::string encode(EVP_PKEY* key, const char* structure) {
  const int selection =
      std::string(structure) == "SubjectPublicKeyInfo" ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR;
  OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(key, selection, "DER", structure, nullptr);
  unsigned char* data = nullptr;
  std::size_t size = 0;
  const bool ok = ctx != nullptr && OSSL_ENCODER_to_data(ctx, &data, &size) == 1;
  OSSL_ENCODER_CTX_free(ctx);
  if (!ok) throw std::runtime_error(std::string("encoding ") + structure);
  return bytes_of(data, size);
}

Pkey generate_ec(const char* curve) {
  Pkey key(EVP_EC_gen(curve));
  if (!key) throw std::runtime_error(std::string("generating a key on ") + curve);
  return key;
}

// `type` is "RSA" or "RSA-PSS" (which EVP_RSA_gen does not make).
Pkey generate_rsa(const char* type, int bits) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) == 1 &&
                  EVP_PKEY_generate(ctx, &key) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) throw std::runtime_error(std::string("generating ") + type);
  return Pkey(key);
}

// A public key from its JWK members alone (EVP_PKEY_fromdata).
Pkey key_from_jwk(const nlohmann::json& jwk) {
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  std::vector<BIGNUM*> numbers;
  std::string point;
  const char* type = nullptr;
  if (jwk.at("kty") == "EC") {
    type = "EC";
    point = "\x04" + *base64url_decode(jwk.at("x").get<std::string>()) +
            *base64url_decode(jwk.at("y").get<std::string>());
    OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
    OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  } else {
    type = "RSA";
    for (const char* member : {"n", "e"}) {
      const auto value = *base64url_decode(jwk.at(member).get<std::string>());
      numbers.push_back(BN_bin2bn(reinterpret_cast<const unsigned char*>(value.data()),
                                  static_cast<int>(value.size()), nullptr));
    }
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, numbers[0]);
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, numbers[1]);
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok = params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
                  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  for (BIGNUM* number : numbers) BN_free(number);
  if (!ok) throw std::runtime_error("rebuilding a key from its JWK members");
  return Pkey(key);
}

// --- The cases, one per algorithm -------------------------------------------------

struct AlgCase {
  const char* name;
  SigningAlg alg;
  SigningAlg other;
  std::size_t signature_size;
};

const AlgCase kAlgCases[] = {
    {"es256", SigningAlg::es256, SigningAlg::rs256, 64},
    {"rs256", SigningAlg::rs256, SigningAlg::es256, 256},
};

// RSA key generation takes a good part of a second: one pair per algorithm.
const PkeyPair& pair_for(SigningAlg alg) {
  static std::map<SigningAlg, PkeyPair> pairs;
  auto found = pairs.find(alg);
  if (found == pairs.end()) found = pairs.emplace(alg, pkey_generate(alg)).first;
  return found->second;
}

class PkeyTest : public testing::TestWithParam<AlgCase> {
 protected:
  const PkeyPair& pair() const { return pair_for(GetParam().alg); }
  PrivatePkey private_key() const {
    return *PrivatePkey::from_der(GetParam().alg, pair().private_der);
  }
  PublicPkey public_key() const { return *PublicPkey::from_der(GetParam().alg, pair().public_der); }
};

INSTANTIATE_TEST_SUITE_P(PkeyAlgs, PkeyTest, testing::ValuesIn(kAlgCases),
                         [](const testing::TestParamInfo<AlgCase>& param) {
                           return std::string(param.param.name);
                         });

TEST_P(PkeyTest, RoundTripsThroughDerAndVerifiesItsOwnSignature) {
  const auto signer = PrivatePkey::from_der(GetParam().alg, pair().private_der);
  const auto verifier = PublicPkey::from_der(GetParam().alg, pair().public_der);
  ASSERT_TRUE(signer);
  ASSERT_TRUE(verifier);
  EXPECT_EQ(signer->alg(), GetParam().alg);
  EXPECT_EQ(verifier->alg(), GetParam().alg);
  EXPECT_TRUE(verifier->verify(kInput, signer->sign(kInput)));
  EXPECT_TRUE(verifier->verify("", signer->sign("")));
}

TEST_P(PkeyTest, SignatureHasTheJwsLength) {
  EXPECT_EQ(private_key().sign(kInput).size(), GetParam().signature_size);
}

TEST_P(PkeyTest, RefusesAFlippedBitInTheInputOrTheSignature) {
  const auto signature = private_key().sign(kInput);
  const auto verifier = public_key();
  struct Flip {
    const char* what;
    bool in_signature;
    std::size_t at;
    unsigned char mask;
  };
  const std::vector<Flip> flips = {
      {"input, first byte", false, 0, 0x01},
      {"input, last byte", false, kInput.size() - 1, 0x80},
      {"signature, first byte", true, 0, 0x01},
      {"signature, middle byte", true, signature.size() / 2, 0x10},
      {"signature, last byte", true, signature.size() - 1, 0x80},
  };
  for (const auto& flip : flips) {
    auto input = kInput;
    auto flipped = signature;
    auto& target = flip.in_signature ? flipped : input;
    target[flip.at] = static_cast<char>(target[flip.at] ^ flip.mask);
    EXPECT_FALSE(verifier.verify(input, flipped)) << flip.what;
  }
}

TEST_P(PkeyTest, RefusesASignatureOfTheWrongLengthWithoutThrowing) {
  const auto signature = private_key().sign(kInput);
  const auto verifier = public_key();
  const std::vector<std::string> wrong = {"",
                                          signature.substr(0, signature.size() - 1),
                                          signature + '\0',
                                          '\0' + signature,
                                          signature + signature,
                                          std::string(signature.size() + 1, '\xff')};
  for (const auto& candidate : wrong) {
    bool valid = true;
    EXPECT_NO_THROW(valid = verifier.verify(kInput, candidate)) << candidate.size() << " bytes";
    EXPECT_FALSE(valid) << candidate.size() << " bytes";
  }
  // All zeroes and all ones of the right length: r, s = 0 or >= the group order.
  for (const char fill : {'\0', '\xff'}) {
    EXPECT_FALSE(verifier.verify(kInput, std::string(signature.size(), fill)));
  }
}

TEST_P(PkeyTest, RefusesTheOtherAlgorithmsKeys) {
  EXPECT_FALSE(PrivatePkey::from_der(GetParam().other, pair().private_der));
  EXPECT_FALSE(PublicPkey::from_der(GetParam().other, pair().public_der));
  EXPECT_FALSE(PrivatePkey::from_der(SigningAlg::eddsa, pair().private_der));
  EXPECT_FALSE(PublicPkey::from_der(SigningAlg::eddsa, pair().public_der));
}

TEST_P(PkeyTest, RefusesAnythingButExactlyOneDerKeyOfItsKind) {
  const auto alg = GetParam().alg;
  const auto& der = pair();
  // The private key where the public one belongs, and the other way round.
  EXPECT_FALSE(PrivatePkey::from_der(alg, der.public_der));
  EXPECT_FALSE(PublicPkey::from_der(alg, der.private_der));
  for (const auto* field : {&der.private_der, &der.public_der}) {
    const bool is_private = field == &der.private_der;
    const std::vector<std::string> garbage = {"",
                                              "garbage",
                                              std::string(64, '\0'),
                                              field->substr(0, field->size() - 1),
                                              *field + '\0',  // one trailing byte
                                              base64url_encode(*field)};
    for (const auto& candidate : garbage) {
      EXPECT_FALSE(is_private ? PrivatePkey::from_der(alg, candidate).has_value()
                              : PublicPkey::from_der(alg, candidate).has_value())
          << (is_private ? "private, " : "public, ") << candidate.size() << " bytes";
    }
  }
}

TEST_P(PkeyTest, LeavesTheThreadsErrorQueueAsItFoundIt) {
  ERR_clear_error();
  EXPECT_FALSE(PrivatePkey::from_der(GetParam().alg, "garbage"));
  EXPECT_FALSE(PublicPkey::from_der(GetParam().alg, pair().private_der));
  EXPECT_FALSE(public_key().verify(kInput, std::string(GetParam().signature_size, '\x01')));
  EXPECT_EQ(ERR_peek_error(), 0UL);
  // Nor does it take away an error that was there before.
  ERR_raise(ERR_LIB_USER, ERR_R_INTERNAL_ERROR);
  const auto earlier = ERR_peek_last_error();
  EXPECT_FALSE(PrivatePkey::from_der(GetParam().alg, "garbage"));
  EXPECT_EQ(ERR_get_error(), earlier);
  EXPECT_EQ(ERR_get_error(), 0UL);
}

TEST_P(PkeyTest, ItsJwkMembersRebuildTheSameKey) {
  const auto jwk = public_key().jwk_members();
  const auto rebuilt = key_from_jwk(jwk);
  // The same SubjectPublicKeyInfo, and a signature that verifies with it.
  EXPECT_EQ(encode(rebuilt.get(), "SubjectPublicKeyInfo"), pair().public_der);
  const auto signature = private_key().sign(kInput);
  if (GetParam().alg == SigningAlg::rs256) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ASSERT_EQ(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, rebuilt.get()), 1);
    EXPECT_EQ(EVP_DigestVerify(
                  ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                  reinterpret_cast<const unsigned char*>(kInput.data()), kInput.size()),
              1);
    EVP_MD_CTX_free(ctx);
  }
  const auto verifier =
      PublicPkey::from_der(GetParam().alg, encode(rebuilt.get(), "SubjectPublicKeyInfo"));
  ASSERT_TRUE(verifier);
  EXPECT_TRUE(verifier->verify(kInput, signature));
}

// --- Per algorithm ----------------------------------------------------------------

std::size_t decoded_size(const nlohmann::json& jwk, const char* member) {
  const auto value = base64url_decode(jwk.at(member).get<std::string>());
  return value ? value->size() : 0;
}

TEST(PkeyEs256, JwkMembersAreAP256PointOf32ByteCoordinates) {
  const auto jwk = PublicPkey::from_der(SigningAlg::es256, pair_for(SigningAlg::es256).public_der)
                       ->jwk_members();
  EXPECT_EQ(jwk.size(), 4U);
  EXPECT_EQ(jwk.at("kty"), "EC");
  EXPECT_EQ(jwk.at("crv"), "P-256");
  EXPECT_EQ(decoded_size(jwk, "x"), 32U);
  EXPECT_EQ(decoded_size(jwk, "y"), 32U);
}

TEST(PkeyEs256, SignaturesAreRandomizedAndBothVerify) {
  const auto signer =
      *PrivatePkey::from_der(SigningAlg::es256, pair_for(SigningAlg::es256).private_der);
  const auto verifier =
      *PublicPkey::from_der(SigningAlg::es256, pair_for(SigningAlg::es256).public_der);
  const auto a = signer.sign(kInput);
  const auto b = signer.sign(kInput);
  EXPECT_NE(a, b);
  EXPECT_TRUE(verifier.verify(kInput, a));
  EXPECT_TRUE(verifier.verify(kInput, b));
}

TEST(PkeyEs256, RefusesAnotherCurve) {
  const auto p384 = generate_ec("P-384");
  EXPECT_FALSE(PrivatePkey::from_der(SigningAlg::es256, encode(p384.get(), "PrivateKeyInfo")));
  EXPECT_FALSE(PublicPkey::from_der(SigningAlg::es256, encode(p384.get(), "SubjectPublicKeyInfo")));
}

TEST(PkeyEs256, RefusesP256GivenByExplicitParameters) {
  const auto key = generate_ec("P-256");
  ASSERT_EQ(EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_ENCODING,
                                           OSSL_PKEY_EC_ENCODING_EXPLICIT),
            1);
  EXPECT_FALSE(PrivatePkey::from_der(SigningAlg::es256, encode(key.get(), "PrivateKeyInfo")));
  EXPECT_FALSE(PublicPkey::from_der(SigningAlg::es256, encode(key.get(), "SubjectPublicKeyInfo")));
}

TEST(PkeyEs256, RefusesASec1KeyThatIsNotPkcs8) {
  const auto key = generate_ec("P-256");
  EXPECT_TRUE(PrivatePkey::from_der(SigningAlg::es256, encode(key.get(), "PrivateKeyInfo")));
  EXPECT_FALSE(PrivatePkey::from_der(SigningAlg::es256, encode(key.get(), "type-specific")));
}

TEST(PkeyRs256, JwkMembersAreA2048BitModulusAndExponent65537) {
  const auto jwk = PublicPkey::from_der(SigningAlg::rs256, pair_for(SigningAlg::rs256).public_der)
                       ->jwk_members();
  EXPECT_EQ(jwk.size(), 3U);
  EXPECT_EQ(jwk.at("kty"), "RSA");
  EXPECT_EQ(jwk.at("e"), "AQAB");
  EXPECT_EQ(decoded_size(jwk, "n"), 256U);
}

TEST(PkeyRs256, SignaturesAreDeterministic) {
  const auto signer =
      *PrivatePkey::from_der(SigningAlg::rs256, pair_for(SigningAlg::rs256).private_der);
  EXPECT_EQ(signer.sign(kInput), signer.sign(kInput));
}

TEST(PkeyRs256, RefusesAModulusBelow2048Bits) {
  const auto rsa1024 = generate_rsa("RSA", 1024);
  EXPECT_FALSE(PrivatePkey::from_der(SigningAlg::rs256, encode(rsa1024.get(), "PrivateKeyInfo")));
  EXPECT_FALSE(
      PublicPkey::from_der(SigningAlg::rs256, encode(rsa1024.get(), "SubjectPublicKeyInfo")));
}

TEST(PkeyRs256, RefusesAPkcs1KeyThatIsNotPkcs8) {
  const auto key = generate_rsa("RSA", 2048);
  EXPECT_TRUE(PrivatePkey::from_der(SigningAlg::rs256, encode(key.get(), "PrivateKeyInfo")));
  EXPECT_FALSE(PrivatePkey::from_der(SigningAlg::rs256, encode(key.get(), "type-specific")));
}

TEST(PkeyRs256, RefusesAnRsaPssKey) {
  const auto pss = generate_rsa("RSA-PSS", 2048);
  EXPECT_FALSE(PrivatePkey::from_der(SigningAlg::rs256, encode(pss.get(), "PrivateKeyInfo")));
  EXPECT_FALSE(PublicPkey::from_der(SigningAlg::rs256, encode(pss.get(), "SubjectPublicKeyInfo")));
}

TEST(PkeyGenerate, LeavesEdDsaToLibsodium) {
  EXPECT_THROW(pkey_generate(SigningAlg::eddsa), std::invalid_argument);
}

}  // namespace
}  // namespace tessera::crypto
