#pragma once

#include <memory>
#include <string>

#include "domain/oauth_error.hpp"
#include "endpoints/token_endpoint.hpp"
#include "grants/token_request.hpp"

namespace tessera::endpoints {

// Client authentication shared by the token, introspection and revocation
// endpoints (RFC 6749 §2.3.1; SPEC §3.1 check 3, §3.2, §3.3).

// Thrown to move the request to where it may do what it needs: a worker
// for a cache miss, the Argon2id pool for an imported secret.
struct NeedsWorker {
  Stage to = Stage::worker;
};

// Runs `again` on the pool of `to` (never Stage::reactor). A full queue, or
// a wait past TESSERA_QUEUE_MAX_WAIT, is answered 503 temporarily_unavailable
// with Retry-After instead (SPEC §6).
void run_at(PublicServices& services, Stage to, const http::Reply& reply, const std::string& tenant,
            std::function<void()> again);

// Starts a handler over on the stage `needs` names: `again(stage)` runs
// there, or 503 when that pool is full (run_at). A handler that asks for
// the stage it is already on is a bug, answered 500 and logged.
void continue_at(PublicServices& services, Stage from, const NeedsWorker& needs,
                 const http::Reply& reply, const std::string& tenant,
                 std::function<void(Stage)> again);

// Failed authentication while the source or client id is limited (SPEC §6).
struct RateLimited {
  int retry_after_seconds;
};

struct AuthenticatedClient {
  domain::SecretId secret_id;
  std::shared_ptr<const domain::ClientView> client;
};

// Unknown client, wrong/expired/revoked secret, disabled client or tenant:
// all the same 401 invalid_client, after the same keyed hash.
AuthenticatedClient authenticate_client(PublicServices& services, const domain::TenantView& tenant,
                                        const grants::TokenRequest& credentials,
                                        const std::string& source, domain::Timestamp now,
                                        Stage stage);

// An OAuth error answer; a 401 after Basic names the scheme (RFC 6749 §5.2).
http::Response oauth_error_response(const domain::OAuthError& error,
                                    const grants::TokenRequest* credentials,
                                    const std::string& tenant);

// 503 temporarily_unavailable when the database cannot be reached (SPEC §6);
// logs the cause, never the request.
http::Response database_unavailable_response(const std::exception& cause, const std::string& tenant);

// 429 too_many_requests with Retry-After.
http::Response rate_limited_response(const RateLimited& limited,
                                     const grants::TokenRequest* credentials,
                                     const std::string& tenant);

}  // namespace tessera::endpoints
