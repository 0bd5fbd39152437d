// The --help texts, made from the command tables, so that help and
// behaviour cannot drift apart.
#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"

namespace tessctl {

std::string top_help(const std::vector<CommandGroup>& groups);
std::string group_help(const CommandGroup& group);
std::string command_help(const CommandGroup& group, const Command& command);

}  // namespace tessctl
