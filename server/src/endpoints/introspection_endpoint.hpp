#pragma once

#include <memory>

#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "http/listener.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/introspect (RFC 7662, SPEC §3.2). Callers: a client
// of the tenant with can_introspect, authenticated as at the token endpoint,
// or an admin key of the tenant (or a superadmin key) as a Bearer token.
// Runs on a worker: every answer reads the token's record.
void handle_introspect(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                       const http::Request& request, const http::Reply& reply);

// POST /t/{tenant}/oauth/revoke (RFC 7009, SPEC §3.3): a client revokes its
// own tokens; 200 whether or not the token existed.
void handle_revoke(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                   const http::Request& request, const http::Reply& reply);

}  // namespace tessera::endpoints
