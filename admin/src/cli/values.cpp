#include "cli/values.hpp"

#include <optional>

#include "cli/error.hpp"

namespace tessctl {
namespace {

// Large enough for any lifetime the server accepts (30 days), small enough
// that no arithmetic below overflows.
constexpr long kMaxSeconds = 100L * 365 * 24 * 3600;

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Digits within kMaxSeconds, else nullopt.
std::optional<long> small_number(const std::string& digits) {
  if (!all_digits(digits) || digits.size() > 12) return std::nullopt;
  const long value = std::stol(digits);
  if (value > kMaxSeconds) return std::nullopt;
  return value;
}

}  // namespace

long parse_duration(const std::string& flag, const std::string& text) {
  const auto bad = [&] {
    return CliError::usage("--" + flag + ": '" + text +
                           "' is not a duration (seconds, or a number with s, m, h or d: 30s, 15m, "
                           "1h, 7d)");
  };
  if (text.empty()) throw bad();
  long unit = 1;
  std::string digits = text;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      unit = 0;
      break;
  }
  if (unit != 0) digits.pop_back();
  const auto number = small_number(digits);
  if (!number) throw bad();
  const long seconds = *number * (unit == 0 ? 1 : unit);
  if (seconds > kMaxSeconds) throw bad();
  return seconds;
}

nlohmann::json parse_ttl(const std::string& flag, const std::string& text, bool allow_none) {
  if (allow_none && text == "none") return nullptr;
  return parse_duration(flag, text);
}

bool parse_bool(const std::string& flag, const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  throw CliError::usage("--" + flag + ": must be true or false");
}

nlohmann::json parse_choice(const std::string& flag, const std::string& text,
                            const std::vector<std::string>& choices, bool allow_none) {
  if (allow_none && text == "none") return nullptr;
  std::string listed;
  for (const auto& choice : choices) {
    if (text == choice) return choice;
    listed += (listed.empty() ? "" : ", ") + choice;
  }
  if (allow_none) listed += " or none";
  throw CliError::usage("--" + flag + ": must be one of " + listed);
}

nlohmann::json parse_signing_alg(const std::string& flag, const std::string& text,
                                 bool allow_inherit) {
  if (allow_inherit && text == "inherit") return nullptr;
  if (text == "none") {
    throw CliError::usage("--" + flag + ": tokens are always signed" +
                          (allow_inherit ? "; inherit clears the setting" : ""));
  }
  static const std::vector<std::string> kAlgorithms = {"EdDSA", "ES256", "RS256"};
  for (const auto& algorithm : kAlgorithms) {
    if (text == algorithm) return algorithm;
  }
  throw CliError::usage("--" + flag + ": must be one of EdDSA, ES256, RS256" +
                        (allow_inherit ? " or inherit" : ""));
}

long parse_limit(const std::string& flag, const std::string& text) {
  const auto number = small_number(text);
  if (!number || *number < 1)
    throw CliError::usage("--" + flag + ": must be a whole number from 1");
  return *number;
}

nlohmann::json parse_claims(const std::string& flag, const std::string& text) {
  const auto claims = nlohmann::json::parse(text, nullptr, false);
  if (!claims.is_object()) {
    throw CliError::usage("--" + flag + ": must be a JSON object, such as '{\"tier\":\"gold\"}'");
  }
  return claims;
}

nlohmann::json parse_scope(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos) return {{"value", text}};
  return {{"value", text.substr(0, equals)}, {"description", text.substr(equals + 1)}};
}

}  // namespace tessctl
