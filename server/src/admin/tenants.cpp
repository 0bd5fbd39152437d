// Admin API: /tenants (SPEC §4).
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

std::optional<std::vector<std::string>> read_domains(BodyReader& body) {
  const auto* value = body.take("domains");
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) throw invalid_field("domains", "must be an array of host names");
  std::set<std::string> domains;
  for (const auto& item : *value) {
    if (!item.is_string() || !domain::is_valid_domain(item.get<std::string>())) {
      throw invalid_field("domains", domain::kDomainRule);
    }
    domains.insert(domain::normalize_domain(item.get<std::string>()));
  }
  return std::vector<std::string>(domains.begin(), domains.end());
}

}  // namespace

http::Response create_tenant(AdminCall& call) {
  require_superadmin(call.actor);
  BodyReader body(call.request);
  store::NewTenant tenant;
  tenant.slug = body.required_string("slug");
  if (!domain::is_valid_slug(tenant.slug)) throw invalid_field("slug", domain::kSlugRule);
  tenant.name = body.required_name();
  tenant.default_token_ttl = body.optional_ttl("default_token_ttl").value_or(std::nullopt);
  tenant.token_format = body.optional_token_format("token_format").value_or(std::nullopt);
  tenant.signing_alg = body.optional_signing_alg("signing_alg").value_or(std::nullopt);
  tenant.domains = read_domains(body).value_or(std::vector<std::string>{});
  body.finish();

  // A tenant starts with an active and a next key of its algorithm (SPEC
  // §3.4), so JWT verifiers can fetch the next key before the first rotation.
  auto created =
      call.services.tenants.create(tenant, call.services.signing_key_maker(), call.actor);
  return with_log_tags(http::json_response(201, to_json(created)), created);
}

http::Response list_tenants(AdminCall& call) {
  const auto page_request = read_page_request(call.request);
  auto page = call.services.tenants.list(call.actor.tenant, numeric_after(page_request),
                                         page_request.limit);
  return http::json_response(200, to_json(page));
}

http::Response get_tenant(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  return with_log_tags(http::json_response(200, to_json(tenant)), tenant);
}

http::Response patch_tenant(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  BodyReader body(call.request);
  // A tenant's status and its domains are the superadmin's decision: a tenant
  // key could otherwise re-enable its tenant or claim another's host names
  // (SPEC §4). Refused whatever the values, even ones that change nothing.
  if (body.has("status") || body.has("domains")) require_superadmin(call.actor);
  store::TenantPatch patch;
  if (body.has("slug")) {
    // The slug is part of every issuer URL and token already issued.
    body.take("slug");
    throw invalid_field("slug", "cannot be changed");
  }
  if (body.has("name")) patch.name = body.required_name();
  patch.default_token_ttl = body.optional_ttl("default_token_ttl");
  patch.token_format = body.optional_token_format("token_format");
  patch.signing_alg = body.optional_signing_alg("signing_alg");
  patch.domains = read_domains(body);
  if (auto status = body.optional_string("status")) {
    patch.status = domain::parse_status(*status);
    if (!patch.status) throw invalid_field("status", "must be \"active\" or \"disabled\"");
  }
  body.finish();
  auto updated = call.services.tenants.update(tenant.id, patch, call.services.signing_key_maker(),
                                              call.actor, "tenant.update");
  return with_log_tags(http::json_response(200, to_json(updated)), updated);
}

http::Response delete_tenant(AdminCall& call) {
  // Scope first: another tenant stays absent (404) to a tenant key.
  auto tenant = tenant_in_scope(call);
  require_superadmin(call.actor);
  // Deleting disables: the rows stay for the token records and the audit trail.
  store::TenantPatch patch;
  patch.status = domain::Status::disabled;
  call.services.tenants.update(tenant.id, patch, call.services.signing_key_maker(), call.actor,
                               "tenant.delete");
  return with_log_tags(http::empty_response(204), tenant);
}

}  // namespace tessera::admin
