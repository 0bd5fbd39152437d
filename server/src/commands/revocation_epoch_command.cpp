#include <chrono>
#include <iostream>

#include "commands/commands.hpp"
#include "commands/prerequisites.hpp"
#include "domain/time.hpp"
#include "log/log.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/revocation_epoch_repository.hpp"

namespace tessera::commands {
namespace {

constexpr const char* kUsage =
    "usage: tessera revocation-epoch set <RFC 3339 time | now> [--force]\n"
    "       tessera revocation-epoch show\n"
    "Every token issued before the epoch introspects inactive, on every instance\n"
    "within a second. Run it after restoring the database from a backup.\n"
    "The epoch is stored rounded up to a whole second (a JWT's iat has no\n"
    "fraction) and printed. A time more than 60 s in the future is refused; an\n"
    "epoch lower than the current one (which brings tokens back to life) needs\n"
    "--force.\n";

// How far ahead of this host's clock an epoch may be: a little clock skew
// between hosts, not a schedule (every token issued until then would be
// born dead).
constexpr auto kFutureSkew = std::chrono::seconds(60);

}  // namespace

// After a restore from an older backup, end every token issued
// before the restore (docs/operations.md). Talks to PostgreSQL directly.
int revocation_epoch(const config::Config& config, const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (args.size() == 1 && args[0] == "show") {
    require_migrated(config);
    store::postgres::Pool pool(config.database_url, 1);
    const auto epoch = store::postgres::RevocationEpochRepository(pool).revocation_epoch();
    std::cout << (epoch ? domain::to_rfc3339(*epoch) : std::string("none")) << std::endl;
    return 0;
  }
  if (args.empty() || args[0] != "set" || args.size() < 2 || args.size() > 3 ||
      (args.size() == 3 && args[2] != "--force")) {
    std::cerr << kUsage;
    return 2;
  }
  const bool force = args.size() == 3;
  const auto now = std::chrono::system_clock::now();
  const auto epoch =
      args[1] == "now" ? std::optional<domain::Timestamp>(now) : domain::parse_rfc3339(args[1]);
  if (!epoch) {
    std::cerr << "tessera revocation-epoch set: '" << args[1]
              << "' is not an RFC 3339 time (e.g. 2026-12-07T22:00:00Z) or `now`\n";
    return 2;
  }
  if (*epoch > now + kFutureSkew) {
    std::cerr << "tessera revocation-epoch set: " << domain::to_rfc3339(*epoch)
              << " is in the future; an epoch ends tokens already issued, not later ones\n";
    return 2;
  }
  require_migrated(config);
  store::postgres::Pool pool(config.database_url, 1);
  store::postgres::RevocationEpochRepository store(pool);
  using Result = store::postgres::RevocationEpochRepository::SetResult;
  domain::Timestamp stored = *epoch;
  switch (store.set_revocation_epoch(*epoch, force, &stored)) {
    case Result::lower_refused:
      std::cerr << "tessera revocation-epoch set: " << domain::to_rfc3339(*epoch)
                << " is earlier than the current epoch "
                << domain::to_rfc3339(store.revocation_epoch().value_or(*epoch))
                << "; lowering it makes tokens active again (use --force to do so)\n";
      return 1;
    case Result::unchanged:
      log::info("revocation epoch unchanged", {{"epoch", domain::to_rfc3339(stored)}});
      break;
    case Result::set:
      log::info("revocation epoch set", {{"epoch", domain::to_rfc3339(stored)}});
      break;
  }
  std::cout << domain::to_rfc3339(stored) << std::endl;
  return 0;
}

}  // namespace tessera::commands
