#pragma once

#include <optional>

#include "domain/types.hpp"

namespace tessera::store {

// The global revocation epoch (migrations/0005_revocation_epoch.sql): every
// token issued before it is inactive. Set by `tessera revocation-epoch set`
// after a restore; read by cache::TokenStatusCache.
class RevocationEpochStore {
 public:
  virtual ~RevocationEpochStore() = default;
  // None: no epoch was ever set.
  virtual std::optional<domain::Timestamp> revocation_epoch() = 0;
};

}  // namespace tessera::store
