// The admin API's clients over HTTP (SPEC §4); a client secret is shown once.
#include "e2e/admin_resources_fixture.hpp"

namespace tessera::test {
namespace {

// One server per file: the fixture lives in this file's anonymous namespace.
using AdminClientsE2eTest = AdminResourcesE2eTest;

TEST_F(AdminClientsE2eTest, CreateClientReturnsAGeneratedSecretThatNoReadShowsAgain) {
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
    EXPECT_EQ(read.body.find("\"client_secret\""), std::string::npos) << read.body;
    EXPECT_EQ(read.body.find(secret), std::string::npos) << read.body;
    EXPECT_NE(read.body.find(client_id), std::string::npos) << read.body;
  }
  auto fetched = admin().get(tenant_path() + "/clients/" + client_id).json();
  auto expected = client;
  expected.erase("client_secret");
  EXPECT_EQ(fetched, expected);
}

// RFC 9111 §5.2.2.5: an answer that carries a secret or a key, shown this
// once, is kept by no cache between the admin and the server.
TEST_F(AdminClientsE2eTest, AnswersThatShowASecretOrAKeyAreNotStored) {
  auto created = admin().post(tenant_path() + "/clients", {{"name", "Cached"}});
  ASSERT_TRUE(IsJsonAnswer(created, 201));
  const auto client_id = created.json()["client_id"].get<std::string>();
  auto rotated =
      admin().post(tenant_path() + "/clients/" + client_id + "/secrets", nlohmann::json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  auto key = admin().post("/admin-keys", {{"name", "cached"}});
  ASSERT_TRUE(IsJsonAnswer(key, 201));
  for (const auto* answer : {&created, &rotated, &key}) {
    EXPECT_EQ(answer->header("cache-control"), "no-store") << describe(*answer);
  }
  // A read that shows no secret needs no such header.
  EXPECT_EQ(admin().get(tenant_path() + "/clients/" + client_id).header("cache-control"), "");
}

TEST_F(AdminClientsE2eTest, TwoClientsGetDifferentIdsAndSecrets) {
  auto a = create_client();
  auto b = create_client();
  ASSERT_FALSE(a.is_null());
  ASSERT_FALSE(b.is_null());
  EXPECT_NE(a["client_id"], b["client_id"]);
  EXPECT_NE(a["client_secret"], b["client_secret"]);
}

TEST_F(AdminClientsE2eTest, AnImportedSecretNeedsThirtyTwoCharactersAndIsEchoedOnce) {
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

TEST_F(AdminClientsE2eTest, CreateClientRefusesInvalidBodiesNamingTheField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {json::object(), "name"},
      {{{"name", ""}}, "name"},
      {{{"name", "A"}, {"token_ttl", 2592001}}, "token_ttl"},
      {{{"name", "A"}, {"can_introspect", "true"}}, "can_introspect"},
      {{{"name", "A"}, {"client_secret", 12345}}, "client_secret"},
      {{{"name", "A"}, {"client_id", "chosen-by-me-1234"}}, "client_id"},
      {{{"name", "A"}, {"dpop", "sometimes"}}, "dpop"},
      {{{"name", "A"}, {"dpop", nullptr}}, "dpop"},
      {{{"name", "A"}, {"dpop_nonce", "true"}}, "dpop_nonce"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body.dump());
    EXPECT_TRUE(IsAdminError(admin().post(tenant_path() + "/clients", body), 400, "invalid_request",
                             field));
  }
  EXPECT_EQ(query("SELECT count(*) FROM clients WHERE tenant_id = " + tenant_id_), "0");
}

TEST_F(AdminClientsE2eTest, PatchClientDisablesItAndChangesItsSettings) {
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

// RFC 9449: the client's DPoP mode and whether its proofs need a nonce.
TEST_F(AdminClientsE2eTest, DpopSettingsAreShownAlwaysAndSetOnCreateOrPatch) {
  auto plain = create_client();
  ASSERT_FALSE(plain.is_null());
  EXPECT_EQ(plain["dpop"], "allowed");
  EXPECT_EQ(plain["dpop_nonce"], false);

  auto created = admin().post(tenant_path() + "/clients",
                              {{"name", "Bound"}, {"dpop", "off"}, {"dpop_nonce", true}});
  ASSERT_TRUE(IsJsonAnswer(created, 201));
  EXPECT_EQ(created.json()["dpop"], "off");
  EXPECT_EQ(created.json()["dpop_nonce"], true);
  const auto path = tenant_path() + client_path_part(created.json());

  auto patched = admin().patch(path, {{"dpop", "required"}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_EQ(patched.json()["dpop"], "required");
  EXPECT_EQ(patched.json()["dpop_nonce"], true);
  patched = admin().patch(path, {{"dpop_nonce", false}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_EQ(patched.json()["dpop"], "required");
  EXPECT_EQ(patched.json()["dpop_nonce"], false);
  EXPECT_EQ(admin().get(path).json(), patched.json());

  for (const json& body : {json{{"dpop", "Required"}}, json{{"dpop", true}}}) {
    EXPECT_TRUE(IsAdminError(admin().patch(path, body), 400, "invalid_request", "dpop"));
  }
  EXPECT_TRUE(
      IsAdminError(admin().patch(path, {{"dpop_nonce", 1}}), 400, "invalid_request", "dpop_nonce"));
  EXPECT_EQ(admin().get(path).json(), patched.json());

  auto list = admin().get(tenant_path() + "/clients");
  ASSERT_TRUE(IsJsonAnswer(list, 200));
  const auto listed = list.json();  // held: the loop must not walk a temporary
  for (const auto& item : listed["items"]) {
    EXPECT_TRUE(item["dpop"].is_string()) << item.dump();
    EXPECT_TRUE(item["dpop_nonce"].is_boolean()) << item.dump();
  }
}

TEST_F(AdminClientsE2eTest, DeleteClientAnswers204AndThenItIsGone) {
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

TEST_F(AdminClientsE2eTest, ClientPagesVisitEveryClientOnce) {
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

}  // namespace
}  // namespace tessera::test
