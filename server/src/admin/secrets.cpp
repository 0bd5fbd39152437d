// Admin API: /tenants/{t}/clients/{c}/secrets — rotation and revocation.
#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "crypto/credentials.hpp"
#include "crypto/keyed_hash.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "http/oauth_error_writer.hpp"

namespace tessera::admin {
namespace {

nlohmann::json time_or_null(const std::optional<domain::Timestamp>& time) {
  return time ? nlohmann::json(domain::to_rfc3339(*time)) : nlohmann::json();
}

nlohmann::json to_json(const store::SecretInfo& s) {
  return {{"id", s.id.value},
          {"created_at", domain::to_rfc3339(s.created_at)},
          {"expires_at", time_or_null(s.expires_at)},
          {"revoked_at", time_or_null(s.revoked_at)},
          {"last_used_at", time_or_null(s.last_used_at)}};
}

}  // namespace

http::Response list_secrets(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& secret : call.services.secrets.list_secrets(tenant.id, client.client_id)) {
    items.push_back(to_json(secret));
  }
  // A client holds a handful of secrets: one page.
  return with_log_tags(http::json_response(200, list_answer(std::move(items), std::nullopt)),
                       tenant, client.client_id);
}

http::Response rotate_secret(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  BodyReader body(call.request);
  const auto grace = body.optional_integer("grace_seconds", 0, domain::kMaxTtl).value_or(0);
  body.finish();
  const std::string secret = crypto::generate_client_secret();
  const auto created = call.services.secrets.rotate_secret(
      tenant.id, client.client_id,
      crypto::keyed_hash(call.services.client_secret_keys.current(), secret),
      call.services.client_secret_keys.current_id(), static_cast<int>(grace), call.actor);
  auto json = to_json(created);
  json.erase("revoked_at");
  json.erase("last_used_at");
  json["client_secret"] = secret;  // shown this once
  auto response = http::json_response(201, json);
  http::add_no_store(response);  // the secret, shown this once, in no cache
  return with_log_tags(std::move(response), tenant, client.client_id);
}

http::Response revoke_secret(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  const auto id = domain::parse_decimal_id(call.request.param("id"));
  if (!id) throw AdminError(AdminErrorCode::not_found, "secret not found");
  call.services.secrets.revoke_secret(tenant.id, client.client_id, domain::SecretId{*id},
                                      call.actor);
  return with_log_tags(http::empty_response(204), tenant, client.client_id);
}

}  // namespace tessera::admin
