#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace tessera::commands {

// Each subcommand of `tessera`; each returns the process exit code.
// `migrate` applies what is pending; `migrate status [--json]` lists every
// migration and exits 0 (nothing pending), 3 (something pending) or 1.
int migrate(const config::Config& config, const std::vector<std::string>& args);
int serve(const config::Config& config);
int admin_key(const config::Config& config, const std::vector<std::string>& args);
int revocation_epoch(const config::Config& config, const std::vector<std::string>& args);
// `rekey [--json]`: re-seals every signing key under the current master key
// and reports what still depends on each master key; exit 0, or 1 when a
// signing key could not be re-sealed.
int rekey(const config::Config& config, const std::vector<std::string>& args);

}  // namespace tessera::commands
