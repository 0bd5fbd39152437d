// Admin API: /tenants/{t}/apis (SPEC §4).
#include <set>

#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "admin/resources_json.hpp"
#include "domain/validation.hpp"

namespace tessera::admin {
namespace {

// [{value, description?}, …]; a value given twice is refused.
std::optional<std::vector<domain::ApiScope>> read_scopes(BodyReader& body) {
  const auto* value = body.take("scopes");
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) {
    throw invalid_field("scopes", "must be an array of {\"value\", \"description\"} objects");
  }
  std::vector<domain::ApiScope> scopes;
  std::set<std::string> seen;
  for (const auto& item : *value) {
    if (!item.is_object() || !item.contains("value") || !item["value"].is_string()) {
      throw invalid_field("scopes", "each scope must be an object with a string \"value\"");
    }
    domain::ApiScope scope{item["value"].get<std::string>(), ""};
    if (!domain::is_valid_scope_value(scope.value)) {
      throw invalid_field("scopes", std::string("scope values ") + domain::kScopeRule);
    }
    if (item.contains("description")) {
      if (!item["description"].is_string() ||
          item["description"].get<std::string>().size() > 1000) {
        throw invalid_field("scopes", "a description must be a string of at most 1000 bytes");
      }
      scope.description = item["description"].get<std::string>();
    }
    for (const auto& [key, unused] : item.items()) {
      if (key != "value" && key != "description") {
        throw invalid_field("scopes", "a scope has only \"value\" and \"description\"");
      }
    }
    if (!seen.insert(scope.value).second) {
      throw invalid_field("scopes", "the scope '" + scope.value + "' is listed twice");
    }
    scopes.push_back(std::move(scope));
  }
  return scopes;
}

}  // namespace

http::Response create_api(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  BodyReader body(call.request);
  store::NewApi api;
  api.identifier = body.required_string("identifier");
  if (!domain::is_valid_api_identifier(api.identifier)) {
    throw invalid_field("identifier", domain::kIdentifierRule);
  }
  api.name = body.required_name();
  api.scopes = read_scopes(body).value_or(std::vector<domain::ApiScope>{});
  api.token_ttl = body.optional_ttl("token_ttl").value_or(std::nullopt);
  api.token_format = body.optional_token_format("token_format").value_or(std::nullopt);
  api.signing_alg = body.optional_signing_alg("signing_alg").value_or(std::nullopt);
  api.is_default = body.optional_bool("is_default").value_or(false);
  body.finish();
  auto created =
      call.services.apis.create(tenant.id, api, call.services.signing_key_maker(), call.actor);
  return with_log_tags(http::json_response(201, to_json(created)), tenant);
}

http::Response list_apis(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  const auto page_request = read_page_request(call.request);
  auto page = call.services.apis.list(tenant.id, numeric_after(page_request), page_request.limit);
  return with_log_tags(http::json_response(200, to_json(page)), tenant);
}

http::Response get_api(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  return with_log_tags(http::json_response(200, to_json(api_in_scope(call, tenant))), tenant);
}

http::Response patch_api(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto api = api_in_scope(call, tenant);
  BodyReader body(call.request);
  if (body.has("identifier")) {
    // Issued tokens carry the identifier as their audience; a new identifier
    // is a new API.
    body.take("identifier");
    throw invalid_field("identifier", "cannot be changed (create a new API instead)");
  }
  store::ApiPatch patch;
  if (body.has("name")) patch.name = body.required_name();
  patch.scopes = read_scopes(body);
  patch.token_ttl = body.optional_ttl("token_ttl");
  patch.token_format = body.optional_token_format("token_format");
  patch.signing_alg = body.optional_signing_alg("signing_alg");
  patch.is_default = body.optional_bool("is_default");
  body.finish();
  auto updated = call.services.apis.update(tenant.id, api.id, patch,
                                           call.services.signing_key_maker(), call.actor);
  return with_log_tags(http::json_response(200, to_json(updated)), tenant);
}

http::Response delete_api(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto api = api_in_scope(call, tenant);
  call.services.apis.remove(tenant.id, api.id, call.services.signing_key_maker(), call.actor);
  return with_log_tags(http::empty_response(204), tenant);
}

}  // namespace tessera::admin
