// The admin API's APIs, clients and grants over HTTP (SPEC §4), their audit
// events, and the rule that a client secret is shown once and never again.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "e2e/admin_api.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

class AdminResourcesE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new AdminServer(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(shared_, nullptr) << "the shared server did not start";
    // Each test works in a tenant of its own.
    slug_ = unique_name("res");
    auto response = admin().post("/tenants", {{"slug", slug_}, {"name", "Resources"}});
    ASSERT_TRUE(IsJsonAnswer(response, 201));
    tenant_id_ = std::to_string(response.json()["id"].get<std::int64_t>());
  }

  static AdminApi admin() { return AdminApi(*shared_); }
  std::string tenant_path() const { return "/tenants/" + slug_; }

  // POSTs under the test's tenant and expects 201; null JSON otherwise.
  json create(const std::string& collection, const json& body) const {
    auto response = admin().post(tenant_path() + "/" + collection, body);
    EXPECT_TRUE(IsJsonAnswer(response, 201)) << body.dump();
    return response.status == 201 ? response.json() : json();
  }
  json create_api(const std::string& identifier, const json& scopes = json::array(),
                  bool is_default = false) const {
    return create("apis", {{"identifier", identifier},
                           {"name", "API " + identifier},
                           {"scopes", scopes},
                           {"is_default", is_default}});
  }
  json create_client(json body = json::object()) const {
    if (!body.contains("name")) body["name"] = "Billing service";
    return create("clients", body);
  }
  static std::string id_of(const json& resource) { return resource["id"].dump(); }
  static std::string client_path_part(const json& client) {
    return "/clients/" + client["client_id"].get<std::string>();
  }

  std::string query(const std::string& sql) const { return shared_->db.query_value(sql); }

  static AdminServer* shared_;
  std::string slug_;
  std::string tenant_id_;
};

AdminServer* AdminResourcesE2eTest::shared_ = nullptr;

const json kOrderScopes = json::array({{{"value", "orders:read"}, {"description", "Read orders"}},
                                       {{"value", "orders:write"}, {"description", "Write orders"}},
                                       {{"value", "admin"}, {"description", ""}}});

// An API's scopes are a set: the server may answer them in any order.
std::multiset<std::string> scope_set(const json& scopes) {
  std::multiset<std::string> out;
  for (const auto& scope : scopes) out.insert(scope.dump());
  return out;
}

// --- APIs -------------------------------------------------------------------

TEST_F(AdminResourcesE2eTest, CreateApiAnswers201WithItsScopesAndUnsetSettingsNull) {
  auto response =
      admin().post(tenant_path() + "/apis", {{"identifier", "https://api.example.com/orders"},
                                             {"name", "Orders"},
                                             {"scopes", kOrderScopes}});
  ASSERT_TRUE(IsJsonAnswer(response, 201));
  const auto api = response.json();
  EXPECT_EQ(keys_of(api),
            (std::vector<std::string>{"created_at", "id", "identifier", "is_default", "name",
                                      "scopes", "token_format", "token_ttl", "updated_at"}));
  EXPECT_FALSE(api["id"].is_null());
  EXPECT_EQ(api["identifier"], "https://api.example.com/orders");
  EXPECT_EQ(api["name"], "Orders");
  EXPECT_EQ(scope_set(api["scopes"]), scope_set(kOrderScopes));
  EXPECT_TRUE(api["token_ttl"].is_null());
  EXPECT_TRUE(api["token_format"].is_null());
  EXPECT_EQ(api["is_default"], false);
  EXPECT_TRUE(is_rfc3339_utc(api["created_at"]));
  EXPECT_TRUE(is_rfc3339_utc(api["updated_at"]));
}

TEST_F(AdminResourcesE2eTest, CreateApiRefusesInvalidBodiesNamingTheField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"name", "No identifier"}}, "identifier"},
      {{{"identifier", "has space"}, {"name", "A"}}, "identifier"},
      {{{"identifier", "urn:a"}}, "name"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"scopes", "read"}}, "scopes"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"scopes", {{{"value", "a b"}}}}}, "scopes"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"scopes", {{{"value", "a,b"}}}}}, "scopes"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"scopes", {{{"value", "r"}}, {{"value", "r"}}}}},
       "scopes"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"token_ttl", 0}}, "token_ttl"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"token_format", "paseto"}}, "token_format"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"is_default", "yes"}}, "is_default"},
      {{{"identifier", "urn:a"}, {"name", "A"}, {"audience", "x"}}, "audience"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body.dump());
    EXPECT_TRUE(
        IsAdminError(admin().post(tenant_path() + "/apis", body), 400, "invalid_request", field));
  }
  EXPECT_EQ(query("SELECT count(*) FROM apis WHERE tenant_id = " + tenant_id_), "0");
}

TEST_F(AdminResourcesE2eTest, ADuplicateIdentifierIs409InTheTenantButFineInAnother) {
  ASSERT_FALSE(create_api("https://api.example.com").is_null());
  auto again = admin().post(tenant_path() + "/apis",
                            {{"identifier", "https://api.example.com"}, {"name", "Again"}});
  EXPECT_TRUE(IsAdminError(again, 409, "conflict", "identifier"));

  const auto other = unique_name("other");
  ASSERT_TRUE(IsJsonAnswer(admin().post("/tenants", {{"slug", other}, {"name", "Other"}}), 201));
  auto elsewhere = admin().post("/tenants/" + other + "/apis",
                                {{"identifier", "https://api.example.com"}, {"name", "Same"}});
  EXPECT_TRUE(IsJsonAnswer(elsewhere, 201));
}

TEST_F(AdminResourcesE2eTest, AnApiIsFoundByIdAndByPercentEncodedIdentifier) {
  const std::string identifier = "https://api.example.com/v1/orders?region=eu";
  auto created = create_api(identifier, kOrderScopes);
  ASSERT_FALSE(created.is_null());

  auto by_id = admin().get(tenant_path() + "/apis/" + id_of(created));
  ASSERT_TRUE(IsJsonAnswer(by_id, 200));
  EXPECT_EQ(by_id.json(), created);

  auto by_identifier = admin().get(tenant_path() + "/apis/" + percent_encode(identifier));
  ASSERT_TRUE(IsJsonAnswer(by_identifier, 200));
  EXPECT_EQ(by_identifier.json(), created);

  auto list = admin().get(tenant_path() + "/apis");
  ASSERT_TRUE(IsJsonAnswer(list, 200));
  EXPECT_EQ(list.json(), json({{"items", {created}}, {"next_cursor", nullptr}}));

  EXPECT_TRUE(IsAdminError(admin().get(tenant_path() + "/apis/999999999"), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().get(tenant_path() + "/apis/" + percent_encode("urn:none")), 404,
                           "not_found"));
}

TEST_F(AdminResourcesE2eTest, AnApiOfAnotherTenantIsNotFoundThroughThisOne) {
  auto created = create_api("urn:private", kOrderScopes);
  ASSERT_FALSE(created.is_null());
  const auto other = unique_name("other");
  ASSERT_TRUE(IsJsonAnswer(admin().post("/tenants", {{"slug", other}, {"name", "Other"}}), 201));
  EXPECT_TRUE(
      IsAdminError(admin().get("/tenants/" + other + "/apis/" + id_of(created)), 404, "not_found"));
  EXPECT_TRUE(
      IsAdminError(admin().get("/tenants/" + other + "/apis/urn%3Aprivate"), 404, "not_found"));
}

TEST_F(AdminResourcesE2eTest, PatchScopesReplacesTheWholeList) {
  auto created = create_api("urn:patch", kOrderScopes);
  ASSERT_FALSE(created.is_null());
  const json scopes = json::array({{{"value", "reports:read"}, {"description", "Reports"}}});
  auto patched =
      admin().patch(tenant_path() + "/apis/" + id_of(created), {{"scopes", scopes}, {"name", "P"}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_EQ(patched.json()["scopes"], scopes);
  EXPECT_EQ(patched.json()["name"], "P");
  EXPECT_EQ(patched.json()["identifier"], "urn:patch");

  auto fetched = admin().get(tenant_path() + "/apis/" + id_of(created));
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json()["scopes"], scopes);

  EXPECT_TRUE(IsAdminError(
      admin().patch(tenant_path() + "/apis/" + id_of(created), {{"identifier", "urn:other"}}), 400,
      "invalid_request", "identifier"));
}

TEST_F(AdminResourcesE2eTest, SettingIsDefaultOnOneApiClearsItOnTheOthers) {
  auto first = create_api("urn:first", json::array(), true);
  ASSERT_FALSE(first.is_null());
  EXPECT_EQ(first["is_default"], true);
  auto second = create_api("urn:second", json::array(), true);
  ASSERT_FALSE(second.is_null());
  EXPECT_EQ(second["is_default"], true);

  auto is_default = [&](const json& api) {
    auto response = admin().get(tenant_path() + "/apis/" + id_of(api));
    EXPECT_TRUE(IsJsonAnswer(response, 200));
    return response.json()["is_default"];
  };
  EXPECT_EQ(is_default(first), false);
  EXPECT_EQ(is_default(second), true);

  auto moved = admin().patch(tenant_path() + "/apis/" + id_of(first), {{"is_default", true}});
  ASSERT_TRUE(IsJsonAnswer(moved, 200));
  EXPECT_EQ(moved.json()["is_default"], true);
  EXPECT_EQ(is_default(first), true);
  EXPECT_EQ(is_default(second), false);
}

TEST_F(AdminResourcesE2eTest, DeleteApiAnswers204AndThenItIsGone) {
  auto created = create_api("urn:doomed", kOrderScopes);
  ASSERT_FALSE(created.is_null());
  const auto path = tenant_path() + "/apis/" + id_of(created);
  auto deleted = admin().del(path);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  EXPECT_TRUE(IsAdminError(admin().get(path), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().del(path), 404, "not_found"));
  auto list = admin().get(tenant_path() + "/apis");
  ASSERT_TRUE(IsJsonAnswer(list, 200));
  EXPECT_EQ(list.json()["items"], json::array());
  // The row stays, marked deleted, for the token records (SPEC §4).
  EXPECT_EQ(
      query("SELECT count(*) FROM apis WHERE deleted_at IS NOT NULL AND id = " + id_of(created)),
      "1");
  // Its identifier is free again.
  EXPECT_FALSE(create_api("urn:doomed").is_null());
}

// --- Clients ----------------------------------------------------------------

TEST_F(AdminResourcesE2eTest, CreateClientReturnsAGeneratedSecretThatNoReadShowsAgain) {
  auto response = admin().post(tenant_path() + "/clients", {{"name", "Billing"}});
  ASSERT_TRUE(IsJsonAnswer(response, 201));
  const auto client = response.json();
  ASSERT_TRUE(client["client_id"].is_string());
  const auto client_id = client["client_id"].get<std::string>();
  EXPECT_FALSE(client_id.empty());
  EXPECT_EQ(client["id"], client_id);
  ASSERT_TRUE(client["client_secret"].is_string());
  const auto secret = client["client_secret"].get<std::string>();
  EXPECT_TRUE(std::regex_match(secret, std::regex("^[A-Za-z0-9_-]{43}$"))) << secret;
  EXPECT_EQ(client["name"], "Billing");
  EXPECT_TRUE(client["token_ttl"].is_null());
  EXPECT_EQ(client["can_introspect"], false);
  EXPECT_EQ(client["status"], "active");
  EXPECT_TRUE(is_rfc3339_utc(client["created_at"]));

  for (const auto& path : {tenant_path() + "/clients/" + client_id, tenant_path() + "/clients"}) {
    SCOPED_TRACE(path);
    auto read = admin().get(path);
    ASSERT_TRUE(IsJsonAnswer(read, 200));
    EXPECT_EQ(read.body.find("client_secret"), std::string::npos) << read.body;
    EXPECT_EQ(read.body.find(secret), std::string::npos) << read.body;
    EXPECT_NE(read.body.find(client_id), std::string::npos) << read.body;
  }
  auto fetched = admin().get(tenant_path() + "/clients/" + client_id).json();
  auto expected = client;
  expected.erase("client_secret");
  EXPECT_EQ(fetched, expected);
}

TEST_F(AdminResourcesE2eTest, TwoClientsGetDifferentIdsAndSecrets) {
  auto a = create_client();
  auto b = create_client();
  ASSERT_FALSE(a.is_null());
  ASSERT_FALSE(b.is_null());
  EXPECT_NE(a["client_id"], b["client_id"]);
  EXPECT_NE(a["client_secret"], b["client_secret"]);
}

TEST_F(AdminResourcesE2eTest, AnImportedSecretNeedsThirtyTwoCharactersAndIsEchoedOnce) {
  struct Case {
    const char* name;
    std::string secret;
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"31 characters", std::string(31, 'x'), false},
      {"empty", "", false},
      {"32 characters with ':', '+', '%' and spaces", "p:q+r%2F s t:u+v%w x y:z+0%1 2 3", true},
      {"long with quotes and a backslash", R"(correct "horse" battery \ staple: 100% +more)", true},
      {"a control character", std::string(40, 'x') + "\n", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto response = admin().post(tenant_path() + "/clients",
                                 {{"name", "Imported"}, {"client_secret", c.secret}});
    if (!c.accepted) {
      EXPECT_TRUE(IsAdminError(response, 400, "invalid_request", "client_secret"));
      EXPECT_EQ(response.body.find(c.secret.empty() ? std::string(31, 'x') : c.secret),
                std::string::npos)
          << "an error never echoes the secret";
      continue;
    }
    ASSERT_GE(c.secret.size(), 32u);
    ASSERT_LE(c.secret.size(), 512u);
    ASSERT_TRUE(IsJsonAnswer(response, 201));
    const auto client = response.json();
    EXPECT_EQ(client["client_secret"], c.secret);
    auto read = admin().get(tenant_path() + client_path_part(client));
    ASSERT_TRUE(IsJsonAnswer(read, 200));
    EXPECT_FALSE(read.json().contains("client_secret"));
    EXPECT_EQ(read.body.find(c.secret), std::string::npos);
  }
}

TEST_F(AdminResourcesE2eTest, CreateClientRefusesInvalidBodiesNamingTheField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {json::object(), "name"},
      {{{"name", ""}}, "name"},
      {{{"name", "A"}, {"token_ttl", 2592001}}, "token_ttl"},
      {{{"name", "A"}, {"can_introspect", "true"}}, "can_introspect"},
      {{{"name", "A"}, {"client_secret", 12345}}, "client_secret"},
      {{{"name", "A"}, {"client_id", "chosen-by-me-1234"}}, "client_id"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body.dump());
    EXPECT_TRUE(IsAdminError(admin().post(tenant_path() + "/clients", body), 400, "invalid_request",
                             field));
  }
  EXPECT_EQ(query("SELECT count(*) FROM clients WHERE tenant_id = " + tenant_id_), "0");
}

TEST_F(AdminResourcesE2eTest, PatchClientDisablesItAndChangesItsSettings) {
  auto client = create_client();
  ASSERT_FALSE(client.is_null());
  const auto path = tenant_path() + client_path_part(client);
  auto patched = admin().patch(
      path, {{"status", "disabled"}, {"token_ttl", 300}, {"can_introspect", true}, {"name", "B"}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_EQ(patched.json()["status"], "disabled");
  EXPECT_EQ(patched.json()["token_ttl"], 300);
  EXPECT_EQ(patched.json()["can_introspect"], true);
  EXPECT_EQ(patched.json()["name"], "B");
  EXPECT_FALSE(patched.json().contains("client_secret"));

  auto fetched = admin().get(path);
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json(), patched.json());

  EXPECT_TRUE(
      IsAdminError(admin().patch(path, {{"status", "deleted"}}), 400, "invalid_request", "status"));
  EXPECT_TRUE(IsAdminError(admin().patch(path, {{"client_secret", std::string(40, 'y')}}), 400,
                           "invalid_request", "client_secret"));
  auto reactivated = admin().patch(path, {{"status", "active"}, {"token_ttl", nullptr}});
  ASSERT_TRUE(IsJsonAnswer(reactivated, 200));
  EXPECT_EQ(reactivated.json()["status"], "active");
  EXPECT_TRUE(reactivated.json()["token_ttl"].is_null());
}

TEST_F(AdminResourcesE2eTest, DeleteClientAnswers204AndThenItIsGone) {
  auto client = create_client();
  ASSERT_FALSE(client.is_null());
  const auto path = tenant_path() + client_path_part(client);
  auto deleted = admin().del(path);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  EXPECT_TRUE(IsAdminError(admin().get(path), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().patch(path, {{"name", "X"}}), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().del(path), 404, "not_found"));
  auto list = admin().get(tenant_path() + "/clients");
  ASSERT_TRUE(IsJsonAnswer(list, 200));
  EXPECT_EQ(list.json()["items"], json::array());
  EXPECT_TRUE(
      IsAdminError(admin().get(tenant_path() + "/clients/no-such-client"), 404, "not_found"));
}

TEST_F(AdminResourcesE2eTest, ClientPagesVisitEveryClientOnce) {
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) {
    auto client = create_client();
    ASSERT_FALSE(client.is_null());
    created.insert(client["client_id"].get<std::string>());
  }
  std::multiset<std::string> seen;
  std::string cursor;
  for (int pages = 0;; ++pages) {
    ASSERT_LT(pages, 20) << "the walk does not end";
    auto response = admin().get(tenant_path() + "/clients?limit=3" +
                                (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_TRUE(IsJsonAnswer(response, 200));
    const auto page = response.json();
    EXPECT_LE(page["items"].size(), 3u);
    for (const auto& item : page["items"]) seen.insert(item["client_id"].get<std::string>());
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, std::multiset<std::string>(created.begin(), created.end()));
}

// --- Grants -----------------------------------------------------------------

TEST_F(AdminResourcesE2eTest, PutGrantAnswers200WithTheScopesSorted) {
  auto api = create_api("https://orders.example.com", kOrderScopes);
  auto client = create_client();
  ASSERT_FALSE(api.is_null());
  ASSERT_FALSE(client.is_null());
  const auto path = tenant_path() + client_path_part(client) + "/grants/" + id_of(api);

  auto put = admin().put(path, {{"scopes", {"orders:write", "admin", "orders:read"}}});
  ASSERT_TRUE(IsJsonAnswer(put, 200));
  const auto grant = put.json();
  EXPECT_EQ(grant["client_id"], client["client_id"]);
  EXPECT_EQ(grant["api"], api["id"]);
  EXPECT_EQ(grant["scopes"], json::array({"admin", "orders:read", "orders:write"}));

  // PUT replaces; a scope listed twice counts once; none at all is a grant too.
  auto replaced = admin().put(path, {{"scopes", {"orders:read", "orders:read"}}});
  ASSERT_TRUE(IsJsonAnswer(replaced, 200));
  EXPECT_EQ(replaced.json()["scopes"], json::array({"orders:read"}));
  auto empty = admin().put(path, {{"scopes", json::array()}});
  ASSERT_TRUE(IsJsonAnswer(empty, 200));
  EXPECT_EQ(empty.json()["scopes"], json::array());

  // The API may also be named by its percent-encoded identifier.
  auto by_identifier = admin().put(tenant_path() + client_path_part(client) + "/grants/" +
                                       percent_encode("https://orders.example.com"),
                                   {{"scopes", {"orders:write"}}});
  ASSERT_TRUE(IsJsonAnswer(by_identifier, 200));
  EXPECT_EQ(by_identifier.json()["api"], api["id"]);
  EXPECT_EQ(by_identifier.json()["scopes"], json::array({"orders:write"}));
}

TEST_F(AdminResourcesE2eTest, PutGrantRefusesWhatIsNotAScopeOfTheApiNamingScopes) {
  auto api = create_api("urn:grants", kOrderScopes);
  auto client = create_client();
  ASSERT_FALSE(api.is_null());
  ASSERT_FALSE(client.is_null());
  const auto path = tenant_path() + client_path_part(client) + "/grants/" + id_of(api);
  const std::vector<std::string> bodies = {
      R"({"scopes":["orders:read","orders:delete"]})",
      R"({"scopes":"orders:read"})",
      R"({"scopes":[1]})",
      R"({})",
  };
  for (const auto& body : bodies) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsAdminError(admin().send("PUT", path, body), 400, "invalid_request", "scopes"));
  }
  EXPECT_TRUE(IsAdminError(admin().send("PUT", path, R"({"scopes":[],"extra":1})"), 400,
                           "invalid_request", "extra"));
  auto list = admin().get(tenant_path() + client_path_part(client) + "/grants");
  ASSERT_TRUE(IsJsonAnswer(list, 200));
  EXPECT_EQ(list.json()["items"], json::array()) << "a refused PUT grants nothing";
}

TEST_F(AdminResourcesE2eTest, GrantsAreListedAndDeleteAnswers204ThenIs404) {
  auto orders = create_api("urn:orders", kOrderScopes);
  auto reports = create_api("urn:reports", json::array({{{"value", "reports:read"}}}));
  auto client = create_client();
  ASSERT_FALSE(orders.is_null());
  ASSERT_FALSE(reports.is_null());
  ASSERT_FALSE(client.is_null());
  const auto grants = tenant_path() + client_path_part(client) + "/grants";
  ASSERT_TRUE(
      IsJsonAnswer(admin().put(grants + "/" + id_of(orders), {{"scopes", {"admin"}}}), 200));
  ASSERT_TRUE(IsJsonAnswer(
      admin().put(grants + "/" + id_of(reports), {{"scopes", {"reports:read"}}}), 200));

  auto list = admin().get(grants);
  ASSERT_TRUE(IsJsonAnswer(list, 200));
  ASSERT_EQ(list.json()["items"].size(), 2u) << list.body;
  EXPECT_TRUE(list.json()["next_cursor"].is_null());
  std::map<std::string, json> by_api;
  const auto items = list.json()["items"];
  for (const auto& item : items) by_api[item["api"].dump()] = item;
  EXPECT_EQ(by_api[id_of(orders)]["scopes"], json::array({"admin"}));
  EXPECT_EQ(by_api[id_of(orders)]["client_id"], client["client_id"]);
  EXPECT_EQ(by_api[id_of(reports)]["scopes"], json::array({"reports:read"}));

  auto deleted = admin().del(grants + "/" + id_of(orders));
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  EXPECT_TRUE(IsAdminError(admin().del(grants + "/" + id_of(orders)), 404, "not_found"));
  auto after = admin().get(grants);
  ASSERT_TRUE(IsJsonAnswer(after, 200));
  ASSERT_EQ(after.json()["items"].size(), 1u) << after.body;
  EXPECT_EQ(after.json()["items"][0]["api"], reports["id"]);
}

TEST_F(AdminResourcesE2eTest, AGrantOnAnUnknownApiOrClientIs404) {
  auto api = create_api("urn:known", kOrderScopes);
  auto client = create_client();
  ASSERT_FALSE(api.is_null());
  ASSERT_FALSE(client.is_null());
  const auto grants = tenant_path() + client_path_part(client) + "/grants";
  EXPECT_TRUE(IsAdminError(admin().put(grants + "/999999999", {{"scopes", json::array()}}), 404,
                           "not_found"));
  EXPECT_TRUE(IsAdminError(admin().put(grants + "/urn%3Aunknown", {{"scopes", json::array()}}), 404,
                           "not_found"));
  EXPECT_TRUE(IsAdminError(admin().del(grants + "/urn%3Aunknown"), 404, "not_found"));
  EXPECT_TRUE(
      IsAdminError(admin().put(tenant_path() + "/clients/no-such-client/grants/" + id_of(api),
                               {{"scopes", json::array()}}),
                   404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().get(tenant_path() + "/clients/no-such-client/grants"), 404,
                           "not_found"));
}

// --- Audit and secrecy ------------------------------------------------------

TEST_F(AdminResourcesE2eTest, EveryChangeWritesAnAuditEventNamingTheActorKey) {
  auto api = create_api("urn:audited", kOrderScopes);
  ASSERT_FALSE(api.is_null());
  const auto api_path = tenant_path() + "/apis/" + id_of(api);
  ASSERT_TRUE(IsJsonAnswer(admin().patch(api_path, {{"name", "Audited"}}), 200));
  auto client = create_client();
  ASSERT_FALSE(client.is_null());
  const auto client_path = tenant_path() + client_path_part(client);
  ASSERT_TRUE(IsJsonAnswer(admin().patch(client_path, {{"status", "disabled"}}), 200));
  ASSERT_TRUE(IsJsonAnswer(
      admin().put(client_path + "/grants/" + id_of(api), {{"scopes", {"admin"}}}), 200));
  ASSERT_EQ(admin().del(client_path + "/grants/" + id_of(api)).status, 204);
  ASSERT_EQ(admin().del(client_path).status, 204);
  ASSERT_EQ(admin().del(api_path).status, 204);
  ASSERT_TRUE(IsJsonAnswer(admin().patch(tenant_path(), {{"name", "Renamed"}}), 200));
  ASSERT_EQ(admin().del(tenant_path()).status, 204);

  const auto events = "FROM audit_events WHERE tenant_id = " + tenant_id_;
  EXPECT_EQ(query("SELECT string_agg(action, ',' ORDER BY id) " + events),
            "tenant.create,api.create,api.update,client.create,client.update,grant.put,"
            "grant.delete,client.delete,api.delete,tenant.update,tenant.delete");
  const auto actor = admin_key_id(shared_->key);
  EXPECT_EQ(query("SELECT count(*) " + events + " AND actor_key_id IS DISTINCT FROM " + actor),
            "0");
  EXPECT_EQ(query("SELECT count(*) " + events + " AND (target_type = '' OR target_id = '')"), "0");
  EXPECT_EQ(query("SELECT target_id " + events + " AND action = 'client.create'"),
            client["client_id"].get<std::string>());
  EXPECT_EQ(query("SELECT target_id " + events + " AND action = 'api.create'"), id_of(api));
  EXPECT_EQ(query("SELECT target_id " + events + " AND action = 'tenant.create'"), slug_);

  // A refused request changes nothing, so it writes nothing.
  const auto before = query("SELECT count(*) FROM audit_events");
  EXPECT_EQ(admin().post(tenant_path() + "/apis", {{"name", "No identifier"}}).status, 400);
  EXPECT_EQ(admin().get(tenant_path()).status, 200);
  EXPECT_EQ(query("SELECT count(*) FROM audit_events"), before);
}

TEST_F(AdminResourcesE2eTest, AClientSecretAppearsInNoLogAuditEventOrLaterAnswer) {
  auto api = create_api("urn:secrets", kOrderScopes);
  ASSERT_FALSE(api.is_null());
  const std::string imported = "imported secret: correct horse battery staple 42";
  auto generated_client = create_client();
  auto imported_client = create_client({{"client_secret", imported}});
  ASSERT_FALSE(generated_client.is_null());
  ASSERT_FALSE(imported_client.is_null());
  const auto generated = generated_client["client_secret"].get<std::string>();
  ASSERT_EQ(imported_client["client_secret"], imported);

  // Everything else that reads or changes the clients.
  std::vector<HttpResult> answers;
  for (const auto& client : {generated_client, imported_client}) {
    const auto path = tenant_path() + client_path_part(client);
    answers.push_back(admin().get(path));
    answers.push_back(admin().patch(path, {{"name", "Renamed"}}));
    answers.push_back(admin().put(path + "/grants/" + id_of(api), {{"scopes", {"admin"}}}));
    answers.push_back(admin().get(path + "/grants"));
    answers.push_back(admin().patch(path, {{"client_secret", generated}}));
    answers.push_back(admin().del(path));
  }
  answers.push_back(admin().get(tenant_path() + "/clients"));
  for (const auto& answer : answers) {
    EXPECT_EQ(answer.body.find(generated), std::string::npos) << answer.body;
    EXPECT_EQ(answer.body.find(imported), std::string::npos) << answer.body;
  }

  const auto details = query("SELECT string_agg(details::text, ' ') FROM audit_events");
  EXPECT_FALSE(details.empty());
  EXPECT_EQ(details.find(generated), std::string::npos);
  EXPECT_EQ(details.find(imported), std::string::npos);

  // The database holds hashes only: a keyed hash, and Argon2id for the imported one.
  const auto stored = query(
      "SELECT string_agg(kind || '=' || coalesce(argon2_hash, encode(keyed_hash, 'hex')), ' ' "
      "ORDER BY kind) FROM client_secrets WHERE tenant_id = " +
      tenant_id_);
  EXPECT_TRUE(
      std::regex_match(stored, std::regex(R"(^generated=[0-9a-f]{64} imported=\$argon2id\$\S+$)")))
      << stored;
  EXPECT_EQ(stored.find(generated), std::string::npos);
  EXPECT_EQ(stored.find("correct horse"), std::string::npos);

  const auto log = shared_->server.stderr_text();
  EXPECT_FALSE(log.empty());
  EXPECT_EQ(log.find(generated), std::string::npos) << log;
  EXPECT_EQ(log.find(imported), std::string::npos) << log;
}

}  // namespace
}  // namespace tessera::test
