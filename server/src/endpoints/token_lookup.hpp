#pragma once

#include <optional>
#include <string>

#include "cache/directory.hpp"
#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "store/token_status_store.hpp"

namespace tessera::endpoints {

// A presented token that is genuinely one of this tenant's: an opaque token
// whose record exists and whose hash matches (constant time), or a JWT whose
// signature verifies with one of the tenant's keys and whose jti has a
// record. Its record is read from the database on a cache miss; with
// `may_load` false (a reactor thread) a miss is answered `miss`, to be
// asked again where the database may be read.
struct FoundToken {
  crypto::Uuid id{};
  store::TokenStatus status;
};
cache::Lookup<FoundToken> find_presented_token(PublicServices& services,
                                               const domain::TenantView& tenant,
                                               const std::string& token, bool may_load);

}  // namespace tessera::endpoints
