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
    domain::Timestamp epoch, bool allow_lower, domain::Timestamp* stored) {
  // Rounded up to a whole second: a JWT's record keeps its `iat`, in whole
  // seconds, so only against a whole-second epoch does "issued before"
  // mean the same for both formats (a JWT with iat < E was issued before
  // E). Up, not down: after a restore, better a token issued in the same
  // second after the command ends too than one issued before it lives on.
  const auto micros = domain::to_unix_micros(epoch);
  const std::int64_t second = 1'000'000;
  const auto whole = micros / second * second;
  epoch = domain::from_unix_micros(whole < micros ? whole + second : whole);
  if (stored) *stored = epoch;
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
