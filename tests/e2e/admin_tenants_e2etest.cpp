// The admin API's /tenants over HTTP (SPEC §4), and what every admin
// request shares: authentication, 404 and 405 answers, JSON errors.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "e2e/admin_api.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

class AdminTenantsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new AdminServer(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(shared_, nullptr) << "the shared server did not start"; }

  static AdminApi admin() { return AdminApi(*shared_); }
  static std::string admin_url() { return shared_->server.admin_url() + "/admin/v1"; }

  // A new tenant with a unique slug; its JSON, or null when creation failed.
  static json create_tenant(json body = json::object()) {
    if (!body.contains("slug")) body["slug"] = unique_name("tenant");
    if (!body.contains("name")) body["name"] = "Tenant " + body["slug"].get<std::string>();
    auto response = admin().post("/tenants", body);
    EXPECT_TRUE(IsJsonAnswer(response, 201)) << body.dump();
    return response.status == 201 ? response.json() : json();
  }

  static AdminServer* shared_;
};

AdminServer* AdminTenantsE2eTest::shared_ = nullptr;

TEST_F(AdminTenantsE2eTest, CreateAnswers201WithTheFlatResourceAndUnsetSettingsNull) {
  const auto slug = unique_name("acme");
  auto response = admin().post("/tenants", {{"slug", slug}, {"name", "Acme Inc."}});
  ASSERT_TRUE(IsJsonAnswer(response, 201));
  const auto tenant = response.json();

  EXPECT_EQ(keys_of(tenant), (std::vector<std::string>{"created_at", "default_token_ttl", "domains",
                                                       "id", "name", "signing_alg", "slug",
                                                       "status", "token_format", "updated_at"}));
  EXPECT_FALSE(tenant["id"].is_null());
  EXPECT_EQ(tenant["slug"], slug);
  EXPECT_EQ(tenant["name"], "Acme Inc.");
  EXPECT_TRUE(tenant["default_token_ttl"].is_null());
  EXPECT_TRUE(tenant["token_format"].is_null());
  EXPECT_EQ(tenant["domains"], json::array());
  EXPECT_EQ(tenant["status"], "active");
  EXPECT_TRUE(is_rfc3339_utc(tenant["created_at"])) << tenant["created_at"];
  EXPECT_TRUE(is_rfc3339_utc(tenant["updated_at"])) << tenant["updated_at"];
}

TEST_F(AdminTenantsE2eTest, CreateEchoesEveryOptionalSetting) {
  const auto slug = unique_name("full");
  auto tenant = create_tenant({{"slug", slug},
                               {"default_token_ttl", 900},
                               {"token_format", "jwt"},
                               {"domains", {slug + ".example.com"}}});
  ASSERT_FALSE(tenant.is_null());
  EXPECT_EQ(tenant["default_token_ttl"], 900);
  EXPECT_EQ(tenant["token_format"], "jwt");
  EXPECT_EQ(tenant["domains"], json::array({slug + ".example.com"}));
}

TEST_F(AdminTenantsE2eTest, CreateAcceptsTheSmallestAndLargestTtl) {
  for (int ttl : {1, 2592000}) {
    SCOPED_TRACE(ttl);
    auto tenant = create_tenant({{"default_token_ttl", ttl}});
    ASSERT_FALSE(tenant.is_null());
    EXPECT_EQ(tenant["default_token_ttl"], ttl);
  }
}

TEST_F(AdminTenantsE2eTest, CreateRefusesAnInvalidBodyWith400NamingTheField) {
  struct Case {
    const char* name;
    std::string body;
    std::string field;  // "" when no field is at fault
  };
  const std::vector<Case> cases = {
      {"upper-case slug", R"({"slug":"Acme","name":"A"})", "slug"},
      {"one-character slug", R"({"slug":"a","name":"A"})", "slug"},
      {"slug starting with a dash", R"({"slug":"-acme","name":"A"})", "slug"},
      {"slug with a slash", R"({"slug":"ac/me","name":"A"})", "slug"},
      {"slug of 64 characters", R"({"slug":")" + std::string(64, 'a') + R"(","name":"A"})", "slug"},
      {"slug not a string", R"({"slug":42,"name":"A"})", "slug"},
      {"missing slug", R"({"name":"A"})", "slug"},
      {"missing name", R"({"slug":"no-name"})", "name"},
      {"empty name", R"({"slug":"empty-name","name":""})", "name"},
      {"ttl 0", R"({"slug":"ttl-zero","name":"A","default_token_ttl":0})", "default_token_ttl"},
      {"ttl over 30 days", R"({"slug":"ttl-big","name":"A","default_token_ttl":2592001})",
       "default_token_ttl"},
      {"ttl as a string", R"({"slug":"ttl-text","name":"A","default_token_ttl":"60"})",
       "default_token_ttl"},
      {"ttl with a fraction", R"({"slug":"ttl-frac","name":"A","default_token_ttl":60.5})",
       "default_token_ttl"},
      {"negative ttl", R"({"slug":"ttl-neg","name":"A","default_token_ttl":-5})",
       "default_token_ttl"},
      {"unknown token format", R"({"slug":"fmt","name":"A","token_format":"paseto"})",
       "token_format"},
      {"token format not a string", R"({"slug":"fmt2","name":"A","token_format":true})",
       "token_format"},
      {"domains not an array", R"({"slug":"dom","name":"A","domains":"a.example.com"})", "domains"},
      {"domain with a port", R"({"slug":"dom2","name":"A","domains":["a.example.com:8080"]})",
       "domains"},
      {"unknown field", R"({"slug":"unknown-field","name":"A","colour":"blue"})", "colour"},
      {"duplicate member", R"({"slug":"dup-one","slug":"dup-two","name":"A"})", "slug"},
      {"malformed JSON", R"({"slug":"broken","name":)", ""},
      {"JSON array", R"(["slug","name"])", ""},
      {"JSON string", R"("tenant")", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto response = admin().send("POST", "/tenants", c.body);
    EXPECT_TRUE(IsAdminError(response, 400, "invalid_request", c.field));
  }
  // None of them was created.
  EXPECT_EQ(shared_->db.query_value(
                "SELECT count(*) FROM tenants WHERE slug IN ('no-name', 'empty-name', 'ttl-zero', "
                "'ttl-big', 'ttl-text', 'fmt', 'unknown-field', 'dup-one', 'dup-two', 'broken')"),
            "0");
}

TEST_F(AdminTenantsE2eTest, CreateWithATakenSlugIs409Conflict) {
  auto first = create_tenant();
  ASSERT_FALSE(first.is_null());
  auto again = admin().post("/tenants", {{"slug", first["slug"]}, {"name", "Someone else"}});
  EXPECT_TRUE(IsAdminError(again, 409, "conflict", "slug"));
  // The first tenant is unchanged.
  auto fetched = admin().get("/tenants/" + first["slug"].get<std::string>());
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json()["name"], first["name"]);
}

TEST_F(AdminTenantsE2eTest, CreateWithADomainAnotherTenantUsesIs409Conflict) {
  const auto domain = unique_name("shared") + ".example.com";
  ASSERT_FALSE(create_tenant({{"domains", {domain}}}).is_null());
  auto second = admin().post(
      "/tenants", {{"slug", unique_name("second")}, {"name", "Second"}, {"domains", {domain}}});
  ASSERT_TRUE(IsAdminError(second, 409, "conflict"));
  EXPECT_NE(second.json()["message"].get<std::string>().find("domain"), std::string::npos)
      << second.body;
}

TEST_F(AdminTenantsE2eTest, GetAnswersTheResourceThatCreateReturned) {
  auto created = create_tenant({{"token_format", "opaque"}});
  ASSERT_FALSE(created.is_null());
  auto fetched = admin().get("/tenants/" + created["slug"].get<std::string>());
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json(), created);
}

TEST_F(AdminTenantsE2eTest, ListAnswersItemsAndNextCursor) {
  auto created = create_tenant();
  ASSERT_FALSE(created.is_null());
  auto response = admin().get("/tenants");
  ASSERT_TRUE(IsJsonAnswer(response, 200));
  const auto list = response.json();
  EXPECT_EQ(keys_of(list), (std::vector<std::string>{"items", "next_cursor"}));
  ASSERT_TRUE(list["items"].is_array());
  EXPECT_TRUE(list["next_cursor"].is_null() || list["next_cursor"].is_string());
  bool found = false;
  for (const auto& item : list["items"]) found = found || item == created;
  EXPECT_TRUE(found) << "the new tenant is not listed as created: " << response.body;
}

TEST_F(AdminTenantsE2eTest, PagesOfFiveVisitEveryTenantExactlyOnce) {
  std::set<std::string> mine;
  for (int i = 0; i < 12; ++i) {
    auto tenant = create_tenant({{"slug", unique_name("page")}});
    ASSERT_FALSE(tenant.is_null());
    mine.insert(tenant["slug"].get<std::string>());
  }
  std::map<std::string, int> seen;
  std::string cursor;
  int pages = 0;
  while (true) {
    ASSERT_LT(++pages, 100) << "the walk does not end";
    auto response = admin().get("/tenants?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_TRUE(IsJsonAnswer(response, 200));
    const auto page = response.json();
    EXPECT_LE(page["items"].size(), 5u);
    for (const auto& item : page["items"]) ++seen[item["slug"].get<std::string>()];
    if (page["next_cursor"].is_null()) break;
    ASSERT_TRUE(page["next_cursor"].is_string()) << response.body;
    cursor = page["next_cursor"].get<std::string>();
    ASSERT_FALSE(cursor.empty());
  }
  for (const auto& slug : mine) EXPECT_EQ(seen[slug], 1) << slug;
  for (const auto& [slug, count] : seen) EXPECT_EQ(count, 1) << slug << " was listed twice";
  EXPECT_EQ(std::to_string(seen.size()), shared_->db.query_value("SELECT count(*) FROM tenants"));
}

TEST_F(AdminTenantsE2eTest, ListRefusesABadLimitOrCursorNamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"limit=0", "limit"},           {"limit=501", "limit"}, {"limit=abc", "limit"},
      {"limit=-1", "limit"},          {"limit=", "limit"},    {"cursor=not-a-cursor", "cursor"},
      {"cursor=%21%21%21", "cursor"},
  };
  for (const auto& [query, field] : cases) {
    SCOPED_TRACE(query);
    EXPECT_TRUE(IsAdminError(admin().get("/tenants?" + query), 400, "invalid_request", field));
  }
  EXPECT_TRUE(IsJsonAnswer(admin().get("/tenants?limit=1"), 200));
  EXPECT_TRUE(IsJsonAnswer(admin().get("/tenants?limit=500"), 200));
}

TEST_F(AdminTenantsE2eTest, PatchChangesNameTtlAndDomainsAndNullClearsTheTtl) {
  auto created = create_tenant({{"default_token_ttl", 600}});
  ASSERT_FALSE(created.is_null());
  const auto slug = created["slug"].get<std::string>();
  const auto path = "/tenants/" + slug;

  auto renamed = admin().patch(path, {{"name", "Renamed"}, {"default_token_ttl", 1200}});
  ASSERT_TRUE(IsJsonAnswer(renamed, 200));
  EXPECT_EQ(renamed.json()["name"], "Renamed");
  EXPECT_EQ(renamed.json()["default_token_ttl"], 1200);
  EXPECT_EQ(renamed.json()["slug"], slug);
  EXPECT_EQ(renamed.json()["created_at"], created["created_at"]);
  EXPECT_GE(renamed.json()["updated_at"].get<std::string>(),
            created["updated_at"].get<std::string>());

  auto cleared = admin().patch(path, json{{"default_token_ttl", nullptr}});
  ASSERT_TRUE(IsJsonAnswer(cleared, 200));
  EXPECT_TRUE(cleared.json()["default_token_ttl"].is_null());
  EXPECT_EQ(cleared.json()["name"], "Renamed") << "fields not in the patch are kept";

  const auto a = slug + "-a.example.com";
  const auto b = slug + "-b.example.com";
  auto with_domains = admin().patch(path, {{"domains", {b, a}}});
  ASSERT_TRUE(IsJsonAnswer(with_domains, 200));
  EXPECT_EQ(with_domains.json()["domains"], json::array({a, b}));
  auto replaced = admin().patch(path, {{"domains", {b}}});
  ASSERT_TRUE(IsJsonAnswer(replaced, 200));
  EXPECT_EQ(replaced.json()["domains"], json::array({b}));

  auto fetched = admin().get(path);
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json(), replaced.json());
}

TEST_F(AdminTenantsE2eTest, PatchRefusesInvalidValuesNamingTheField) {
  auto created = create_tenant();
  ASSERT_FALSE(created.is_null());
  const auto path = "/tenants/" + created["slug"].get<std::string>();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"slug":"renamed"})", "slug"},
      {R"({"name":""})", "name"},
      {R"({"default_token_ttl":0})", "default_token_ttl"},
      {R"({"default_token_ttl":2592001})", "default_token_ttl"},
      {R"({"token_format":"paseto"})", "token_format"},
      {R"({"status":"gone"})", "status"},
      {R"({"colour":"blue"})", "colour"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsAdminError(admin().send("PATCH", path, body), 400, "invalid_request", field));
  }
  auto fetched = admin().get(path);
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json(), created) << "a refused patch changes nothing";
}

TEST_F(AdminTenantsE2eTest, DeleteAnswers204AndTheTenantReadsDisabled) {
  auto created = create_tenant();
  ASSERT_FALSE(created.is_null());
  const auto path = "/tenants/" + created["slug"].get<std::string>();
  auto deleted = admin().del(path);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  auto fetched = admin().get(path);
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json()["status"], "disabled");
}

TEST_F(AdminTenantsE2eTest, AnUnknownTenantIs404ForEveryMethod) {
  for (const std::string method : {"GET", "PATCH", "DELETE"}) {
    SCOPED_TRACE(method);
    auto response = admin().send(method, "/tenants/no-such-tenant", method == "PATCH" ? "{}" : "");
    EXPECT_TRUE(IsAdminError(response, 404, "not_found"));
  }
  EXPECT_TRUE(IsAdminError(admin().get("/tenants/no-such-tenant/apis"), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().get("/tenants/no-such-tenant/clients"), 404, "not_found"));
}

TEST_F(AdminTenantsE2eTest, RequestsWithoutAValidKeyAre401WithWwwAuthenticate) {
  const auto& key = shared_->key;
  const auto wrong_secret = "tsk_" + admin_key_id(key) + "_" + std::string(43, 'A');
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"no Authorization header", {}},
      {"empty Bearer", {"Authorization: Bearer "}},
      {"malformed key", {"Authorization: Bearer not-an-admin-key"}},
      {"key cut short", {"Authorization: Bearer " + key.substr(0, key.size() - 1)}},
      {"wrong secret for an existing key id", {"Authorization: Bearer " + wrong_secret}},
      {"unknown key id", {"Authorization: Bearer tsk_999999_" + key.substr(key.size() - 43)}},
      {"Basic scheme", {"Authorization: Basic " + key}},
  };
  for (const auto& [name, headers] : cases) {
    SCOPED_TRACE(name);
    auto response = http_request("GET", admin_url() + "/tenants", "", headers);
    EXPECT_TRUE(IsAdminError(response, 401, "unauthorized"));
    EXPECT_FALSE(response.header("www-authenticate").empty());
    EXPECT_EQ(response.body.find(key.substr(key.size() - 43)), std::string::npos);
  }
  // The scheme is case-insensitive (RFC 9110 §11.1), so the same key works.
  auto lower = http_request("GET", admin_url() + "/tenants", "", {"Authorization: bearer " + key});
  EXPECT_TRUE(IsJsonAnswer(lower, 200));
}

TEST_F(AdminTenantsE2eTest, AChangeWithoutAValidKeyChangesNothing) {
  const auto slug = unique_name("unauthorized");
  auto response =
      http_request("POST", admin_url() + "/tenants", json{{"slug", slug}, {"name", "X"}}.dump(),
                   {"Content-Type: application/json"});
  EXPECT_TRUE(IsAdminError(response, 401, "unauthorized"));
  EXPECT_EQ(shared_->db.query_value("SELECT count(*) FROM tenants WHERE slug = '" + slug + "'"),
            "0");
}

TEST_F(AdminTenantsE2eTest, AWrongMethodIs405WithAllow) {
  struct Case {
    std::string method;
    std::string path;
    std::set<std::string> allowed;
  };
  const std::vector<Case> cases = {
      {"PUT", "/tenants", {"GET", "POST"}},
      {"DELETE", "/tenants", {"GET", "POST"}},
      {"POST", "/tenants/any-tenant", {"GET", "PATCH", "DELETE"}},
      {"PUT", "/tenants/any-tenant/apis", {"GET", "POST"}},
      {"POST", "/tenants/any-tenant/clients/some-client/grants", {"GET"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    auto response = admin().send(c.method, c.path, "");
    EXPECT_EQ(response.status, 405) << response.body;
    EXPECT_TRUE(is_json_content_type(response));
    ASSERT_TRUE(json::accept(response.body)) << response.body;
    EXPECT_TRUE(response.json()["error"].is_string());
    EXPECT_TRUE(response.json()["message"].is_string());
    std::set<std::string> allowed;
    std::string allow = response.header("allow");
    for (std::size_t start = 0; start <= allow.size();) {
      auto comma = allow.find(',', start);
      if (comma == std::string::npos) comma = allow.size();
      auto method = allow.substr(start, comma - start);
      while (!method.empty() && method.front() == ' ') method.erase(0, 1);
      while (!method.empty() && method.back() == ' ') method.pop_back();
      if (!method.empty()) allowed.insert(method);
      start = comma + 1;
    }
    EXPECT_EQ(allowed, c.allowed) << "Allow: " << allow;
  }
}

TEST_F(AdminTenantsE2eTest, AnUnknownAdminPathIs404WithJson) {
  for (const std::string path :
       {"/admin/v1/nothing-here", "/admin/v1/tenants/", "/admin/v2/tenants", "/", "/metricz"}) {
    SCOPED_TRACE(path);
    auto response = http_request("GET", shared_->server.admin_url() + path, "",
                                 {"Authorization: Bearer " + shared_->key});
    EXPECT_TRUE(IsAdminError(response, 404, "not_found"));
  }
}

}  // namespace
}  // namespace tessera::test
