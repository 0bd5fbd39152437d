#pragma once

#include "endpoints/exchange.hpp"
#include "endpoints/outcome.hpp"
#include "endpoints/public_services.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/introspect (RFC 7662, SPEC §3.2). Callers: a client
// of the tenant with can_introspect, authenticated as at the token endpoint,
// or an admin key of the tenant (or a superadmin key) as a Bearer token.
// Answered on the reactor thread when the caller and the token's record are
// cached (the common case: resource servers present the same tokens again);
// otherwise it goes on at a worker, which may read the database (or at the
// Argon2id pool for an imported secret).
Outcome introspection_endpoint(PublicServices& services, Exchange& exchange);

}  // namespace tessera::endpoints
