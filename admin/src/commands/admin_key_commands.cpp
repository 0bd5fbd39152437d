// tessctl admin-key … — /admin/v1/admin-keys (SPEC §4): the keys that
// authenticate to the admin API. A tenant key acts only inside its tenant.
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kListFields = {{"ID", "id"},
                                        {"NAME", "name"},
                                        {"TENANT", "tenant"},
                                        {"CREATED", "created_at", time_cell},
                                        {"LAST_USED", "last_used_at", time_cell}};

const std::vector<Field> kCreatedFields = {{"ID", "id"},
                                           {"KEY", "key"},
                                           {"NAME", "name"},
                                           {"TENANT", "tenant"},
                                           {"CREATED", "created_at", time_cell}};

void create(Invocation& run) {
  nlohmann::json body = {{"name", run.arg(0)}};
  if (auto tenant = run.flag("tenant")) body["tenant"] = *tenant;
  run.out.resource(run.client.post("/admin-keys", body), kCreatedFields);
  run.out.note("");
  run.out.note("The key is shown this once: store it now.");
}

void list(Invocation& run) {
  run.out.list(fetch_list(run.client, "/admin-keys", Query(), run.page_options()), kListFields);
}

void remove(Invocation& run) {
  run.client.del("/admin-keys/" + percent_encode(run.arg(0)));
  run.out.done("Admin key " + run.arg(0) + " revoked.");
}

}  // namespace

CommandGroup admin_key_commands() {
  return {"admin-key",
          "admin keys: create, list and revoke",
          {{"create",
            {"name"},
            {"tenant"},
            "<name> [--tenant SLUG]",
            "Create an admin key; prints it (shown this once).",
            "Arguments:\n"
            "  <name>          what the key is for\n"
            "Options:\n"
            "  --tenant SLUG   a tenant key, acting only inside that tenant; without it a\n"
            "                  superadmin key (superadmin keys only)\n",
            create},
           {"list",
            {},
            {"limit", "cursor"},
            "[--limit N] [--cursor C]",
            "List admin keys (a tenant key sees its tenant's keys); never the keys themselves.",
            "Options:\n"
            "  --limit N    show at most N (default: every page)\n"
            "  --cursor C   start after a previous list's next_cursor\n",
            list},
           {"delete",
            {"id"},
            {},
            "<id>",
            "Revoke an admin key: it stops working at once.",
            "Arguments:\n"
            "  <id>   the key's id (the number in tsk_<id>_…)\n",
            remove}}};
}

}  // namespace tessctl
