// Admin API: /tenants/{t}/audit-events.
#include "admin/admin_error.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "domain/time.hpp"

namespace tessera::admin {

http::Response list_audit_events(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  const auto page_request = read_page_request(call.request);
  std::optional<domain::Timestamp> since;
  if (auto text = call.request.query_param("since"); text && !text->empty()) {
    since = domain::parse_rfc3339(*text);
    if (!since) throw invalid_field("since", "must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z");
  }
  auto page = call.services.audit.list_audit_events(tenant.id, since, numeric_after(page_request),
                                                    page_request.limit);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : page.items) {
    items.push_back(
        {{"id", e.id},
         {"time", domain::to_rfc3339(e.time)},
         {"actor_key_id", e.actor_key_id ? nlohmann::json(*e.actor_key_id) : nlohmann::json()},
         {"action", e.action},
         {"target_type", e.target_type},
         {"target_id", e.target_id},
         {"details", nlohmann::json::parse(e.details_json)}});
  }
  return with_log_tags(http::json_response(200, list_answer(std::move(items), page.next_cursor)),
                       tenant);
}

}  // namespace tessera::admin
