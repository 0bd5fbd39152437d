#pragma once

#include <functional>
#include <optional>
#include <string>

#include "crypto/uuid7.hpp"
#include "domain/token_views.hpp"

namespace tessera::store {

// What the token endpoint reads (fosite style: the small interface a flow
// needs, not one giant store). Called on cache misses only.
class ClientCredentialsStore {
 public:
  virtual ~ClientCredentialsStore() = default;
  virtual std::optional<domain::TenantView> load_tenant(const std::string& slug) = 0;
  // The slug of the tenant that lists this (lower-case, port-less) domain.
  virtual std::optional<std::string> slug_for_domain(const std::string& domain) = 0;
  // nullopt for an unknown or deleted client.
  virtual std::optional<domain::ClientView> load_client(domain::TenantId tenant,
                                                        const std::string& client_id) = 0;
};

// One issued token, as recorded (SPEC §3.1): never the token itself.
struct TokenRecord {
  domain::TenantId tenant_id;
  crypto::Uuid id{};  // = jti
  std::string client_id;
  domain::SecretId secret_id;
  domain::ApiId api_id;
  std::string scope;  // space-separated
  domain::TokenFormat format = domain::TokenFormat::opaque;
  std::string token_hash;                                    // opaque tokens only (32 bytes)
  domain::MasterKeyId master_key = domain::kFirstMasterKey;  // whose sub-key keyed token_hash
  domain::Timestamp issued_at;
  domain::Timestamp expires_at;
  // The client assertion (private_key_jwt) that authenticated the request,
  // if one did: stored by the same statement as the record, into a table
  // whose primary key refuses a jti seen before (RFC 7523 §3).
  std::string assertion_jti;
  std::optional<domain::Timestamp> assertion_expires_at;
  // A DPoP-bound token (RFC 9449): the thumbprint of its key (cnf.jkt), and
  // the proof's jti, stored like the assertion's (dpop_proof_jtis).
  std::string dpop_jkt;
  std::string dpop_proof_jti;
  std::optional<domain::Timestamp> dpop_proof_expires_at;
};

// Client assertion jtis accepted where no token record carries them
// (introspection, revocation): stored at once.
class AssertionJtiStore {
 public:
  virtual ~AssertionJtiStore() = default;
  // True when the jti was not stored yet for this client (now it is);
  // false for a replay.
  virtual bool claim(domain::TenantId tenant, const std::string& client_id, const std::string& jti,
                     domain::Timestamp expires_at) = 0;
};

// How recording a token ended.
enum class RecordResult {
  committed,
  failed,  // not stored (the database, the queue): 503, retry
  // Not stored because its client assertion had been used before, on this
  // instance or another: the request is answered 401 invalid_client.
  replayed_assertion,
  // Not stored because its DPoP proof had been used before: answered 400
  // invalid_dpop_proof.
  replayed_dpop_proof,
};

// Records issued tokens durably. `done(committed)` runs once the record's
// transaction has committed, `done` with another result if it could not be
// (the token is never handed out). `done` may run on another thread.
class TokenRecorder {
 public:
  virtual ~TokenRecorder() = default;
  virtual void record(TokenRecord record, std::function<void(RecordResult)> done) = 0;
};

// Remembers when each secret was last used, written in the background
// (no database write per token request).
class SecretUsage {
 public:
  virtual ~SecretUsage() = default;
  virtual void mark_used(domain::TenantId tenant, const std::string& client_id,
                         domain::SecretId secret, domain::Timestamp when) = 0;
  // Master-key rotation: a generated secret just verified under master key
  // `rehash.from` is stored again as `rehash.keyed_hash`, made under
  // `rehash.to` (the current key). Written in the background, like use.
  virtual void rehash(domain::TenantId tenant, const std::string& client_id,
                      domain::SecretId secret, const domain::SecretRehash& rehash) = 0;
};

}  // namespace tessera::store
