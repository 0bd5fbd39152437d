#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace tessera::commands {

// Each subcommand of `tessera`; each returns the process exit code.
int migrate(const config::Config& config);
int serve(const config::Config& config);
int admin_key(const config::Config& config, const std::vector<std::string>& args);
int revocation_epoch(const config::Config& config, const std::vector<std::string>& args);

}  // namespace tessera::commands
