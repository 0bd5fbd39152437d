#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "crypto/key_ring.hpp"
#include "domain/types.hpp"

namespace tessera::grants {

// Server-provided DPoP nonces (RFC 9449 §8), for the clients that must use
// them (a client's dpop_nonce). Stateless, so that every instance accepts
// what another gave without a write: a nonce is the time window it was made
// in and a keyed hash, under a sub-key of the master key, of that window,
// the tenant and the client. It is accepted during its window and the next
// (five to ten minutes), under the current master key or a previous one (a
// rotation does not fail the nonces already handed out).
class DpopNonces {
 public:
  static constexpr std::chrono::seconds kWindow{300};

  explicit DpopNonces(crypto::SubKeyRing keys) : keys_(std::move(keys)) {}

  // A nonce for this client, as of `now`.
  std::string issue(domain::TenantId tenant, const std::string& client_id,
                    domain::Timestamp now) const;
  // Whether `nonce` is one issue() made for this client, still fresh.
  bool accepts(std::string_view nonce, domain::TenantId tenant, const std::string& client_id,
               domain::Timestamp now) const;

 private:
  crypto::SubKeyRing keys_;
};

}  // namespace tessera::grants
