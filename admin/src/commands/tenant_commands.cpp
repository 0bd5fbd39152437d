// tessctl tenant … — /admin/v1/tenants (SPEC §4).
#include "cli/values.hpp"
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kListFields = {
    {"SLUG", "slug"},           {"NAME", "name"},
    {"STATUS", "status"},       {"TTL", "default_token_ttl"},
    {"FORMAT", "token_format"}, {"ALG", "signing_alg"},
    {"DOMAINS", "domains"},     {"CREATED", "created_at", time_cell}};

const std::vector<Field> kFields = {{"ID", "id"},
                                    {"SLUG", "slug"},
                                    {"NAME", "name"},
                                    {"STATUS", "status"},
                                    {"TTL", "default_token_ttl"},
                                    {"FORMAT", "token_format"},
                                    {"ALG", "signing_alg"},
                                    {"DOMAINS", "domains"},
                                    {"CREATED", "created_at", time_cell},
                                    {"UPDATED", "updated_at", time_cell}};

const std::vector<std::string> kFormats = {"opaque", "jwt"};

void create(Invocation& run) {
  nlohmann::json body = {{"slug", run.arg(0)}, {"name", run.required("name")}};
  if (auto ttl = run.flag("ttl")) body["default_token_ttl"] = parse_ttl("ttl", *ttl, false);
  if (auto format = run.flag("format"))
    body["token_format"] = parse_choice("format", *format, kFormats, false);
  if (auto alg = run.flag("signing-alg"))
    body["signing_alg"] = parse_signing_alg("signing-alg", *alg, false);
  if (run.has("domain")) body["domains"] = run.flags("domain");
  run.out.resource(run.client.post("/tenants", body), kFields);
}

void list(Invocation& run) {
  run.out.list(fetch_list(run.client, "/tenants", Query(), run.page_options()), kListFields);
}

void get(Invocation& run) {
  run.out.resource(run.client.get(tenant_path(run.arg(0))), kFields);
}

void update(Invocation& run) {
  nlohmann::json body = nlohmann::json::object();
  if (auto name = run.flag("name")) body["name"] = *name;
  if (auto ttl = run.flag("ttl")) body["default_token_ttl"] = parse_ttl("ttl", *ttl, true);
  if (auto format = run.flag("format"))
    body["token_format"] = parse_choice("format", *format, kFormats, true);
  if (auto alg = run.flag("signing-alg"))
    body["signing_alg"] = parse_signing_alg("signing-alg", *alg, true);
  if (run.has("domain") && run.has("no-domains")) {
    throw run.usage_error("--domain and --no-domains exclude each other");
  }
  if (run.has("domain")) body["domains"] = run.flags("domain");
  if (run.has("no-domains")) body["domains"] = nlohmann::json::array();
  if (auto status = run.flag("status")) {
    body["status"] = parse_choice("status", *status, {"active", "disabled"}, false);
  }
  if (body.empty()) throw run.usage_error("nothing to change (see --help)");
  run.out.resource(run.client.patch(tenant_path(run.arg(0)), body), kFields);
}

void remove(Invocation& run) {
  run.client.del(tenant_path(run.arg(0)));
  run.out.done("Tenant " + run.arg(0) + " disabled (tenant update " + run.arg(0) +
               " --status active enables it again).");
}

}  // namespace

CommandGroup tenant_commands() {
  return {
      "tenant",
      "tenants: their slug, name, token defaults, domains and status",
      {{"create",
        {"slug"},
        {"name", "ttl", "format", "signing-alg", "domain"},
        "<slug> --name NAME [--ttl SECONDS] [--format opaque|jwt] "
        "[--signing-alg EdDSA|ES256|RS256] [--domain HOST]...",
        "Create a tenant (superadmin keys only); it starts with an active and a next signing key.",
        "Arguments:\n"
        "  <slug>             [a-z0-9][a-z0-9-]{1,62}; part of every issuer URL, never changes\n"
        "Options:\n"
        "  --name NAME        display name (required)\n"
        "  --ttl SECONDS      default token lifetime (1-2592000; 30s, 15m, 1h, 7d also work);\n"
        "                     unset means 3600\n"
        "  --format F         default token format: opaque (default) or jwt\n"
        "  --signing-alg ALG  how its JWTs are signed: EdDSA (Ed25519, the default),\n"
        "                     ES256 (P-256) or RS256 (RSA 2048); its APIs inherit it\n"
        "  --domain HOST      a host name that serves this tenant without /t/<slug>; repeat\n"
        "                     for several\n",
        create},
       {"list",
        {},
        {"limit", "cursor"},
        "[--limit N] [--cursor C]",
        "List the tenants the key can see (a tenant key sees its own).",
        "Options:\n"
        "  --limit N    show at most N (default: every page)\n"
        "  --cursor C   start after a previous list's next_cursor\n",
        list},
       {"get", {"slug"}, {}, "<slug>", "Show a tenant, disabled or not.", "", get},
       {"update",
        {"slug"},
        {"name", "ttl", "format", "signing-alg", "domain", "no-domains", "status"},
        "<slug> [--name NAME] [--ttl SECONDS|none] [--format opaque|jwt|none] "
        "[--signing-alg EdDSA|ES256|RS256|inherit] [--domain HOST]... [--no-domains] "
        "[--status active|disabled]",
        "Change a tenant; only the options given change.",
        "Options:\n"
        "  --name NAME                  display name\n"
        "  --ttl SECONDS|none           default token lifetime; none clears it (3600 applies)\n"
        "  --format opaque|jwt|none     default token format; none clears it (opaque applies)\n"
        "  --signing-alg ALG|inherit    how its JWTs are signed: EdDSA, ES256 or RS256;\n"
        "                               inherit clears it (EdDSA applies)\n"
        "  --domain HOST                replaces the whole domain list; repeat for several\n"
        "  --no-domains                 removes every domain\n"
        "  --status active|disabled     disabled stops its tokens; active enables it again\n",
        update},
       {"delete",
        {"slug"},
        {},
        "<slug>",
        "Disable a tenant: its row, APIs, clients and audit trail stay, its tokens stop.",
        "'tenant update <slug> --status active' enables it again.\n",
        remove}}};
}

}  // namespace tessctl
