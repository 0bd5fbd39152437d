#pragma once

// Shared set-up of the store suites (stores_pgtest, tenancy_pgtest): a fresh
// migrated database, the real repositories over a small pool, and an actor
// whose admin key exists, so audit rows reference a real key.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "crypto/credentials.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/master_key.hpp"
#include "crypto/signing_keys.hpp"
#include "store/postgres/admin_key_repository.hpp"
#include "store/postgres/api_repository.hpp"
#include "store/postgres/client_repository.hpp"
#include "store/postgres/master_key_registry.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/tenant_repository.hpp"
#include "support/test_database.hpp"
#include "support/test_env.hpp"

namespace tessera::test {

class StoreFixture : public ::testing::Test {
 protected:
  StoreFixture()
      : master_(*crypto::MasterKey::parse(test_master_key())),
        master_keys_(store::postgres::register_master_keys(*store::postgres::connect(db_.url()),
                                                           master_, {})),
        actor_{admin_keys_
                   .create("store tests", std::nullopt, std::string(32, 'k'),
                           domain::kFirstMasterKey, std::nullopt)
                   .id,
               std::nullopt} {}

  domain::Tenant make_tenant(const std::string& slug, std::vector<std::string> domains = {}) {
    store::NewTenant tenant;
    tenant.slug = slug;
    tenant.name = "Tenant " + slug;
    tenant.domains = std::move(domains);
    return tenants_.create(tenant, signing_keys(), actor_);
  }

  // What the admin API passes: keys sealed for the tenant.
  store::MakeSigningKey signing_keys() const {
    return [seal_keys = master_keys_.derive(crypto::KeyPurpose::signing_key_seal)](
               domain::TenantId id, domain::SigningAlg alg, domain::SigningKeyState state) {
      return crypto::make_signing_key(seal_keys, id, alg, state);
    };
  }

  domain::Api make_api(domain::TenantId tenant, const std::string& identifier,
                       std::vector<domain::ApiScope> scopes = {{"read", "Read"},
                                                               {"write", "Write"}},
                       bool is_default = false) {
    store::NewApi api;
    api.identifier = identifier;
    api.name = "API " + identifier;
    api.scopes = std::move(scopes);
    api.is_default = is_default;
    return apis_.create(tenant, api, signing_keys(), actor_);
  }

  // A client with a generated secret (stored as a keyed hash).
  domain::Client make_client(domain::TenantId tenant, const std::string& name = "worker") {
    store::NewClient client;
    client.client_id = domain::ClientId{crypto::generate_client_id()};
    client.name = name;
    client.secret.emplace().keyed_hash = crypto::keyed_hash(
        master_.derive(crypto::KeyPurpose::client_secret_hash), crypto::generate_client_secret());
    return clients_.create(tenant, client, actor_);
  }

  // For grants without custom claims.
  const nlohmann::json no_claims_ = nlohmann::json::object();

  std::string audit_count(const std::string& action) const {
    return db_.query_value("SELECT count(*) FROM audit_events WHERE action = '" + action + "'");
  }

  // Declaration order is construction order: the database outlives the pool.
  TestDatabase db_;
  store::postgres::Pool pool_{db_.url(), 2};
  store::postgres::TenantRepository tenants_{pool_};
  store::postgres::ApiRepository apis_{pool_};
  store::postgres::ClientRepository clients_{pool_};
  store::postgres::AdminKeyRepository admin_keys_{pool_};
  crypto::MasterKey master_;
  crypto::MasterKeyRing master_keys_;  // master_, numbered 1 in the fresh database
  domain::Actor actor_;
};

}  // namespace tessera::test
