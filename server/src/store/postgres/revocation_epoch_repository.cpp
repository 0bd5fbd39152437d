#include "store/postgres/revocation_epoch_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"

namespace tessera::store::postgres {
namespace {

constexpr const char* kSelectEpoch =
    "SELECT (extract(epoch FROM epoch) * 1000000)::bigint FROM revocation_epoch";
// Serialises concurrent setters, so the "not lower" check holds.
constexpr const char* kLockEpoch = "LOCK TABLE revocation_epoch IN SHARE ROW EXCLUSIVE MODE";
constexpr const char* kUpsertEpoch = R"(
INSERT INTO revocation_epoch (only_row, epoch, set_at)
VALUES (true, 'epoch'::timestamptz + $1::bigint * interval '1 microsecond', now())
ON CONFLICT (only_row) DO UPDATE SET epoch = excluded.epoch, set_at = excluded.set_at)";
constexpr const char* kInsertAudit = R"(
INSERT INTO audit_events (tenant_id, actor_key_id, action, target_type, target_id, details)
VALUES (0, NULL, 'revocation_epoch.set', 'revocation_epoch', 'global',
        jsonb_build_object('epoch', $1::text, 'previous', $2::text)))";

std::optional<domain::Timestamp> read_epoch(pqxx::transaction_base& tx) {
  const auto rows = tx.exec(kSelectEpoch);
  if (rows.empty()) return std::nullopt;
  return domain::from_unix_micros(rows[0][0].as<std::int64_t>());
}

}  // namespace

std::optional<domain::Timestamp> RevocationEpochRepository::revocation_epoch() {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return read_epoch(tx);
  });
}

RevocationEpochRepository::SetResult RevocationEpochRepository::set_revocation_epoch(
    domain::Timestamp epoch, bool allow_lower) {
  // Microseconds, as PostgreSQL stores it.
  epoch = domain::from_unix_micros(domain::to_unix_micros(epoch));
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec(kLockEpoch);
    const auto previous = read_epoch(tx);
    if (previous && *previous == epoch) return SetResult::unchanged;
    if (previous && epoch < *previous && !allow_lower) return SetResult::lower_refused;
    tx.exec_params(kUpsertEpoch, domain::to_unix_micros(epoch));
    const std::optional<std::string> previous_text =
        previous ? std::optional<std::string>(domain::to_rfc3339(*previous)) : std::nullopt;
    tx.exec_params(kInsertAudit, domain::to_rfc3339(epoch), previous_text);
    tx.commit();
    return SetResult::set;
  });
}

}  // namespace tessera::store::postgres
