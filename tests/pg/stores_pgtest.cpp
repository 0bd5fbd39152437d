// The PostgreSQL stores behind the admin API (SPEC §4, §5): what they write,
// what they refuse, and the audit event each change leaves.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "crypto/password_hash.hpp"
#include "crypto/sealed.hpp"
#include "domain/validation.hpp"
#include "pg/store_fixture.hpp"
#include "store/errors.hpp"

namespace tessera::store::postgres {
namespace {

using domain::ApiScope;

// Runs `body` and returns the store::Conflict's field; fails the test when
// nothing or something else is thrown.
template <typename Body>
std::string conflict_field_of(Body&& body) {
  try {
    body();
  } catch (const Conflict& e) {
    return e.field();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected store::Conflict, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected store::Conflict, nothing was thrown";
  return "";
}

std::vector<std::string> scope_values(const std::vector<ApiScope>& scopes) {
  std::vector<std::string> values;
  for (const auto& s : scopes) values.push_back(s.value);
  return values;
}

// ---------------------------------------------------------------- tenants

class TenantStorePgTest : public test::StoreFixture {};

TEST_F(TenantStorePgTest, CreatesAndFindsATenantWithNormalisedDomains) {
  const auto created = make_tenant("acme", {domain::normalize_domain("Auth.ACME.Example"),
                                            domain::normalize_domain("acme.test")});
  EXPECT_EQ(created.slug, "acme");
  EXPECT_EQ(created.status, domain::Status::active);
  EXPECT_EQ(created.domains, (std::vector<std::string>{"acme.test", "auth.acme.example"}));

  const auto found = tenants_.find_by_slug("acme");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, created.id);
  EXPECT_EQ(found->name, "Tenant acme");
  EXPECT_EQ(found->domains, created.domains);
  EXPECT_FALSE(found->default_token_ttl.has_value());
  EXPECT_FALSE(found->token_format.has_value());
  EXPECT_FALSE(tenants_.find_by_slug("other").has_value());
}

TEST_F(TenantStorePgTest, TheSchemaRefusesADomainThatWasNotNormalised) {
  EXPECT_THROW(make_tenant("acme", {"Auth.Acme.Example"}), pqxx::check_violation);
  EXPECT_FALSE(tenants_.find_by_slug("acme").has_value());
}

TEST_F(TenantStorePgTest, UpdatesSettingsDomainsAndStatus) {
  const auto tenant = make_tenant("acme", {"old.acme.test"});
  TenantPatch patch;
  patch.name = "Acme Corp";
  patch.default_token_ttl = 600;
  patch.token_format = domain::TokenFormat::jwt;
  patch.domains = std::vector<std::string>{"new.acme.test"};
  patch.status = domain::Status::disabled;
  const auto updated = tenants_.update(tenant.id, patch, actor_, "tenant.update");
  EXPECT_EQ(updated.name, "Acme Corp");
  EXPECT_EQ(updated.default_token_ttl, 600);
  EXPECT_EQ(updated.token_format, domain::TokenFormat::jwt);
  EXPECT_EQ(updated.domains, std::vector<std::string>{"new.acme.test"});
  EXPECT_EQ(updated.status, domain::Status::disabled);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM tenant_domains WHERE domain = 'old.acme.test'"),
            "0");

  // An inner nullopt clears a setting; fields not in the patch stay.
  TenantPatch clear;
  clear.default_token_ttl = std::optional<int>{};
  const auto cleared = tenants_.update(tenant.id, clear, actor_, "tenant.update");
  EXPECT_FALSE(cleared.default_token_ttl.has_value());
  EXPECT_EQ(cleared.token_format, domain::TokenFormat::jwt);
  EXPECT_EQ(cleared.status, domain::Status::disabled);
  EXPECT_EQ(tenants_.find_by_slug("acme")->name, "Acme Corp");
}

TEST_F(TenantStorePgTest, UpdatingAnAbsentTenantIsNotFoundAndWritesNothing) {
  TenantPatch patch;
  patch.domains = std::vector<std::string>{"ghost.test"};
  EXPECT_THROW(tenants_.update(domain::TenantId{424242}, patch, actor_, "tenant.update"), NotFound);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM tenant_domains"), "0");
  EXPECT_EQ(audit_count("tenant.update"), "0");
}

TEST_F(TenantStorePgTest, ADuplicateSlugIsAConflictOnSlugAndLeavesNoTrace) {
  make_tenant("acme");
  EXPECT_EQ(conflict_field_of([&] { make_tenant("acme", {"second.acme.test"}); }), "slug");
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM tenants"), "1");
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM tenant_domains"), "0");
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM signing_keys"), "2");
  EXPECT_EQ(audit_count("tenant.create"), "1");
}

TEST_F(TenantStorePgTest, ADomainUsedByAnotherTenantIsAConflictOnDomains) {
  make_tenant("acme", {"auth.example.com"});
  EXPECT_EQ(conflict_field_of([&] { make_tenant("globex", {"auth.example.com"}); }), "domains");
  EXPECT_FALSE(tenants_.find_by_slug("globex").has_value());
}

TEST_F(TenantStorePgTest, PagesOfThreeVisitEveryTenantExactlyOnce) {
  std::set<std::string> slugs;
  for (int i = 0; i < 7; ++i) slugs.insert(make_tenant("tenant-" + std::to_string(i)).slug);

  std::multiset<std::string> seen;
  std::vector<std::size_t> sizes;
  std::optional<std::int64_t> after;
  for (int guard = 0; guard < 10; ++guard) {
    const auto page = tenants_.list(std::nullopt, after, 3);
    sizes.push_back(page.items.size());
    for (const auto& t : page.items) seen.insert(t.slug);
    if (!page.next_cursor) break;
    after = std::stoll(*page.next_cursor);
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
  EXPECT_EQ(seen, std::multiset<std::string>(slugs.begin(), slugs.end()));

  // A page that holds exactly what is left has no cursor either.
  EXPECT_FALSE(tenants_.list(std::nullopt, std::nullopt, 7).next_cursor.has_value());
  // A tenant key lists only its own tenant.
  const auto own = tenants_.find_by_slug("tenant-4")->id;
  const auto only = tenants_.list(own, std::nullopt, 3);
  ASSERT_EQ(only.items.size(), 1u);
  EXPECT_EQ(only.items[0].slug, "tenant-4");
  EXPECT_FALSE(only.next_cursor.has_value());
}

TEST_F(TenantStorePgTest, ANewTenantHasOneActiveAndOneNextKeySealedAtRest) {
  const auto tenant = make_tenant("acme");
  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  const auto rows = tx.exec_params(
      "SELECT state, kid, public_key, sealed_private_key, "
      "       position(public_key IN sealed_private_key) = 0, activated_at IS NOT NULL "
      "FROM signing_keys WHERE tenant_id = $1 ORDER BY state",
      tenant.id.value);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].as<std::string>(), "active");
  EXPECT_EQ(rows[1][0].as<std::string>(), "next");
  EXPECT_TRUE(rows[0][5].as<bool>());
  EXPECT_FALSE(rows[1][5].as<bool>());

  const auto seal_key = master_.derive(crypto::KeyPurpose::signing_key_seal);
  for (const auto& row : rows) {
    ASSERT_FALSE(row[3].is_null());
    // libsodium's Ed25519 secret key ends with the public key: stored in the
    // clear, it would contain it.
    EXPECT_TRUE(row[4].as<bool>()) << "the private key is stored unsealed";
    const auto kid = row[1].as<std::string>();
    const auto public_key = pqxx::binarystring(row[2]).str();
    const auto sealed = pqxx::binarystring(row[3]).str();
    const auto opened =
        crypto::open_sealed(seal_key, sealed, crypto::signing_key_associated_data(tenant.id, kid));
    ASSERT_TRUE(opened.has_value()) << kid;
    ASSERT_EQ(opened->size(), 64u);
    EXPECT_EQ(opened->substr(32), public_key);
    // Bound to its row: under another tenant's associated data it won't open.
    EXPECT_FALSE(crypto::open_sealed(seal_key, sealed,
                                     crypto::signing_key_associated_data(
                                         domain::TenantId{tenant.id.value + 1}, kid))
                     .has_value());
  }
}

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
  const auto updated = apis_.update(tenant_.id, api.id, patch, actor_);
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
  EXPECT_TRUE(apis_.update(tenant_.id, first.id, back, actor_).is_default);
  EXPECT_TRUE(apis_.find_by_id(tenant_.id, first.id)->is_default);
  EXPECT_FALSE(apis_.find_by_id(tenant_.id, second.id)->is_default);

  ApiPatch none;
  none.is_default = false;
  apis_.update(tenant_.id, first.id, none, actor_);
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
  apis_.remove(tenant_.id, api.id, actor_);
  EXPECT_FALSE(apis_.find_by_id(tenant_.id, api.id).has_value());
  EXPECT_FALSE(apis_.find_by_identifier(tenant_.id, "orders").has_value());
  EXPECT_TRUE(apis_.list(tenant_.id, std::nullopt, 50).items.empty());
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM apis WHERE deleted_at IS NOT NULL AND NOT "
                            "is_default AND id = " +
                            std::to_string(api.id.value)),
            "1");
  EXPECT_THROW(apis_.update(tenant_.id, api.id, ApiPatch{}, actor_), NotFound);
  EXPECT_THROW(apis_.remove(tenant_.id, api.id, actor_), NotFound);

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
  client.secret.keyed_hash = hash;
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
  client.secret.argon2_hash = crypto::password_hash("a secret someone chose, 32+ chars long");
  clients_.create(tenant_.id, client, actor_);

  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  const auto row = tx.exec_params1(
      "SELECT kind, argon2_hash, keyed_hash IS NULL FROM client_secrets "
      "WHERE tenant_id = $1 AND client_id = $2",
      tenant_.id.value, client.client_id.value);
  EXPECT_EQ(row[0].as<std::string>(), "imported");
  EXPECT_EQ(row[1].as<std::string>(), *client.secret.argon2_hash);
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
  again.secret.keyed_hash = std::string(32, 'h');
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
      grants().put(tenant_.id, client_.client_id, api_.id, {"write", "read"}, actor_);
  EXPECT_EQ(created.client_id, client_.client_id);
  EXPECT_EQ(created.api_id, api_.id);
  EXPECT_EQ(created.scopes, (std::vector<std::string>{"read", "write"}));

  const auto replaced = grants().put(tenant_.id, client_.client_id, api_.id, {"admin"}, actor_);
  EXPECT_EQ(replaced.scopes, std::vector<std::string>{"admin"});
  const auto listed = grants().list(tenant_.id, client_.client_id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].scopes, std::vector<std::string>{"admin"});

  // A grant may hold no scope at all (SPEC §3.1).
  EXPECT_TRUE(grants().put(tenant_.id, client_.client_id, api_.id, {}, actor_).scopes.empty());
  EXPECT_EQ(grants().list(tenant_.id, client_.client_id).size(), 1u);
}

TEST_F(GrantStorePgTest, ScopesMustBelongToTheGrantsApi) {
  const auto other = make_api(tenant_.id, "billing", {{"pay", ""}});
  grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, actor_);
  EXPECT_THROW(grants().put(tenant_.id, client_.client_id, api_.id, {"write", "pay"}, actor_),
               pqxx::foreign_key_violation);
  EXPECT_THROW(grants().put(tenant_.id, client_.client_id, api_.id, {"nonexistent"}, actor_),
               pqxx::foreign_key_violation);
  // The failed puts changed nothing, audit included.
  EXPECT_EQ(grants().list(tenant_.id, client_.client_id)[0].scopes,
            std::vector<std::string>{"read"});
  EXPECT_EQ(audit_count("grant.put"), "1");
  EXPECT_EQ(grants().put(tenant_.id, client_.client_id, other.id, {"pay"}, actor_).scopes,
            std::vector<std::string>{"pay"});
}

TEST_F(GrantStorePgTest, RemoveReportsWhetherThereWasAGrant) {
  grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, actor_);
  EXPECT_TRUE(grants().remove(tenant_.id, client_.client_id, api_.id, actor_));
  EXPECT_FALSE(grants().remove(tenant_.id, client_.client_id, api_.id, actor_));
  EXPECT_TRUE(grants().list(tenant_.id, client_.client_id).empty());
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM grant_scopes"), "0");
  EXPECT_EQ(audit_count("grant.delete"), "1");
}

TEST_F(GrantStorePgTest, RemovingAScopeFromTheApiRemovesItFromEveryGrant) {
  const auto second = make_client(tenant_.id, "second");
  grants().put(tenant_.id, client_.client_id, api_.id, {"read", "write"}, actor_);
  grants().put(tenant_.id, second.client_id, api_.id, {"write"}, actor_);
  ApiPatch patch;
  patch.scopes = std::vector<ApiScope>{{"read", ""}, {"admin", ""}};
  apis_.update(tenant_.id, api_.id, patch, actor_);
  EXPECT_EQ(grants().list(tenant_.id, client_.client_id)[0].scopes,
            std::vector<std::string>{"read"});
  EXPECT_TRUE(grants().list(tenant_.id, second.client_id)[0].scopes.empty());
}

TEST_F(GrantStorePgTest, DeletingTheApiOrTheClientRemovesTheirGrants) {
  const auto billing = make_api(tenant_.id, "billing", {{"pay", ""}});
  grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, actor_);
  grants().put(tenant_.id, client_.client_id, billing.id, {"pay"}, actor_);
  apis_.remove(tenant_.id, billing.id, actor_);
  const auto left = grants().list(tenant_.id, client_.client_id);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].api_id, api_.id);

  clients_.remove(tenant_.id, client_.client_id, actor_);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM grants"), "0");
}

TEST_F(GrantStorePgTest, AGrantOnADeletedApiOrClientIsNotFound) {
  const auto billing = make_api(tenant_.id, "billing", {{"pay", ""}});
  apis_.remove(tenant_.id, billing.id, actor_);
  EXPECT_THROW(grants().put(tenant_.id, client_.client_id, billing.id, {}, actor_), NotFound);
  EXPECT_THROW(grants().put(tenant_.id, client_.client_id, domain::ApiId{987654}, {}, actor_),
               NotFound);
  clients_.remove(tenant_.id, client_.client_id, actor_);
  EXPECT_THROW(grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, actor_), NotFound);
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
      grants().put(tenant_.id, client_.client_id, api_.id, {"read"}, actor_);
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

// ------------------------------------------------------------------ audit

class AuditPgTest : public test::StoreFixture {};

TEST_F(AuditPgTest, EveryChangeWritesOneEventByItsActorInItsTransaction) {
  const auto tenant = make_tenant("acme");
  TenantPatch rename;
  rename.name = "Acme Corp";
  tenants_.update(tenant.id, rename, actor_, "tenant.update");
  const auto api = make_api(tenant.id, "orders");
  apis_.update(tenant.id, api.id, ApiPatch{}, actor_);
  const auto client = make_client(tenant.id);
  clients_.update(tenant.id, client.client_id, ClientPatch{}, actor_);
  clients_.put(tenant.id, client.client_id, api.id, {"read"}, actor_);
  clients_.remove(tenant.id, client.client_id, api.id, actor_);
  clients_.remove(tenant.id, client.client_id, actor_);
  apis_.remove(tenant.id, api.id, actor_);

  for (const char* action :
       {"tenant.create", "tenant.update", "api.create", "api.update", "client.create",
        "client.update", "grant.put", "grant.delete", "client.delete", "api.delete"}) {
    EXPECT_EQ(audit_count(action), "1") << action;
  }
  const auto actor_id = std::to_string(actor_.key_id.value);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM audit_events WHERE tenant_id = " +
                            std::to_string(tenant.id.value) + " AND actor_key_id = " + actor_id),
            "10");
  // The bootstrap key of the fixture: no actor, no tenant.
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM audit_events WHERE action = 'admin_key.create' "
                            "AND tenant_id = 0 AND actor_key_id IS NULL AND target_id = '" +
                            actor_id + "'"),
            "1");
  // Details say what changed, never a secret or its hash.
  EXPECT_EQ(db_.query_value("SELECT details = '{\"name\": \"worker\", \"secret\": \"generated\"}'"
                            " FROM audit_events WHERE action = 'client.create'"),
            "t");
}

TEST_F(AuditPgTest, AFailedChangeLeavesNoEvent) {
  const auto tenant = make_tenant("acme");
  make_api(tenant.id, "orders");
  EXPECT_THROW(make_tenant("acme"), Conflict);
  EXPECT_THROW(make_api(tenant.id, "orders"), Conflict);
  EXPECT_EQ(audit_count("tenant.create"), "1");
  EXPECT_EQ(audit_count("api.create"), "1");
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM audit_events"), "3");
}

}  // namespace
}  // namespace tessera::store::postgres
