#include <iostream>

#include "admin/admin_keys.hpp"
#include "commands/commands.hpp"
#include "commands/prerequisites.hpp"
#include "log/log.hpp"
#include "store/postgres/admin_key_repository.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::commands {
namespace {

constexpr const char* kUsage =
    "usage: tessera admin-key create --superadmin [--name NAME]\n"
    "Creates a superadmin key and prints it once on stdout.\n";

}  // namespace

// The bootstrap path (SPEC §1): the first superadmin key, without HTTP.
int admin_key(const config::Config& config, const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  bool superadmin = false;
  std::string name = "superadmin";
  if (args.empty() || args[0] != "create") {
    std::cerr << kUsage;
    return 2;
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--superadmin") {
      superadmin = true;
    } else if (args[i] == "--name" && i + 1 < args.size()) {
      name = args[++i];
    } else if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "tessera admin-key: unexpected argument '" << args[i] << "'\n" << kUsage;
      return 2;
    }
  }
  if (!superadmin) {
    std::cerr << "tessera admin-key create: only --superadmin keys are made here; "
                 "tenant keys are made with the admin API (POST /admin/v1/admin-keys)\n";
    return 2;
  }
  if (name.empty() || name.size() > 200) {
    std::cerr << "tessera admin-key create: --name must be 1-200 characters\n";
    return 2;
  }
  config::require_master_key(config);
  require_migrated(config);
  const auto master_keys = number_master_keys(config);
  store::postgres::Pool pool(config.database_url, 1);
  store::postgres::AdminKeyRepository store(pool);
  const auto issued =
      admin::issue_admin_key(store, master_keys.derive(crypto::KeyPurpose::admin_key_hash), name,
                             std::nullopt, std::nullopt);
  std::cout << issued.key << std::endl;
  log::info("superadmin key created", {{"id", issued.id.value}, {"name", name}});
  return 0;
}

}  // namespace tessera::commands
