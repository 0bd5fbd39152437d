// The command line as words: positional arguments in order and the flags
// given, wherever they stand. Every flag has one arity in every command (see
// kFlags in args.cpp), so the words split without knowing the command yet;
// which flags a command accepts is checked once it is known.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessctl {

enum class FlagArity {
  none,           // --json
  one,            // --name N; given twice is an error
  many,           // --scope S, repeatable
  optional_bool,  // --default, or --default true|false: takes the next word only if it is one
};

struct ParsedArgs {
  std::vector<std::string> positionals;
  // Flag name without dashes → its values in order ("true" for a bare switch).
  std::map<std::string, std::vector<std::string>> flags;

  bool has(const std::string& name) const { return flags.count(name) != 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
};

// Splits `words` (argv without the program name). `--name=value` and
// `--name value` are the same; `--` ends the flags. Throws a usage CliError
// for an unknown flag, a missing value or a single-valued flag given twice.
ParsedArgs parse_args(const std::vector<std::string>& words);

// The arity of a flag of tessctl, or nullopt for an unknown one.
std::optional<FlagArity> flag_arity(const std::string& name);

}  // namespace tessctl
