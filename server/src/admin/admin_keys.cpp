// Admin keys: issuing one, and the admin API's /admin-keys. A tenant key
// manages keys of its own tenant only; keys for another tenant or for none
// are superadmin work (SPEC §4).
#include "admin/admin_keys.hpp"

#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "crypto/credentials.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/random.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "http/oauth_error_writer.hpp"

namespace tessera::admin {
namespace {

nlohmann::json to_json(const store::AdminKeyInfo& k) {
  return {{"id", k.id.value},
          {"name", k.name},
          {"tenant", k.tenant_slug ? nlohmann::json(*k.tenant_slug) : nlohmann::json()},
          {"created_at", domain::to_rfc3339(k.created_at)},
          {"last_used_at", k.last_used_at ? nlohmann::json(domain::to_rfc3339(*k.last_used_at))
                                          : nlohmann::json()}};
}

}  // namespace

IssuedAdminKey issue_admin_key(store::AdminKeyStore& store, const crypto::SubKeyRing& hash_keys,
                               const std::string& name, std::optional<domain::TenantId> tenant,
                               const std::optional<domain::Actor>& actor) {
  const std::string secret = crypto::random_token(32);
  const auto created = store.create(name, tenant, crypto::keyed_hash(hash_keys.current(), secret),
                                    hash_keys.current_id(), actor);
  return {created.id, crypto::format_admin_key(created.id.value, secret), created.created_at};
}

http::Response create_admin_key(AdminCall& call) {
  BodyReader body(call.request);
  const auto name = body.required_name();
  const auto slug = body.optional_string("tenant");
  body.finish();

  std::optional<domain::Tenant> tenant;
  if (slug) tenant = call.services.tenants.find_by_slug(*slug);
  // Checked before "names no tenant": a tenant key gets the same 403 for an
  // unknown slug as for another tenant's, so it cannot probe which exist.
  if (!call.actor.is_superadmin() && (!tenant || tenant->id != *call.actor.tenant)) {
    throw AdminError(AdminErrorCode::forbidden,
                     "a tenant key can only create keys for its own tenant");
  }
  if (slug && !tenant) throw invalid_field("tenant", "names no tenant");
  const auto issued =
      issue_admin_key(call.services.admin_keys, call.services.admin_key_keys, name,
                      tenant ? std::optional(tenant->id) : std::nullopt, call.actor);
  auto response = http::json_response(
      201, {{"id", issued.id.value},
            {"name", name},
            {"tenant", tenant ? nlohmann::json(tenant->slug) : nlohmann::json()},
            {"key", issued.key},  // shown this once
            {"created_at", domain::to_rfc3339(issued.created_at)}});
  http::add_no_store(response);  // the key, shown this once, in no cache
  if (tenant) return with_log_tags(std::move(response), *tenant);
  return response;
}

http::Response list_admin_keys(AdminCall& call) {
  const auto page_request = read_page_request(call.request);
  auto page = call.services.admin_keys.list(call.actor.tenant, numeric_after(page_request),
                                            page_request.limit);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& key : page.items) items.push_back(to_json(key));
  return http::json_response(200, list_answer(std::move(items), page.next_cursor));
}

http::Response delete_admin_key(AdminCall& call) {
  const auto id = domain::parse_decimal_id(call.request.param("id"));
  if (!id) throw AdminError(AdminErrorCode::not_found, "admin key not found");
  const domain::AdminKeyId key_id{*id};
  auto key = call.services.admin_keys.find(key_id);
  // Another tenant's key, or a superadmin key, is absent to a tenant key.
  if (!key || (!call.actor.is_superadmin() && key->tenant != call.actor.tenant)) {
    throw AdminError(AdminErrorCode::not_found, "admin key not found");
  }
  call.services.admin_keys.revoke(key_id, call.actor);
  return http::empty_response(204);
}

}  // namespace tessera::admin
