#include "cli/help.hpp"

#include <algorithm>

namespace tessctl {
namespace {

std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

const char* kGlobalOptions =
    "Options (accepted anywhere on the line):\n"
    "  --url URL    the admin listener (default: $TESSCTL_URL, else http://127.0.0.1:8081)\n"
    "  --key KEY    the admin key (default: $TESSCTL_ADMIN_KEY; prefer the variable, since\n"
    "               other users of the machine can see a command's arguments)\n"
    "  --json       print the server's JSON answer instead of a table (commands whose\n"
    "               answer has no body, such as delete, then print nothing)\n"
    "  -h, --help   show help and exit\n";

}  // namespace

std::string top_help(const std::vector<CommandGroup>& groups) {
  std::string text =
      "Usage: tessctl [options] <command> <subcommand> [arguments]\n"
      "\n"
      "tessctl manages a Tessera authorization server through its admin REST API\n"
      "(/admin/v1). It needs an admin key: a superadmin key may do everything, a\n"
      "tenant key only acts inside its tenant.\n"
      "\n"
      "Commands:\n";
  std::size_t width = 0;
  for (const auto& group : groups) width = std::max(width, group.name.size());
  for (const auto& group : groups) {
    text += "  " + padded(group.name, width + 2) + group.summary + "\n";
  }
  text += "\n";
  text += kGlobalOptions;
  text +=
      "\n"
      "Lists show every page unless --limit N is given. Output is a table, or JSON\n"
      "with --json. On failure tessctl prints one line on stderr, such as\n"
      "  tessctl: 409 conflict: slug: a tenant with this slug exists\n"
      "and nothing on stdout.\n"
      "\n"
      "Exit status: 0 success; 1 the server refused or could not be reached;\n"
      "2 a usage or configuration error.\n"
      "\n"
      "Run 'tessctl <command> --help' for its subcommands, and\n"
      "'tessctl <command> <subcommand> --help' for their arguments.\n";
  return text;
}

std::string group_help(const CommandGroup& group) {
  std::string text = "Usage: tessctl " + group.name + " <subcommand> [arguments] [options]\n\n" +
                     group.summary + "\n\nSubcommands:\n";
  std::size_t width = 0;
  for (const auto& command : group.commands) width = std::max(width, command.name.size());
  for (const auto& command : group.commands) {
    text += "  " + padded(command.name, width + 2) + command.summary + "\n";
  }
  text += "\n";
  text += kGlobalOptions;
  text += "\nRun 'tessctl " + group.name + " <subcommand> --help' for its arguments.\n";
  return text;
}

std::string command_help(const CommandGroup& group, const Command& command) {
  std::string text = "Usage: tessctl " + group.name + " " + command.name;
  if (!command.synopsis.empty()) text += " " + command.synopsis;
  text += "\n\n" + command.summary + "\n";
  if (!command.help.empty()) text += "\n" + command.help;
  if (!text.empty() && text.back() != '\n') text += "\n";
  text += "\nGlobal options: --url URL, --key KEY, --json, -h/--help (see tessctl --help).\n";
  return text;
}

}  // namespace tessctl
