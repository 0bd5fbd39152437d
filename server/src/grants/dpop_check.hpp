#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/models.hpp"
#include "grants/dpop_nonces.hpp"
#include "grants/dpop_proof.hpp"
#include "grants/jti_replays.hpp"

namespace tessera::grants {

// What checking DPoP proofs works with, wired once at start.
struct DpopChecking {
  JtiReplays& proofs;  // proof jtis accepted here
  const DpopNonces& nonces;
  DpopKeys& keys;  // the keys proofs carried, read once
};

// What a token is bound to (RFC 9449 §6), and the proof's jti, which the
// token record's statement stores so that no instance accepts it again.
struct DpopBinding {
  std::string jkt;
  std::string jti;
  domain::Timestamp expires_at;
};

// What checking a request's proof came to.
struct DpopCheck {
  std::optional<DpopBinding> binding;  // none: a Bearer token
  // The proof's key must first be read off the reactor (KeyNotRead):
  // nothing was decided or used; check again on a worker.
  bool needs_worker = false;
};

// RFC 9449 §5 at the token endpoint, once the client authenticated:
// `proofs` are the request's DPoP header values. No binding: the token is a
// Bearer token (no proof, and the client's dpop is not `required`).
// `may_read_keys`: a P-256 or RSA key not read before may be read here.
// Throws domain::OAuthError invalid_dpop_proof (several proofs, a proof
// refused by verify_dpop_proof or seen before, a proof from a client whose
// dpop is `off`, none from one whose dpop is `required`) or, for a client
// with dpop_nonce, use_dpop_nonce with a fresh nonce when the proof's is
// missing or stale. A proof refused for its nonce leaves its jti unused.
DpopCheck check_dpop(const DpopChecking& with, const std::vector<std::string>& proofs,
                     const DpopTarget& target, domain::TenantId tenant,
                     const domain::Client& client, domain::Timestamp now,
                     bool may_read_keys = true);

}  // namespace tessera::grants
