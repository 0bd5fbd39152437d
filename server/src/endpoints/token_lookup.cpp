#include "endpoints/token_lookup.hpp"

#include "crypto/keyed_hash.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints {

std::optional<FoundToken> find_presented_token(PublicServices& services,
                                               const domain::TenantView& tenant,
                                               const std::string& token) {
  if (auto opaque = tokens::parse_opaque_token(token)) {
    auto status = services.token_status.find_status(tenant.tenant.id, opaque->id);
    if (!status || status->format != domain::TokenFormat::opaque ||
        !crypto::constant_time_equal(tokens::opaque_token_hash(services.token_key, opaque->secret),
                                     status->token_hash)) {
      return std::nullopt;
    }
    return FoundToken{opaque->id, std::move(*status)};
  }
  if (tokens::looks_like_jwt(token)) {
    auto claims = tokens::verify_jwt(tenant, token);
    if (!claims || claims->iss != services.issuer(tenant.tenant.slug)) return std::nullopt;
    auto id = crypto::parse_uuid(claims->jti);
    if (!id) return std::nullopt;
    auto status = services.token_status.find_status(tenant.tenant.id, *id);
    if (!status || status->format != domain::TokenFormat::jwt ||
        status->client_id != claims->client_id) {
      return std::nullopt;
    }
    return FoundToken{*id, std::move(*status)};
  }
  return std::nullopt;
}

}  // namespace tessera::endpoints
