// tessctl signing-key … — /admin/v1/tenants/{t}/signing-keys (SPEC §3.4):
// the keys that sign a tenant's JWT access tokens, one set per algorithm in
// use (EdDSA, ES256, RS256).
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

// X is the public key of an EdDSA key (and the x coordinate of an ES256
// one); an RSA modulus does not fit a table: --json shows every JWK member.
const std::vector<Field> kFields = {{"KID", "kid"},
                                    {"ALG", "alg"},
                                    {"STATE", "state"},
                                    {"CREATED", "created_at", time_cell},
                                    {"X", "x"}};

void list(Invocation& run) {
  run.out.list(fetch_list(run.client, tenant_path(run.arg(0)) + "/signing-keys", Query(),
                          run.page_options()),
               kFields);
}

void rotate(Invocation& run) {
  run.out.list(
      run.client.post(tenant_path(run.arg(0)) + "/signing-keys/rotate", nlohmann::json::object()),
      kFields);
}

}  // namespace

CommandGroup signing_key_commands() {
  return {"signing-key",
          "a tenant's JWT signing keys: list and rotate",
          {{"list",
            {"tenant"},
            {"limit"},
            "<tenant>",
            "List a tenant's signing keys: next, active, and retired ones still published.",
            "One set of keys per algorithm the tenant or its APIs sign with; --json shows\n"
            "each key's public JWK members (kty, crv, x, y, n, e).\n",
            list},
           {"rotate",
            {"tenant"},
            {},
            "<tenant>",
            "Rotate: the next key (already published in the JWKS) signs from now on, the "
            "active one retires, a new next key is made, for every algorithm in use.",
            "Prints the keys after the rotation.\n",
            rotate}}};
}

}  // namespace tessctl
