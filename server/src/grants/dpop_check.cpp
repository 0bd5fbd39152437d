#include "grants/dpop_check.hpp"

#include "domain/oauth_error.hpp"

namespace tessera::grants {

using domain::OAuthError;
using domain::OAuthErrorCode;

DpopCheck check_dpop(const DpopChecking& with, const std::vector<std::string>& proofs,
                     const DpopTarget& target, domain::TenantId tenant,
                     const domain::Client& client, domain::Timestamp now, bool may_read_keys) {
  const auto refuse = [](const std::string& why) {
    return OAuthError(OAuthErrorCode::invalid_dpop_proof, why);
  };
  if (proofs.size() > 1) throw refuse("send one DPoP header, not several");
  if (proofs.empty()) {
    if (client.dpop == domain::DpopMode::required) {
      throw refuse("this client's tokens must be DPoP-bound: send a DPoP proof");
    }
    return {};
  }
  // A client that believes its token is bound must not get a Bearer token.
  if (client.dpop == domain::DpopMode::off) throw refuse("DPoP is off for this client");
  auto verified = verify_dpop_proof(proofs.front(), target, now, &with.keys, may_read_keys);
  if (std::holds_alternative<KeyNotRead>(verified)) return {std::nullopt, true};
  if (const auto* why = std::get_if<std::string>(&verified)) throw refuse(*why);
  auto& proof = std::get<VerifiedProof>(verified);
  const auto& client_id = client.client_id.value;
  if (client.dpop_nonce &&
      (!proof.nonce || !with.nonces.accepts(*proof.nonce, tenant, client_id, now))) {
    throw OAuthError::dpop_nonce_needed(with.nonces.issue(tenant, client_id, now));
  }
  if (!with.proofs.first_use(tenant, client_id, proof.jti, proof.expires_at, now)) {
    throw refuse("the DPoP proof was used before");
  }
  return {DpopBinding{std::move(proof.jkt), std::move(proof.jti), proof.expires_at}, false};
}

}  // namespace tessera::grants
