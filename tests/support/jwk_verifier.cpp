#include "support/jwk_verifier.hpp"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <optional>
#include <string>

#include "crypto/base64url.hpp"

namespace tessera::test {
namespace {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::optional<std::string> member(const nlohmann::json& jwk, const char* name) {
  if (!jwk.contains(name) || !jwk[name].is_string()) return std::nullopt;
  return crypto::base64url_decode(jwk[name].get<std::string>());
}

const unsigned char* bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Builds a key from OSSL_PARAMs (EVP_PKEY_fromdata), as any JOSE library
// built on OpenSSL 3 does.
Pkey from_params(const char* type, OSSL_PARAM_BLD* builder) {
  Pkey none(nullptr, EVP_PKEY_free);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok = params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
                  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return ok ? Pkey(key, EVP_PKEY_free) : std::move(none);
}

Pkey key_of(const nlohmann::json& jwk) {
  Pkey none(nullptr, EVP_PKEY_free);
  const auto kty = jwk.value("kty", "");
  if (kty == "OKP" && jwk.value("crv", "") == "Ed25519") {
    const auto x = member(jwk, "x");
    if (!x || x->size() != 32) return none;
    return Pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(*x), x->size()),
                EVP_PKEY_free);
  }
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          OSSL_PARAM_BLD_free);
  if (kty == "EC" && jwk.value("crv", "") == "P-256") {
    const auto x = member(jwk, "x");
    const auto y = member(jwk, "y");
    if (!x || !y || x->size() != 32 || y->size() != 32) return none;
    const std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed point
    OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
    OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                     point.size());
    return from_params("EC", builder.get());
  }
  if (kty == "RSA") {
    const auto n = member(jwk, "n");
    const auto e = member(jwk, "e");
    if (!n || !e) return none;
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_n(
        BN_bin2bn(bytes(*n), static_cast<int>(n->size()), nullptr), BN_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_e(
        BN_bin2bn(bytes(*e), static_cast<int>(e->size()), nullptr), BN_free);
    OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get());
    OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get());
    return from_params("RSA", builder.get());
  }
  return none;
}

// R || S (RFC 7518 §3.4) as the DER ECDSA-Sig-Value OpenSSL verifies.
std::optional<std::string> der_of_raw_ecdsa(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (size <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

}  // namespace

bool jwk_verifies(const nlohmann::json& jwk, std::string_view signing_input,
                  std::string_view signature) {
  if (!jwk.is_object()) return false;
  const auto key = key_of(jwk);
  if (!key) return false;
  const auto alg = jwk.value("alg", "");
  const EVP_MD* md = nullptr;  // Ed25519 hashes on its own
  std::string sig(signature);
  if (alg == "ES256") {
    auto der = der_of_raw_ecdsa(signature);
    if (!der) return false;
    sig = std::move(*der);
    md = EVP_sha256();
  } else if (alg == "RS256") {
    md = EVP_sha256();
  } else if (alg != "EdDSA") {
    return false;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr &&
                  EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key.get()) == 1 &&
                  EVP_DigestVerify(ctx, bytes(sig), sig.size(),
                                   reinterpret_cast<const unsigned char*>(signing_input.data()),
                                   signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace tessera::test
