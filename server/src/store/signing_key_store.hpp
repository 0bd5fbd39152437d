#pragma once

#include <functional>
#include <vector>

#include "domain/models.hpp"

namespace tessera::store {

struct SigningKeyInfo {
  std::string kid;
  domain::SigningAlg alg = domain::kDefaultSigningAlg;
  domain::SigningKeyState state = domain::SigningKeyState::next;
  std::string public_key;  // Ed25519: 32 bytes; ES256, RS256: DER SubjectPublicKeyInfo
  domain::Timestamp created_at;
  std::optional<domain::Timestamp> retired_at;
};

// Makes a fresh key of an algorithm for a tenant, its private half sealed
// (crypto/signing_keys.hpp). The stores call it inside their transaction,
// once the tenant's id is known (it is part of the sealed key's associated
// data): a key only exists together with the change that needs it.
using MakeSigningKey = std::function<domain::NewSigningKey(domain::TenantId, domain::SigningAlg,
                                                           domain::SigningKeyState)>;

// A tenant's signing keys (SPEC §3.4), one next/active/retired rotation per
// algorithm in use. An algorithm is in use when the tenant's default
// (signing_alg, else EdDSA) or a live API's (signing_alg, else the tenant's)
// names it; every change of those settings brings the keys in line in its
// own transaction (store/postgres/signing_key_sync.hpp).
class SigningKeyStore {
 public:
  virtual ~SigningKeyStore() = default;
  // Keys still published: next, active, and retired ones retired within the
  // longest token lifetime (30 days). Ordered by algorithm (EdDSA, ES256,
  // RS256), then next, active, then retired newest first.
  virtual std::vector<SigningKeyInfo> list_signing_keys(domain::TenantId tenant) = 0;
  // For every algorithm in use: next -> active at once, active -> retired,
  // and a new next key, all in one transaction.
  virtual std::vector<SigningKeyInfo> rotate_signing_keys(domain::TenantId tenant,
                                                          const MakeSigningKey& make_key,
                                                          const domain::Actor& actor) = 0;
};

}  // namespace tessera::store
