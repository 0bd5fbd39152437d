// tessctl client … — /admin/v1/tenants/{t}/clients (SPEC §4). Secret
// rotation lives in client_secret_commands.cpp.
#include <iostream>

#include "cli/json_file.hpp"
#include "cli/values.hpp"
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kListFields = {{"CLIENT_ID", "client_id"},
                                        {"NAME", "name"},
                                        {"STATUS", "status"},
                                        {"AUTH", "token_endpoint_auth_method"},
                                        {"DPOP", "dpop"},
                                        {"DPOP_NONCE", "dpop_nonce"},
                                        {"INTROSPECT", "can_introspect"},
                                        {"TTL", "token_ttl"},
                                        {"CREATED", "created_at", time_cell},
                                        {"CLAIMS", "claims"}};  // last: may be long

const std::vector<Field> kFields = {{"CLIENT_ID", "client_id"},
                                    {"NAME", "name"},
                                    {"STATUS", "status"},
                                    {"AUTH_METHOD", "token_endpoint_auth_method"},
                                    {"JWKS_URI", "jwks_uri"},
                                    {"DPOP", "dpop"},
                                    {"DPOP_NONCE", "dpop_nonce"},
                                    {"INTROSPECT", "can_introspect"},
                                    {"TTL", "token_ttl"},
                                    {"CLAIMS", "claims"},
                                    {"CREATED", "created_at", time_cell},
                                    {"UPDATED", "updated_at", time_cell},
                                    {"", "id"}};  // id is the client_id

// The answer to a create: a client's fields, with the secret right under
// the id, where it is seen.
std::vector<Field> created_fields() {
  std::vector<Field> fields = kFields;
  fields.insert(fields.begin() + 1, {"CLIENT_SECRET", "client_secret"});
  return fields;
}

const std::vector<Field> kCreatedFields = created_fields();

// `--secret -` reads the secret from stdin, so that it stays out of the
// shell's history and out of other users' view of the process list.
std::string imported_secret(const Invocation& run, const std::string& value) {
  if (value != "-") return value;
  std::string line;
  if (!std::getline(std::cin, line)) throw run.usage_error("--secret -: nothing to read on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// --dpop and --dpop-nonce (RFC 9449), the same on create and update.
void add_dpop_flags(const Invocation& run, nlohmann::json& body) {
  if (auto mode = run.flag("dpop")) {
    body["dpop"] = parse_choice("dpop", *mode, {"off", "allowed", "required"}, false);
  }
  if (auto nonce = run.flag("dpop-nonce")) body["dpop_nonce"] = parse_bool("dpop-nonce", *nonce);
}

// --claims, the same on create and update (where it replaces them all).
void add_claims_flag(const Invocation& run, nlohmann::json& body) {
  if (auto claims = run.flag("claims")) body["claims"] = parse_claims("claims", *claims);
}

void create(Invocation& run) {
  nlohmann::json body = {{"name", run.arg(1)}};
  if (auto ttl = run.flag("ttl")) body["token_ttl"] = parse_ttl("ttl", *ttl, false);
  if (auto introspect = run.flag("introspect")) {
    body["can_introspect"] = parse_bool("introspect", *introspect);
  }
  if (auto secret = run.flag("secret")) body["client_secret"] = imported_secret(run, *secret);
  if (auto method = run.flag("auth-method")) {
    body["token_endpoint_auth_method"] =
        parse_choice("auth-method", *method,
                     {"client_secret_basic", "client_secret_post", "private_key_jwt"}, false);
  }
  nlohmann::json keys = nlohmann::json::array();
  if (auto file = run.flag("jwks")) keys = jwk_set_keys("--jwks", read_json_file("--jwks", *file));
  for (const auto& file : run.flags("jwk")) {
    keys.push_back(read_json_file("--jwk", file));
  }
  if (!keys.empty()) body["jwks"] = {{"keys", keys}};
  if (auto uri = run.flag("jwks-uri")) body["jwks_uri"] = *uri;
  add_dpop_flags(run, body);
  add_claims_flag(run, body);
  const auto created = run.client.post(tenant_path(run.arg(0)) + "/clients", body);
  const bool has_secret = created.contains("client_secret");
  run.out.resource(created, has_secret ? kCreatedFields : kFields);
  run.out.note("");
  if (has_secret) {
    run.out.note("The client secret is shown this once: store it now.");
  } else {
    run.out.note("The client authenticates with private_key_jwt: it has no secret.");
  }
}

void list(Invocation& run) {
  run.out.list(
      fetch_list(run.client, tenant_path(run.arg(0)) + "/clients", Query(), run.page_options()),
      kListFields);
}

void get(Invocation& run) {
  run.out.resource(run.client.get(client_path(run.arg(0), run.arg(1))), kFields);
}

void update(Invocation& run) {
  nlohmann::json body = nlohmann::json::object();
  if (auto name = run.flag("name")) body["name"] = *name;
  if (auto ttl = run.flag("ttl")) body["token_ttl"] = parse_ttl("ttl", *ttl, true);
  if (auto introspect = run.flag("introspect")) {
    body["can_introspect"] = parse_bool("introspect", *introspect);
  }
  if (auto uri = run.flag("jwks-uri")) {
    body["jwks_uri"] = *uri == "none" ? nlohmann::json() : nlohmann::json(*uri);
  }
  add_dpop_flags(run, body);
  add_claims_flag(run, body);
  if (body.empty()) throw run.usage_error("nothing to change (see --help)");
  run.out.resource(run.client.patch(client_path(run.arg(0), run.arg(1)), body), kFields);
}

void set_status(Invocation& run, const char* status) {
  run.out.resource(run.client.patch(client_path(run.arg(0), run.arg(1)), {{"status", status}}),
                   kFields);
}

void disable(Invocation& run) {
  set_status(run, "disabled");
}
void enable(Invocation& run) {
  set_status(run, "active");
}

void remove(Invocation& run) {
  run.client.del(client_path(run.arg(0), run.arg(1)));
  run.out.done("Client " + run.arg(1) + " deleted; its grants are removed.");
}

const char* kClientArguments =
    "Arguments:\n"
    "  <tenant>      the tenant's slug\n"
    "  <client_id>   the client's id\n";

}  // namespace

CommandGroup client_commands() {
  CommandGroup group{
      "client",
      "clients of a tenant, their secrets (rotation, revocation) and status",
      {{"create",
        {"tenant", "name"},
        {"ttl", "introspect", "secret", "auth-method", "jwks", "jwk", "jwks-uri", "dpop",
         "dpop-nonce", "claims"},
        "<tenant> <name> [--ttl SECONDS] [--introspect] [--secret SECRET|-]\n"
        "       [--auth-method METHOD] [--jwks FILE] [--jwk FILE]... [--jwks-uri URL]\n"
        "       [--dpop off|allowed|required] [--dpop-nonce true|false] [--claims JSON]",
        "Create a client; prints its client_id and client_secret (shown this once).",
        "Arguments:\n"
        "  <tenant>          the tenant's slug\n"
        "  <name>            display name\n"
        "Options:\n"
        "  --ttl SECONDS     token lifetime for this client (overrides the API's and tenant's)\n"
        "  --introspect      the client may call the introspection endpoint\n"
        "  --secret SECRET   import an existing secret (32-512 characters) instead of\n"
        "                    generating one; '-' reads it from the first line of stdin\n"
        "  --auth-method METHOD\n"
        "                    client_secret_basic (default; client_secret_post is the same),\n"
        "                    or private_key_jwt: keys only, no secret (needs --jwks, --jwk\n"
        "                    or --jwks-uri)\n"
        "  --jwks FILE       public keys to register: a JWK Set file {\"keys\": [...]}\n"
        "                    (or one JWK); '-' reads stdin\n"
        "  --jwk FILE        one public JWK to register; may be repeated\n"
        "  --jwks-uri URL    where the client publishes its keys (https://)\n"
        "  --dpop off|allowed|required\n"
        "                    DPoP-bound tokens (RFC 9449): off refuses a proof, allowed\n"
        "                    (default) binds the token when a proof is sent, required\n"
        "                    refuses a token request without one\n"
        "  --dpop-nonce true|false\n"
        "                    the client's DPoP proofs must carry a nonce the server gave\n"
        "                    (default false)\n"
        "  --claims JSON     custom claims its tokens carry, a JSON object such as\n"
        "                    '{\"tier\":\"gold\"}' (at most 20 claims and 2048 bytes;\n"
        "                    not iss, sub, aud, exp, iat, nbf, jti, scope, client_id, cnf,\n"
        "                    active, token_type, typ)\n"
        "Keys are managed later with 'tessctl client key'.\n",
        create},
       {"list",
        {"tenant"},
        {"limit", "cursor"},
        "<tenant> [--limit N] [--cursor C]",
        "List a tenant's clients (deleted ones are left out).",
        "Options:\n"
        "  --limit N    show at most N (default: every page)\n"
        "  --cursor C   start after a previous list's next_cursor\n",
        list},
       {"get",
        {"tenant", "client_id"},
        {},
        "<tenant> <client_id>",
        "Show a client (never a secret).",
        kClientArguments,
        get},
       {"update",
        {"tenant", "client_id"},
        {"name", "ttl", "introspect", "jwks-uri", "dpop", "dpop-nonce", "claims"},
        "<tenant> <client_id> [--name NAME] [--ttl SECONDS|none] [--introspect true|false]\n"
        "       [--jwks-uri URL|none] [--dpop off|allowed|required] [--dpop-nonce true|false]\n"
        "       [--claims JSON]",
        "Change a client; only the options given change.",
        std::string(kClientArguments) +
            "Options:\n"
            "  --name NAME               display name\n"
            "  --ttl SECONDS|none        token lifetime; none clears it\n"
            "  --introspect true|false   whether it may call the introspection endpoint\n"
            "  --jwks-uri URL|none       where it publishes its keys (https://); none clears it\n"
            "  --dpop off|allowed|required\n"
            "                            DPoP-bound tokens (RFC 9449): never, when it sends a\n"
            "                            proof, or always\n"
            "  --dpop-nonce true|false   whether its DPoP proofs must carry a server nonce\n"
            "  --claims JSON             custom claims its tokens carry, a JSON object; replaces\n"
            "                            them all, '{}' clears them (rules: client create "
            "--help)\n",
        update},
       {"disable",
        {"tenant", "client_id"},
        {},
        "<tenant> <client_id>",
        "Disable a client: it gets no new tokens, and its tokens introspect inactive.",
        kClientArguments,
        disable},
       {"enable",
        {"tenant", "client_id"},
        {},
        "<tenant> <client_id>",
        "Enable a disabled client.",
        kClientArguments,
        enable},
       {"delete",
        {"tenant", "client_id"},
        {},
        "<tenant> <client_id>",
        "Delete a client: it is marked deleted and disabled, and its grants are removed.",
        kClientArguments,
        remove}}};
  for (auto& command : client_secret_commands()) group.commands.push_back(std::move(command));
  return group;
}

}  // namespace tessctl
