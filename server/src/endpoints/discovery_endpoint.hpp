#pragma once

#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "http/response.hpp"

namespace tessera::endpoints {

// RFC 8414 authorization server metadata of a tenant (SPEC §3.4), at
// /.well-known/oauth-authorization-server/t/{tenant} and
// /t/{tenant}/.well-known/oauth-authorization-server.
http::Response discovery(const PublicServices& services, const domain::TenantView& tenant);

// RFC 7517 JWKS of a tenant: its next, active and still-relevant retired
// Ed25519 keys as OKP keys (RFC 8037).
http::Response jwks(const domain::TenantView& tenant);

}  // namespace tessera::endpoints
