// tessctl token … — /admin/v1/tenants/{t}/tokens (SPEC §4): issued tokens as
// metadata (never their values) and their revocation.
#include "cli/values.hpp"
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kFields = {{"ID", "id"},
                                    {"CLIENT_ID", "client_id"},
                                    {"API", "api"},
                                    {"SCOPE", "scope"},
                                    {"FORMAT", "format"},
                                    {"ISSUED", "issued_at", time_cell},
                                    {"EXPIRES", "expires_at", time_cell},
                                    {"REVOKED", "revoked_at", time_cell}};

std::string tokens_path(const Invocation& run) {
  return tenant_path(run.arg(0)) + "/tokens";
}

void list(Invocation& run) {
  Query query;
  if (auto client = run.flag("client")) query.add("client_id", *client);
  if (auto active = run.flag("active"))
    query.add("active", parse_bool("active", *active) ? "true" : "false");
  if (auto api = run.flag("api")) query.add("api", *api);
  run.out.list(fetch_list(run.client, tokens_path(run), query, run.page_options()), kFields);
}

void get(Invocation& run) {
  run.out.resource(run.client.get(tokens_path(run) + "/" + percent_encode(run.arg(1))), kFields);
}

void revoke(Invocation& run) {
  run.client.del(tokens_path(run) + "/" + percent_encode(run.arg(1)));
  run.out.done("Token " + run.arg(1) + " revoked.");
}

void revoke_all(Invocation& run) {
  nlohmann::json body = nlohmann::json::object();
  if (auto client = run.flag("client")) body["client_id"] = *client;
  if (auto api = run.flag("api")) body["api"] = *api;
  const auto answer = run.client.post(tokens_path(run) + "/revoke", body);
  if (run.out.json()) {
    run.out.resource(answer, {});
    return;
  }
  const auto count = answer.value("revoked", nlohmann::json());
  run.out.note("Revoked " + cell_text(count) + (count == 1 ? " token." : " tokens."));
}

}  // namespace

CommandGroup token_commands() {
  return {
      "token",
      "issued tokens: list, inspect and revoke them",
      {{"list",
        {"tenant"},
        {"client", "active", "api", "limit", "cursor"},
        "<tenant> [--client CLIENT_ID] [--active true|false] [--api API] [--limit N]",
        "List a tenant's token records (never the token values).",
        "Options:\n"
        "  --client CLIENT_ID    only this client's tokens\n"
        "  --active true|false   only tokens that are (not) still valid\n"
        "  --api API             only tokens for this API (its id or identifier)\n"
        "  --limit N             show at most N (default: every page)\n"
        "  --cursor C            start after a previous list's next_cursor\n",
        list},
       {"get",
        {"tenant", "id"},
        {},
        "<tenant> <id>",
        "Show one token record; its id is its jti (also for opaque tokens).",
        "",
        get},
       {"revoke",
        {"tenant", "id"},
        {},
        "<tenant> <id>",
        "Revoke one token: it introspects inactive from now on.",
        "",
        revoke},
       {"revoke-all",
        {"tenant"},
        {"client", "api"},
        "<tenant> [--client CLIENT_ID] [--api API]",
        "Revoke every active token of the tenant, or of a client and/or an API; prints the count.",
        "Options:\n"
        "  --client CLIENT_ID   only this client's tokens\n"
        "  --api API            only tokens for this API (its id or identifier)\n",
        revoke_all}}};
}

}  // namespace tessctl
