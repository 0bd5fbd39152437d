#include "endpoints/discovery_endpoint.hpp"

#include <set>

#include "crypto/base64url.hpp"

namespace tessera::endpoints {
namespace {

// Verifiers fetch the next key before it signs anything (SPEC §3.4), so a
// few minutes of caching is safe and spares the server.
constexpr const char* kPublicCache = "public, max-age=300";

}  // namespace

http::Response discovery(const PublicServices& services, const domain::TenantView& tenant) {
  const std::string issuer = services.issuer(tenant.tenant.slug);
  std::set<std::string> scopes;
  for (const auto& api : tenant.apis) {
    for (const auto& scope : api.scopes) scopes.insert(scope.value);
  }
  const nlohmann::json auth_methods = {"client_secret_basic", "client_secret_post"};
  nlohmann::json body = {
      {"issuer", issuer},
      {"token_endpoint", issuer + "/oauth/token"},
      {"jwks_uri", issuer + "/.well-known/jwks.json"},
      {"introspection_endpoint", issuer + "/oauth/introspect"},
      {"revocation_endpoint", issuer + "/oauth/revoke"},
      {"grant_types_supported", {"client_credentials"}},
      {"token_endpoint_auth_methods_supported", auth_methods},
      {"introspection_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "bearer"}},
      {"revocation_endpoint_auth_methods_supported", auth_methods},
      {"scopes_supported", scopes},
      {"response_types_supported", nlohmann::json::array()},
      {"token_endpoint_auth_signing_alg_values_supported", {"EdDSA"}},
  };
  auto response = http::json_response(200, body);
  response.with_header("Cache-Control", kPublicCache);
  response.log_tenant = tenant.tenant.slug;
  return response;
}

http::Response jwks(const domain::TenantView& tenant) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& key : tenant.keys) {
    keys.push_back({{"kty", "OKP"},
                    {"crv", "Ed25519"},
                    {"x", crypto::base64url_encode(key.public_key)},
                    {"kid", key.kid},
                    {"alg", "EdDSA"},
                    {"use", "sig"}});
  }
  auto response = http::json_response(200, {{"keys", keys}});
  response.content_type = "application/jwk-set+json";
  response.with_header("Cache-Control", kPublicCache);
  response.log_tenant = tenant.tenant.slug;
  return response;
}

}  // namespace tessera::endpoints
