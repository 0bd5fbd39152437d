// Admin API: /tenants/{t}/tokens — issued tokens as metadata, and revocation.
#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "crypto/uuid7.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace tessera::admin {
namespace {

nlohmann::json to_json(const store::TokenInfo& t) {
  return {{"id", t.id},
          {"client_id", t.client_id},
          {"api", t.api.value},
          {"scope", t.scope},
          {"format", domain::to_string(t.format)},
          {"issued_at", domain::to_rfc3339(t.issued_at)},
          {"expires_at", domain::to_rfc3339(t.expires_at)},
          {"revoked_at",
           t.revoked_at ? nlohmann::json(domain::to_rfc3339(*t.revoked_at)) : nlohmann::json()}};
}

// A token id is its jti, a UUID; anything else names no token.
std::string token_id(AdminCall& call) {
  const auto& id = call.request.param("id");
  if (!crypto::parse_uuid(id)) throw AdminError(AdminErrorCode::not_found, "token not found");
  return id;
}

// `api` in a filter: the API's id, or its identifier.
domain::ApiId api_filter(AdminCall& call, const domain::Tenant& tenant, const nlohmann::json& api) {
  if (api.is_number_integer()) {
    if (auto found =
            call.services.apis.find_by_id(tenant.id, domain::ApiId{api.get<std::int64_t>()})) {
      return found->id;
    }
  } else if (api.is_string()) {
    if (auto found = find_api(call, tenant, api.get<std::string>())) return found->id;
  }
  throw invalid_field("api", "must name an API of the tenant (its id or identifier)");
}

}  // namespace

http::Response list_tokens(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  const auto page_request = read_page_request(call.request);
  if (page_request.after && !crypto::parse_uuid(*page_request.after)) {
    throw invalid_field("cursor", "is not a cursor returned by this API");
  }
  store::TokenFilter filter;
  filter.at = call.services.clock.now();
  filter.client_id = call.request.query_param("client_id");
  if (filter.client_id && filter.client_id->empty()) filter.client_id.reset();
  if (auto active = call.request.query_param("active"); active && !active->empty()) {
    if (*active != "true" && *active != "false")
      throw invalid_field("active", "must be true or false");
    filter.active = *active == "true";
  }
  if (auto api = call.request.query_param("api"); api && !api->empty()) {
    filter.api = api_filter(call, tenant, *api);
  }
  auto page =
      call.services.tokens.list_tokens(tenant.id, filter, page_request.after, page_request.limit);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& token : page.items) items.push_back(to_json(token));
  return with_log_tags(http::json_response(200, list_answer(std::move(items), page.next_cursor)),
                       tenant);
}

http::Response get_token(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto token = call.services.tokens.find_token(tenant.id, token_id(call));
  if (!token) throw AdminError(AdminErrorCode::not_found, "token not found");
  return with_log_tags(http::json_response(200, to_json(*token)), tenant);
}

http::Response revoke_token(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  const auto id = token_id(call);
  if (!call.services.tokens.revoke_token(tenant.id, id, call.actor)) {
    throw AdminError(AdminErrorCode::not_found, "token not found");
  }
  return with_log_tags(http::empty_response(204), tenant);
}

http::Response revoke_tokens(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  BodyReader body(call.request);
  store::TokenFilter filter;
  filter.at = call.services.clock.now();
  filter.client_id = body.optional_string("client_id");
  if (const auto* api = body.take("api"); api != nullptr && !api->is_null()) {
    filter.api = api_filter(call, tenant, *api);
  }
  body.finish();
  const long revoked = call.services.tokens.revoke_tokens(tenant.id, filter, call.actor);
  return with_log_tags(http::json_response(200, {{"revoked", revoked}}), tenant);
}

}  // namespace tessera::admin
