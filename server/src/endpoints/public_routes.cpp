#include "endpoints/public_routes.hpp"

#include "domain/validation.hpp"

namespace tessera::endpoints {

TenantPath split_tenant_path(std::string_view path) {
  constexpr std::string_view kWellKnown = "/.well-known/oauth-authorization-server";
  if (path.substr(0, kWellKnown.size() + 3) == std::string(kWellKnown) + "/t/") {
    const auto slug = path.substr(kWellKnown.size() + 3);
    if (!slug.empty() && slug.find('/') == std::string_view::npos) {
      return {std::string(slug), std::string(kWellKnown)};
    }
  }
  constexpr std::string_view kPrefix = "/t/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return {std::nullopt, std::string(path)};
  const auto rest = path.substr(kPrefix.size());
  const auto slash = rest.find('/');
  const auto slug = rest.substr(0, slash);
  return {std::string(slug),
          slash == std::string_view::npos ? "" : std::string(rest.substr(slash))};
}

PublicEndpoint endpoint_for(std::string_view rest) {
  if (rest == "/oauth/token" || rest == "/oauth/token/" || rest == "/token" ||
      rest == "/oauth2/token" || rest == "/oauth2/token/") {
    return PublicEndpoint::token;
  }
  if (rest == "/oauth/introspect") return PublicEndpoint::introspect;
  if (rest == "/oauth/revoke") return PublicEndpoint::revoke;
  if (rest == "/.well-known/oauth-authorization-server") return PublicEndpoint::discovery;
  if (rest == "/.well-known/openid-configuration") return PublicEndpoint::openid_configuration;
  if (rest == "/.well-known/jwks.json") return PublicEndpoint::jwks;
  return PublicEndpoint::unknown;
}

std::string host_name(std::string_view host_header) {
  auto host = host_header;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    host = host.substr(0, close == std::string_view::npos ? host.size() : close + 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return domain::normalize_domain(host);
}

}  // namespace tessera::endpoints
