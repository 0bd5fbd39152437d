// TenantRepository against PostgreSQL, and the audit events every store writes.
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
  const auto updated = tenants_.update(tenant.id, patch, signing_keys(), actor_, "tenant.update");
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
  const auto cleared = tenants_.update(tenant.id, clear, signing_keys(), actor_, "tenant.update");
  EXPECT_FALSE(cleared.default_token_ttl.has_value());
  EXPECT_EQ(cleared.token_format, domain::TokenFormat::jwt);
  EXPECT_EQ(cleared.status, domain::Status::disabled);
  EXPECT_EQ(tenants_.find_by_slug("acme")->name, "Acme Corp");
}

TEST_F(TenantStorePgTest, UpdatingAnAbsentTenantIsNotFoundAndWritesNothing) {
  TenantPatch patch;
  patch.domains = std::vector<std::string>{"ghost.test"};
  EXPECT_THROW(
      tenants_.update(domain::TenantId{424242}, patch, signing_keys(), actor_, "tenant.update"),
      NotFound);
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

// ------------------------------------------------------------------ audit

class AuditPgTest : public test::StoreFixture {};

TEST_F(AuditPgTest, EveryChangeWritesOneEventByItsActorInItsTransaction) {
  const auto tenant = make_tenant("acme");
  TenantPatch rename;
  rename.name = "Acme Corp";
  tenants_.update(tenant.id, rename, signing_keys(), actor_, "tenant.update");
  const auto api = make_api(tenant.id, "orders");
  apis_.update(tenant.id, api.id, ApiPatch{}, signing_keys(), actor_);
  const auto client = make_client(tenant.id);
  clients_.update(tenant.id, client.client_id, ClientPatch{}, actor_);
  clients_.put(tenant.id, client.client_id, api.id, {"read"}, no_claims_, actor_);
  clients_.remove(tenant.id, client.client_id, api.id, actor_);
  clients_.remove(tenant.id, client.client_id, actor_);
  apis_.remove(tenant.id, api.id, signing_keys(), actor_);

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
  EXPECT_EQ(db_.query_value("SELECT details = '{\"name\": \"worker\", \"secret\": \"generated\", "
                            "\"token_endpoint_auth_method\": \"client_secret_basic\", "
                            "\"dpop\": \"allowed\", \"dpop_nonce\": false, \"claims\": []}'"
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
