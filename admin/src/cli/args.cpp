#include "cli/args.hpp"

#include "cli/error.hpp"

namespace tessctl {
namespace {

// One table for every command: a flag means the same thing, and takes the
// same number of words, wherever it is used.
const std::map<std::string, FlagArity> kFlags = {
    {"help", FlagArity::none},
    {"json", FlagArity::none},
    {"url", FlagArity::one},
    {"key", FlagArity::one},
    {"name", FlagArity::one},
    {"ttl", FlagArity::one},
    {"format", FlagArity::one},
    {"signing-alg", FlagArity::one},
    {"domain", FlagArity::many},
    {"no-domains", FlagArity::none},
    {"status", FlagArity::one},
    {"scope", FlagArity::many},
    {"no-scopes", FlagArity::none},
    {"default", FlagArity::optional_bool},
    {"introspect", FlagArity::optional_bool},
    {"secret", FlagArity::one},
    {"auth-method", FlagArity::one},
    {"jwks", FlagArity::one},
    {"jwk", FlagArity::many},
    {"jwks-uri", FlagArity::one},
    {"dpop", FlagArity::one},
    {"dpop-nonce", FlagArity::optional_bool},
    {"claims", FlagArity::one},
    {"grace", FlagArity::one},
    {"client", FlagArity::one},
    {"active", FlagArity::one},
    {"api", FlagArity::one},
    {"since", FlagArity::one},
    {"limit", FlagArity::one},
    {"cursor", FlagArity::one},
    {"tenant", FlagArity::one},
};

// Every flag is long (--name) but -h. Any other word is an argument, even
// one starting with '-': a generated client id does one time in 64
// (base64url), and must not need '--' in front.
bool is_flag_word(const std::string& word) {
  return word.rfind("--", 0) == 0 || word == "-h";
}

void add_value(ParsedArgs& parsed, const std::string& name, FlagArity arity,
               const std::string& value) {
  auto& values = parsed.flags[name];
  if (!values.empty() && arity != FlagArity::many && arity != FlagArity::none) {
    throw CliError::usage("--" + name + " is given more than once");
  }
  values.push_back(value);
}

}  // namespace

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  auto found = flags.find(name);
  if (found == flags.end() || found->second.empty()) return std::nullopt;
  return found->second.back();
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const {
  auto found = flags.find(name);
  return found == flags.end() ? std::vector<std::string>{} : found->second;
}

std::optional<FlagArity> flag_arity(const std::string& name) {
  auto found = kFlags.find(name);
  if (found == kFlags.end()) return std::nullopt;
  return found->second;
}

ParsedArgs parse_args(const std::vector<std::string>& words) {
  ParsedArgs parsed;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "--") {
      parsed.positionals.insert(parsed.positionals.end(), words.begin() + static_cast<long>(i) + 1,
                                words.end());
      break;
    }
    if (!is_flag_word(word)) {
      parsed.positionals.push_back(word);
      continue;
    }
    if (word == "-h") {
      add_value(parsed, "help", FlagArity::none, "true");
      continue;
    }
    const auto equals = word.find('=');
    const std::string name = word.substr(2, equals == std::string::npos ? equals : equals - 2);
    const auto arity = flag_arity(name);
    // Only the name is quoted back: a value might be a secret.
    if (!arity) throw CliError::usage("unknown option --" + name);
    if (equals != std::string::npos) {
      if (*arity == FlagArity::none) throw CliError::usage("--" + name + " takes no value");
      add_value(parsed, name, *arity, word.substr(equals + 1));
      continue;
    }
    switch (*arity) {
      case FlagArity::none:
        add_value(parsed, name, *arity, "true");
        break;
      case FlagArity::optional_bool:
        if (i + 1 < words.size() && (words[i + 1] == "true" || words[i + 1] == "false")) {
          add_value(parsed, name, *arity, words[++i]);
        } else {
          add_value(parsed, name, *arity, "true");
        }
        break;
      case FlagArity::one:
      case FlagArity::many:
        if (i + 1 >= words.size()) throw CliError::usage("--" + name + " needs a value");
        add_value(parsed, name, *arity, words[++i]);
        break;
    }
  }
  return parsed;
}

}  // namespace tessctl
