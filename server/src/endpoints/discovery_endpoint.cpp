#include "endpoints/discovery_endpoint.hpp"

#include <set>

#include "grants/client_credentials.hpp"

namespace tessera::endpoints {
namespace {

// Verifiers fetch the next key before it signs anything (SPEC §3.4), so a
// few minutes of caching is safe and spares the server.
constexpr const char* kPublicCache = "public, max-age=300";

nlohmann::json metadata(const PublicServices& services, const domain::TenantView& tenant) {
  const std::string issuer = services.issuer(tenant.tenant.slug);
  std::set<std::string> scopes;
  for (const auto& api : tenant.apis) {
    for (const auto& scope : api.scopes) scopes.insert(scope.value);
  }
  // private_key_jwt (RFC 7523) everywhere a client authenticates, with the
  // algorithms a client key may have (crypto/public_jwk.hpp).
  const nlohmann::json auth_methods = {"client_secret_basic", "client_secret_post",
                                       "private_key_jwt"};
  nlohmann::json body = {
      {"issuer", issuer},
      {"token_endpoint", issuer + "/oauth/token"},
      {"jwks_uri", issuer + "/.well-known/jwks.json"},
      {"introspection_endpoint", issuer + "/oauth/introspect"},
      {"revocation_endpoint", issuer + "/oauth/revoke"},
      {"grant_types_supported", {"client_credentials"}},
      {"token_endpoint_auth_methods_supported", auth_methods},
      {"token_endpoint_auth_signing_alg_values_supported", {"EdDSA", "ES256", "RS256"}},
      // RFC 9449 §5.1: what DPoP proofs may be signed with.
      {"dpop_signing_alg_values_supported", {"EdDSA", "ES256", "RS256"}},
      {"introspection_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "private_key_jwt", "bearer"}},
      {"revocation_endpoint_auth_methods_supported", auth_methods},
      {"scopes_supported", scopes},
      {"response_types_supported", nlohmann::json::array()},
  };
  return body;
}

http::Response public_document(const nlohmann::json& body, const domain::TenantView& tenant) {
  auto response = http::json_response(200, body);
  response.with_header("Cache-Control", kPublicCache);
  response.log_tenant = tenant.tenant.slug;
  return response;
}

}  // namespace

// RFC 8414 §2.
http::Response discovery(const PublicServices& services, const domain::TenantView& tenant) {
  return public_document(metadata(services, tenant), tenant);
}

http::Response openid_configuration(const PublicServices& services,
                                    const domain::TenantView& tenant) {
  auto body = metadata(services, tenant);
  // Gateways (AWS API Gateway, Kong, Envoy) pick the algorithms they accept
  // from this list: the algorithms in use, and those of the keys the JWKS
  // still publishes, whose tokens may still be valid (an API moved from
  // ES256 back to EdDSA has ES256 tokens out for up to their lifetime). The
  // access tokens are signed with them; there are no ID tokens, and no
  // response types since there is no authorization endpoint.
  const auto in_use = grants::signing_algs_in_use(tenant);
  std::set<domain::SigningAlg> algs(in_use.begin(), in_use.end());
  for (const auto& key : tenant.keys) {
    if (!key.jwk_members.is_null()) algs.insert(key.alg);
  }
  nlohmann::json names = nlohmann::json::array();
  for (const auto alg : algs) names.push_back(domain::to_string(alg));
  body["id_token_signing_alg_values_supported"] = names;
  body["subject_types_supported"] = {"public"};
  return public_document(body, tenant);
}

http::Response jwks(const domain::TenantView& tenant) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& key : tenant.keys) {
    if (key.jwk_members.is_null()) continue;  // did not read (tokens/jwt_signing_key.hpp)
    auto jwk = key.jwk_members;
    jwk["kid"] = key.kid;
    jwk["alg"] = domain::to_string(key.alg);
    jwk["use"] = "sig";
    keys.push_back(std::move(jwk));
  }
  auto response = http::json_response(200, {{"keys", keys}});
  response.content_type = "application/jwk-set+json";
  response.with_header("Cache-Control", kPublicCache);
  response.log_tenant = tenant.tenant.slug;
  return response;
}

}  // namespace tessera::endpoints
