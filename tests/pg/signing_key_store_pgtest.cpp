// Signing keys per algorithm in PostgreSQL (SPEC §3.4, §5): the keys follow
// the algorithms the tenant and its APIs use, in the same transaction as the
// change, sealed at rest, and concurrent changes take turns.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "crypto/pkey.hpp"
#include "crypto/sealed.hpp"
#include "grants/client_credentials.hpp"
#include "pg/store_fixture.hpp"
#include "store/postgres/client_credentials_repository.hpp"
#include "store/postgres/signing_key_repository.hpp"

namespace tessera::test {
namespace {

using domain::SigningAlg;

class SigningKeyStorePgTest : public StoreFixture {
 protected:
  // "alg/state" -> number of keys, as stored.
  std::map<std::string, int> key_counts(domain::TenantId tenant) const {
    pqxx::connection connection(db_.url());
    pqxx::nontransaction tx(connection);
    std::map<std::string, int> counts;
    for (const auto& row : tx.exec_params(
             "SELECT alg || '/' || state, count(*) FROM signing_keys WHERE tenant_id = $1 "
             "GROUP BY 1",
             tenant.value)) {
      counts[row[0].as<std::string>()] = row[1].as<int>();
    }
    return counts;
  }

  domain::Api make_api_with(domain::TenantId tenant, const std::string& identifier,
                            std::optional<SigningAlg> alg) {
    store::NewApi api;
    api.identifier = identifier;
    api.name = "API";
    api.signing_alg = alg;
    return apis_.create(tenant, api, signing_keys(), actor_);
  }

  store::postgres::SigningKeyRepository keys_{pool_};
};

TEST_F(SigningKeyStorePgTest, ATenantCreatedWithAnAlgorithmHasKeysOfThatAlgorithmOnly) {
  store::NewTenant tenant;
  tenant.slug = "rsa-shop";
  tenant.name = "RSA";
  tenant.signing_alg = SigningAlg::rs256;
  const auto created = tenants_.create(tenant, signing_keys(), actor_);
  EXPECT_EQ(created.signing_alg, SigningAlg::rs256);
  EXPECT_EQ(key_counts(created.id),
            (std::map<std::string, int>{{"RS256/active", 1}, {"RS256/next", 1}}));

  // Stored as DER, the private half sealed and bound to its row.
  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  const auto seal_key = master_.derive(crypto::KeyPurpose::signing_key_seal);
  for (const auto& row : tx.exec_params(
           "SELECT kid, public_key, sealed_private_key FROM signing_keys WHERE tenant_id = $1",
           created.id.value)) {
    const auto kid = row[0].as<std::string>();
    EXPECT_TRUE(crypto::PublicPkey::from_der(SigningAlg::rs256, pqxx::binarystring(row[1]).str()))
        << kid;
    const auto opened = crypto::open_sealed(seal_key, pqxx::binarystring(row[2]).str(),
                                            crypto::signing_key_associated_data(created.id, kid));
    ASSERT_TRUE(opened.has_value()) << kid;
    EXPECT_TRUE(crypto::PrivatePkey::from_der(SigningAlg::rs256, *opened)) << kid;
  }
}

TEST_F(SigningKeyStorePgTest, KeysFollowTheAlgorithmsOfTheTenantAndItsLiveApis) {
  const auto tenant = make_tenant("acme");
  EXPECT_EQ(key_counts(tenant.id),
            (std::map<std::string, int>{{"EdDSA/active", 1}, {"EdDSA/next", 1}}));

  const auto es = make_api_with(tenant.id, "https://es.test", SigningAlg::es256);
  EXPECT_EQ(key_counts(tenant.id),
            (std::map<std::string, int>{
                {"EdDSA/active", 1}, {"EdDSA/next", 1}, {"ES256/active", 1}, {"ES256/next", 1}}));

  // The tenant moves to RS256: the API keeps ES256, EdDSA is out of use.
  store::TenantPatch patch;
  patch.signing_alg = std::optional<SigningAlg>(SigningAlg::rs256);
  tenants_.update(tenant.id, patch, signing_keys(), actor_, "tenant.update");
  EXPECT_EQ(key_counts(tenant.id), (std::map<std::string, int>{{"EdDSA/retired", 1},
                                                               {"ES256/active", 1},
                                                               {"ES256/next", 1},
                                                               {"RS256/active", 1},
                                                               {"RS256/next", 1}}));

  // Deleting the API takes ES256 out of use too.
  apis_.remove(tenant.id, es.id, signing_keys(), actor_);
  EXPECT_EQ(
      key_counts(tenant.id),
      (std::map<std::string, int>{
          {"EdDSA/retired", 1}, {"ES256/retired", 1}, {"RS256/active", 1}, {"RS256/next", 1}}));
  // A retired key never signs again: its private half is gone.
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM signing_keys WHERE state = 'retired' AND "
                            "sealed_private_key IS NOT NULL"),
            "0");
}

// An operator's SQL can name an algorithm without keys (the schema allows
// it); any later change of the tenant's APIs brings the keys in line, a
// deletion too, instead of failing.
TEST_F(SigningKeyStorePgTest, DeletingAnApiMakesTheKeysOfAnAlgorithmThatHasNone) {
  const auto tenant = make_tenant("acme");
  const auto api = make_api_with(tenant.id, "https://api.test", std::nullopt);
  db_.query_value("UPDATE tenants SET signing_alg = 'ES256' WHERE id = " +
                  std::to_string(tenant.id.value) + " RETURNING id");
  EXPECT_NO_THROW(apis_.remove(tenant.id, api.id, signing_keys(), actor_));
  EXPECT_EQ(
      key_counts(tenant.id),
      (std::map<std::string, int>{{"EdDSA/retired", 1}, {"ES256/active", 1}, {"ES256/next", 1}}));
}

TEST_F(SigningKeyStorePgTest, RotationRotatesEachAlgorithmInUseInOneAuditedChange) {
  const auto tenant = make_tenant("acme");
  make_api_with(tenant.id, "https://es.test", SigningAlg::es256);
  const auto before = keys_.list_signing_keys(tenant.id);
  const auto after = keys_.rotate_signing_keys(tenant.id, signing_keys(), actor_);
  std::map<std::string, std::string> was;  // kid -> state before
  for (const auto& key : before) was[key.kid] = domain::to_string(key.state);
  std::map<std::string, int> moves;  // "EdDSA next->active", …
  for (const auto& key : after) {
    const auto from = was.count(key.kid) != 0 ? was[key.kid] : "new";
    ++moves[std::string(domain::to_string(key.alg)) + " " + from + "->" +
            domain::to_string(key.state)];
  }
  EXPECT_EQ(moves, (std::map<std::string, int>{{"EdDSA active->retired", 1},
                                               {"EdDSA new->next", 1},
                                               {"EdDSA next->active", 1},
                                               {"ES256 active->retired", 1},
                                               {"ES256 new->next", 1},
                                               {"ES256 next->active", 1}}));
  EXPECT_EQ(audit_count("signing_key.rotate"), "1");
}

TEST_F(SigningKeyStorePgTest, ConcurrentChangesOfOneTenantTakeTurnsWithoutDeadlockOrDuplicates) {
  const auto tenant = make_tenant("acme");
  constexpr int kThreads = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        // Each its own pool: separate connections, truly concurrent.
        store::postgres::Pool pool(db_.url(), 1);
        store::postgres::ApiRepository apis(pool);
        store::NewApi api;
        api.identifier = "https://api" + std::to_string(i) + ".test";
        api.name = "API";
        api.signing_alg = i % 2 == 0 ? SigningAlg::es256 : SigningAlg::rs256;
        // A slow key maker holds the race open: without the tenant lock two
        // creators of one algorithm would both find it without keys.
        const auto make = signing_keys();
        apis.create(
            tenant.id, api,
            [&make](domain::TenantId id, SigningAlg alg, domain::SigningKeyState state) {
              std::this_thread::sleep_for(std::chrono::milliseconds(100));
              return make(id, alg, state);
            },
            actor_);
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(key_counts(tenant.id), (std::map<std::string, int>{{"EdDSA/active", 1},
                                                               {"EdDSA/next", 1},
                                                               {"ES256/active", 1},
                                                               {"ES256/next", 1},
                                                               {"RS256/active", 1},
                                                               {"RS256/next", 1}}));
}

// A tenant's view is what the token endpoint signs with: if its tenant and
// API rows came from before a change of algorithm and its keys from after
// it, the view would name an algorithm without an active key (a 500 for
// every JWT until the change notice lands). The loader is stopped before it
// reads the keys, the change commits, and the loader goes on.
TEST_F(SigningKeyStorePgTest, ATenantViewIsReadInOneSnapshotSoItsKeysMatchItsAlgorithms) {
  const auto tenant = make_tenant("acme");
  pqxx::connection blocker_connection(db_.url());
  pqxx::work blocker(blocker_connection);
  blocker.exec("LOCK TABLE signing_keys IN ACCESS EXCLUSIVE MODE");

  std::optional<domain::TenantView> view;
  std::thread loader([&] {
    store::postgres::ClientCredentialsRepository repository(pool_);
    view = repository.load_tenant("acme");
  });
  pqxx::connection watcher(db_.url());
  bool waiting = false;
  for (int i = 0; i < 1000 && !waiting; ++i) {
    pqxx::nontransaction tx(watcher);
    waiting = tx.exec(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE '%FROM signing_keys%'")[0][0]
                  .as<int>() > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(waiting) << "the loader never reached the keys";

  // What PATCH {"signing_alg":"ES256"} of the tenant commits.
  blocker.exec_params("UPDATE tenants SET signing_alg = 'ES256' WHERE id = $1", tenant.id.value);
  blocker.exec_params(
      "UPDATE signing_keys SET state = 'retired', retired_at = now(), "
      "sealed_private_key = NULL WHERE tenant_id = $1 AND state = 'active'",
      tenant.id.value);
  for (const auto state : {domain::SigningKeyState::active, domain::SigningKeyState::next}) {
    const auto key = signing_keys()(tenant.id, SigningAlg::es256, state);
    blocker.exec_params(
        "INSERT INTO signing_keys (tenant_id, kid, alg, state, public_key, sealed_private_key) "
        "VALUES ($1, $2, 'ES256', $3, $4, $5)",
        tenant.id.value, key.kid, domain::to_string(state), pqxx::binarystring(key.public_key),
        pqxx::binarystring(key.sealed_private_key));
  }
  blocker.commit();
  loader.join();

  ASSERT_TRUE(view.has_value());
  for (const auto alg : grants::signing_algs_in_use(*view)) {
    EXPECT_NE(view->active_key(alg), nullptr)
        << "the view signs with " << domain::to_string(alg) << " but has no active key of it";
  }
}

}  // namespace
}  // namespace tessera::test
