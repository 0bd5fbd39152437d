#pragma once

#include "crypto/key_ring.hpp"
#include "domain/token_views.hpp"

namespace tessera::tokens {

// Reads what the tenant's published keys need, once per load of the view
// (cache/directory.cpp), never once per token:
//  - for every key, its public JWK members (JWKS) and, for ES256 and RS256,
//    the OpenSSL key that verifies its signatures (introspection);
//  - for the active key of each algorithm a JWT API of the tenant signs
//    with, its private half (PublishedKey::private_key for Ed25519, in
//    guarded memory; private_pkey for ES256 and RS256), for mint_jwt.
// A rotation or a change of algorithm changes the tenant, whose view is then
// dropped and loaded anew; a key is wiped when the view's last copy goes.
//
// A private half stays sealed, and mint_jwt refuses to sign with it, when:
//  - no API of the tenant issues JWTs with its algorithm: a tenant of opaque
//    tokens never has a private key in memory, nor pays the guarded pages and
//    the four memory mappings an open Ed25519 key costs
//    (crypto::guarded_footprint);
//  - it does not open (tampered with, or sealed with a master key that is
//    not configured), or there is no guarded memory left: only JWT issuance
//    with that algorithm fails then (500), not the tenant's discovery,
//    JWKS, opaque tokens or introspection.
void open_jwt_signing_keys(const crypto::SubKeyRing& seal_keys, domain::TenantView& tenant);

}  // namespace tessera::tokens
