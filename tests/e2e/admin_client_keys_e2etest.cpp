// Client keys over the admin API (private_key_jwt, RFC 7523 §2.2): key-only
// clients made without a secret, …/clients/{c}/keys (add, list, remove), the
// keys refused (private, symmetric, a wrong alg), the limits, the rules that
// keep a key-only client able to authenticate, and the audit trail.

#include "e2e/admin_resources_fixture.hpp"
#include "e2e/client_jwk.hpp"

namespace tessera::test {
namespace {

using AdminClientKeysE2eTest = AdminResourcesE2eTest;

class ClientKeys : public AdminClientKeysE2eTest {
 protected:
  std::string keys_path(const json& client) const {
    return tenant_path() + client_path_part(client) + "/keys";
  }
  json key_only_client(const json& keys) const {
    return create_client(
        {{"token_endpoint_auth_method", "private_key_jwt"}, {"jwks", {{"keys", keys}}}});
  }
  json list_keys(const json& client) const {
    auto response = admin().get(keys_path(client));
    EXPECT_TRUE(IsJsonAnswer(response, 200));
    if (response.status != 200) return json::array();
    const auto body = response.json();
    EXPECT_TRUE(body["next_cursor"].is_null());
    return body["items"];
  }
  // The tenant's audit events with `action`.
  json audit_events(const std::string& action) const {
    auto response = admin().get(tenant_path() + "/audit-events?limit=200");
    EXPECT_TRUE(IsJsonAnswer(response, 200));
    json found = json::array();
    const auto body = response.json();
    for (const auto& event : body["items"]) {
      if (event["action"] == action) found.push_back(event);
    }
    return found;
  }
};

TEST_F(ClientKeys, AKeyOnlyClientIsCreatedWithoutASecret) {
  const auto jwk = ed25519_jwk("first");
  auto response =
      admin().post(tenant_path() + "/clients", {{"name", "Signer"},
                                                {"token_endpoint_auth_method", "private_key_jwt"},
                                                {"jwks", {{"keys", {jwk}}}}});
  ASSERT_TRUE(IsJsonAnswer(response, 201));
  const auto client = response.json();
  EXPECT_FALSE(client.contains("client_secret")) << response.body;
  EXPECT_EQ(client["token_endpoint_auth_method"], "private_key_jwt");
  EXPECT_TRUE(client["jwks_uri"].is_null());

  auto fetched = admin().get(tenant_path() + client_path_part(client));
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json(), client);

  const auto keys = list_keys(client);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["kid"], "first");
  EXPECT_EQ(keys[0]["alg"], "EdDSA");
  EXPECT_EQ(keys[0]["jwk"]["x"], jwk["x"]);
  EXPECT_EQ(keys[0]["jwk"]["use"], "sig");
  EXPECT_TRUE(std::regex_match(keys[0]["thumbprint"].get<std::string>(),
                               std::regex("^[A-Za-z0-9_-]{43}$")));

  // No secret row, and none to be had.
  EXPECT_EQ(query("SELECT count(*) FROM client_secrets WHERE client_id = '" +
                  client["client_id"].get<std::string>() + "'"),
            "0");
  auto secrets = admin().get(tenant_path() + client_path_part(client) + "/secrets");
  ASSERT_TRUE(IsJsonAnswer(secrets, 200));
  EXPECT_TRUE(secrets.json()["items"].empty());
  EXPECT_TRUE(IsAdminError(
      admin().post(tenant_path() + client_path_part(client) + "/secrets", json::object()), 409,
      "conflict"));
}

TEST_F(ClientKeys, KeyOnlyClientsNeedKeysAndRefuseSecrets) {
  const auto path = tenant_path() + "/clients";
  EXPECT_TRUE(IsAdminError(
      admin().post(path, {{"name", "n"}, {"token_endpoint_auth_method", "private_key_jwt"}}), 400,
      "invalid_request", "jwks"));
  EXPECT_TRUE(IsAdminError(admin().post(path, {{"name", "n"},
                                               {"token_endpoint_auth_method", "private_key_jwt"},
                                               {"jwks", {{"keys", json::array()}}}}),
                           400, "invalid_request", "jwks"));
  EXPECT_TRUE(IsAdminError(admin().post(path, {{"name", "n"},
                                               {"token_endpoint_auth_method", "private_key_jwt"},
                                               {"jwks", {{"keys", {ed25519_jwk()}}}},
                                               {"client_secret", std::string(40, 'a')}}),
                           400, "invalid_request", "client_secret"));
  EXPECT_TRUE(IsAdminError(
      admin().post(path, {{"name", "n"}, {"token_endpoint_auth_method", "tls_client_auth"}}), 400,
      "invalid_request", "token_endpoint_auth_method"));
  EXPECT_TRUE(IsAdminError(admin().post(path, {{"name", "n"},
                                               {"token_endpoint_auth_method", "private_key_jwt"},
                                               {"jwks_uri", "http://keys.example/jwks.json"}}),
                           400, "invalid_request", "jwks_uri"));
  EXPECT_TRUE(IsAdminError(admin().post(path, {{"name", "n"}, {"jwks", {ed25519_jwk()}}}), 400,
                           "invalid_request", "jwks"));

  // A jwks_uri alone will do.
  auto by_uri = create_client({{"token_endpoint_auth_method", "private_key_jwt"},
                               {"jwks_uri", "https://keys.example/jwks.json"}});
  ASSERT_FALSE(by_uri.is_null());
  EXPECT_EQ(by_uri["jwks_uri"], "https://keys.example/jwks.json");
  EXPECT_FALSE(by_uri.contains("client_secret"));
  EXPECT_TRUE(list_keys(by_uri).empty());
}

TEST_F(ClientKeys, ASecretClientMayCarryKeysAndKeepsItsSecret) {
  auto client = create_client({{"jwks", {{"keys", {ed25519_jwk(), ed25519_jwk()}}}}});
  ASSERT_FALSE(client.is_null());
  EXPECT_TRUE(client["client_secret"].is_string());
  EXPECT_EQ(client["token_endpoint_auth_method"], "client_secret_basic");
  EXPECT_EQ(list_keys(client).size(), 2u);

  // client_secret_post is the same kind of client.
  auto post = create_client({{"token_endpoint_auth_method", "client_secret_post"}});
  ASSERT_FALSE(post.is_null());
  EXPECT_TRUE(post["client_secret"].is_string());
  EXPECT_EQ(post["token_endpoint_auth_method"], "client_secret_basic");
}

TEST_F(ClientKeys, KeysAreAddedListedAndRemovedWithAnAuditTrail) {
  auto client = create_client();
  ASSERT_FALSE(client.is_null());
  EXPECT_TRUE(list_keys(client).empty());

  const auto jwk = ed25519_jwk("k1");
  auto added = admin().post(keys_path(client), jwk);
  ASSERT_TRUE(IsJsonAnswer(added, 201));
  const auto key = added.json();
  EXPECT_TRUE(key["id"].is_number_integer());
  EXPECT_EQ(key["kid"], "k1");
  EXPECT_EQ(key["alg"], "EdDSA");
  EXPECT_TRUE(is_rfc3339_utc(key["created_at"]));
  EXPECT_EQ(key["jwk"], json({{"kty", "OKP"},
                              {"crv", "Ed25519"},
                              {"x", jwk["x"]},
                              {"alg", "EdDSA"},
                              {"use", "sig"},
                              {"kid", "k1"}}));
  const auto keys = list_keys(client);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], key);

  // The same key again (another kid does not make it another key).
  auto again = jwk;
  again["kid"] = "k2";
  EXPECT_TRUE(IsAdminError(admin().post(keys_path(client), again), 409, "conflict"));

  const auto key_path = keys_path(client) + "/" + key["id"].dump();
  auto removed = admin().del(key_path);
  EXPECT_EQ(removed.status, 204) << describe(removed);
  EXPECT_TRUE(list_keys(client).empty());
  EXPECT_TRUE(IsAdminError(admin().del(key_path), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().del(keys_path(client) + "/nope"), 404, "not_found"));

  for (const auto* action : {"client.key.add", "client.key.remove"}) {
    SCOPED_TRACE(action);
    const auto events = audit_events(action);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["target_id"], client["client_id"]);
    EXPECT_EQ(events[0]["details"], json({{"id", key["id"]},
                                          {"kid", "k1"},
                                          {"alg", "EdDSA"},
                                          {"thumbprint", key["thumbprint"]}}));
  }
}

TEST_F(ClientKeys, PrivateSymmetricAndMismatchedKeysAreRefused) {
  auto client = create_client();
  ASSERT_FALSE(client.is_null());
  std::string d;
  auto with_private = ed25519_jwk("", &d);
  with_private["d"] = d;
  auto mismatched = ed25519_jwk();
  mismatched["alg"] = "ES256";
  const json oct = {{"kty", "oct"}, {"k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}};
  const json none = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AAAA"}};
  for (const auto& bad : {with_private, mismatched, oct, none}) {
    SCOPED_TRACE(bad.dump());
    auto response = admin().post(keys_path(client), bad);
    EXPECT_TRUE(IsAdminError(response, 400, "invalid_request", "jwk"));
    // A private member is never echoed back.
    if (bad.contains("d")) {
      EXPECT_EQ(response.body.find(d), std::string::npos);
    }
  }
  EXPECT_TRUE(IsAdminError(admin().post(keys_path(client), json::array()), 400, "invalid_request"));
  EXPECT_TRUE(list_keys(client).empty());

  // At creation, the message names the key at fault.
  EXPECT_TRUE(IsAdminError(
      admin().post(tenant_path() + "/clients",
                   {{"name", "n"}, {"jwks", {{"keys", {ed25519_jwk(), with_private}}}}}),
      400, "invalid_request", "jwks.keys[1]"));
  const auto same = ed25519_jwk();
  EXPECT_TRUE(IsAdminError(
      admin().post(tenant_path() + "/clients", {{"name", "n"}, {"jwks", {{"keys", {same, same}}}}}),
      400, "invalid_request", "jwks.keys[1]"));
  EXPECT_EQ(query("SELECT count(*) FROM clients c JOIN tenants t ON t.id = c.tenant_id"
                  " WHERE t.slug = '" +
                  tenant_path().substr(9) + "'"),
            "1");
}

TEST_F(ClientKeys, TheLastKeyOfAKeyOnlyClientStays) {
  auto client = key_only_client(json::array({ed25519_jwk()}));
  ASSERT_FALSE(client.is_null());
  const auto keys = list_keys(client);
  ASSERT_EQ(keys.size(), 1u);
  const auto first = keys_path(client) + "/" + keys[0]["id"].dump();
  EXPECT_TRUE(IsAdminError(admin().del(first), 409, "conflict"));

  // With its replacement in place, the old key goes.
  auto second = admin().post(keys_path(client), ed25519_jwk());
  ASSERT_TRUE(IsJsonAnswer(second, 201));
  EXPECT_EQ(admin().del(first).status, 204);
  const auto second_path = keys_path(client) + "/" + second.json()["id"].dump();
  EXPECT_TRUE(IsAdminError(admin().del(second_path), 409, "conflict"));

  // With a jwks_uri to fall back on, the last key may go; then the
  // jwks_uri may not.
  const auto client_path = tenant_path() + client_path_part(client);
  auto patched = admin().patch(client_path, {{"jwks_uri", "https://keys.example/jwks"}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_EQ(patched.json()["jwks_uri"], "https://keys.example/jwks");
  EXPECT_EQ(admin().del(second_path).status, 204);
  EXPECT_TRUE(IsAdminError(admin().patch(client_path, {{"jwks_uri", nullptr}}), 409, "conflict"));
  EXPECT_TRUE(IsAdminError(admin().patch(client_path, {{"jwks_uri", "ftp://x"}}), 400,
                           "invalid_request", "jwks_uri"));
}

TEST_F(ClientKeys, AClientHoldsAtMostTenKeys) {
  json ten = json::array();
  for (int i = 0; i < 10; ++i) ten.push_back(ed25519_jwk());
  auto client = key_only_client(ten);
  ASSERT_FALSE(client.is_null());
  EXPECT_EQ(list_keys(client).size(), 10u);
  EXPECT_TRUE(IsAdminError(admin().post(keys_path(client), ed25519_jwk()), 409, "conflict"));

  auto eleven = ten;
  eleven.push_back(ed25519_jwk());
  EXPECT_TRUE(IsAdminError(
      admin().post(tenant_path() + "/clients", {{"name", "n"}, {"jwks", {{"keys", eleven}}}}), 400,
      "invalid_request", "jwks.keys"));
}

TEST_F(ClientKeys, AnotherTenantsClientHasNoKeysToSee) {
  auto client = create_client();
  ASSERT_FALSE(client.is_null());
  auto other = admin().post("/tenants", {{"slug", unique_name("other")}, {"name", "Other"}});
  ASSERT_TRUE(IsJsonAnswer(other, 201));
  const auto path =
      "/tenants/" + other.json()["slug"].get<std::string>() + client_path_part(client) + "/keys";
  EXPECT_TRUE(IsAdminError(admin().get(path), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(admin().post(path, ed25519_jwk()), 404, "not_found"));
}

}  // namespace
}  // namespace tessera::test
