#include <algorithm>
#include <cstddef>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands/commands.hpp"
#include "log/log.hpp"
#include "store/postgres/migrator.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::commands {
namespace {

using store::postgres::MigrationState;

// `tessera migrate status` exits with this when anything is pending, so a
// CI/CD step can gate on it (docs/operations.md, "Upgrades").
constexpr int kExitPending = 3;

std::string note_of(const MigrationState& m) {
  std::string note;
  if (m.state == MigrationState::State::edited) note = "edited after it was applied";
  if (m.state == MigrationState::State::newer) note = "from a newer release";
  if (m.breaks_older_servers)
    note += std::string(note.empty() ? "" : "; ") + "breaks older servers";
  return note;
}

void print_table(const std::vector<MigrationState>& migrations) {
  std::size_t width = std::string("MIGRATION").size();
  for (const auto& m : migrations) width = std::max(width, m.name.size());
  const auto pad = [](const std::string& text, std::size_t to) {
    return text + std::string(to > text.size() ? to - text.size() : 0, ' ');
  };
  std::cout << pad("MIGRATION", width) << "  " << pad("STATE", 7) << "  " << pad("APPLIED AT", 20)
            << "  NOTE\n";
  for (const auto& m : migrations) {
    std::string line = pad(m.name, width) + "  " + pad(to_string(m.state), 7) + "  " +
                       pad(m.applied_at.empty() ? "-" : m.applied_at, 20) + "  " + note_of(m);
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << '\n';
  }
}

void print_json(const std::vector<MigrationState>& migrations) {
  auto rows = nlohmann::json::array();
  for (const auto& m : migrations) {
    rows.push_back(
        {{"name", m.name},
         {"state", to_string(m.state)},
         {"applied_at", m.applied_at.empty() ? nlohmann::json() : nlohmann::json(m.applied_at)},
         {"breaks_older_servers", m.breaks_older_servers}});
  }
  std::cout << nlohmann::json{{"migrations", rows}}.dump(2) << '\n';
}

// Exit 0 when nothing is pending, kExitPending when something is, 1 when an
// applied file was edited (the list is printed either way).
int status(const config::Config& config, bool json) {
  auto connection = store::postgres::connect(config.database_url);
  store::postgres::Migrator migrator(*connection, store::postgres::embedded_migrations());
  const auto migrations = migrator.status();
  json ? print_json(migrations) : print_table(migrations);
  const auto count = [&](MigrationState::State state) {
    return std::count_if(migrations.begin(), migrations.end(),
                         [&](const MigrationState& m) { return m.state == state; });
  };
  if (const auto edited = count(MigrationState::State::edited); edited > 0) {
    log::error("migration(s) edited after they were applied: add a new migration instead",
               {{"edited", edited}});
    return 1;
  }
  return count(MigrationState::State::pending) > 0 ? kExitPending : 0;
}

}  // namespace

int migrate(const config::Config& config, const std::vector<std::string>& args) {
  if (!args.empty()) {
    const bool json = args.size() == 2 && args[1] == "--json";
    if (args[0] != "status" || (args.size() > 1 && !json)) {
      std::cerr << "usage: tessera migrate [status [--json]]\n";
      return 2;
    }
    return status(config, json);
  }
  auto connection = store::postgres::connect(config.database_url);
  store::postgres::Migrator migrator(*connection, store::postgres::embedded_migrations());
  const auto applied = migrator.apply();
  for (const auto& name : applied) log::info("migration applied", {{"migration", name}});
  log::info(applied.empty() ? "database is up to date" : "migrations complete",
            {{"applied", applied.size()}});
  return 0;
}

}  // namespace tessera::commands
