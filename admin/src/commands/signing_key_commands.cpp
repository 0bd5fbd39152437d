// tessctl signing-key … — /admin/v1/tenants/{t}/signing-keys (SPEC §3.4):
// the Ed25519 keys that sign a tenant's JWT access tokens.
#include "commands/groups.hpp"
#include "commands/paths.hpp"

namespace tessctl {
namespace {

const std::vector<Field> kFields = {
    {"KID", "kid"}, {"STATE", "state"}, {"CREATED", "created_at", time_cell}, {"X", "x"}};

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
            "",
            list},
           {"rotate",
            {"tenant"},
            {},
            "<tenant>",
            "Rotate: the next key (already published in the JWKS) signs from now on, the "
            "active one retires, a new next key is made.",
            "Prints the keys after the rotation.\n",
            rotate}}};
}

}  // namespace tessctl
