#include "grants/client_credentials.hpp"

#include <algorithm>
#include <set>

#include "domain/oauth_error.hpp"
#include "domain/scope.hpp"
#include "domain/validation.hpp"

namespace tessera::grants {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

// RFC 8707 §2: the API the token is for; one token serves one API.
const domain::Api& resolve_audience(const TokenRequest& request, const domain::TenantView& tenant,
                                    const domain::ClientView& client) {
  if (request.distinct_resources.size() > 1) {
    throw OAuthError(OAuthErrorCode::invalid_target, "a token can serve only one resource");
  }
  for (const auto& resource : request.distinct_resources) {
    if (!domain::is_absolute_uri(resource)) {
      throw OAuthError(OAuthErrorCode::invalid_target,
                       "resource must be an absolute URI (name other APIs with audience)");
    }
  }
  const domain::Api* api = nullptr;
  if (request.audience) {
    api = tenant.find_api(*request.audience);
    if (api == nullptr) throw OAuthError(OAuthErrorCode::invalid_target, "unknown audience");
  } else if ((api = tenant.default_api()) == nullptr) {
    // No default API: the client's only granted API, if it has exactly one.
    const domain::Api* only = nullptr;
    int granted = 0;
    for (const auto& [api_id, scopes] : client.grants) {
      if (const auto* candidate = tenant.api_by_id(domain::ApiId{api_id})) {
        only = candidate;
        ++granted;
      }
    }
    if (granted != 1) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "name the API with audience: the tenant has no default API");
    }
    api = only;
  }
  if (client.grants.count(api->id.value) == 0) {
    throw OAuthError(OAuthErrorCode::invalid_target, "the client has no grant on this audience");
  }
  return *api;
}

std::vector<std::string> resolve_scopes(const TokenRequest& request, const domain::Api& api,
                                        const std::vector<std::string>& granted) {
  if (!request.scope) return granted;  // omitted or empty: everything granted
  auto requested = domain::parse_scope_list(*request.scope);
  if (!requested) throw OAuthError(OAuthErrorCode::invalid_scope, "a scope value is malformed");
  if (requested->empty()) return granted;
  for (const auto& scope : *requested) {
    const bool known = std::any_of(api.scopes.begin(), api.scopes.end(),
                                   [&](const domain::ApiScope& s) { return s.value == scope; });
    if (!known) throw OAuthError(OAuthErrorCode::invalid_scope, "unknown scope: " + scope);
    if (!std::binary_search(granted.begin(), granted.end(), scope)) {
      throw OAuthError(OAuthErrorCode::invalid_scope, "scope not granted: " + scope);
    }
  }
  return *requested;
}

}  // namespace

int effective_ttl(const domain::Client& client, const domain::Api& api,
                  const domain::Tenant& tenant) {
  if (client.token_ttl) return *client.token_ttl;
  if (api.token_ttl) return *api.token_ttl;
  return tenant.default_token_ttl.value_or(domain::kDefaultTokenTtl);
}

domain::TokenFormat effective_format(const domain::Api& api, const domain::Tenant& tenant) {
  if (api.token_format) return *api.token_format;
  return tenant.token_format.value_or(domain::TokenFormat::opaque);
}

domain::SigningAlg effective_signing_alg(const domain::Api& api, const domain::Tenant& tenant) {
  if (api.signing_alg) return *api.signing_alg;
  return tenant.signing_alg.value_or(domain::kDefaultSigningAlg);
}

std::vector<domain::SigningAlg> signing_algs_in_use(const domain::TenantView& tenant) {
  std::set<domain::SigningAlg> algs{tenant.tenant.signing_alg.value_or(domain::kDefaultSigningAlg)};
  for (const auto& api : tenant.apis) algs.insert(effective_signing_alg(api, tenant.tenant));
  return {algs.begin(), algs.end()};
}

TokenPlan decide_client_credentials(const TokenRequest& request, const domain::TenantView& tenant,
                                    const domain::ClientView& client) {
  if (request.grant_type != "client_credentials") {
    throw OAuthError(OAuthErrorCode::unsupported_grant_type,
                     "only the client_credentials grant is supported");
  }
  TokenPlan plan;
  plan.api = &resolve_audience(request, tenant, client);
  plan.scopes = resolve_scopes(request, *plan.api, client.grants.at(plan.api->id.value));
  plan.ttl_seconds = effective_ttl(client.client, *plan.api, tenant.tenant);
  plan.format = effective_format(*plan.api, tenant.tenant);
  plan.signing_alg = effective_signing_alg(*plan.api, tenant.tenant);
  return plan;
}

}  // namespace tessera::grants
