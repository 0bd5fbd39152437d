// Admin API: /tenants/{t}/signing-keys (SPEC §3.4).
#include "crypto/signing_keys.hpp"

#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "crypto/base64url.hpp"
#include "domain/time.hpp"

namespace tessera::admin {
namespace {

http::Response key_list(const std::vector<store::SigningKeyInfo>& keys,
                        const domain::Tenant& tenant) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& key : keys) {
    items.push_back({{"kid", key.kid},
                     {"state", domain::to_string(key.state)},
                     {"x", crypto::base64url_encode(key.public_key)},
                     {"created_at", domain::to_rfc3339(key.created_at)}});
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
  const auto seal_key = call.services.signing_seal_key;
  auto keys = call.services.signing_keys.rotate_signing_keys(
      tenant.id,
      [&] { return crypto::make_signing_key(seal_key, tenant.id, domain::SigningKeyState::next); },
      call.actor);
  return key_list(keys, tenant);
}

}  // namespace tessera::admin
