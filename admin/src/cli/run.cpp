#include "cli/run.hpp"

#include <algorithm>

#include "cli/config.hpp"
#include "cli/error.hpp"
#include "cli/help.hpp"
#include "commands/groups.hpp"

namespace tessctl {
namespace {

// Accepted by every command.
const std::vector<std::string> kGlobalFlags = {"help", "json", "url", "key"};

std::string names_of(const CommandGroup& group) {
  std::string names;
  for (const auto& command : group.commands) names += (names.empty() ? "" : ", ") + command.name;
  return names;
}

const CommandGroup& find_group(const std::vector<CommandGroup>& groups, const std::string& name) {
  for (const auto& group : groups) {
    if (group.name == name) return group;
  }
  throw CliError::usage("unknown command '" + name + "' (see tessctl --help)");
}

const Command& find_command(const CommandGroup& group, const std::string& name) {
  for (const auto& command : group.commands) {
    if (command.name == name) return command;
  }
  throw CliError::usage(group.name + ": unknown subcommand '" + name + "' (one of " +
                        names_of(group) + ")");
}

void check_words(const CommandGroup& group, const Command& command, const ParsedArgs& args) {
  const std::string where = group.name + " " + command.name + ": ";
  const auto given = args.positionals.size() - 2;
  if (given != command.arguments.size()) {
    std::string expected;
    for (const auto& argument : command.arguments) expected += " <" + argument + ">";
    const std::string what =
        given < command.arguments.size() ? "missing arguments" : "too many arguments";
    throw CliError::usage(where + what + " (usage: tessctl " + group.name + " " + command.name +
                          expected + " …)");
  }
  for (const auto& [flag, values] : args.flags) {
    const bool global = std::count(kGlobalFlags.begin(), kGlobalFlags.end(), flag) != 0;
    const bool own = std::count(command.flags.begin(), command.flags.end(), flag) != 0;
    if (!global && !own) throw CliError::usage(where + "--" + flag + " does not apply here");
  }
}

// A group may be named by two words ("client key"): they join into one, so
// that the subcommand and its arguments keep their places.
ParsedArgs with_two_word_group(ParsedArgs args, const std::vector<CommandGroup>& groups) {
  auto& words = args.positionals;
  if (words.size() < 2) return args;
  const std::string two = words[0] + " " + words[1];
  for (const auto& group : groups) {
    if (group.name == two) {
      words.erase(words.begin() + 1);
      words[0] = two;
      break;
    }
  }
  return args;
}

}  // namespace

void run(const std::vector<std::string>& words, std::ostream& out) {
  const auto& groups = command_groups();
  const ParsedArgs args = with_two_word_group(parse_args(words), groups);
  const bool help = args.has("help");
  const auto& positionals = args.positionals;

  if (positionals.empty()) {
    if (help) {
      out << top_help(groups);
      return;
    }
    throw CliError::usage("missing command (see tessctl --help)");
  }
  if (positionals[0] == "help") {  // `tessctl help` reads as people expect
    out << top_help(groups);
    return;
  }
  const auto& group = find_group(groups, positionals[0]);
  if (positionals.size() == 1) {
    if (help) {
      out << group_help(group);
      return;
    }
    throw CliError::usage(group.name + ": missing subcommand (one of " + names_of(group) + ")");
  }
  const auto& command = find_command(group, positionals[1]);
  if (help) {
    out << command_help(group, command);
    return;
  }
  check_words(group, command, args);

  const Config config = read_config(args);
  AdminClient client(config.url, config.key);
  Output output(out, args.has("json"));
  Invocation invocation(group, command, args, client, output);
  command.run(invocation);
}

}  // namespace tessctl
