// Every command group of tessctl, one file each (tenant_commands.cpp, …).
#pragma once

#include <vector>

#include "cli/command.hpp"

namespace tessctl {

CommandGroup tenant_commands();
CommandGroup api_commands();
CommandGroup client_commands();
std::vector<Command> client_secret_commands();  // part of `client`, in their own file
CommandGroup client_key_commands();             // `client key …`: a group of two words
CommandGroup grant_commands();
CommandGroup token_commands();
CommandGroup signing_key_commands();
CommandGroup audit_commands();
CommandGroup admin_key_commands();

// All groups, in the order `tessctl --help` lists them.
const std::vector<CommandGroup>& command_groups();

}  // namespace tessctl
