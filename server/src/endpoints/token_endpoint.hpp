#pragma once

#include <memory>

#include "cache/directory.hpp"
#include "crypto/master_key.hpp"
#include "domain/failure_limiter.hpp"
#include "domain/token_views.hpp"
#include "grants/client_authentication.hpp"
#include "http/listener.hpp"
#include "http/worker_pool.hpp"
#include "store/client_credentials_store.hpp"

namespace tessera::endpoints {

// What the token endpoint works with, wired once at start.
struct TokenServices {
  cache::Directory& directory;
  grants::ClientAuthenticator& authenticator;
  domain::FailureLimiter& failures;
  store::TokenRecorder& recorder;
  store::SecretUsage& usage;
  crypto::SubKey token_key;
  http::WorkerPool& workers;
};

// POST /t/{tenant}/oauth/token (RFC 6749 §4.4, SPEC §3.1), once routing has
// found the tenant. On a reactor thread (`on_worker` false) it answers from
// cached data; anything that needs the database or Argon2id moves the
// request to a worker. The 200 is sent only after the token's record
// committed.
void handle_token(TokenServices& services, std::shared_ptr<const domain::TenantView> tenant,
                  http::Request request, http::Reply reply, bool on_worker);

}  // namespace tessera::endpoints
