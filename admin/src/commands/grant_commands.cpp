// tessctl grant … — /admin/v1/tenants/{t}/clients/{c}/grants (SPEC §4): which
// APIs a client may get tokens for, and with which scopes.
#include "cli/values.hpp"
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

// Claims last: the one column that may be long.
const std::vector<Field> kListFields = {{"API", "api"},
                                        {"SCOPES", "scopes"},
                                        {"CREATED", "created_at", time_cell},
                                        {"UPDATED", "updated_at", time_cell},
                                        {"CLAIMS", "claims"}};

const std::vector<Field> kFields = {{"CLIENT_ID", "client_id"},
                                    {"API", "api"},
                                    {"SCOPES", "scopes"},
                                    {"CLAIMS", "claims"},
                                    {"CREATED", "created_at", time_cell},
                                    {"UPDATED", "updated_at", time_cell}};

std::string grants_path(const Invocation& run) {
  return client_path(run.arg(0), run.arg(1)) + "/grants";
}

void list(Invocation& run) {
  run.out.list(fetch_list(run.client, grants_path(run), Query(), run.page_options()), kListFields);
}

void set(Invocation& run) {
  nlohmann::json scopes = nlohmann::json::array();
  for (const auto& scope : run.flags("scope")) scopes.push_back(scope);
  nlohmann::json body = {{"scopes", scopes}};
  if (auto claims = run.flag("claims")) body["claims"] = parse_claims("claims", *claims);
  run.out.resource(run.client.put(grants_path(run) + "/" + percent_encode(run.arg(2)), body),
                   kFields);
}

void remove(Invocation& run) {
  run.client.del(grants_path(run) + "/" + percent_encode(run.arg(2)));
  run.out.done("Client " + run.arg(1) + " no longer has a grant on API " + run.arg(2) + ".");
}

const char* kArguments =
    "Arguments:\n"
    "  <tenant>      the tenant's slug\n"
    "  <client_id>   the client's id\n"
    "  <api>         the API's numeric id or its identifier\n";

}  // namespace

CommandGroup grant_commands() {
  return {"grant",
          "grants: the APIs a client may get tokens for, and their scopes",
          {{"list",
            {"tenant", "client_id"},
            {"limit", "cursor"},
            "<tenant> <client_id>",
            "List a client's grants (API ids and scopes).",
            "Arguments:\n"
            "  <tenant>      the tenant's slug\n"
            "  <client_id>   the client's id\n",
            list},
           {"set",
            {"tenant", "client_id", "api"},
            {"scope", "claims"},
            "<tenant> <client_id> <api> [--scope SCOPE]... [--claims JSON]",
            "Create a grant, or replace its scopes and claims with exactly the ones given.",
            std::string(kArguments) +
                "Options:\n"
                "  --scope SCOPE   a scope of the API; repeat for several; none gives a grant\n"
                "                  without scopes (tokens then carry scope \"\")\n"
                "  --claims JSON   custom claims of tokens for this API, a JSON object; they\n"
                "                  override the client's of the same name; none if left out\n",
            set},
           {"delete",
            {"tenant", "client_id", "api"},
            {},
            "<tenant> <client_id> <api>",
            "Remove a client's grant on an API.",
            kArguments,
            remove}}};
}

}  // namespace tessctl
