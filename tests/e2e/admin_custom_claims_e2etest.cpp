// Custom claims on clients and grants through the admin API (SPEC §4): set,
// read back, replaced, cleared, and refused by their rule naming `claims`.
#include <string>

#include "e2e/admin_resources_fixture.hpp"

namespace tessera::test {
namespace {

using AdminCustomClaimsE2eTest = AdminResourcesE2eTest;

// Bodies whose claims break the rule (domain/custom_claims.hpp), each a 400.
std::vector<json> invalid_claims() {
  json too_many = json::object();
  for (int i = 0; i < 21; ++i) too_many["c" + std::to_string(i)] = i;
  return {
      json::array({"a"}),
      "tier=gold",
      nullptr,
      {{"iss", "https://elsewhere"}},
      {{"scope", "admin"}},
      {{"client_id", "someone"}},
      {{"", 1}},
      {{"has space", 1}},
      too_many,
      {{"blob", std::string(2100, 'x')}},
      // U+0000, escaped in JSON: no jsonb can hold it (the clean-text rule refuses it).
      {{"nul", std::string("a\0b", 3)}},
      {{"nested", {{std::string("k\0", 2), 1}}}},
      {{"list", {"ok", std::string(1, '\0')}}},
  };
}

TEST_F(AdminCustomClaimsE2eTest, AClientShowsItsClaimsEmptyByDefault) {
  const auto plain = create_client();
  ASSERT_FALSE(plain.is_null());
  EXPECT_EQ(plain["claims"], json::object());
  auto got = admin().get(tenant_path() + client_path_part(plain));
  ASSERT_TRUE(IsJsonAnswer(got, 200));
  EXPECT_EQ(got.json()["claims"], json::object());
}

TEST_F(AdminCustomClaimsE2eTest, ClientClaimsAreSetReadReplacedAndCleared) {
  const json claims = {{"tier", "gold"}, {"limits", {{"rps", 10}}}, {"beta", true}};
  const auto client = create_client({{"claims", claims}});
  ASSERT_FALSE(client.is_null());
  EXPECT_EQ(client["claims"], claims);
  const auto path = tenant_path() + client_path_part(client);
  auto got = admin().get(path);
  ASSERT_TRUE(IsJsonAnswer(got, 200));
  EXPECT_EQ(got.json()["claims"], claims);
  auto listed = admin().get(tenant_path() + "/clients");
  ASSERT_TRUE(IsJsonAnswer(listed, 200));
  EXPECT_EQ(listed.json()["items"][0]["claims"], claims);

  // A PATCH without claims keeps them; with claims, replaces them whole.
  auto renamed = admin().patch(path, {{"name", "Renamed"}});
  ASSERT_TRUE(IsJsonAnswer(renamed, 200));
  EXPECT_EQ(renamed.json()["claims"], claims);
  const json replacement = {{"region", "eu"}};
  auto replaced = admin().patch(path, {{"claims", replacement}});
  ASSERT_TRUE(IsJsonAnswer(replaced, 200));
  EXPECT_EQ(replaced.json()["claims"], replacement);
  auto cleared = admin().patch(path, {{"claims", json::object()}});
  ASSERT_TRUE(IsJsonAnswer(cleared, 200));
  EXPECT_EQ(cleared.json()["claims"], json::object());
  EXPECT_EQ(admin().get(path).json()["claims"], json::object());
}

TEST_F(AdminCustomClaimsE2eTest, InvalidClientClaimsAre400NamingClaims) {
  const auto client = create_client({{"claims", {{"tier", "gold"}}}});
  ASSERT_FALSE(client.is_null());
  const auto path = tenant_path() + client_path_part(client);
  for (const auto& claims : invalid_claims()) {
    SCOPED_TRACE(claims.dump().substr(0, 80));
    EXPECT_TRUE(IsAdminError(
        admin().post(tenant_path() + "/clients", {{"name", "Refused"}, {"claims", claims}}), 400,
        "invalid_request", "claims"));
    EXPECT_TRUE(
        IsAdminError(admin().patch(path, {{"claims", claims}}), 400, "invalid_request", "claims"));
  }
  // The reason is given, and nothing changed.
  auto reserved = admin().patch(path, {{"claims", {{"aud", "x"}}}});
  EXPECT_NE(reserved.body.find("'aud' is a reserved claim"), std::string::npos) << reserved.body;
  EXPECT_EQ(admin().get(path).json()["claims"], json({{"tier", "gold"}}));
  auto clients = admin().get(tenant_path() + "/clients");
  ASSERT_TRUE(IsJsonAnswer(clients, 200));
  EXPECT_EQ(clients.json()["items"].size(), 1u);
}

TEST_F(AdminCustomClaimsE2eTest, AGrantCarriesClaimsBesideItsScopes) {
  const auto api = create_api("urn:claims", kOrderScopes);
  const auto client = create_client();
  ASSERT_FALSE(api.is_null());
  ASSERT_FALSE(client.is_null());
  const auto grants = tenant_path() + client_path_part(client) + "/grants";
  const json claims = {{"department", "billing"}, {"ledger", 7}};

  auto put =
      admin().put(grants + "/" + id_of(api), {{"scopes", {"orders:read"}}, {"claims", claims}});
  ASSERT_TRUE(IsJsonAnswer(put, 200));
  EXPECT_EQ(put.json()["claims"], claims);
  EXPECT_EQ(put.json()["scopes"], json::array({"orders:read"}));
  auto listed = admin().get(grants);
  ASSERT_TRUE(IsJsonAnswer(listed, 200));
  EXPECT_EQ(listed.json()["items"][0]["claims"], claims);

  // A PUT replaces the grant: claims left out are none.
  auto replaced = admin().put(grants + "/" + id_of(api), {{"scopes", {"orders:read"}}});
  ASSERT_TRUE(IsJsonAnswer(replaced, 200));
  EXPECT_EQ(replaced.json()["claims"], json::object());

  for (const auto& bad : invalid_claims()) {
    SCOPED_TRACE(bad.dump().substr(0, 80));
    EXPECT_TRUE(IsAdminError(
        admin().put(grants + "/" + id_of(api), {{"scopes", {"orders:read"}}, {"claims", bad}}), 400,
        "invalid_request", "claims"));
  }
  EXPECT_EQ(admin().get(grants).json()["items"][0]["claims"], json::object());
}

TEST_F(AdminCustomClaimsE2eTest, TheAuditTrailNamesClaimsWithoutTheirValues) {
  const auto client = create_client({{"claims", {{"tier", "secret-gold"}}}});
  ASSERT_FALSE(client.is_null());
  const auto id = client["client_id"].get<std::string>();
  EXPECT_EQ(query("SELECT details->>'claims' FROM audit_events WHERE action = 'client.create' "
                  "AND target_id = '" +
                  id + "'"),
            R"(["tier"])");
  EXPECT_EQ(query("SELECT count(*) FROM audit_events WHERE details::text LIKE '%secret-gold%'"),
            "0");
}

}  // namespace
}  // namespace tessera::test
