// tessera: subcommand dispatch only.
#include <sodium.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "commands/commands.hpp"
#include "commands/core_dumps.hpp"
#include "config/config.hpp"
#include "config/cpu_quota.hpp"
#include "log/log.hpp"

namespace {

constexpr const char* kUsage = R"(usage: tessera <command>

commands:
  migrate                                   apply pending database migrations
  migrate status [--json]                   list migrations; exit 0 up to date, 3 pending, 1 error
  serve                                     run the public and admin listeners
  admin-key create --superadmin [--name N]  create a superadmin key and print it once
  revocation-epoch set <time|now> [--force] end every token issued before <time>
  revocation-epoch show                     print the revocation epoch (or "none")
  rekey [--json]                            re-seal signing keys under the current master key
                                            and report what depends on each master key

Configuration comes from TESSERA_* environment variables (see README.md).
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace tessera;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string& command = args[0];
  if (command != "migrate" && command != "serve" && command != "admin-key" &&
      command != "revocation-epoch" && command != "rekey") {
    std::cerr << "tessera: unknown command '" << command << "' (see tessera --help)\n";
    return 2;
  }
  // Help needs no configuration.
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      if (command == "admin-key") return tessera::commands::admin_key({}, {"--help"});
      if (command == "revocation-epoch") return commands::revocation_epoch({}, {"--help"});
      if (command == "rekey") return commands::rekey({}, {"--help"});
      std::cout << kUsage;
      return 0;
    }
  }
  if (sodium_init() < 0) {
    std::cerr << "tessera: libsodium failed to initialise\n";
    return 1;
  }
  // A client that disconnects mid-write must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);

  const auto env = config::process_environment();
  config::Config config;
  try {
    config = config::load_config(env, config::available_cores());
    log::setup(config.log_format, config.log_level);
  } catch (const config::ConfigError& e) {
    // Exactly one line naming the variable (SPEC §2), in the log format asked
    // for even when another variable is what is wrong.
    log::setup(config::peek_log_format(env), config::LogLevel::info);
    log::error(e.what(), {{"variable", e.variable()}});
    return 1;
  }

  try {
    // Every command may hold the master key (load_config parses it whenever
    // it is set) and holds the database URL, so none leaves a core file
    // unless asked to (SPEC §2).
    if (config.allow_core_dumps) {
      log::warn("core dumps allowed: a core file may hold secrets",
                {{"variable", "TESSERA_ALLOW_CORE_DUMPS"}});
    } else {
      commands::disable_core_dumps();
    }
    if (command == "migrate") return commands::migrate(config, {args.begin() + 1, args.end()});
    if (command == "serve") return commands::serve(config);
    if (command == "revocation-epoch") {
      return commands::revocation_epoch(config, {args.begin() + 1, args.end()});
    }
    if (command == "rekey") return commands::rekey(config, {args.begin() + 1, args.end()});
    return commands::admin_key(config, {args.begin() + 1, args.end()});
  } catch (const config::ConfigError& e) {
    log::error(e.what(), {{"variable", e.variable()}});
    return 1;
  } catch (const std::exception& e) {
    log::error(std::string(command) + " failed", {{"error", e.what()}});
    return 1;
  }
}
