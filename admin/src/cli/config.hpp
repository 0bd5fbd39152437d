// Where tessctl finds the server and its admin key: the only code that
// reads the environment. Flags win over the environment.
#pragma once

#include <string>

#include "cli/args.hpp"

namespace tessctl {

inline constexpr const char* kDefaultUrl = "http://127.0.0.1:8081";

struct Config {
  std::string url;  // the admin listener, e.g. http://127.0.0.1:8081
  std::string key;  // never printed, never put in an error message
};

// TESSCTL_URL / --url and TESSCTL_ADMIN_KEY / --key. A missing or malformed
// key is a usage CliError that does not quote it.
Config read_config(const ParsedArgs& args);

}  // namespace tessctl
