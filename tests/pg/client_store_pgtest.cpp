// ClientRepository (clients and grants) against PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "crypto/password_hash.hpp"
#include "crypto/sealed.hpp"
#include "domain/validation.hpp"
#include "pg/store_assertions.hpp"
#include "pg/store_fixture.hpp"
#include "store/errors.hpp"
#include "store/postgres/client_credentials_repository.hpp"

namespace tessera::store::postgres {
namespace {

// ---------------------------------------------------------------- clients

class ClientStorePgTest : public test::StoreFixture {
 protected:
  domain::Tenant tenant_ = make_tenant("acme");
};

TEST_F(ClientStorePgTest, CreatesAClientWithAGeneratedSecretStoredAsAKeyedHash) {
  NewClient client;
  client.client_id = domain::ClientId{crypto::generate_client_id()};
  client.name = "billing";
  client.token_ttl = 300;
  client.can_introspect = true;
  const auto hash = crypto::keyed_hash(master_.derive(crypto::KeyPurpose::client_secret_hash),
                                       crypto::generate_client_secret());
  client.secret.emplace().keyed_hash = hash;
  const auto created = clients_.create(tenant_.id, client, actor_);
  EXPECT_EQ(created.client_id, client.client_id);
  EXPECT_EQ(created.token_ttl, 300);
  EXPECT_TRUE(created.can_introspect);
  EXPECT_EQ(created.status, domain::Status::active);

  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  const auto rows = tx.exec_params(
      "SELECT kind, keyed_hash, argon2_hash IS NULL FROM client_secrets "
      "WHERE tenant_id = $1 AND client_id = $2",
      tenant_.id.value, client.client_id.value);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].as<std::string>(), "generated");
  EXPECT_EQ(pqxx::binarystring(rows[0][1]).str(), hash);
  EXPECT_TRUE(rows[0][2].as<bool>());
}

TEST_F(ClientStorePgTest, CreatesAClientWithAnImportedSecretStoredAsArgon2id) {
  NewClient client;
  client.client_id = domain::ClientId{crypto::generate_client_id()};
  client.name = "legacy";
  client.secret.emplace().argon2_hash =
      crypto::password_hash("a secret someone chose, 32+ chars long");
  clients_.create(tenant_.id, client, actor_);

  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  const auto row = tx.exec_params1(
      "SELECT kind, argon2_hash, keyed_hash IS NULL FROM client_secrets "
      "WHERE tenant_id = $1 AND client_id = $2",
      tenant_.id.value, client.client_id.value);
  EXPECT_EQ(row[0].as<std::string>(), "imported");
  EXPECT_EQ(row[1].as<std::string>(), *client.secret->argon2_hash);
  EXPECT_EQ(row[1].as<std::string>().rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(row[2].as<bool>());
  EXPECT_TRUE(
      crypto::password_verify(row[1].as<std::string>(), "a secret someone chose, 32+ chars long"));
}

TEST_F(ClientStorePgTest, FindsListsAndUpdatesClients) {
  const auto a = make_client(tenant_.id, "a");
  const auto b = make_client(tenant_.id, "b");
  const auto found = clients_.find(tenant_.id, a.client_id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "a");
  EXPECT_FALSE(clients_.find(tenant_.id, domain::ClientId{"no-such-client-000"}).has_value());

  const auto first = clients_.list(tenant_.id, std::nullopt, 1);
  ASSERT_EQ(first.items.size(), 1u);
  ASSERT_TRUE(first.next_cursor.has_value());
  const auto second = clients_.list(tenant_.id, first.next_cursor, 1);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_FALSE(second.next_cursor.has_value());
  EXPECT_EQ(
      (std::set<std::string>{first.items[0].client_id.value, second.items[0].client_id.value}),
      (std::set<std::string>{a.client_id.value, b.client_id.value}));

  ClientPatch patch;
  patch.status = domain::Status::disabled;
  patch.name = "a, renamed";
  const auto updated = clients_.update(tenant_.id, a.client_id, patch, actor_);
  EXPECT_EQ(updated.status, domain::Status::disabled);
  EXPECT_EQ(clients_.find(tenant_.id, a.client_id)->status, domain::Status::disabled);
  EXPECT_EQ(clients_.find(tenant_.id, a.client_id)->name, "a, renamed");
  EXPECT_EQ(clients_.find(tenant_.id, b.client_id)->status, domain::Status::active);
  EXPECT_EQ(audit_count("client.update"), "1");
}

TEST_F(ClientStorePgTest, KeepsTheDpopSettingsEveryReaderSees) {
  const auto plain = make_client(tenant_.id, "plain");
  EXPECT_EQ(plain.dpop, domain::DpopMode::allowed);
  EXPECT_FALSE(plain.dpop_nonce);

  NewClient client;
  client.client_id = domain::ClientId{crypto::generate_client_id()};
  client.name = "bound";
  client.dpop = domain::DpopMode::off;
  client.dpop_nonce = true;
  client.secret.emplace().keyed_hash = std::string(32, 'h');
  const auto created = clients_.create(tenant_.id, client, actor_);
  EXPECT_EQ(created.dpop, domain::DpopMode::off);
  EXPECT_TRUE(created.dpop_nonce);

  ClientPatch patch;
  patch.dpop = domain::DpopMode::required;
  const auto updated = clients_.update(tenant_.id, client.client_id, patch, actor_);
  EXPECT_EQ(updated.dpop, domain::DpopMode::required);
  EXPECT_TRUE(updated.dpop_nonce);  // not in the patch: kept
  patch = {};
  patch.dpop_nonce = false;
  EXPECT_FALSE(clients_.update(tenant_.id, client.client_id, patch, actor_).dpop_nonce);
  EXPECT_EQ(db_.query_value("SELECT details->>'changed' FROM audit_events "
                            "WHERE action = 'client.update' ORDER BY id LIMIT 1"),
            "[\"dpop\"]");

  const auto found = clients_.find(tenant_.id, client.client_id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->dpop, domain::DpopMode::required);
  EXPECT_FALSE(found->dpop_nonce);
  // The token path reads clients through the same columns.
  ClientCredentialsRepository token_path(pool_);
  const auto view = token_path.load_client(tenant_.id, client.client_id.value);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->client.dpop, domain::DpopMode::required);
  EXPECT_FALSE(view->client.dpop_nonce);
  const auto listed = clients_.list(tenant_.id, std::nullopt, 50).items;
  ASSERT_EQ(listed.size(), 2u);
  for (const auto& c : listed) {
    EXPECT_EQ(c.dpop, c.client_id == plain.client_id ? domain::DpopMode::allowed
                                                     : domain::DpopMode::required);
  }
}

TEST_F(ClientStorePgTest, DeletingAClientMarksItAndKeepsTheRow) {
  const auto client = make_client(tenant_.id);
  clients_.remove(tenant_.id, client.client_id, actor_);
  EXPECT_FALSE(clients_.find(tenant_.id, client.client_id).has_value());
  EXPECT_TRUE(clients_.list(tenant_.id, std::nullopt, 50).items.empty());
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM clients WHERE deleted_at IS NOT NULL AND "
                            "status = 'disabled' AND client_id = '" +
                            client.client_id.value + "'"),
            "1");
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM client_secrets"), "1");
  EXPECT_THROW(clients_.update(tenant_.id, client.client_id, ClientPatch{}, actor_), NotFound);
  EXPECT_THROW(clients_.remove(tenant_.id, client.client_id, actor_), NotFound);
}

TEST_F(ClientStorePgTest, ADuplicateClientIdIsAConflictOnClientId) {
  const auto client = make_client(tenant_.id);
  NewClient again;
  again.client_id = client.client_id;
  again.name = "again";
  again.secret.emplace().keyed_hash = std::string(32, 'h');
  EXPECT_EQ(conflict_field_of([&] { clients_.create(tenant_.id, again, actor_); }), "client_id");
  EXPECT_EQ(audit_count("client.create"), "1");
}

// ----------------------------------------------------------------- grants

class GrantStorePgTest : public test::StoreFixture {
 protected:
  GrantStore& grants() { return clients_; }
  domain::Tenant tenant_ = make_tenant("acme");
  domain::Api api_ = make_api(tenant_.id, "orders", {{"read", ""}, {"write", ""}, {"admin", ""}});
  domain::Client client_ = make_client(tenant_.id);
};

TEST_F(GrantStorePgTest, PutCreatesAndThenReplacesTheScopes) {
  const auto created =
      grants().put(tenant_.id, client_.client_id, api_.id, {"write", "read"}, no_claims_, actor_);
  EXPECT_EQ(created.client_id, client_.client_id);
  EXPECT_EQ(created.api_id, api_.id);
  EXPECT_EQ(created.scopes, (std::vector<std::string>{"read", "write"}));

  const auto replaced =
      grants().put(tenant_.id, client_.client_id, api_.id, {"admin"}, no_claims_, actor_);
  EXPECT_EQ(replaced.scopes, std::vector<std::string>{"admin"});
  const auto listed = grants().list(tenant_.id, client_.client_id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].scopes, std::vector<std::string>{"admin"});

  // A grant may hold no scope at all (SPEC §3.1).
  EXPECT_TRUE(
      grants().put(tenant_.id, client_.client_id, api_.id, {}, no_claims_, actor_).scopes.empty());
  EXPECT_EQ(grants().list(tenant_.id, client_.client_id).size(), 1u);
}

TEST_F(GrantStorePgTest, ScopesMustBelongToTheGrantsApi) {
  const auto other = make_api(tenant_.id, "billing", {{"pay", ""}});
  grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, no_claims_, actor_);
  EXPECT_THROW(
      grants().put(tenant_.id, client_.client_id, api_.id, {"write", "pay"}, no_claims_, actor_),
      pqxx::foreign_key_violation);
  EXPECT_THROW(
      grants().put(tenant_.id, client_.client_id, api_.id, {"nonexistent"}, no_claims_, actor_),
      pqxx::foreign_key_violation);
  // The failed puts changed nothing, audit included.
  EXPECT_EQ(grants().list(tenant_.id, client_.client_id)[0].scopes,
            std::vector<std::string>{"read"});
  EXPECT_EQ(audit_count("grant.put"), "1");
  EXPECT_EQ(
      grants().put(tenant_.id, client_.client_id, other.id, {"pay"}, no_claims_, actor_).scopes,
      std::vector<std::string>{"pay"});
}

TEST_F(GrantStorePgTest, RemoveReportsWhetherThereWasAGrant) {
  grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, no_claims_, actor_);
  EXPECT_TRUE(grants().remove(tenant_.id, client_.client_id, api_.id, actor_));
  EXPECT_FALSE(grants().remove(tenant_.id, client_.client_id, api_.id, actor_));
  EXPECT_TRUE(grants().list(tenant_.id, client_.client_id).empty());
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM grant_scopes"), "0");
  EXPECT_EQ(audit_count("grant.delete"), "1");
}

TEST_F(GrantStorePgTest, RemovingAScopeFromTheApiRemovesItFromEveryGrant) {
  const auto second = make_client(tenant_.id, "second");
  grants().put(tenant_.id, client_.client_id, api_.id, {"read", "write"}, no_claims_, actor_);
  grants().put(tenant_.id, second.client_id, api_.id, {"write"}, no_claims_, actor_);
  ApiPatch patch;
  patch.scopes = std::vector<ApiScope>{{"read", ""}, {"admin", ""}};
  apis_.update(tenant_.id, api_.id, patch, signing_keys(), actor_);
  EXPECT_EQ(grants().list(tenant_.id, client_.client_id)[0].scopes,
            std::vector<std::string>{"read"});
  EXPECT_TRUE(grants().list(tenant_.id, second.client_id)[0].scopes.empty());
}

TEST_F(GrantStorePgTest, DeletingTheApiOrTheClientRemovesTheirGrants) {
  const auto billing = make_api(tenant_.id, "billing", {{"pay", ""}});
  grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, no_claims_, actor_);
  grants().put(tenant_.id, client_.client_id, billing.id, {"pay"}, no_claims_, actor_);
  apis_.remove(tenant_.id, billing.id, signing_keys(), actor_);
  const auto left = grants().list(tenant_.id, client_.client_id);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].api_id, api_.id);

  clients_.remove(tenant_.id, client_.client_id, actor_);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM grants"), "0");
}

TEST_F(GrantStorePgTest, AGrantOnADeletedApiOrClientIsNotFound) {
  const auto billing = make_api(tenant_.id, "billing", {{"pay", ""}});
  apis_.remove(tenant_.id, billing.id, signing_keys(), actor_);
  EXPECT_THROW(grants().put(tenant_.id, client_.client_id, billing.id, {}, no_claims_, actor_),
               NotFound);
  EXPECT_THROW(
      grants().put(tenant_.id, client_.client_id, domain::ApiId{987654}, {}, no_claims_, actor_),
      NotFound);
  clients_.remove(tenant_.id, client_.client_id, actor_);
  EXPECT_THROW(grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, no_claims_, actor_),
               NotFound);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM grants"), "0");
  EXPECT_EQ(audit_count("grant.put"), "0");
}

TEST_F(GrantStorePgTest, APutWaitsForADeleteOfTheApiInProgressAndThenIsNotFound) {
  // The first step of ApiRepository::remove, left uncommitted.
  pqxx::connection deleting(db_.url());
  pqxx::work tx(deleting);
  tx.exec_params("UPDATE apis SET deleted_at = now() WHERE tenant_id = $1 AND id = $2",
                 tenant_.id.value, api_.id.value);

  std::atomic<bool> finished{false};
  std::string outcome;
  std::thread put([&] {
    try {
      grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, no_claims_, actor_);
      outcome = "granted";
    } catch (const NotFound&) {
      outcome = "not found";
    } catch (const std::exception& e) {
      outcome = e.what();
    }
    finished = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(finished) << "the put did not wait for the delete in progress";
  tx.commit();
  put.join();
  EXPECT_EQ(outcome, "not found");
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM grants"), "0");
}

}  // namespace
}  // namespace tessera::store::postgres
