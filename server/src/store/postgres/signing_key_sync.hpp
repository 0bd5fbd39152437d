#pragma once

#include <pqxx/pqxx>

#include "store/signing_key_store.hpp"

namespace tessera::store::postgres {

// Brings a tenant's signing keys in line with the algorithms in use
// (store/signing_key_store.hpp), inside the caller's transaction, after the
// change of tenant or API that may have changed them:
//  - an algorithm in use without an active key gets an active and a next
//    key (`make_key`);
//  - an algorithm no longer in use retires its active key (published until
//    every token it signed has expired) and drops its next key.
// Locks the tenant row first, so that concurrent changes take turns. Any
// change repairs what it finds: an algorithm an operator's SQL set without
// keys gets them at the next change, a deletion of an API too.
void sync_signing_keys(pqxx::work& tx, domain::TenantId tenant, const MakeSigningKey& make_key);

// Inserts a key made for the tenant.
void insert_signing_key(pqxx::work& tx, domain::TenantId tenant, const domain::NewSigningKey& key);

}  // namespace tessera::store::postgres
