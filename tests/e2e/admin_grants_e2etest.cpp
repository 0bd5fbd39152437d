// The admin API's grants and audit events over HTTP (SPEC §4), and the rule that a client secret
// never appears again.
#include "e2e/admin_resources_fixture.hpp"

namespace tessera::test {
namespace {

// One server per file: the fixture lives in this file's anonymous namespace.
using AdminGrantsE2eTest = AdminResourcesE2eTest;

TEST_F(AdminGrantsE2eTest, PutGrantAnswers200WithTheScopesSorted) {
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

TEST_F(AdminGrantsE2eTest, PutGrantRefusesWhatIsNotAScopeOfTheApiNamingScopes) {
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

TEST_F(AdminGrantsE2eTest, GrantsAreListedAndDeleteAnswers204ThenIs404) {
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

TEST_F(AdminGrantsE2eTest, AGrantOnAnUnknownApiOrClientIs404) {
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

TEST_F(AdminGrantsE2eTest, EveryChangeWritesAnAuditEventNamingTheActorKey) {
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

TEST_F(AdminGrantsE2eTest, AClientSecretAppearsInNoLogAuditEventOrLaterAnswer) {
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
