#include "cli/config.hpp"

#include <cstdlib>

#include "cli/error.hpp"

namespace tessctl {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

Config read_config(const ParsedArgs& args) {
  Config config;
  config.url = args.value("url").value_or(env_or("TESSCTL_URL", kDefaultUrl));
  config.key = args.value("key").value_or(env_or("TESSCTL_ADMIN_KEY", ""));
  if (config.url.empty()) throw CliError::usage("--url is empty");
  if (config.key.empty()) {
    throw CliError::usage("no admin key: set TESSCTL_ADMIN_KEY or pass --key");
  }
  // The key goes into a header line: a control character or a space would
  // split or corrupt it. Say so without echoing any of the key.
  for (const char c : config.key) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      throw CliError::usage("the admin key holds a space or a control character");
    }
  }
  return config;
}

}  // namespace tessctl
