// The admin API's APIs over HTTP (SPEC §4).
#include "e2e/admin_resources_fixture.hpp"

namespace tessera::test {
namespace {

// One server per file: the fixture lives in this file's anonymous namespace.
using AdminApisE2eTest = AdminResourcesE2eTest;

TEST_F(AdminApisE2eTest, CreateApiAnswers201WithItsScopesAndUnsetSettingsNull) {
  auto response =
      admin().post(tenant_path() + "/apis", {{"identifier", "https://api.example.com/orders"},
                                             {"name", "Orders"},
                                             {"scopes", kOrderScopes}});
  ASSERT_TRUE(IsJsonAnswer(response, 201));
  const auto api = response.json();
  EXPECT_EQ(keys_of(api), (std::vector<std::string>{"created_at", "id", "identifier", "is_default",
                                                    "name", "scopes", "signing_alg", "token_format",
                                                    "token_ttl", "updated_at"}));
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

TEST_F(AdminApisE2eTest, CreateApiRefusesInvalidBodiesNamingTheField) {
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

TEST_F(AdminApisE2eTest, ADuplicateIdentifierIs409InTheTenantButFineInAnother) {
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

TEST_F(AdminApisE2eTest, AnApiIsFoundByIdAndByPercentEncodedIdentifier) {
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

TEST_F(AdminApisE2eTest, AnApiOfAnotherTenantIsNotFoundThroughThisOne) {
  auto created = create_api("urn:private", kOrderScopes);
  ASSERT_FALSE(created.is_null());
  const auto other = unique_name("other");
  ASSERT_TRUE(IsJsonAnswer(admin().post("/tenants", {{"slug", other}, {"name", "Other"}}), 201));
  EXPECT_TRUE(
      IsAdminError(admin().get("/tenants/" + other + "/apis/" + id_of(created)), 404, "not_found"));
  EXPECT_TRUE(
      IsAdminError(admin().get("/tenants/" + other + "/apis/urn%3Aprivate"), 404, "not_found"));
}

TEST_F(AdminApisE2eTest, PatchScopesReplacesTheWholeList) {
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

TEST_F(AdminApisE2eTest, SettingIsDefaultOnOneApiClearsItOnTheOthers) {
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

TEST_F(AdminApisE2eTest, DeleteApiAnswers204AndThenItIsGone) {
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

}  // namespace
}  // namespace tessera::test
