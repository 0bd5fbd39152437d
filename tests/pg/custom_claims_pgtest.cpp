// Custom claims (migration 0010) through ClientRepository and the token
// path's ClientCredentialsRepository, against PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <pqxx/pqxx>

#include "pg/store_fixture.hpp"
#include "store/postgres/client_credentials_repository.hpp"

namespace tessera::store::postgres {
namespace {

using nlohmann::json;

class CustomClaimsPgTest : public test::StoreFixture {
 protected:
  domain::Client make_client_with(const json& claims) {
    NewClient client;
    client.client_id = domain::ClientId{crypto::generate_client_id()};
    client.name = "claims";
    client.claims = claims;
    client.secret.emplace().keyed_hash = std::string(32, 'h');
    return clients_.create(tenant_.id, client, actor_);
  }

  std::string last_audit(const std::string& action, const std::string& member) const {
    return db_.query_value("SELECT details->>'" + member + "' FROM audit_events WHERE action = '" +
                           action + "' ORDER BY id DESC LIMIT 1");
  }

  domain::Tenant tenant_ = make_tenant("acme");
  domain::Api api_ = make_api(tenant_.id, "orders");
};

TEST_F(CustomClaimsPgTest, AClientHasNoClaimsUnlessGiven) {
  const auto plain = make_client(tenant_.id);
  EXPECT_EQ(plain.claims, json::object());
  EXPECT_EQ(clients_.find(tenant_.id, plain.client_id)->claims, json::object());
}

TEST_F(CustomClaimsPgTest, ClientClaimsAreStoredPatchedAsAWholeAndAuditedByName) {
  const json claims = {{"tenant_tier", "gold"}, {"limits", {{"rps", 10}}}};
  const auto created = make_client_with(claims);
  EXPECT_EQ(created.claims, claims);
  EXPECT_EQ(last_audit("client.create", "claims"), R"(["limits", "tenant_tier"])");

  ClientPatch patch;
  patch.name = "renamed";  // claims not in the patch: kept
  EXPECT_EQ(clients_.update(tenant_.id, created.client_id, patch, actor_).claims, claims);

  patch = {};
  patch.claims = json{{"tenant_tier", "silver"}, {"region", "eu"}};
  const auto updated = clients_.update(tenant_.id, created.client_id, patch, actor_);
  EXPECT_EQ(updated.claims, *patch.claims);  // replaced: limits went
  EXPECT_EQ(last_audit("client.update", "changed"), R"(["claims"])");
  // Names only, never values: changed, added, removed.
  EXPECT_EQ(last_audit("client.update", "claims"), R"(["region", "tenant_tier", "limits"])");
  EXPECT_EQ(
      db_.query_value("SELECT count(*) FROM audit_events WHERE details::text LIKE '%silver%'"),
      "0");

  const auto listed = clients_.list(tenant_.id, std::nullopt, 50).items;
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].claims, *patch.claims);

  patch.claims = json::object();  // {} clears
  EXPECT_EQ(clients_.update(tenant_.id, created.client_id, patch, actor_).claims, json::object());
  EXPECT_EQ(clients_.find(tenant_.id, created.client_id)->claims, json::object());
}

TEST_F(CustomClaimsPgTest, AGrantPutStoresItsClaimsWithItsScopesAndReplacesThem) {
  const auto client = make_client(tenant_.id);
  const json claims = {{"department", "billing"}};
  const auto put = clients_.put(tenant_.id, client.client_id, api_.id, {"read"}, claims, actor_);
  EXPECT_EQ(put.claims, claims);
  EXPECT_EQ(put.scopes, std::vector<std::string>{"read"});
  EXPECT_EQ(last_audit("grant.put", "claims"), R"(["department"])");
  EXPECT_EQ(clients_.list(tenant_.id, client.client_id).at(0).claims, claims);

  // A PUT replaces the whole grant: no claims given, none kept.
  const auto replaced =
      clients_.put(tenant_.id, client.client_id, api_.id, {"read"}, no_claims_, actor_);
  EXPECT_EQ(replaced.claims, json::object());
  EXPECT_EQ(clients_.list(tenant_.id, client.client_id).at(0).claims, json::object());
}

TEST_F(CustomClaimsPgTest, TheTokenPathSeesTheClientsAndTheGrantsClaims) {
  const json client_claims = {{"tier", "gold"}, {"region", "eu"}};
  const auto client = make_client_with(client_claims);
  const auto billing = make_api(tenant_.id, "billing", {{"pay", ""}});
  const json grant_claims = {{"tier", "platinum"}, {"ledger", 7}};
  clients_.put(tenant_.id, client.client_id, api_.id, {"read", "write"}, grant_claims, actor_);
  clients_.put(tenant_.id, client.client_id, billing.id, {}, no_claims_, actor_);

  ClientCredentialsRepository token_path(pool_);
  const auto view = token_path.load_client(tenant_.id, client.client_id.value);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->client.claims, client_claims);
  EXPECT_EQ(view->grants.at(api_.id.value), (std::vector<std::string>{"read", "write"}));
  EXPECT_TRUE(view->grants.at(billing.id.value).empty());
  // Only grants that have claims are in the map.
  ASSERT_EQ(view->grant_claims.size(), 1u);
  EXPECT_EQ(view->grant_claims.at(api_.id.value), grant_claims);

  const auto plain = make_client(tenant_.id);
  clients_.put(tenant_.id, plain.client_id, api_.id, {"read"}, no_claims_, actor_);
  const auto plain_view = token_path.load_client(tenant_.id, plain.client_id.value);
  ASSERT_TRUE(plain_view.has_value());
  EXPECT_EQ(plain_view->client.claims, json::object());
  EXPECT_TRUE(plain_view->grant_claims.empty());
}

// The audit event names the claims a PATCH changed against what it
// replaced, also when another change of the same client commits while the
// PATCH waits: the PATCH reads the client only once it holds it (a stale
// read named claims nobody changed).
TEST_F(CustomClaimsPgTest, ThePatchNamesTheClaimsItChangedAfterAConcurrentOne) {
  const auto created = make_client_with({{"a", 1}});
  pqxx::connection other(db_.url());
  pqxx::work holding(other);
  holding.exec_params("UPDATE clients SET claims = '{\"b\": 1}' WHERE client_id = $1",
                      created.client_id.value);
  auto patched = std::async(std::launch::async, [&] {
    ClientPatch patch;
    patch.claims = json{{"b", 1}, {"c", 1}};
    return clients_.update(tenant_.id, created.client_id, patch, actor_);
  });
  // The PATCH is waiting for the row; the other change commits first.
  EXPECT_EQ(patched.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  holding.commit();
  EXPECT_EQ(patched.get().claims, json({{"b", 1}, {"c", 1}}));
  EXPECT_EQ(last_audit("client.update", "claims"), R"(["c"])");
}

}  // namespace
}  // namespace tessera::store::postgres
