#include "admin/admin_authentication.hpp"

#include <cctype>

#include "crypto/credentials.hpp"
#include "crypto/keyed_hash.hpp"

namespace tessera::admin {

std::optional<AuthenticatedKey> authenticate_admin_key(
    store::AdminKeyStore& store, const crypto::SubKeyRing& hash_keys,
    const std::optional<std::string>& authorization) {
  if (!authorization || authorization->size() < 7) return std::nullopt;
  std::string scheme = authorization->substr(0, 7);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return std::nullopt;
  std::string_view token(*authorization);
  token.remove_prefix(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);

  const auto parts = crypto::parse_admin_key(token);
  if (!parts) return std::nullopt;
  const auto stored = store.find_active(domain::AdminKeyId{parts->id});
  if (!stored) return std::nullopt;
  const auto* key = hash_keys.find(stored->master_key);
  if (key == nullptr ||
      !crypto::constant_time_equal(crypto::keyed_hash(*key, parts->secret), stored->key_hash)) {
    return std::nullopt;
  }
  const domain::AdminKeyId id{parts->id};
  if (stored->master_key != hash_keys.current_id()) {
    store.rehash(id, stored->master_key, crypto::keyed_hash(hash_keys.current(), parts->secret),
                 hash_keys.current_id());
  }
  store.touch(id);
  return AuthenticatedKey{domain::Actor{domain::AdminKeyId{parts->id}, stored->tenant},
                          stored->tenant_disabled};
}

std::optional<domain::Actor> authenticate_admin(store::AdminKeyStore& store,
                                                const crypto::SubKeyRing& hash_keys,
                                                const std::optional<std::string>& authorization) {
  auto key = authenticate_admin_key(store, hash_keys, authorization);
  if (!key) return std::nullopt;
  return key->actor;
}

}  // namespace tessera::admin
