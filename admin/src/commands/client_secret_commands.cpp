// tessctl client rotate-secret | secrets | revoke-secret —
// /admin/v1/tenants/{t}/clients/{c}/secrets (SPEC §4): rotation with a grace
// period, so that services can move to a new secret without downtime.
#include "cli/values.hpp"
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kListFields = {{"ID", "id"},
                                        {"CREATED", "created_at", time_cell},
                                        {"EXPIRES", "expires_at", time_cell},
                                        {"REVOKED", "revoked_at", time_cell},
                                        {"LAST_USED", "last_used_at", time_cell}};

const std::vector<Field> kRotatedFields = {{"ID", "id"},
                                           {"CLIENT_SECRET", "client_secret"},
                                           {"CREATED", "created_at", time_cell},
                                           {"EXPIRES", "expires_at", time_cell}};

std::string secrets_path(const Invocation& run) {
  return client_path(run.arg(0), run.arg(1)) + "/secrets";
}

void rotate(Invocation& run) {
  nlohmann::json body = nlohmann::json::object();
  const auto grace = run.flag("grace");
  const long grace_seconds = grace ? parse_duration("grace", *grace) : 0;
  if (grace) body["grace_seconds"] = grace_seconds;
  run.out.resource(run.client.post(secrets_path(run), body), kRotatedFields);
  run.out.note("");
  run.out.note("The new client secret is shown this once: store it now.");
  if (grace_seconds > 0) {
    run.out.note("The client's earlier secrets keep working for " + *grace + " (" +
                 std::to_string(grace_seconds) + " s), then stop.");
  } else {
    run.out.note("The client's earlier secrets have stopped working.");
  }
}

void list(Invocation& run) {
  run.out.list(fetch_list(run.client, secrets_path(run), Query(), run.page_options()), kListFields);
}

void revoke(Invocation& run) {
  run.client.del(secrets_path(run) + "/" + percent_encode(run.arg(2)));
  run.out.done("Secret " + run.arg(2) + " of client " + run.arg(1) + " revoked.");
}

const char* kClientArguments =
    "Arguments:\n"
    "  <tenant>      the tenant's slug\n"
    "  <client_id>   the client's id\n";

}  // namespace

std::vector<Command> client_secret_commands() {
  return {
      {"rotate-secret",
       {"tenant", "client_id"},
       {"grace"},
       "<tenant> <client_id> [--grace DURATION]",
       "Give a client a new generated secret; prints it (shown this once).",
       std::string(kClientArguments) +
           "Options:\n"
           "  --grace DURATION   how long the earlier secrets keep working: 30s, 15m, 1h,\n"
           "                     7d or seconds (default 0: they stop at once)\n",
       rotate},
      {"secrets",
       {"tenant", "client_id"},
       {"limit", "cursor"},
       "<tenant> <client_id> [--limit N]",
       "List a client's secrets: ids and times only, never the secrets.",
       std::string(kClientArguments) + "Options:\n  --limit N    show at most N\n",
       list},
      {"revoke-secret",
       {"tenant", "client_id", "secret_id"},
       {},
       "<tenant> <client_id> <secret_id>",
       "Revoke one secret of a client now (see 'client secrets' for the ids).",
       std::string(kClientArguments) +
           "  <secret_id>   the secret's id\n"
           "The last valid secret of an active client cannot be revoked (409): rotate instead.\n",
       revoke}};
}

}  // namespace tessctl
