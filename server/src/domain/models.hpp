#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/types.hpp"

namespace tessera::domain {

// The admin resources as the domain sees them. Optional settings left unset
// are nullopt: the effective value applies (tenant TTL 3600 s, format opaque).

struct Tenant {
  TenantId id;
  std::string slug;
  std::string name;
  std::optional<int> default_token_ttl;
  std::optional<TokenFormat> token_format;
  std::optional<SigningAlg> signing_alg;
  std::vector<std::string> domains;
  Status status = Status::active;
  Timestamp created_at;
  Timestamp updated_at;
};

struct ApiScope {
  std::string value;
  std::string description;
};

struct Api {
  TenantId tenant_id;
  ApiId id;
  std::string identifier;
  std::string name;
  std::vector<ApiScope> scopes;  // sorted by value
  std::optional<int> token_ttl;
  std::optional<TokenFormat> token_format;
  std::optional<SigningAlg> signing_alg;
  bool is_default = false;
  Timestamp created_at;
  Timestamp updated_at;
};

struct Client {
  TenantId tenant_id;
  ClientId client_id;
  std::string name;
  std::optional<int> token_ttl;
  bool can_introspect = false;
  Status status = Status::active;
  ClientAuthMethod auth_method = ClientAuthMethod::client_secret_basic;
  std::optional<std::string> jwks_uri;  // where it publishes its keys (private_key_jwt)
  DpopMode dpop = DpopMode::allowed;    // DPoP-bound tokens (RFC 9449)
  bool dpop_nonce = false;              // its DPoP proofs must carry a server nonce
  // Static claims its tokens carry (domain/custom_claims.hpp): an object.
  nlohmann::json claims = nlohmann::json::object();
  Timestamp created_at;
  Timestamp updated_at;
};

struct Grant {
  ClientId client_id;
  ApiId api_id;
  std::vector<std::string> scopes;  // sorted by byte value
  // Static claims of tokens for this API, over the client's: an object.
  nlohmann::json claims = nlohmann::json::object();
  Timestamp created_at;
  Timestamp updated_at;
};

enum class SigningKeyState { next, active, retired };
const char* to_string(SigningKeyState state);

// A signing key as stored: the private half only ever sealed.
struct NewSigningKey {
  std::string kid;
  SigningAlg alg = kDefaultSigningAlg;
  SigningKeyState state = SigningKeyState::next;
  std::string public_key;  // Ed25519: 32 bytes; ES256, RS256: DER SubjectPublicKeyInfo
  // XChaCha20-Poly1305 of the 64-byte libsodium key (Ed25519) or of DER PKCS#8.
  std::string sealed_private_key;
  MasterKeyId master_key = kFirstMasterKey;  // the master key it is sealed with
};

// A client secret as stored: exactly one of the two hashes is set.
struct NewClientSecret {
  std::optional<std::string> keyed_hash;     // generated secret: keyed BLAKE2b
  std::optional<std::string> argon2_hash;    // imported secret: Argon2id string
  MasterKeyId master_key = kFirstMasterKey;  // whose sub-key keyed keyed_hash
};

// One page of a list, and the cursor to the next page (nullopt at the end).
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

}  // namespace tessera::domain
