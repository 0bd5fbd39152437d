// Tenants are kept apart by the schema itself (SPEC §5): every tenant-owned
// table leads its keys with tenant_id, so a row can only point at rows of its
// own tenant, and every store lookup is scoped by tenant.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <set>
#include <string>

#include "pg/store_fixture.hpp"
#include "store/errors.hpp"

namespace tessera::store::postgres {
namespace {

// Every tenant-owned table of the schema: all but the global lookup tables
// (SPEC §5), the global revocation epoch (one row) and the runner's
// bookkeeping. Token partitions are left out: they
// share the keys of their parent.
constexpr const char* kTenantTables =
    "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
    "AND c.relname NOT IN ('tenants', 'tenant_domains', 'admin_keys', 'revocation_epoch', "
    "'master_keys', 'schema_migrations')";

class TenancyPgTest : public test::StoreFixture {
 protected:
  // Runs one statement on its own connection and reports whether a foreign
  // key refused it.
  bool refused_by_foreign_key(const std::string& sql) {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    try {
      tx.exec(sql);
    } catch (const pqxx::foreign_key_violation&) {
      return true;
    }
    tx.commit();
    return false;
  }

  std::string id(domain::TenantId t) const { return std::to_string(t.value); }
  std::string id(domain::ApiId a) const { return std::to_string(a.value); }
  std::string id(const domain::ClientId& c) const { return "'" + c.value + "'"; }

  domain::Tenant acme_ = make_tenant("acme");
  domain::Tenant globex_ = make_tenant("globex");
  domain::Api acme_api_ = make_api(acme_.id, "https://api.example.com", {{"read", ""}});
  domain::Api globex_api_ =
      make_api(globex_.id, "https://api.example.com", {{"read", ""}, {"pay", ""}});
  domain::Client acme_client_ = make_client(acme_.id);
  domain::Client globex_client_ = make_client(globex_.id);
};

TEST_F(TenancyPgTest, AGrantCannotJoinOneTenantsClientToAnotherTenantsApi) {
  EXPECT_TRUE(refused_by_foreign_key("INSERT INTO grants (tenant_id, client_id, api_id) VALUES (" +
                                     id(acme_.id) + ", " + id(acme_client_.client_id) + ", " +
                                     id(globex_api_.id) + ")"));
  EXPECT_TRUE(refused_by_foreign_key("INSERT INTO grants (tenant_id, client_id, api_id) VALUES (" +
                                     id(globex_.id) + ", " + id(acme_client_.client_id) + ", " +
                                     id(globex_api_.id) + ")"));
  // The same statement within one tenant is accepted: the refusals above are
  // about the tenant, not the statement.
  EXPECT_FALSE(refused_by_foreign_key("INSERT INTO grants (tenant_id, client_id, api_id) VALUES (" +
                                      id(acme_.id) + ", " + id(acme_client_.client_id) + ", " +
                                      id(acme_api_.id) + ")"));
}

TEST_F(TenancyPgTest, AClientSecretCannotBelongToAnotherTenantsClient) {
  const std::string insert =
      "INSERT INTO client_secrets (tenant_id, client_id, kind, keyed_hash) VALUES (";
  const std::string hash = ", 'generated', '\\x" + std::string(64, 'a') + "')";
  EXPECT_TRUE(
      refused_by_foreign_key(insert + id(acme_.id) + ", " + id(globex_client_.client_id) + hash));
  EXPECT_FALSE(
      refused_by_foreign_key(insert + id(acme_.id) + ", " + id(acme_client_.client_id) + hash));
}

TEST_F(TenancyPgTest, AGrantScopeMustBeAScopeOfTheGrantsOwnApi) {
  clients_.put(acme_.id, acme_client_.client_id, acme_api_.id, {}, no_claims_, actor_);
  const auto insert = [&](const std::string& scope) {
    return "INSERT INTO grant_scopes (tenant_id, client_id, api_id, scope) VALUES (" +
           id(acme_.id) + ", " + id(acme_client_.client_id) + ", " + id(acme_api_.id) + ", '" +
           scope + "')";
  };
  // 'pay' is a scope of globex's API with the same identifier, not of acme's.
  EXPECT_TRUE(refused_by_foreign_key(insert("pay")));
  EXPECT_FALSE(refused_by_foreign_key(insert("read")));
  // Nor can a scope be hung on another tenant's API.
  EXPECT_TRUE(refused_by_foreign_key("INSERT INTO api_scopes (tenant_id, api_id, value) VALUES (" +
                                     id(acme_.id) + ", " + id(globex_api_.id) + ", 'extra')"));
}

TEST_F(TenancyPgTest, EveryTenantOwnedTableLeadsItsPrimaryKeyWithTenantId) {
  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  const auto rows =
      tx.exec(std::string("SELECT c.relname, (SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                          "  ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                          "  WHERE i.indrelid = c.oid AND i.indisprimary) "
                          "FROM pg_class c WHERE c.oid IN (") +
              kTenantTables + ") ORDER BY 1");
  std::set<std::string> tables;
  for (const auto& row : rows) {
    const auto table = row[0].as<std::string>();
    tables.insert(table);
    EXPECT_EQ(row[1].is_null() ? "(no primary key)" : row[1].as<std::string>(), "tenant_id")
        << table;
  }
  // Guards the query itself: it must see the tables it is about.
  for (const char* table : {"apis", "api_scopes", "clients", "client_secrets", "grants",
                            "grant_scopes", "signing_keys", "tokens", "audit_events"}) {
    EXPECT_EQ(tables.count(table), 1u) << table;
  }
  for (const char* global : {"tenants", "tenant_domains", "admin_keys", "revocation_epoch",
                             "master_keys", "schema_migrations"}) {
    EXPECT_EQ(tables.count(global), 0u) << global;
  }
}

TEST_F(TenancyPgTest, EveryForeignKeyAndIndexOfATenantOwnedTableLeadsWithTenantId) {
  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  const auto foreign_keys =
      tx.exec(std::string("SELECT k.conrelid::regclass::text || ' ' || k.conname, a.attname "
                          "FROM pg_constraint k JOIN pg_attribute a "
                          "  ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
                          "WHERE k.contype = 'f' AND k.conrelid IN (") +
              kTenantTables + ")");
  EXPECT_GE(foreign_keys.size(), 9u);  // as in 0001_init.sql
  for (const auto& row : foreign_keys) {
    EXPECT_EQ(row[1].as<std::string>(), "tenant_id") << row[0].as<std::string>();
  }
  const auto indexes = tx.exec(
      std::string("SELECT i.indexrelid::regclass::text, coalesce(a.attname, '(expression)') "
                  "FROM pg_index i LEFT JOIN pg_attribute a "
                  "  ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                  "WHERE i.indrelid IN (") +
      kTenantTables + ")");
  EXPECT_GE(indexes.size(), 17u);  // as in 0001_init.sql
  for (const auto& row : indexes) {
    EXPECT_EQ(row[1].as<std::string>(), "tenant_id") << row[0].as<std::string>();
  }
}

TEST_F(TenancyPgTest, StoreLookupsWithAnotherTenantsIdFindNothing) {
  EXPECT_TRUE(apis_.find_by_id(acme_.id, acme_api_.id).has_value());
  EXPECT_FALSE(apis_.find_by_id(globex_.id, acme_api_.id).has_value());
  EXPECT_EQ(apis_.find_by_identifier(globex_.id, "https://api.example.com")->id, globex_api_.id);
  EXPECT_TRUE(clients_.find(acme_.id, acme_client_.client_id).has_value());
  EXPECT_FALSE(clients_.find(globex_.id, acme_client_.client_id).has_value());

  const auto listed = apis_.list(globex_.id, std::nullopt, 50);
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_EQ(listed.items[0].id, globex_api_.id);
  const auto clients = clients_.list(globex_.id, std::nullopt, 50);
  ASSERT_EQ(clients.items.size(), 1u);
  EXPECT_EQ(clients.items[0].client_id, globex_client_.client_id);
}

TEST_F(TenancyPgTest, ChangesThroughAnotherTenantsIdTouchNothing) {
  clients_.put(acme_.id, acme_client_.client_id, acme_api_.id, {"read"}, no_claims_, actor_);

  ApiPatch rename;
  rename.name = "hijacked";
  EXPECT_THROW(apis_.update(globex_.id, acme_api_.id, rename, signing_keys(), actor_), NotFound);
  EXPECT_THROW(apis_.remove(globex_.id, acme_api_.id, signing_keys(), actor_), NotFound);
  ClientPatch disable;
  disable.status = domain::Status::disabled;
  EXPECT_THROW(clients_.update(globex_.id, acme_client_.client_id, disable, actor_), NotFound);
  EXPECT_THROW(clients_.remove(globex_.id, acme_client_.client_id, actor_), NotFound);
  EXPECT_TRUE(clients_.list(globex_.id, acme_client_.client_id).empty());
  EXPECT_FALSE(clients_.remove(globex_.id, acme_client_.client_id, acme_api_.id, actor_));
  EXPECT_THROW(
      clients_.put(globex_.id, acme_client_.client_id, globex_api_.id, {}, no_claims_, actor_),
      NotFound);
  EXPECT_THROW(
      clients_.put(acme_.id, acme_client_.client_id, globex_api_.id, {}, no_claims_, actor_),
      NotFound);

  EXPECT_EQ(apis_.find_by_id(acme_.id, acme_api_.id)->name, acme_api_.name);
  EXPECT_EQ(clients_.find(acme_.id, acme_client_.client_id)->status, domain::Status::active);
  const auto grants = clients_.list(acme_.id, acme_client_.client_id);
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].scopes, std::vector<std::string>{"read"});
}

}  // namespace
}  // namespace tessera::store::postgres
