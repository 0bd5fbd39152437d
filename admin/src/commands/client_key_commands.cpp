// tessctl client key list | add | remove —
// /admin/v1/tenants/{t}/clients/{c}/keys (private_key_jwt, RFC 7523 §2.2):
// the public keys a client signs its assertions with.
#include "cli/json_file.hpp"
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kFields = {{"ID", "id"},
                                    {"KID", "kid"},
                                    {"ALG", "alg"},
                                    {"THUMBPRINT", "thumbprint"},
                                    {"CREATED", "created_at", time_cell},
                                    {"", "jwk"}};  // the public members: --json shows them

std::string keys_path(const Invocation& run) {
  return client_path(run.arg(0), run.arg(1)) + "/keys";
}

void list(Invocation& run) {
  run.out.list(fetch_list(run.client, keys_path(run), Query(), run.page_options()), kFields);
}

void add(Invocation& run) {
  const auto document = read_json_file("<file>", run.arg(2));
  const auto keys = jwk_set_keys("<file>", document);
  // One key per request, as the API takes them: a set of one is fine.
  if (keys.size() != 1)
    throw run.usage_error("<file>: holds " + std::to_string(keys.size()) +
                          " keys; add them one at a time");
  run.out.resource(run.client.post(keys_path(run), keys[0]), kFields);
}

void remove(Invocation& run) {
  run.client.del(keys_path(run) + "/" + percent_encode(run.arg(2)));
  run.out.done("Key " + run.arg(2) + " of client " + run.arg(1) + " removed.");
}

const char* kClientArguments =
    "Arguments:\n"
    "  <tenant>      the tenant's slug\n"
    "  <client_id>   the client's id\n";

}  // namespace

CommandGroup client_key_commands() {
  return {"client key",
          "public keys of a client (private_key_jwt): list, add, remove",
          {{"list",
            {"tenant", "client_id"},
            {"limit", "cursor"},
            "<tenant> <client_id>",
            "List a client's public keys (id, kid, alg, RFC 7638 thumbprint).",
            std::string(kClientArguments) + "Options:\n  --limit N    show at most N\n",
            list},
           {"add",
            {"tenant", "client_id", "file"},
            {},
            "<tenant> <client_id> <file>",
            "Register a public key (a JWK) on a client.",
            std::string(kClientArguments) +
                "  <file>        a JSON file holding one public JWK (or a JWK Set of one);\n"
                "                '-' reads it from stdin. Ed25519 (OKP), P-256 (EC) or RSA\n"
                "                (2048 bits or more); private and symmetric keys are refused.\n"
                "A client holds at most 10 keys; the same key twice is refused (409).\n",
            add},
           {"remove",
            {"tenant", "client_id", "key_id"},
            {},
            "<tenant> <client_id> <key_id>",
            "Remove a key from a client (see 'client key list' for the ids).",
            std::string(kClientArguments) +
                "  <key_id>      the key's id\n"
                "The last key of a private_key_jwt client without a jwks_uri cannot be\n"
                "removed (409): add its replacement first.\n",
            remove}}};
}

}  // namespace tessctl
