#pragma once

#include <memory>

#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "http/listener.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/introspect (RFC 7662, SPEC §3.2). Callers: a client
// of the tenant with can_introspect, authenticated as at the token endpoint,
// or an admin key of the tenant (or a superadmin key) as a Bearer token.
// Answered on the reactor thread when the caller and the token's record are
// cached (the common case: resource servers present the same tokens again);
// otherwise the request moves to a worker, which may read the database (or
// to the Argon2id pool for an imported secret; `stage` says where it runs).
void handle_introspect(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                       http::Request request, http::Reply reply, Stage stage);

}  // namespace tessera::endpoints
