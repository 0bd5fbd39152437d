// What a tenant key may not do over the admin API (SPEC §4): the operations
// reserved to superadmins are 403, other tenants stay absent (404), and the
// keys of a disabled tenant are 403 on every route until a superadmin
// enables the tenant again.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "e2e/admin_api.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

class AdminBoundsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new AdminServer(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(shared_, nullptr) << "the shared server did not start";
    // Each test has a tenant of its own with a key, and a neighbour.
    own_ = new_tenant("own");
    other_ = new_tenant("other");
    ASSERT_FALSE(own_.empty());
    ASSERT_FALSE(other_.empty());
    auto key = admin().post("/admin-keys", {{"name", "Tenant key"}, {"tenant", own_}});
    ASSERT_TRUE(IsJsonAnswer(key, 201));
    own_key_ = key.json()["key"].get<std::string>();
    own_key_id_ = key.json()["id"].dump();
  }

  static AdminApi admin() { return AdminApi(*shared_); }
  static AdminApi admin_as(const std::string& key) {
    return AdminApi(shared_->server.admin_url(), key);
  }
  AdminApi as_tenant() const { return admin_as(own_key_); }

  // A new tenant with a domain of its own; its slug ("" after a failure).
  static std::string new_tenant(const std::string& prefix) {
    const auto slug = unique_name(prefix);
    auto response = admin().post(
        "/tenants", {{"slug", slug}, {"name", "Tenant " + slug}, {"domains", {slug + ".test"}}});
    EXPECT_TRUE(IsJsonAnswer(response, 201));
    return response.status == 201 ? slug : "";
  }
  static json tenant_as_superadmin_sees_it(const std::string& slug) {
    auto response = admin().get("/tenants/" + slug);
    EXPECT_TRUE(IsJsonAnswer(response, 200));
    return response.status == 200 ? response.json() : json();
  }
  std::string query(const std::string& sql) const { return shared_->db.query_value(sql); }

  static AdminServer* shared_;
  std::string own_;
  std::string other_;
  std::string own_key_;
  std::string own_key_id_;
};

AdminServer* AdminBoundsE2eTest::shared_ = nullptr;

struct Call {
  const char* name;
  std::string method;
  std::string path;
  std::string body;
};

// --- Superadmin-only operations -------------------------------------------

TEST_F(AdminBoundsE2eTest, ATenantKeyIsForbiddenEveryOperationReservedToSuperadmins) {
  const auto own = "/tenants/" + own_;
  const auto new_slug = unique_name("never");
  const std::vector<Call> calls = {
      {"create a tenant", "POST", "/tenants", json{{"slug", new_slug}, {"name", "Never"}}.dump()},
      {"a key for no tenant", "POST", "/admin-keys", R"({"name":"Super"})"},
      {"a key for another tenant", "POST", "/admin-keys",
       json{{"name", "Foreign"}, {"tenant", other_}}.dump()},
      {"a key for a tenant that does not exist", "POST", "/admin-keys",
       R"({"name":"Ghost","tenant":"no-such-tenant"})"},
      {"delete (disable) its own tenant", "DELETE", own, ""},
      {"disable its own tenant", "PATCH", own, R"({"status":"disabled"})"},
      {"set its own status to active", "PATCH", own, R"({"status":"active"})"},
      {"a status that is not one", "PATCH", own, R"({"status":"gone"})"},
      {"a null status", "PATCH", own, R"({"status":null})"},
      {"claim another tenant's domain", "PATCH", own, json{{"domains", {other_ + ".test"}}}.dump()},
      {"claim a new domain", "PATCH", own, R"({"domains":["free.example.com"]})"},
      {"remove its domains", "PATCH", own, R"({"domains":[]})"},
      {"repeat its own domains", "PATCH", own, json{{"domains", {own_ + ".test"}}}.dump()},
      {"domains that are not domains", "PATCH", own, R"({"domains":"x"})"},
      {"rename along with domains", "PATCH", own,
       R"({"name":"Renamed","domains":["free.example.com"]})"},
  };
  const auto before = tenant_as_superadmin_sees_it(own_);
  const auto keys_before = query("SELECT count(*) FROM admin_keys");
  for (const auto& c : calls) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(IsAdminError(as_tenant().send(c.method, c.path, c.body), 403, "forbidden"));
  }
  EXPECT_EQ(tenant_as_superadmin_sees_it(own_), before) << "nothing changed";
  EXPECT_EQ(tenant_as_superadmin_sees_it(other_)["domains"], json::array({other_ + ".test"}));
  EXPECT_EQ(query("SELECT count(*) FROM admin_keys"), keys_before) << "no key was made";
  EXPECT_EQ(query("SELECT count(*) FROM tenants WHERE slug = '" + new_slug + "'"), "0");
}

TEST_F(AdminBoundsE2eTest, ATenantKeyStillChangesItsTenantsOtherSettings) {
  auto patched =
      as_tenant().patch("/tenants/" + own_,
                        {{"name", "Renamed"}, {"default_token_ttl", 900}, {"token_format", "jwt"}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_EQ(patched.json()["name"], "Renamed");
  EXPECT_EQ(patched.json()["default_token_ttl"], 900);
  EXPECT_EQ(patched.json()["token_format"], "jwt");
  EXPECT_EQ(patched.json()["status"], "active");
  EXPECT_EQ(patched.json()["domains"], json::array({own_ + ".test"}));
  auto sibling = as_tenant().post("/admin-keys", {{"name", "Sibling"}, {"tenant", own_}});
  EXPECT_TRUE(IsJsonAnswer(sibling, 201));
}

TEST_F(AdminBoundsE2eTest, AnotherTenantStays404EvenForTheReservedOperations) {
  for (const auto& slug : {other_, std::string("no-such-tenant")}) {
    const auto path = "/tenants/" + slug;
    const std::vector<Call> calls = {
        {"delete", "DELETE", path, ""},
        {"patch the status", "PATCH", path, R"({"status":"disabled"})"},
        {"patch the domains", "PATCH", path, R"({"domains":[]})"},
        {"patch the name", "PATCH", path, R"({"name":"Taken"})"},
    };
    for (const auto& c : calls) {
      SCOPED_TRACE(slug + ": " + c.name);
      EXPECT_TRUE(IsAdminError(as_tenant().send(c.method, c.path, c.body), 404, "not_found"));
    }
  }
  const auto other = tenant_as_superadmin_sees_it(other_);
  EXPECT_EQ(other["status"], "active");
  EXPECT_EQ(other["name"], "Tenant " + other_);
}

TEST_F(AdminBoundsE2eTest, ASuperadminStillChangesAnyTenantsStatusAndDomains) {
  const auto path = "/tenants/" + own_;
  auto patched = admin().patch(path, {{"status", "disabled"}, {"domains", {"moved.example.com"}}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_EQ(patched.json()["status"], "disabled");
  EXPECT_EQ(patched.json()["domains"], json::array({"moved.example.com"}));
  EXPECT_TRUE(IsJsonAnswer(admin().patch(path, {{"status", "active"}}), 200));
  EXPECT_EQ(admin().del(path).status, 204);
  EXPECT_EQ(tenant_as_superadmin_sees_it(own_)["status"], "disabled");
}

// --- Keys of a disabled tenant --------------------------------------------

TEST_F(AdminBoundsE2eTest, ATenantKeyCannotReenableItsTenantAfterASuperadminDisabledIt) {
  ASSERT_EQ(admin().del("/tenants/" + own_).status, 204);
  EXPECT_TRUE(IsAdminError(as_tenant().patch("/tenants/" + own_, {{"status", "active"}}), 403,
                           "forbidden"));
  EXPECT_EQ(tenant_as_superadmin_sees_it(own_)["status"], "disabled");
}

TEST_F(AdminBoundsE2eTest, AKeyOfADisabledTenantIsForbiddenOnEveryRouteAtOnce) {
  const auto own = "/tenants/" + own_;
  // Something to reach under the tenant, made while it is active.
  auto client = as_tenant().post(own + "/clients", {{"name", "Before"}});
  ASSERT_TRUE(IsJsonAnswer(client, 201));
  const auto client_path = own + "/clients/" + client.json()["client_id"].get<std::string>();
  ASSERT_EQ(admin().patch(own, {{"status", "disabled"}}).status, 200);

  // Reads first, then changes; those that would undo the test come last.
  const std::vector<Call> calls = {
      {"list tenants", "GET", "/tenants", ""},
      {"read its tenant", "GET", own, ""},
      {"list admin keys", "GET", "/admin-keys", ""},
      {"list clients", "GET", own + "/clients", ""},
      {"create a client", "POST", own + "/clients", R"({"name":"After"})"},
      {"read a client", "GET", client_path, ""},
      {"rotate a secret", "POST", client_path + "/secrets", "{}"},
      {"list APIs", "GET", own + "/apis", ""},
      {"create an API", "POST", own + "/apis",
       R"({"identifier":"https://after.test","name":"After","scopes":[]})"},
      {"list tokens", "GET", own + "/tokens", ""},
      {"revoke tokens", "POST", own + "/tokens/revoke", "{}"},
      {"list signing keys", "GET", own + "/signing-keys", ""},
      {"rotate signing keys", "POST", own + "/signing-keys/rotate", "{}"},
      {"list audit events", "GET", own + "/audit-events", ""},
      // Before any route logic: not the 404 of another or an unknown tenant.
      {"read another tenant", "GET", "/tenants/" + other_, ""},
      {"read an unknown tenant", "GET", "/tenants/no-such-tenant", ""},
      {"read an unknown client", "GET", own + "/clients/no-such-client", ""},
      {"rename its tenant", "PATCH", own, R"({"name":"Renamed"})"},
      {"create a sibling key", "POST", "/admin-keys",
       json{{"name", "Sibling"}, {"tenant", own_}}.dump()},
      {"re-enable its tenant", "PATCH", own, R"({"status":"active"})"},
      {"delete its tenant", "DELETE", own, ""},
      {"delete its own key", "DELETE", "/admin-keys/" + own_key_id_, ""},
  };
  const auto audit_before = query("SELECT count(*) FROM audit_events");
  for (const auto& c : calls) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(IsAdminError(as_tenant().send(c.method, c.path, c.body), 403, "forbidden"));
  }
  EXPECT_EQ(query("SELECT count(*) FROM audit_events"), audit_before) << "nothing changed";
  EXPECT_EQ(query("SELECT count(*) FROM admin_keys WHERE id = " + own_key_id_ +
                  " AND revoked_at IS NULL"),
            "1");
  EXPECT_EQ(tenant_as_superadmin_sees_it(own_)["status"], "disabled");
}

TEST_F(AdminBoundsE2eTest, ADisabledTenantsKeyWorksAgainOnceASuperadminEnablesIt) {
  const auto own = "/tenants/" + own_;
  ASSERT_EQ(admin().del(own).status, 204);
  EXPECT_TRUE(IsAdminError(as_tenant().get(own), 403, "forbidden"));

  auto enabled = admin().patch(own, {{"status", "active"}});
  ASSERT_TRUE(IsJsonAnswer(enabled, 200));
  EXPECT_EQ(enabled.json()["status"], "active");
  EXPECT_TRUE(IsJsonAnswer(as_tenant().get(own), 200));
  EXPECT_TRUE(IsJsonAnswer(as_tenant().get("/admin-keys"), 200));
  EXPECT_TRUE(IsJsonAnswer(as_tenant().post(own + "/clients", {{"name", "After"}}), 201));
  // Another tenant is absent again, not forbidden.
  EXPECT_TRUE(IsAdminError(as_tenant().get("/tenants/" + other_), 404, "not_found"));
}

TEST_F(AdminBoundsE2eTest, DisablingOneTenantLeavesOtherKeysWorking) {
  auto other_key = admin().post("/admin-keys", {{"name", "Neighbour"}, {"tenant", other_}});
  ASSERT_TRUE(IsJsonAnswer(other_key, 201));
  ASSERT_EQ(admin().del("/tenants/" + own_).status, 204);
  EXPECT_TRUE(IsJsonAnswer(
      admin_as(other_key.json()["key"].get<std::string>()).get("/tenants/" + other_), 200));
  EXPECT_TRUE(IsJsonAnswer(admin().get("/tenants/" + own_), 200));
  EXPECT_TRUE(IsJsonAnswer(admin().get("/admin-keys"), 200));
}

}  // namespace
}  // namespace tessera::test
