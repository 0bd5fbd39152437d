#pragma once

#include <openssl/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/signing_alg.hpp"

namespace tessera::crypto {

// ES256 (ECDSA P-256 with SHA-256) and RS256 (RSASSA-PKCS1-v1_5 with
// SHA-256), RFC 7518 §3.3-3.4, with OpenSSL 3's EVP interface. EdDSA stays
// with libsodium (ed25519.hpp, jws.hpp).
//
// Threads: a PrivatePkey or PublicPkey is shared read-only; each sign or
// verify makes its own EVP_MD_CTX and EVP_PKEY_CTX. openssl-threads(7):
// objects are thread-safe as long as the calls made on them don't modify
// them, and two threads can sign with two different EVP_PKEY_CTX objects.
// The keys here are never changed once decoded. (Were one a legacy key,
// OpenSSL 3 would copy it into its provider on first use, under the key's
// own lock; the decoders and generators used here make provider keys.)
//
// No function here leaves anything on the calling thread's OpenSSL error
// queue: other code on a worker thread (libpq's TLS, say) reads that queue
// and would take our leftovers for its own failure.

// A fresh key pair: P-256 for es256, RSA 2048 with e = 65537 for rs256.
// public_der is a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), private_der
// a DER PKCS#8 PrivateKeyInfo (RFC 5208): the caller seals private_der and
// wipes it (sodium_memzero). Throws std::invalid_argument for eddsa,
// std::runtime_error when OpenSSL fails.
struct PkeyPair {
  std::string public_der;
  std::string private_der;
};
PkeyPair pkey_generate(SigningAlg alg);

// A private key to sign with. Copies share one EVP_PKEY.
class PrivatePkey {
 public:
  // nullopt unless `der` is exactly one DER PKCS#8 key of that algorithm:
  // P-256 on a named curve for es256, RSA with a modulus of at least 2048
  // bits for rs256 (RFC 7518 §3.3); always nullopt for eddsa.
  static std::optional<PrivatePkey> from_der(SigningAlg alg, std::string_view der);

  SigningAlg alg() const { return alg_; }

  // The JWS signature over `signing_input` (RFC 7515 §5.1): for RS256 the
  // modulus length (256 bytes for RSA 2048); for ES256 R || S, 32 bytes each
  // (RFC 7518 §3.4), not the DER that OpenSSL produces. Throws
  // std::runtime_error when OpenSSL fails.
  std::string sign(std::string_view signing_input) const;

 private:
  PrivatePkey(SigningAlg alg, std::shared_ptr<EVP_PKEY> key) : alg_(alg), key_(std::move(key)) {}
  SigningAlg alg_;
  std::shared_ptr<EVP_PKEY> key_;
};

// A public key to verify with and to publish. Copies share one EVP_PKEY.
class PublicPkey {
 public:
  // nullopt unless `der` is exactly one DER SubjectPublicKeyInfo that
  // PrivatePkey::from_der's rules accept for `alg`.
  static std::optional<PublicPkey> from_der(SigningAlg alg, std::string_view der);
  // From the raw JWK members (RFC 7518 §6.2.1, §6.3.1), already base64url
  // decoded: ES256 `a` = x, `b` = y (32 bytes each); RS256 `a` = n, `b` = e.
  // The key must then pass from_der's checks (named P-256, RSA ≥ 2048).
  static std::optional<PublicPkey> from_jwk_members(SigningAlg alg, std::string_view a,
                                                    std::string_view b);

  SigningAlg alg() const { return alg_; }

  // False for a wrong or malformed signature (an ES256 signature that is not
  // 64 bytes, an RS256 one that is not the modulus length): a JWS's
  // signature is a peer's input, so this never throws over it. Throws
  // std::runtime_error only when OpenSSL cannot set up the check at all.
  bool verify(std::string_view signing_input, std::string_view signature) const;

  // The public JWK members (RFC 7518 §6.2.1, §6.3.1), base64url: for ES256
  // {"kty":"EC","crv":"P-256","x","y"}, x and y 32 bytes each, left-padded;
  // for RS256 {"kty":"RSA","n","e"}, n and e without leading zero bytes.
  // The caller adds kid, alg and use.
  nlohmann::json jwk_members() const;

 private:
  PublicPkey(SigningAlg alg, std::shared_ptr<EVP_PKEY> key) : alg_(alg), key_(std::move(key)) {}
  SigningAlg alg_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace tessera::crypto
