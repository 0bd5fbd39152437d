#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::endpoints {

// The public endpoints (SPEC §3), independent of how the tenant is named.
enum class PublicEndpoint {
  token,
  introspect,
  revoke,
  discovery,
  openid_configuration,
  jwks,
  unknown
};

// "/t/acme/oauth/token" -> tenant "acme", rest "/oauth/token". Without the
// /t/{tenant} prefix the tenant comes from the Host header (SPEC §3).
struct TenantPath {
  std::optional<std::string> slug;
  std::string rest;
};
// RFC 8414 §3 also puts the tenant after the well-known name:
// "/.well-known/oauth-authorization-server/t/acme" -> tenant "acme", rest
// "/.well-known/oauth-authorization-server".
TenantPath split_tenant_path(std::string_view path);

// The endpoint a tenant-relative path names, aliases included: clients
// written for Auth0 (/oauth/token), Transloadit (/token) and Podero
// (/oauth2/token) only change the base URL.
PublicEndpoint endpoint_for(std::string_view rest);

// The Host header's host name, lower-case and without the port.
std::string host_name(std::string_view host_header);

}  // namespace tessera::endpoints
