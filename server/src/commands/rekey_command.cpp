#include <iostream>
#include <nlohmann/json.hpp>

#include "commands/commands.hpp"
#include "commands/prerequisites.hpp"
#include "crypto/hex.hpp"
#include "domain/time.hpp"
#include "log/log.hpp"
#include "store/postgres/master_key_registry.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::commands {
namespace {

constexpr const char* kUsage =
    "usage: tessera rekey [--json]\n"
    "Re-seals every signing key under the current master key (TESSERA_MASTER_KEY)\n"
    "and reports, for each master key the database knows, how many client\n"
    "secrets, admin keys and unexpired opaque tokens still depend on it. A key\n"
    "in TESSERA_PREVIOUS_MASTER_KEYS can be removed once nothing depends on it;\n"
    "client secrets and admin keys move to the current key when next used,\n"
    "tokens when they expire. Exit 0, or 1 when a signing key could not be\n"
    "re-sealed.\n";

// One numbered key with where it is configured, if anywhere.
struct Row {
  store::postgres::MasterKeyUsage usage;
  std::string configured_as;  // "TESSERA_MASTER_KEY", "TESSERA_PREVIOUS_MASTER_KEYS[2]", ""
  bool current = false;

  std::int64_t dependents() const {
    return usage.client_secrets + usage.admin_keys + usage.tokens + usage.signing_keys;
  }
  // What the operator may do about the key.
  std::string verdict() const {
    if (current) return "current";
    if (!configured_as.empty()) return dependents() > 0 ? "still needed" : "can be removed";
    return dependents() > 0 ? "not configured: what depends on it fails" : "retired";
  }
};

std::string short_fingerprint(const std::string& fingerprint) {
  return crypto::to_hex(fingerprint.substr(0, 8));
}

std::vector<Row> rows_of(const config::Config& config, const crypto::MasterKeyRing& keys,
                         const std::vector<store::postgres::MasterKeyUsage>& usage) {
  std::vector<Row> rows;
  for (const auto& entry : usage) {
    Row row{entry, "", entry.id == keys.current().id};
    if (row.current) {
      row.configured_as = "TESSERA_MASTER_KEY";
    } else {
      for (std::size_t i = 0; i < config.previous_master_keys.size(); ++i) {
        if (config.previous_master_keys[i].fingerprint() == entry.fingerprint) {
          row.configured_as = "TESSERA_PREVIOUS_MASTER_KEYS[" + std::to_string(i + 1) + "]";
          break;
        }
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void print_table(const store::postgres::ResealResult& resealed, const std::vector<Row>& rows) {
  std::cout << "re-sealed " << resealed.resealed
            << " signing key(s) under the current master key\n\n";
  const std::vector<std::string> head = {"NUMBER",           "CONFIGURED AS", "FINGERPRINT",
                                         "CLIENT SECRETS",   "ADMIN KEYS",    "TOKENS",
                                         "TOKENS EXPIRE BY", "SIGNING KEYS",  "STATUS"};
  std::vector<std::vector<std::string>> lines = {head};
  for (const auto& row : rows) {
    const auto& u = row.usage;
    lines.push_back({std::to_string(u.id.value),
                     row.configured_as.empty() ? "-" : row.configured_as,
                     short_fingerprint(u.fingerprint), std::to_string(u.client_secrets),
                     std::to_string(u.admin_keys), std::to_string(u.tokens),
                     u.tokens_expire_by ? domain::to_rfc3339(*u.tokens_expire_by) : "-",
                     std::to_string(u.signing_keys), row.verdict()});
  }
  std::vector<std::size_t> widths(head.size(), 0);
  for (const auto& line : lines) {
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      text += line[i];
      if (i + 1 < line.size()) text += std::string(widths[i] - line[i].size() + 2, ' ');
    }
    std::cout << text << '\n';
  }
}

void print_json(const store::postgres::ResealResult& resealed, const std::vector<Row>& rows) {
  auto keys = nlohmann::json::array();
  for (const auto& row : rows) {
    const auto& u = row.usage;
    keys.push_back(
        {{"number", u.id.value},
         {"configured_as",
          row.configured_as.empty() ? nlohmann::json() : nlohmann::json(row.configured_as)},
         {"fingerprint", crypto::to_hex(u.fingerprint)},
         {"client_secrets", u.client_secrets},
         {"admin_keys", u.admin_keys},
         {"unexpired_tokens", u.tokens},
         {"tokens_expire_by", u.tokens_expire_by
                                  ? nlohmann::json(domain::to_rfc3339(*u.tokens_expire_by))
                                  : nlohmann::json()},
         {"signing_keys", u.signing_keys},
         {"status", row.verdict()}});
  }
  std::cout
      << nlohmann::json{{"resealed_signing_keys", resealed.resealed}, {"master_keys", keys}}.dump(2)
      << '\n';
}

}  // namespace

// Master-key rotation (docs/operations.md, "Rotating the master key").
// Talks to PostgreSQL directly.
int rekey(const config::Config& config, const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  const bool json = args.size() == 1 && args[0] == "--json";
  if (!args.empty() && !json) {
    std::cerr << kUsage;
    return 2;
  }
  config::require_master_key(config);
  require_migrated(config);
  const auto keys = number_master_keys(config);
  auto connection = store::postgres::connect(config.database_url);
  const auto resealed = store::postgres::reseal_signing_keys(*connection, keys);
  const auto rows = rows_of(config, keys, store::postgres::master_key_usage(*connection));
  json ? print_json(resealed, rows) : print_table(resealed, rows);
  log::info("signing keys re-sealed under the current master key",
            {{"resealed", resealed.resealed}, {"unopened", resealed.unopened.size()}});
  for (const auto& key : resealed.unopened) {
    log::error("signing key not re-sealed: its master key is not configured or does not open it",
               {{"key", key}});
  }
  return resealed.unopened.empty() ? 0 : 1;
}

}  // namespace tessera::commands
