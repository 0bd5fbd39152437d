// tessctl api … — /admin/v1/tenants/{t}/apis, the tenant's resource servers
// (SPEC §4).
#include "cli/values.hpp"
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

// "read (Read access), write": a record has room for the descriptions.
std::string scopes_with_descriptions(const nlohmann::json& scopes) {
  if (!scopes.is_array() || scopes.empty()) return cell_text(scopes);
  std::string out;
  for (const auto& scope : scopes) {
    out += out.empty() ? "" : ", ";
    out += cell_text(scope.value("value", nlohmann::json()));
    const auto description = scope.value("description", std::string());
    if (!description.empty()) out += " (" + description + ")";
  }
  return out;
}

const std::vector<Field> kListFields = {{"ID", "id"},
                                        {"IDENTIFIER", "identifier"},
                                        {"NAME", "name"},
                                        {"DEFAULT", "is_default"},
                                        {"SCOPES", "scopes", scope_values_cell},
                                        {"TTL", "token_ttl"},
                                        {"FORMAT", "token_format"},
                                        {"ALG", "signing_alg"}};

const std::vector<Field> kFields = {{"ID", "id"},
                                    {"IDENTIFIER", "identifier"},
                                    {"NAME", "name"},
                                    {"DEFAULT", "is_default"},
                                    {"SCOPES", "scopes", scopes_with_descriptions},
                                    {"TTL", "token_ttl"},
                                    {"FORMAT", "token_format"},
                                    {"ALG", "signing_alg"},
                                    {"CREATED", "created_at", time_cell},
                                    {"UPDATED", "updated_at", time_cell}};

const std::vector<std::string> kFormats = {"opaque", "jwt"};

nlohmann::json scopes_from(const Invocation& run) {
  nlohmann::json scopes = nlohmann::json::array();
  for (const auto& text : run.flags("scope")) scopes.push_back(parse_scope(text));
  return scopes;
}

void create(Invocation& run) {
  nlohmann::json body = {{"identifier", run.arg(1)}, {"name", run.required("name")}};
  if (run.has("scope")) body["scopes"] = scopes_from(run);
  if (auto ttl = run.flag("ttl")) body["token_ttl"] = parse_ttl("ttl", *ttl, false);
  if (auto format = run.flag("format"))
    body["token_format"] = parse_choice("format", *format, kFormats, false);
  if (auto alg = run.flag("signing-alg"))
    body["signing_alg"] = parse_signing_alg("signing-alg", *alg, false);
  if (auto is_default = run.flag("default"))
    body["is_default"] = parse_bool("default", *is_default);
  run.out.resource(run.client.post(tenant_path(run.arg(0)) + "/apis", body), kFields);
}

void list(Invocation& run) {
  run.out.list(
      fetch_list(run.client, tenant_path(run.arg(0)) + "/apis", Query(), run.page_options()),
      kListFields);
}

void get(Invocation& run) {
  run.out.resource(run.client.get(api_path(run.arg(0), run.arg(1))), kFields);
}

void update(Invocation& run) {
  nlohmann::json body = nlohmann::json::object();
  if (auto name = run.flag("name")) body["name"] = *name;
  if (run.has("scope") && run.has("no-scopes")) {
    throw run.usage_error("--scope and --no-scopes exclude each other");
  }
  if (run.has("scope")) body["scopes"] = scopes_from(run);
  if (run.has("no-scopes")) body["scopes"] = nlohmann::json::array();
  if (auto ttl = run.flag("ttl")) body["token_ttl"] = parse_ttl("ttl", *ttl, true);
  if (auto format = run.flag("format"))
    body["token_format"] = parse_choice("format", *format, kFormats, true);
  if (auto alg = run.flag("signing-alg"))
    body["signing_alg"] = parse_signing_alg("signing-alg", *alg, true);
  if (auto is_default = run.flag("default"))
    body["is_default"] = parse_bool("default", *is_default);
  if (body.empty()) throw run.usage_error("nothing to change (see --help)");
  run.out.resource(run.client.patch(api_path(run.arg(0), run.arg(1)), body), kFields);
}

void remove(Invocation& run) {
  run.client.del(api_path(run.arg(0), run.arg(1)));
  run.out.done("API " + run.arg(1) + " deleted, and every grant on it removed.");
}

const char* kApiArgument =
    "  <api>              the API's numeric id or its identifier (sent percent-encoded)\n";

}  // namespace

CommandGroup api_commands() {
  return {
      "api",
      "APIs (resource servers) of a tenant: identifier, scopes, token settings",
      {{"create",
        {"tenant", "identifier"},
        {"name", "scope", "ttl", "format", "signing-alg", "default"},
        "<tenant> <identifier> --name NAME [--scope VALUE[=DESCRIPTION]]... [--ttl SECONDS] "
        "[--format opaque|jwt] [--signing-alg EdDSA|ES256|RS256] [--default]",
        "Create an API; tokens for it carry its identifier as their audience.",
        "Arguments:\n"
        "  <tenant>           the tenant's slug\n"
        "  <identifier>       unique in the tenant, e.g. https://api.example.com; never changes\n"
        "Options:\n"
        "  --name NAME                   display name (required)\n"
        "  --scope VALUE[=DESCRIPTION]   a scope of the API ([A-Za-z0-9_.:/*-], 1-128\n"
        "                                characters); repeat for several\n"
        "  --ttl SECONDS                 token lifetime for this API (overrides the tenant's)\n"
        "  --format opaque|jwt           token format for this API\n"
        "  --signing-alg ALG             how its JWTs are signed: EdDSA, ES256 or RS256\n"
        "                                (unset: the tenant's)\n"
        "  --default                     make it the tenant's default API (clears the others)\n",
        create},
       {"list",
        {"tenant"},
        {"limit", "cursor"},
        "<tenant> [--limit N] [--cursor C]",
        "List a tenant's APIs (deleted ones are left out).",
        "Options:\n"
        "  --limit N    show at most N (default: every page)\n"
        "  --cursor C   start after a previous list's next_cursor\n",
        list},
       {"get",
        {"tenant", "api"},
        {},
        "<tenant> <api>",
        "Show an API and its scopes.",
        std::string("Arguments:\n") + kApiArgument,
        get},
       {"update",
        {"tenant", "api"},
        {"name", "scope", "no-scopes", "ttl", "format", "signing-alg", "default"},
        "<tenant> <api> [--name NAME] [--scope VALUE[=DESCRIPTION]]... [--no-scopes] "
        "[--ttl SECONDS|none] [--format opaque|jwt|none] "
        "[--signing-alg EdDSA|ES256|RS256|inherit] [--default true|false]",
        "Change an API; only the options given change.",
        std::string("Arguments:\n") + kApiArgument +
            "Options:\n"
            "  --name NAME                   display name\n"
            "  --scope VALUE[=DESCRIPTION]   replaces the whole scope set; a scope dropped\n"
            "                                here is dropped from every grant\n"
            "  --no-scopes                   removes every scope\n"
            "  --ttl SECONDS|none            token lifetime; none clears it\n"
            "  --format opaque|jwt|none      token format; none clears it\n"
            "  --signing-alg ALG|inherit     EdDSA, ES256 or RS256; inherit clears it (the\n"
            "                                tenant's applies)\n"
            "  --default true|false          whether it is the tenant's default API\n",
        update},
       {"delete",
        {"tenant", "api"},
        {},
        "<tenant> <api>",
        "Delete an API: it is marked deleted and every grant on it is removed.",
        std::string("Arguments:\n") + kApiArgument,
        remove}}};
}

}  // namespace tessctl
