#include "endpoints/token_lookup.hpp"

#include "crypto/keyed_hash.hpp"
#include "endpoints/client_auth.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints {
namespace {

std::shared_ptr<const store::TokenStatus> record_of(PublicServices& services,
                                                    const domain::TenantView& tenant,
                                                    const crypto::Uuid& id, bool may_load) {
  auto found = services.token_cache.find(tenant.tenant.id, id, may_load);
  if (found.state == cache::Lookup<store::TokenStatus>::State::miss) throw NeedsWorker{};
  return found.value;
}

}  // namespace

std::optional<FoundToken> find_presented_token(PublicServices& services,
                                               const domain::TenantView& tenant,
                                               const std::string& token, bool may_load) {
  if (auto opaque = tokens::parse_opaque_token(token)) {
    auto status = record_of(services, tenant, opaque->id, may_load);
    if (!status || status->format != domain::TokenFormat::opaque ||
        !crypto::constant_time_equal(tokens::opaque_token_hash(services.token_key, opaque->secret),
                                     status->token_hash)) {
      return std::nullopt;
    }
    return FoundToken{opaque->id, *status};
  }
  if (tokens::looks_like_jwt(token)) {
    auto claims = tokens::verify_jwt(tenant, token);
    if (!claims || claims->iss != services.issuer(tenant.tenant.slug)) return std::nullopt;
    auto id = crypto::parse_uuid(claims->jti);
    if (!id) return std::nullopt;
    auto status = record_of(services, tenant, *id, may_load);
    if (!status || status->format != domain::TokenFormat::jwt ||
        status->client_id != claims->client_id) {
      return std::nullopt;
    }
    return FoundToken{*id, *status};
  }
  return std::nullopt;
}

}  // namespace tessera::endpoints
