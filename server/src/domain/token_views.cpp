#include "domain/token_views.hpp"

#include "domain/custom_claims.hpp"

namespace tessera::domain {

const Api* TenantView::find_api(const std::string& identifier) const {
  for (const auto& api : apis) {
    if (api.identifier == identifier) return &api;
  }
  return nullptr;
}

const Api* TenantView::default_api() const {
  for (const auto& api : apis) {
    if (api.is_default) return &api;
  }
  return nullptr;
}

const Api* TenantView::api_by_id(ApiId id) const {
  for (const auto& api : apis) {
    if (api.id == id) return &api;
  }
  return nullptr;
}

const PublishedKey* TenantView::active_key(SigningAlg alg) const {
  for (const auto& key : keys) {
    if (key.state == SigningKeyState::active && key.alg == alg) return &key;
  }
  return nullptr;
}

const PublishedKey* TenantView::key_by_kid(const std::string& kid) const {
  for (const auto& key : keys) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

nlohmann::json ClientView::claims_for(ApiId api) const {
  const auto grant = grant_claims.find(api.value);
  return merged_claims(client.claims,
                       grant == grant_claims.end() ? nlohmann::json::object() : grant->second);
}

}  // namespace tessera::domain
