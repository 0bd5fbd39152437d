#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/connection>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/key_ring.hpp"
#include "domain/types.hpp"

namespace tessera::store::postgres {

// The configured master keys do not fit the database: starting would make
// hashes and keys nobody could verify or open later. The message says what
// to configure.
class MasterKeyMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Numbers the configured master keys (table master_keys), once per start of
// `serve`, `admin-key create` and `rekey`; every hash and sealed key made
// afterwards records its key's number.
//
// - The first time (no key numbered yet), number 1 goes to the configured
//   key that opens the stored signing keys (all made with one key, before
//   keys were numbered), or to the current key on an empty database; none
//   opening them is a MasterKeyMismatch.
// - A current key the database has not seen is numbered only while a
//   previous key it has seen is configured too (a rotation): a mistyped
//   TESSERA_MASTER_KEY is a MasterKeyMismatch, not a new key.
// - Previous keys are numbered as they come: a rolling rotation first runs
//   the new key as a previous one, so that every instance accepts what it
//   makes before one instance makes anything with it.
crypto::MasterKeyRing register_master_keys(pqxx::connection& connection,
                                           const crypto::MasterKey& current,
                                           const std::vector<crypto::MasterKey>& previous);

// What still depends on one numbered master key.
struct MasterKeyUsage {
  domain::MasterKeyId id;
  std::string fingerprint;                            // 16 bytes
  std::int64_t client_secrets = 0;                    // usable generated secrets
  std::int64_t admin_keys = 0;                        // unrevoked
  std::int64_t tokens = 0;                            // usable opaque tokens
  std::optional<domain::Timestamp> tokens_expire_by;  // the last of them
  std::int64_t signing_keys = 0;                      // private halves
};

// One entry per numbered key, in number order.
std::vector<MasterKeyUsage> master_key_usage(pqxx::connection& connection);

struct ResealResult {
  std::int64_t resealed = 0;
  // Keys sealed with a master key that is not configured: "tenant 3, kid …,
  // master key 2". Left as they are.
  std::vector<std::string> unopened;
};

// Re-seals every signing key's private half that is not sealed with the
// current master key, in one transaction, with an audit event.
ResealResult reseal_signing_keys(pqxx::connection& connection, const crypto::MasterKeyRing& keys);

}  // namespace tessera::store::postgres
