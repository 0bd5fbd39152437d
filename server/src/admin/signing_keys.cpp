// Admin API: /tenants/{t}/signing-keys (SPEC §3.4).
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "domain/time.hpp"
#include "tokens/public_jwk.hpp"

namespace tessera::admin {
namespace {

http::Response key_list(const std::vector<store::SigningKeyInfo>& keys,
                        const domain::Tenant& tenant) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& key : keys) {
    nlohmann::json item = {{"kid", key.kid},
                           {"alg", domain::to_string(key.alg)},
                           {"state", domain::to_string(key.state)}};
    // The public JWK members, as the JWKS publishes them (SPEC §3.4).
    if (const auto members = tokens::public_jwk_members(key.alg, key.public_key);
        members.is_object()) {
      item.update(members);
    }
    item["created_at"] = domain::to_rfc3339(key.created_at);
    items.push_back(std::move(item));
  }
  return with_log_tags(http::json_response(200, list_answer(std::move(items), std::nullopt)),
                       tenant);
}

}  // namespace

http::Response list_signing_keys(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  return key_list(call.services.signing_keys.list_signing_keys(tenant.id), tenant);
}

http::Response rotate_signing_keys(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto keys = call.services.signing_keys.rotate_signing_keys(
      tenant.id, call.services.signing_key_maker(), call.actor);
  return key_list(keys, tenant);
}

}  // namespace tessera::admin
