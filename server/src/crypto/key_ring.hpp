#pragma once

#include <string>
#include <utility>
#include <vector>

#include "crypto/master_key.hpp"
#include "domain/types.hpp"

namespace tessera::crypto {

// The sub-keys of one purpose under every configured master key
// (TESSERA_MASTER_KEY and TESSERA_PREVIOUS_MASTER_KEYS), each with the
// number its master key has in the database. What is made now is made with
// the current one and records its number; what is checked is checked with
// the key its row names.
class SubKeyRing {
 public:
  explicit SubKeyRing(SubKey current, domain::MasterKeyId current_id = domain::kFirstMasterKey)
      : current_(std::move(current)), current_id_(current_id) {}

  void add_previous(domain::MasterKeyId id, SubKey key) {
    previous_.emplace_back(id, std::move(key));
  }

  const SubKey& current() const { return current_; }
  domain::MasterKeyId current_id() const { return current_id_; }

  // The sub-key of the master key numbered `id`; null when that key is not
  // configured (what it made no longer verifies or opens).
  const SubKey* find(domain::MasterKeyId id) const;
  // The previous keys' sub-keys, for what names no key (a DPoP nonce).
  const std::vector<std::pair<domain::MasterKeyId, SubKey>>& previous() const { return previous_; }

 private:
  SubKey current_;
  domain::MasterKeyId current_id_;
  std::vector<std::pair<domain::MasterKeyId, SubKey>> previous_;
};

// A configured master key and its number in the database.
struct NumberedMasterKey {
  domain::MasterKeyId id;
  MasterKey key;
};

// The configured master keys, numbered (store/postgres/master_key_registry).
class MasterKeyRing {
 public:
  MasterKeyRing(NumberedMasterKey current, std::vector<NumberedMasterKey> previous)
      : current_(std::move(current)), previous_(std::move(previous)) {}

  SubKeyRing derive(KeyPurpose purpose) const;

  const NumberedMasterKey& current() const { return current_; }
  const std::vector<NumberedMasterKey>& previous() const { return previous_; }

 private:
  NumberedMasterKey current_;
  std::vector<NumberedMasterKey> previous_;
};

}  // namespace tessera::crypto
