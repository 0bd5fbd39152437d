#pragma once

#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "http/response.hpp"

namespace tessera::endpoints {

// RFC 8414 authorization server metadata of a tenant (SPEC §3.4), at
// /.well-known/oauth-authorization-server/t/{tenant} and
// /t/{tenant}/.well-known/oauth-authorization-server.
http::Response discovery(const PublicServices& services, const domain::TenantView& tenant);

// OpenID Connect Discovery 1.0 at /t/{tenant}/.well-known/openid-configuration:
// the RFC 8414 document plus the fields API gateways read to find and
// check keys (SPEC §3.4). Served for them only: no ID tokens are issued.
http::Response openid_configuration(const PublicServices& services,
                                    const domain::TenantView& tenant);

// RFC 7517 JWKS of a tenant: the next, active and still-relevant retired
// keys of every algorithm it publishes, each with its public JWK members
// (RFC 8037 OKP, RFC 7518 EC or RSA), kid, alg and use.
http::Response jwks(const domain::TenantView& tenant);

}  // namespace tessera::endpoints
