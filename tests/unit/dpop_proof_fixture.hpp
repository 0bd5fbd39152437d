// How the DPoP tests make their proofs (RFC 9449 §4.2): signed with one of
// the client-assertion fixture's keys, its public JWK in the header, valid
// claims for a token request at kNow, each part open to a test's change.
#pragma once

#include <string>

#include "client_assertion_fixture.hpp"
#include "grants/dpop_proof.hpp"

namespace tessera::grants::test {

inline const DpopTarget kDpopTarget{"POST", {kTokenEndpoint}};

// The public JWK a client puts in its proofs: kty and the key's members only.
inline json public_jwk(const ClientKey& key) {
  json jwk = key.jwk.members;
  for (const char* extra : {"alg", "use", "kid"}) jwk.erase(extra);
  return jwk;
}

inline json dpop_header(const ClientKey& key) {
  return {{"typ", "dpop+jwt"}, {"alg", domain::to_string(key.jwk.alg)}, {"jwk", public_jwk(key)}};
}

inline json dpop_claims(const std::string& jti = "proof-1") {
  return {{"jti", jti}, {"htm", "POST"}, {"htu", kTokenEndpoint}, {"iat", at(seconds(0))}};
}

inline std::string dpop_proof(const ClientKey& key, const json& header, const json& claims) {
  return signed_text(header.dump(), claims.dump(), key);
}

inline std::string dpop_proof(const ClientKey& key, const std::string& jti = "proof-1") {
  return dpop_proof(key, dpop_header(key), dpop_claims(jti));
}

}  // namespace tessera::grants::test
