#include "store/postgres/revocation_epoch_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

std::optional<domain::Timestamp> read_epoch(pqxx::transaction_base& tx) {
  const auto rows = tx.exec(sql::kSelectRevocationEpoch);
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
    tx.exec(sql::kLockRevocationEpoch);
    const auto previous = read_epoch(tx);
    if (previous && *previous == epoch) return SetResult::unchanged;
    if (previous && epoch < *previous && !allow_lower) return SetResult::lower_refused;
    tx.exec_params(sql::kUpsertRevocationEpoch, domain::to_unix_micros(epoch));
    const std::optional<std::string> previous_text =
        previous ? std::optional<std::string>(domain::to_rfc3339(*previous)) : std::nullopt;
    tx.exec_params(sql::kInsertEpochAuditEvent, domain::to_rfc3339(epoch), previous_text);
    tx.commit();
    return SetResult::set;
  });
}

}  // namespace tessera::store::postgres
