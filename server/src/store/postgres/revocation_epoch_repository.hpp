#pragma once

#include "store/postgres/pool.hpp"
#include "store/revocation_epoch_store.hpp"

namespace tessera::store::postgres {

class RevocationEpochRepository : public RevocationEpochStore {
 public:
  explicit RevocationEpochRepository(Pool& pool) : pool_(pool) {}
  std::optional<domain::Timestamp> revocation_epoch() override;

  enum class SetResult { set, unchanged, lower_refused };
  // Stores `epoch`, rounded up to a whole second, and writes an audit event (tenant 0, no actor
  // key), in one transaction whose commit announces it to every instance. An epoch lower than the
  // current one would bring tokens back to life: refused unless `allow_lower`. Returns what
  // happened and, in `stored`, the epoch as stored.
  SetResult set_revocation_epoch(domain::Timestamp epoch, bool allow_lower,
                                 domain::Timestamp* stored = nullptr);

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
