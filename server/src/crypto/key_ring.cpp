#include "crypto/key_ring.hpp"

namespace tessera::crypto {

const SubKey* SubKeyRing::find(domain::MasterKeyId id) const {
  if (id == current_id_) return &current_;
  for (const auto& [number, key] : previous_) {
    if (number == id) return &key;
  }
  return nullptr;
}

SubKeyRing MasterKeyRing::derive(KeyPurpose purpose) const {
  SubKeyRing ring(current_.key.derive(purpose), current_.id);
  for (const auto& previous : previous_)
    ring.add_previous(previous.id, previous.key.derive(purpose));
  return ring;
}

}  // namespace tessera::crypto
