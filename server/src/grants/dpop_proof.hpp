#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/types.hpp"
#include "grants/dpop_keys.hpp"

namespace tessera::grants {

// DPoP (RFC 9449): a client proves, with each token request, that it holds
// the private half of a key; the token is then bound to that key.

// A proof is accepted this long after its `iat` (and that much ahead of the
// server's clock): a proof is made for one request, so a short window keeps
// the jtis to remember few.
inline constexpr std::chrono::seconds kDpopProofMaxAge{60};
inline constexpr std::chrono::seconds kDpopProofLeeway{30};

// The request a proof must be made for: its method and the URIs it may
// name in `htu`, each already normalised (domain::normalise_http_uri).
struct DpopTarget {
  std::string method;
  std::vector<std::string> uris;
};

// A proof that verified. Its jti is to be accepted once until `expires_at`.
struct VerifiedProof {
  std::string jkt;  // RFC 7638 thumbprint of its key: the token's cnf.jkt
  std::string jti;
  domain::Timestamp expires_at;
  std::optional<std::string> nonce;  // its `nonce` claim, checked by the caller
};

// The proof's key is a P-256 or RSA key not read before, and it may not be
// read where the proof is being checked (a reactor thread): check it again
// on a worker.
struct KeyNotRead {};

// RFC 9449 §4.3, checks 2-9 and 11: a compact JWS whose header has `typ`
// dpop+jwt, `alg` EdDSA, ES256 or RS256 (never `none` or HMAC) and `jwk` a
// public key of that algorithm (no private member; an RSA key of at most
// 4096 bits), signed by that key; whose claims have `jti` (1-256
// characters), `htm` the request's method, `htu` one of the target's URIs
// once normalised (query and fragment ignored) and `iat` less than
// kDpopProofMaxAge before and at most kDpopProofLeeway after `now`. The
// nonce (check 10) and the jti (check 12) are the caller's. A refusal's
// reason is safe to show the client: it names what is wrong, never a
// value. With `keys`, the proof's key is looked up there and kept there
// once read; a P-256 or RSA key is read only if `may_read_keys`
// (KeyNotRead otherwise). Without, it is read every time.
std::variant<VerifiedProof, std::string, KeyNotRead> verify_dpop_proof(std::string_view proof,
                                                                       const DpopTarget& target,
                                                                       domain::Timestamp now,
                                                                       DpopKeys* keys = nullptr,
                                                                       bool may_read_keys = true);

}  // namespace tessera::grants
