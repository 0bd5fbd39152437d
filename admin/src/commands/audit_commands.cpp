// tessctl audit list — /admin/v1/tenants/{t}/audit-events (SPEC §4): every
// change made through the admin API, who made it and when.
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kFields = {
    {"ID", "id"},          {"TIME", "time", time_cell},    {"ACTOR", "actor_key_id"},
    {"ACTION", "action"},  {"TARGET_TYPE", "target_type"}, {"TARGET_ID", "target_id"},
    {"DETAILS", "details"}};

void list(Invocation& run) {
  Query query;
  // The server checks the time and names `since` when it is not RFC 3339.
  if (auto since = run.flag("since")) query.add("since", *since);
  run.out.list(
      fetch_list(run.client, tenant_path(run.arg(0)) + "/audit-events", query, run.page_options()),
      kFields);
}

}  // namespace

CommandGroup audit_commands() {
  return {"audit",
          "a tenant's audit trail",
          {{"list",
            {"tenant"},
            {"since", "limit", "cursor"},
            "<tenant> [--since RFC3339] [--limit N] [--cursor C]",
            "List a tenant's audit events: time, actor key, action, target, details.",
            "Options:\n"
            "  --since TIME   only events at or after TIME (RFC 3339, e.g. 2026-01-31T12:00:00Z)\n"
            "  --limit N      show at most N (default: every page)\n"
            "  --cursor C     start after a previous list's next_cursor\n",
            list}}};
}

}  // namespace tessctl
