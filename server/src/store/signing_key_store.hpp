#pragma once

#include <functional>
#include <vector>

#include "domain/models.hpp"

namespace tessera::store {

struct SigningKeyInfo {
  std::string kid;
  domain::SigningKeyState state = domain::SigningKeyState::next;
  std::string public_key;  // 32 bytes
  domain::Timestamp created_at;
  std::optional<domain::Timestamp> retired_at;
};

// A tenant's Ed25519 signing keys (SPEC §3.4).
class SigningKeyStore {
 public:
  virtual ~SigningKeyStore() = default;
  // Keys still published: next, active, and retired ones retired within the
  // longest token lifetime (30 days). Ordered next, active, then retired
  // newest first.
  virtual std::vector<SigningKeyInfo> list_signing_keys(domain::TenantId tenant) = 0;
  // next -> active at once, active -> retired, and `make_next()` becomes the
  // new next key, in one transaction.
  virtual std::vector<SigningKeyInfo> rotate_signing_keys(
      domain::TenantId tenant, const std::function<domain::NewSigningKey()>& make_next,
      const domain::Actor& actor) = 0;
};

}  // namespace tessera::store
