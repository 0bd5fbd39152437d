#include "crypto/pkey.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <climits>
#include <cstring>
#include <stdexcept>

#include "crypto/base64url.hpp"

namespace tessera::crypto {
namespace {

constexpr std::size_t kEs256Half = 32;  // RFC 7518 §3.4: R and S, 32 bytes each
constexpr int kRsaMinBits = 2048;       // RFC 7518 §3.3

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Freer<T, Free>>;

using OwnedPkey = Owned<EVP_PKEY, EVP_PKEY_free>;
using OwnedMdCtx = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using OwnedBignum = Owned<BIGNUM, BN_free>;
using OwnedEcdsaSig = Owned<ECDSA_SIG, ECDSA_SIG_free>;

// Leaves the calling thread's error queue as it was found (pkey.hpp says why),
// whichever way the function returns.
class ErrorQueueScope {
 public:
  ErrorQueueScope() { ERR_set_mark(); }
  ~ErrorQueueScope() { ERR_pop_to_mark(); }
  ErrorQueueScope(const ErrorQueueScope&) = delete;
  ErrorQueueScope& operator=(const ErrorQueueScope&) = delete;
};

[[noreturn]] void fail(const char* what) {
  char reason[256] = "no reason given";
  if (const auto code = ERR_peek_last_error(); code != 0) {
    ERR_error_string_n(code, reason, sizeof reason);
  }
  throw std::runtime_error(std::string("OpenSSL: ") + what + ": " + reason);
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

std::shared_ptr<EVP_PKEY> shared(OwnedPkey key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

// The checks both from_der functions make on a decoded key.
bool fits(SigningAlg alg, const EVP_PKEY* key) {
  switch (alg) {
    case SigningAlg::es256: {
      if (!EVP_PKEY_is_a(key, "EC")) return false;
      // A named curve, as JWK's "crv" is (RFC 7518 §6.2.1.1): explicit
      // parameters, even P-256's, are refused.
      int explicit_params = 1;
      if (EVP_PKEY_get_int_param(key, OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS,
                                 &explicit_params) != 1 ||
          explicit_params != 0) {
        return false;
      }
      char group[64];
      return EVP_PKEY_get_group_name(key, group, sizeof group, nullptr) == 1 &&
             std::strcmp(group, SN_X9_62_prime256v1) == 0;
    }
    case SigningAlg::rs256:
      // "RSA" only: an RSA-PSS key (id-RSASSA-PSS) is a different algorithm.
      return EVP_PKEY_is_a(key, "RSA") && EVP_PKEY_get_bits(key) >= kRsaMinBits;
    case SigningAlg::eddsa:
      return false;  // libsodium's (jws.hpp), not OpenSSL's
  }
  return false;
}

std::optional<long> der_length(std::string_view der) {
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX)) return std::nullopt;
  return static_cast<long>(der.size());
}

std::string private_key_info(EVP_PKEY* key) {
  Owned<OSSL_ENCODER_CTX, OSSL_ENCODER_CTX_free> encoder(
      OSSL_ENCODER_CTX_new_for_pkey(key, EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo", nullptr));
  unsigned char* data = nullptr;
  std::size_t size = 0;
  if (!encoder || OSSL_ENCODER_to_data(encoder.get(), &data, &size) != 1) {
    fail("encoding a PKCS#8 private key");
  }
  std::string der(reinterpret_cast<const char*>(data), size);
  OPENSSL_clear_free(data, size);
  return der;
}

std::string subject_public_key_info(EVP_PKEY* key) {
  const int size = i2d_PUBKEY(key, nullptr);
  if (size <= 0) fail("encoding a public key");
  std::string der(static_cast<std::size_t>(size), '\0');
  unsigned char* out = bytes(der);
  if (i2d_PUBKEY(key, &out) != size) fail("encoding a public key");
  return der;
}

// OpenSSL's ECDSA signature, DER (SEQUENCE { r INTEGER, s INTEGER }), as JWS
// wants it: R || S, each left-padded to 32 bytes (RFC 7518 §3.4).
std::string es256_from_der(std::string_view der) {
  const auto length = der_length(der);
  const unsigned char* in = bytes(der);
  OwnedEcdsaSig sig(length ? d2i_ECDSA_SIG(nullptr, &in, *length) : nullptr);
  if (!sig) fail("decoding an ECDSA signature");
  std::string out(2 * kEs256Half, '\0');
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes(out), int{kEs256Half}) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes(out) + kEs256Half, int{kEs256Half}) < 0) {
    fail("converting an ECDSA signature");
  }
  return out;
}

// The other way, for EVP_DigestVerify; nullopt unless `jose` is 64 bytes.
std::optional<std::string> es256_to_der(std::string_view jose) {
  if (jose.size() != 2 * kEs256Half) return std::nullopt;
  OwnedBignum r(BN_bin2bn(bytes(jose), int{kEs256Half}, nullptr));
  OwnedBignum s(BN_bin2bn(bytes(jose) + kEs256Half, int{kEs256Half}, nullptr));
  OwnedEcdsaSig sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  r.release();  // now owned by sig
  s.release();
  const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0) return std::nullopt;
  std::string der(static_cast<std::size_t>(size), '\0');
  unsigned char* out = bytes(der);
  if (i2d_ECDSA_SIG(sig.get(), &out) != size) return std::nullopt;
  return der;
}

// A public parameter of `key` as big-endian bytes: left-padded to `width`,
// or minimal when `width` is 0.
std::string bignum_param(const EVP_PKEY* key, const char* name, std::size_t width = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) fail("reading a public key parameter");
  const OwnedBignum value(raw);
  const std::size_t size = width != 0 ? width : static_cast<std::size_t>(BN_num_bytes(raw));
  std::string out(size, '\0');
  if (BN_bn2binpad(raw, bytes(out), static_cast<int>(size)) < 0) {
    fail("writing a public key parameter");
  }
  return out;
}

}  // namespace

PkeyPair pkey_generate(SigningAlg alg) {
  const ErrorQueueScope errors;
  OwnedPkey key;
  switch (alg) {
    case SigningAlg::es256:
      key.reset(EVP_EC_gen(SN_X9_62_prime256v1));
      break;
    case SigningAlg::rs256:
      // OpenSSL's default public exponent is 65537 (RSA_DEFAULT_PUBEXP).
      key.reset(EVP_RSA_gen(static_cast<unsigned int>(kRsaMinBits)));
      break;
    case SigningAlg::eddsa:
      throw std::invalid_argument("EdDSA keys are libsodium's: ed25519_generate");
  }
  if (!key) fail("generating a key pair");
  return PkeyPair{subject_public_key_info(key.get()), private_key_info(key.get())};
}

std::optional<PrivatePkey> PrivatePkey::from_der(SigningAlg alg, std::string_view der) {
  const ErrorQueueScope errors;
  const auto length = der_length(der);
  if (!length) return std::nullopt;
  // PKCS#8 only: d2i_AutoPrivateKey would also take PKCS#1 and SEC1 keys.
  const unsigned char* in = bytes(der);
  Owned<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free> info(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &in, *length));
  if (!info || in != bytes(der) + der.size()) return std::nullopt;
  OwnedPkey key(EVP_PKCS82PKEY(info.get()));
  if (!key || !fits(alg, key.get())) return std::nullopt;
  return PrivatePkey(alg, shared(std::move(key)));
}

std::string PrivatePkey::sign(std::string_view signing_input) const {
  const ErrorQueueScope errors;
  const OwnedMdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1) {
    fail("starting a signature");
  }
  const int max_size = EVP_PKEY_get_size(key_.get());
  if (max_size <= 0) fail("sizing a signature");
  std::string signature(static_cast<std::size_t>(max_size), '\0');
  std::size_t size = signature.size();
  if (EVP_DigestSign(ctx.get(), bytes(signature), &size, bytes(signing_input),
                     signing_input.size()) != 1) {
    fail("signing");
  }
  signature.resize(size);
  return alg_ == SigningAlg::es256 ? es256_from_der(signature) : signature;
}

std::optional<PublicPkey> PublicPkey::from_der(SigningAlg alg, std::string_view der) {
  const ErrorQueueScope errors;
  const auto length = der_length(der);
  if (!length) return std::nullopt;
  const unsigned char* in = bytes(der);
  OwnedPkey key(d2i_PUBKEY(nullptr, &in, *length));
  if (!key || in != bytes(der) + der.size() || !fits(alg, key.get())) return std::nullopt;
  return PublicPkey(alg, shared(std::move(key)));
}

std::optional<PublicPkey> PublicPkey::from_jwk_members(SigningAlg alg, std::string_view a,
                                                       std::string_view b) {
  const ErrorQueueScope errors;
  const Owned<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free> builder(OSSL_PARAM_BLD_new());
  if (!builder) return std::nullopt;
  const char* type = nullptr;
  std::string point;
  Owned<BIGNUM, BN_free> n, e;
  if (alg == SigningAlg::es256) {
    if (a.size() != kEs256Half || b.size() != kEs256Half) return std::nullopt;
    point = std::string("\x04") + std::string(a) + std::string(b);  // SEC 1 uncompressed
    type = "EC";
    if (OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
      return std::nullopt;
    }
  } else if (alg == SigningAlg::rs256) {
    if (a.empty() || b.empty() || a.size() > 2048 || b.size() > 16) return std::nullopt;
    n.reset(BN_bin2bn(bytes(a), static_cast<int>(a.size()), nullptr));
    e.reset(BN_bin2bn(bytes(b), static_cast<int>(b.size()), nullptr));
    type = "RSA";
    if (!n || !e || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  const Owned<OSSL_PARAM, OSSL_PARAM_free> params(OSSL_PARAM_BLD_to_param(builder.get()));
  const Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* made = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &made, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return std::nullopt;
  }
  const OwnedPkey key(made);
  // Through DER, so that a JWK key passes exactly the checks a stored one
  // does (a point on the curve, a named group, the modulus size).
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key.get(), &der);
  if (size <= 0) return std::nullopt;
  const std::string encoded(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return from_der(alg, encoded);
}

bool PublicPkey::verify(std::string_view signing_input, std::string_view signature) const {
  const ErrorQueueScope errors;
  std::optional<std::string> der;
  if (alg_ == SigningAlg::es256) {
    der = es256_to_der(signature);
    if (!der) return false;
    signature = *der;
  } else if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key_.get()))) {
    return false;  // RFC 8017 §8.2.2 step 1: exactly the modulus length
  }
  const OwnedMdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1) {
    fail("starting a verification");
  }
  // 1 is a valid signature; 0 a wrong one, below 0 a malformed one.
  return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(signing_input),
                          signing_input.size()) == 1;
}

nlohmann::json PublicPkey::jwk_members() const {
  const ErrorQueueScope errors;
  if (alg_ == SigningAlg::es256) {
    return {
        {"kty", "EC"},
        {"crv", "P-256"},
        {"x", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, kEs256Half))},
        {"y", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, kEs256Half))}};
  }
  return {{"kty", "RSA"},
          {"n", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_E))}};
}

}  // namespace tessera::crypto
