// A tessctl command as data: `tessctl <group> <command> <arguments>`, the
// flags it accepts, its help, and the function that runs it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/error.hpp"
#include "http/admin_client.hpp"
#include "http/pages.hpp"
#include "output/output.hpp"

namespace tessctl {

class Invocation;

struct Command {
  std::string name;                    // "create"
  std::vector<std::string> arguments;  // positional arguments, in order: {"tenant", "name"}
  std::vector<std::string> flags;      // accepted besides --help, --json, --url and --key
  std::string synopsis;                // what follows "tessctl tenant create" in the usage
  std::string summary;                 // one line
  std::string help;                    // the options and what to know, for --help
  void (*run)(Invocation&) = nullptr;
};

struct CommandGroup {
  std::string name;     // "tenant"
  std::string summary;  // one line
  std::vector<Command> commands;
};

// One run of a command: its arguments and flags, the server, the output.
class Invocation {
 public:
  Invocation(const CommandGroup& group, const Command& command, const ParsedArgs& args,
             AdminClient& admin_client, Output& output)
      : client(admin_client), out(output), group_(group), command_(command), args_(args) {}

  // The command's own positional argument `i` (after the group and command names).
  const std::string& arg(std::size_t i) const { return args_.positionals.at(i + 2); }
  bool has(const std::string& flag) const { return args_.has(flag); }
  std::optional<std::string> flag(const std::string& name) const { return args_.value(name); }
  std::vector<std::string> flags(const std::string& name) const { return args_.values(name); }
  // The flag's value, or a usage error saying the command needs it.
  std::string required(const std::string& name) const;
  // --limit and --cursor.
  PageOptions page_options() const;
  // A usage error about this command: "tenant update: <message>".
  [[nodiscard]] CliError usage_error(const std::string& message) const;

  AdminClient& client;
  Output& out;

 private:
  const CommandGroup& group_;
  const Command& command_;
  const ParsedArgs& args_;
};

}  // namespace tessctl
