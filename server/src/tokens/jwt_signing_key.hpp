#pragma once

#include "crypto/master_key.hpp"
#include "domain/token_views.hpp"

namespace tessera::tokens {

// Opens the private half of the tenant's active signing key into guarded
// memory (PublishedKey::private_key), for mint_jwt to sign with. Called once
// per load of the view (cache/directory.cpp): a rotation changes the tenant,
// whose view is then dropped and loaded anew, so a key is opened once per
// rotation (and per reload of the view: the cache's maximum age, a bypassed
// cache), never once per token; it is wiped when the view's last copy goes.
//
// The key stays sealed, and mint_jwt refuses to sign, when:
//  - no API of the tenant issues JWTs: a tenant of opaque tokens never has
//    its private key in memory, nor pays the guarded pages and the four
//    memory mappings an open key costs (crypto::guarded_footprint);
//  - it does not open (tampered with, or another master key), or there is
//    no guarded memory left: only JWT issuance fails then (500, as when
//    mint_jwt opened the key itself), not the tenant's discovery, JWKS,
//    opaque tokens or introspection.
void open_jwt_signing_key(const crypto::SubKey& seal_key, domain::TenantView& tenant);

}  // namespace tessera::tokens
