#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/ed25519.hpp"
#include "domain/models.hpp"

namespace tessera::domain {

// A published signing key (JWKS) and, for the active key, its sealed
// private half and, once opened (tokens/jwt_signing_key.hpp), the private
// half itself in guarded memory, freed with the last copy of the view.
struct PublishedKey {
  std::string kid;
  SigningKeyState state = SigningKeyState::next;
  std::string public_key;                               // 32 bytes
  std::string sealed_private_key;                       // only for the active key
  std::optional<crypto::Ed25519SecretKey> private_key;  // only for the active key, opened
};

// What the token endpoint needs to know of a tenant: the tenant, its live
// APIs and its published keys. Immutable once loaded; caches share it
// between threads.
struct TenantView {
  Tenant tenant;
  std::vector<Api> apis;           // not deleted
  std::vector<PublishedKey> keys;  // next, active, then retired
  const PublishedKey* active_key() const;
  const PublishedKey* key_by_kid(const std::string& kid) const;
  const Api* find_api(const std::string& identifier) const;
  const Api* default_api() const;
  const Api* api_by_id(ApiId id) const;
};

// One stored client secret, as checked at authentication.
struct SecretView {
  SecretId id;
  bool imported = false;
  std::string keyed_hash;   // generated: 32-byte keyed BLAKE2b
  std::string argon2_hash;  // imported: Argon2id string
  std::optional<Timestamp> expires_at;
  bool revoked = false;
  bool usable_at(Timestamp now) const { return !revoked && (!expires_at || now < *expires_at); }
};

// A client with its secrets and grants (scopes per API id). Immutable.
struct ClientView {
  Client client;
  std::vector<SecretView> secrets;
  std::map<std::int64_t, std::vector<std::string>> grants;  // api id -> sorted scopes
};

}  // namespace tessera::domain
