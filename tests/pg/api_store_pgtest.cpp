// ApiRepository against PostgreSQL.
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

namespace tessera::store::postgres {
namespace {

// ------------------------------------------------------------------- APIs

class ApiStorePgTest : public test::StoreFixture {
 protected:
  domain::Tenant tenant_ = make_tenant("acme");
};

TEST_F(ApiStorePgTest, CreatesAndFindsAnApiWithItsScopesSortedAndDescribed) {
  const auto api = make_api(tenant_.id, "https://api.acme.test",
                            {{"write", "Change things"}, {"read", "See things"}});
  EXPECT_EQ(api.tenant_id, tenant_.id);
  EXPECT_FALSE(api.is_default);
  ASSERT_EQ(api.scopes.size(), 2u);
  EXPECT_EQ(api.scopes[0].value, "read");
  EXPECT_EQ(api.scopes[0].description, "See things");
  EXPECT_EQ(api.scopes[1].value, "write");
  EXPECT_EQ(api.scopes[1].description, "Change things");

  const auto by_id = apis_.find_by_id(tenant_.id, api.id);
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->identifier, "https://api.acme.test");
  EXPECT_EQ(scope_values(by_id->scopes), (std::vector<std::string>{"read", "write"}));
  const auto by_identifier = apis_.find_by_identifier(tenant_.id, "https://api.acme.test");
  ASSERT_TRUE(by_identifier.has_value());
  EXPECT_EQ(by_identifier->id, api.id);
  EXPECT_FALSE(apis_.find_by_identifier(tenant_.id, "https://other.test").has_value());

  const auto page = apis_.list(tenant_.id, std::nullopt, 50);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, api.id);
}

TEST_F(ApiStorePgTest, UpdateReplacesTheScopesAndTheirDescriptions) {
  const auto api = make_api(tenant_.id, "orders", {{"read", "Read"}, {"write", "Write"}});
  ApiPatch patch;
  patch.name = "Orders";
  patch.token_ttl = 120;
  patch.scopes = std::vector<ApiScope>{{"read", "Read orders"}, {"orders:admin", "Administer"}};
  const auto updated = apis_.update(tenant_.id, api.id, patch, signing_keys(), actor_);
  EXPECT_EQ(updated.name, "Orders");
  EXPECT_EQ(updated.token_ttl, 120);
  ASSERT_EQ(updated.scopes.size(), 2u);
  EXPECT_EQ(updated.scopes[0].value, "orders:admin");
  EXPECT_EQ(updated.scopes[1].value, "read");
  EXPECT_EQ(updated.scopes[1].description, "Read orders");
  EXPECT_EQ(scope_values(apis_.find_by_id(tenant_.id, api.id)->scopes),
            (std::vector<std::string>{"orders:admin", "read"}));
}

TEST_F(ApiStorePgTest, IsDefaultMovesFromOneApiToTheOther) {
  const auto first = make_api(tenant_.id, "first", {}, true);
  EXPECT_TRUE(first.is_default);
  const auto second = make_api(tenant_.id, "second", {}, true);
  EXPECT_TRUE(second.is_default);
  EXPECT_FALSE(apis_.find_by_id(tenant_.id, first.id)->is_default);

  ApiPatch back;
  back.is_default = true;
  EXPECT_TRUE(apis_.update(tenant_.id, first.id, back, signing_keys(), actor_).is_default);
  EXPECT_TRUE(apis_.find_by_id(tenant_.id, first.id)->is_default);
  EXPECT_FALSE(apis_.find_by_id(tenant_.id, second.id)->is_default);

  ApiPatch none;
  none.is_default = false;
  apis_.update(tenant_.id, first.id, none, signing_keys(), actor_);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM apis WHERE is_default"), "0");
}

TEST_F(ApiStorePgTest, AnIdentifierIsUniqueWithinATenantButNotAcrossTenants) {
  make_api(tenant_.id, "https://api.example.com");
  EXPECT_EQ(conflict_field_of([&] { make_api(tenant_.id, "https://api.example.com"); }),
            "identifier");
  EXPECT_EQ(audit_count("api.create"), "1");

  const auto other = make_tenant("globex");
  const auto theirs = make_api(other.id, "https://api.example.com");
  EXPECT_EQ(theirs.tenant_id, other.id);
  EXPECT_EQ(apis_.find_by_identifier(other.id, "https://api.example.com")->id, theirs.id);
}

TEST_F(ApiStorePgTest, ADeletedApiIsGoneButKeepsItsRowAndFreesItsIdentifier) {
  const auto api = make_api(tenant_.id, "orders", {{"read", ""}}, true);
  apis_.remove(tenant_.id, api.id, signing_keys(), actor_);
  EXPECT_FALSE(apis_.find_by_id(tenant_.id, api.id).has_value());
  EXPECT_FALSE(apis_.find_by_identifier(tenant_.id, "orders").has_value());
  EXPECT_TRUE(apis_.list(tenant_.id, std::nullopt, 50).items.empty());
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM apis WHERE deleted_at IS NOT NULL AND NOT "
                            "is_default AND id = " +
                            std::to_string(api.id.value)),
            "1");
  EXPECT_THROW(apis_.update(tenant_.id, api.id, ApiPatch{}, signing_keys(), actor_), NotFound);
  EXPECT_THROW(apis_.remove(tenant_.id, api.id, signing_keys(), actor_), NotFound);

  const auto again = make_api(tenant_.id, "orders", {{"read", ""}}, true);
  EXPECT_NE(again.id, api.id);
  EXPECT_EQ(apis_.find_by_identifier(tenant_.id, "orders")->id, again.id);
}

TEST_F(ApiStorePgTest, PagesOfApisFollowTheCursor) {
  std::vector<domain::ApiId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(make_api(tenant_.id, "api-" + std::to_string(i)).id);
  const auto first = apis_.list(tenant_.id, std::nullopt, 3);
  ASSERT_EQ(first.items.size(), 3u);
  ASSERT_TRUE(first.next_cursor.has_value());
  const auto second = apis_.list(tenant_.id, std::stoll(*first.next_cursor), 3);
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_FALSE(second.next_cursor.has_value());
  EXPECT_EQ(second.items[1].id, ids.back());
}

}  // namespace
}  // namespace tessera::store::postgres
