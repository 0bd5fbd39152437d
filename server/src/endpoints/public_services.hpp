#pragma once

#include <string>

#include "cache/directory.hpp"
#include "cache/change_barrier.hpp"
#include "cache/token_status_cache.hpp"
#include "crypto/master_key.hpp"
#include "domain/failure_limiter.hpp"
#include "grants/client_authentication.hpp"
#include "http/worker_pool.hpp"
#include "store/admin_key_store.hpp"
#include "store/client_credentials_store.hpp"
#include "store/token_status_store.hpp"

namespace tessera::endpoints {

// Where a request's handler runs, which bounds what it may do: a reactor
// thread never blocks; a worker may read the database; only the Argon2id
// pool checks imported secrets, so that a burst of them cannot take the
// workers that load caches and serve everything else (SPEC §6).
enum class Stage { reactor, worker, argon2 };

// What the public OAuth endpoints work with, wired once at start.
struct PublicServices {
  cache::Directory& directory;
  grants::ClientAuthenticator& authenticator;
  domain::FailureLimiter& failures;        // failed client authentications
  domain::FailureLimiter& admin_failures;  // failed admin keys (introspection)
  store::TokenRecorder& recorder;
  store::SecretUsage& usage;
  crypto::SubKey token_key;   // keyed hashes of opaque tokens
  crypto::SubKey seal_key;    // opens the tenants' sealed signing keys
  std::string issuer_base;    // TESSERA_ISSUER_BASE; issuer = base + "/t/" + slug
  cache::TokenStatusCache& token_cache;    // token records, for introspection
  store::TokenStatusStore& token_status;   // revocation writes here
  cache::ChangeBarrier& changes;           // a revocation shows here before it is answered
  store::AdminKeyStore& admin_keys;       // admin keys may introspect (SPEC §3.2)
  crypto::SubKey admin_key_key;
  http::WorkerPool& workers;  // database reads
  http::WorkerPool& argon2;   // imported-secret checks
  std::string issuer(const std::string& slug) const { return issuer_base + "/t/" + slug; }
};

}  // namespace tessera::endpoints
