#pragma once

#include <string>

#include "cache/change_barrier.hpp"
#include "cache/directory.hpp"
#include "cache/token_status_cache.hpp"
#include "crypto/key_ring.hpp"
#include "domain/clock.hpp"
#include "domain/failure_limiter.hpp"
#include "endpoints/stage.hpp"
#include "grants/client_check.hpp"
#include "grants/dpop_check.hpp"
#include "http/worker_pool.hpp"
#include "store/admin_key_store.hpp"
#include "store/client_credentials_store.hpp"
#include "store/token_status_store.hpp"

namespace tessera::endpoints {

// What the public OAuth endpoints work with, wired once at start.
struct PublicServices {
  cache::Directory& directory;
  grants::ClientAuthenticator& authenticator;
  grants::JtiReplays& assertions;            // private_key_jwt jtis seen here
  store::AssertionJtiStore& assertion_jtis;  // ... and stored, outside token records
  grants::RemoteJwks& remote_jwks;           // keys clients publish at their jwks_uri
  grants::JtiReplays& dpop_proofs;           // DPoP proof jtis seen here
  const grants::DpopNonces& dpop_nonces;     // server nonces (RFC 9449 §8)
  grants::DpopKeys& dpop_keys;               // the keys DPoP proofs carried, read once
  domain::FailureLimiter& failures;          // failed client authentications
  domain::FailureLimiter& admin_failures;    // failed admin keys (introspection)
  store::TokenRecorder& recorder;
  store::SecretUsage& usage;
  crypto::SubKeyRing token_keys;          // keyed hashes of opaque tokens
  std::string issuer_base;                // TESSERA_ISSUER_BASE; issuer = base + "/t/" + slug
  cache::TokenStatusCache& token_cache;   // token records, for introspection
  store::TokenStatusStore& token_status;  // revocation writes here
  cache::ChangeBarrier& changes;          // a revocation shows here before it is answered
  store::AdminKeyStore& admin_keys;       // admin keys may introspect (SPEC §3.2)
  crypto::SubKeyRing admin_key_keys;      // keyed hashes of admin keys
  http::WorkerPool& workers;              // database reads
  http::WorkerPool& argon2;               // imported-secret checks
  const domain::Clock& clock;             // read once per request, when it arrives

  std::string issuer(const std::string& slug) const { return issuer_base + "/t/" + slug; }
  // `store_jtis_now`: a client assertion's jti is stored before the request
  // goes on (introspection, revocation), not by the token's record.
  grants::ClientChecking client_checking(bool store_jtis_now) {
    return {directory,
            authenticator,
            failures,
            assertions,
            remote_jwks,
            issuer_base,
            store_jtis_now ? &assertion_jtis : nullptr};
  }
  grants::DpopChecking dpop_checking() { return {dpop_proofs, dpop_nonces, dpop_keys}; }
};

}  // namespace tessera::endpoints
