#include "commands/groups.hpp"

namespace tessctl {

const std::vector<CommandGroup>& command_groups() {
  static const std::vector<CommandGroup> groups = {
      tenant_commands(),      api_commands(),   client_commands(),
      client_key_commands(),  grant_commands(), token_commands(),
      signing_key_commands(), audit_commands(), admin_key_commands()};
  return groups;
}

}  // namespace tessctl
