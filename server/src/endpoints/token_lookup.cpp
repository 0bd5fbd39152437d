#include "endpoints/token_lookup.hpp"

#include "crypto/keyed_hash.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints {
namespace {

using Found = cache::Lookup<FoundToken>;

Found found(const crypto::Uuid& id, const store::TokenStatus& status) {
  return {Found::State::found, std::make_shared<const FoundToken>(FoundToken{id, status})};
}

const Found kAbsent{Found::State::absent, nullptr};
const Found kMiss{Found::State::miss, nullptr};

}  // namespace

Found find_presented_token(PublicServices& services, const domain::TenantView& tenant,
                           const std::string& token, bool may_load) {
  using Record = cache::Lookup<store::TokenStatus>;
  if (auto opaque = tokens::parse_opaque_token(token)) {
    const auto record = services.token_cache.find(tenant.tenant.id, opaque->id, may_load);
    if (record.state == Record::State::miss) return kMiss;
    const auto& status = record.value;
    if (!status || status->format != domain::TokenFormat::opaque) return kAbsent;
    // Hashed with the key its record names: a token of a previous master key
    // lives until it expires, one of a key no longer configured is gone.
    const auto* key = services.token_keys.find(status->master_key);
    if (!key || !crypto::constant_time_equal(tokens::opaque_token_hash(*key, opaque->secret),
                                             status->token_hash)) {
      return kAbsent;
    }
    return found(opaque->id, *status);
  }
  if (tokens::looks_like_jwt(token)) {
    auto claims = tokens::verify_jwt(tenant, token);
    if (!claims || claims->iss != services.issuer(tenant.tenant.slug)) return kAbsent;
    auto id = crypto::parse_uuid(claims->jti);
    if (!id) return kAbsent;
    const auto record = services.token_cache.find(tenant.tenant.id, *id, may_load);
    if (record.state == Record::State::miss) return kMiss;
    const auto& status = record.value;
    if (!status || status->format != domain::TokenFormat::jwt ||
        status->client_id != claims->client_id) {
      return kAbsent;
    }
    return found(*id, *status);
  }
  return kAbsent;
}

}  // namespace tessera::endpoints
