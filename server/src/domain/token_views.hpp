#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "crypto/ed25519.hpp"
#include "crypto/pkey.hpp"
#include "crypto/public_jwk.hpp"
#include "domain/models.hpp"

namespace tessera::domain {

// A published signing key (JWKS) and, for the active key, its sealed
// private half. When the view is loaded (tokens/jwt_signing_key.hpp) its
// public half is read once into what verifying and publishing need, and an
// active key that signs is opened: Ed25519 into guarded memory, ES256 and
// RS256 into an OpenSSL key, freed with the last copy of the view.
struct PublishedKey {
  std::string kid;
  SigningAlg alg = kDefaultSigningAlg;
  SigningKeyState state = SigningKeyState::next;
  std::string public_key;          // as stored: Ed25519 32 bytes, else DER SubjectPublicKeyInfo
  std::string sealed_private_key;  // only for the active key
  MasterKeyId master_key = kFirstMasterKey;  // the master key it is sealed with
  // Read when the view is loaded:
  nlohmann::json jwk_members;                           // kty, crv/x/y or n/e; null if unreadable
  std::optional<crypto::PublicPkey> public_pkey;        // ES256, RS256: for verifying
  std::optional<crypto::Ed25519SecretKey> private_key;  // EdDSA active key, opened
  std::optional<crypto::PrivatePkey> private_pkey;      // ES256, RS256 active key, opened
};

// What the token endpoint needs to know of a tenant: the tenant, its live
// APIs and its published keys. Immutable once loaded; caches share it
// between threads.
struct TenantView {
  Tenant tenant;
  std::vector<Api> apis;           // not deleted
  std::vector<PublishedKey> keys;  // by algorithm: next, active, then retired
  const PublishedKey* active_key(SigningAlg alg = kDefaultSigningAlg) const;
  const PublishedKey* key_by_kid(const std::string& kid) const;
  const Api* find_api(const std::string& identifier) const;
  const Api* default_api() const;
  const Api* api_by_id(ApiId id) const;
};

// One stored client secret, as checked at authentication.
struct SecretView {
  SecretId id;
  bool imported = false;
  std::string keyed_hash;                    // generated: 32-byte keyed BLAKE2b
  MasterKeyId master_key = kFirstMasterKey;  // whose sub-key keyed it
  std::string argon2_hash;                   // imported: Argon2id string
  std::optional<Timestamp> expires_at;
  bool revoked = false;
  bool usable_at(Timestamp now) const { return !revoked && (!expires_at || now < *expires_at); }
};

// A generated secret that verified under an earlier master key, and its
// keyed hash under the current one (to be stored in its place).
struct SecretRehash {
  MasterKeyId from;
  std::string keyed_hash;
  MasterKeyId to;
};

// A client with its secrets and grants (scopes per API id). Immutable.
struct ClientView {
  Client client;
  std::vector<SecretView> secrets;
  // Keys registered for private_key_jwt (RFC 7523), read once at load; a
  // stored JWK that no longer reads is left out.
  std::vector<crypto::PublicJwk> keys;
  std::map<std::int64_t, std::vector<std::string>> grants;  // api id -> sorted scopes
  // api id -> the grant's custom claims, for grants that have any.
  std::map<std::int64_t, nlohmann::json> grant_claims;

  // The custom claims of its tokens for `api` (docs/oauth.md, "Custom
  // claims"): the client's, with the grant's over them.
  nlohmann::json claims_for(ApiId api) const;
};

}  // namespace tessera::domain
