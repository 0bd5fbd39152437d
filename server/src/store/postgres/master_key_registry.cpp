#include "store/postgres/master_key_registry.hpp"

#include <sodium.h>

#include <limits>
#include <map>
#include <pqxx/pqxx>

#include "crypto/hex.hpp"
#include "crypto/sealed.hpp"
#include "crypto/signing_keys.hpp"
#include "domain/time.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

const crypto::MasterKey* find_by_fingerprint(const crypto::MasterKey& current,
                                             const std::vector<crypto::MasterKey>& previous,
                                             const std::string& fingerprint) {
  if (current.fingerprint() == fingerprint) return &current;
  for (const auto& key : previous) {
    if (key.fingerprint() == fingerprint) return &key;
  }
  return nullptr;
}

// The configured key that opens a signing key sealed before keys were
// numbered, or null when there is none to open.
const crypto::MasterKey* first_key(pqxx::work& tx, const crypto::MasterKey& current,
                                   const std::vector<crypto::MasterKey>& previous) {
  const auto rows = tx.exec(sql::kSelectUnnumberedSealedKey);
  if (rows.empty()) return &current;
  const domain::TenantId tenant{rows[0][0].as<std::int64_t>()};
  const auto kid = rows[0][1].as<std::string>();
  const auto sealed = bytea_of(rows[0][2]);
  const auto associated = crypto::signing_key_associated_data(tenant, kid);
  auto opens = [&](const crypto::MasterKey& key) {
    auto opened =
        crypto::open_sealed(key.derive(crypto::KeyPurpose::signing_key_seal), sealed, associated);
    if (!opened) return false;
    sodium_memzero(opened->data(), opened->size());
    return true;
  };
  if (opens(current)) return &current;
  for (const auto& key : previous) {
    if (opens(key)) return &key;
  }
  throw MasterKeyMismatch(
      "none of the configured master keys (TESSERA_MASTER_KEY, TESSERA_PREVIOUS_MASTER_KEYS) "
      "opens the stored signing keys: configure the key this database was made with");
}

std::int16_t next_number(const std::map<std::int16_t, std::string>& numbered) {
  const int next = numbered.empty() ? 1 : numbered.rbegin()->first + 1;
  if (next > std::numeric_limits<std::int16_t>::max()) {
    throw MasterKeyMismatch("master_keys has no number left");
  }
  return static_cast<std::int16_t>(next);
}

}  // namespace

crypto::MasterKeyRing register_master_keys(pqxx::connection& connection,
                                           const crypto::MasterKey& current,
                                           const std::vector<crypto::MasterKey>& previous) {
  pqxx::work tx(connection);
  tx.exec(sql::kLockMasterKeys);
  std::map<std::int16_t, std::string> numbered;  // number -> fingerprint
  for (const auto& row : tx.exec(sql::kSelectMasterKeys)) {
    numbered[row[0].as<std::int16_t>()] = bytea_of(row[1]);
  }
  auto add = [&](const crypto::MasterKey& key) {
    const auto number = next_number(numbered);
    tx.exec_params(sql::kInsertMasterKey, number, pqxx::binarystring(key.fingerprint()));
    numbered[number] = key.fingerprint();
  };
  if (numbered.empty()) add(*first_key(tx, current, previous));

  const auto current_fingerprint = current.fingerprint();
  bool current_known = false;
  bool previous_known = false;
  for (const auto& [number, fingerprint] : numbered) {
    if (fingerprint == current_fingerprint) {
      current_known = true;
    } else if (find_by_fingerprint(current, previous, fingerprint)) {
      previous_known = true;
    }
  }
  if (!current_known) {
    if (!previous_known) {
      throw MasterKeyMismatch(
          "TESSERA_MASTER_KEY is not a master key this database knows; to rotate to a new key, "
          "name the current one in TESSERA_PREVIOUS_MASTER_KEYS");
    }
    add(current);
  }
  // Previous keys are numbered too, even before they made anything: the
  // first step of a rolling rotation runs the old key as current and the
  // new one as previous, so that every instance accepts what the new key
  // makes before any instance makes it.
  for (const auto& key : previous) {
    const auto fingerprint = key.fingerprint();
    bool known = false;
    for (const auto& [number, stored] : numbered) known = known || stored == fingerprint;
    if (!known) add(key);
  }
  tx.commit();

  std::optional<crypto::NumberedMasterKey> numbered_current;
  std::vector<crypto::NumberedMasterKey> numbered_previous;
  for (const auto& [number, fingerprint] : numbered) {
    const domain::MasterKeyId id{number};
    if (fingerprint == current_fingerprint) {
      numbered_current = crypto::NumberedMasterKey{id, current};
    } else if (const auto* key = find_by_fingerprint(current, previous, fingerprint)) {
      numbered_previous.push_back({id, *key});
    }
  }
  return crypto::MasterKeyRing(std::move(*numbered_current), std::move(numbered_previous));
}

std::vector<MasterKeyUsage> master_key_usage(pqxx::connection& connection) {
  // One snapshot, so the counts add up to one moment.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(connection);
  std::map<std::int16_t, MasterKeyUsage> usage;
  for (const auto& row : tx.exec(sql::kSelectMasterKeys)) {
    auto& entry = usage[row[0].as<std::int16_t>()];
    entry.id = domain::MasterKeyId{row[0].as<std::int16_t>()};
    entry.fingerprint = bytea_of(row[1]);
  }
  auto count = [&](const char* query, std::int64_t MasterKeyUsage::*field) {
    for (const auto& row : tx.exec(query)) {
      auto it = usage.find(row[0].as<std::int16_t>());
      if (it != usage.end()) it->second.*field = row[1].as<std::int64_t>();
    }
  };
  count(sql::kCountSecretsByMasterKey, &MasterKeyUsage::client_secrets);
  count(sql::kCountAdminKeysByMasterKey, &MasterKeyUsage::admin_keys);
  count(sql::kCountSigningKeysByMasterKey, &MasterKeyUsage::signing_keys);
  for (const auto& row : tx.exec(sql::kCountTokensByMasterKey)) {
    auto it = usage.find(row[0].as<std::int16_t>());
    if (it == usage.end()) continue;
    it->second.tokens = row[1].as<std::int64_t>();
    it->second.tokens_expire_by = domain::from_unix_micros(row[2].as<std::int64_t>());
  }
  std::vector<MasterKeyUsage> out;
  for (auto& [number, entry] : usage) out.push_back(std::move(entry));
  return out;
}

ResealResult reseal_signing_keys(pqxx::connection& connection, const crypto::MasterKeyRing& keys) {
  const auto seal_keys = keys.derive(crypto::KeyPurpose::signing_key_seal);
  const auto current = seal_keys.current_id();
  ResealResult result;
  pqxx::work tx(connection);
  for (const auto& row : tx.exec_params(sql::kSelectKeysToReseal, current.value)) {
    const domain::TenantId tenant{row[0].as<std::int64_t>()};
    const auto kid = row[1].as<std::string>();
    const domain::MasterKeyId made_with{row[3].as<std::int16_t>()};
    const auto associated = crypto::signing_key_associated_data(tenant, kid);
    const auto* key = seal_keys.find(made_with);
    auto opened = key ? crypto::open_sealed(*key, bytea_of(row[2]), associated) : std::nullopt;
    if (!opened) {
      result.unopened.push_back("tenant " + std::to_string(tenant.value) + ", kid " + kid +
                                ", master key " + std::to_string(made_with.value) +
                                (key ? " (does not open)" : " (not configured)"));
      continue;
    }
    const auto resealed = crypto::seal(seal_keys.current(), *opened, associated);
    sodium_memzero(opened->data(), opened->size());
    tx.exec_params(sql::kUpdateSealedKey, tenant.value, kid, pqxx::binarystring(resealed),
                   current.value);
    ++result.resealed;
  }
  tx.exec_params(sql::kInsertRekeyAuditEvent, std::to_string(current.value), result.resealed);
  tx.commit();
  return result;
}

}  // namespace tessera::store::postgres
