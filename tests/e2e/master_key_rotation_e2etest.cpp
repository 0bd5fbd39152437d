// Master-key rotation end to end (docs/operations.md, "Rotating the master
// key"), with the real binary: credentials made under the old key work after
// the rotation, `tessera rekey` re-seals the signing keys and says what still
// depends on the old key, a use moves a credential to the new key, and once
// the old key is removed everything used since works while the rest fails
// (invalid_client for clients, 401 unauthorized for admin keys, inactive for
// tokens). A mistyped key never starts a server.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"
#include "support/test_env.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

// Another 32-byte key, base64url (the test servers' own is test_master_key()).
const std::string kNewMasterKey = "bmV3LW1hc3Rlci1rZXktZm9yLXJvdGF0aW9uLXRlc3Q";

Env rotated_env() {
  return {{"TESSERA_MASTER_KEY", kNewMasterKey},
          {"TESSERA_PREVIOUS_MASTER_KEYS", " " + test_master_key() + " "}};
}
Env new_key_only_env() {
  return {{"TESSERA_MASTER_KEY", kNewMasterKey}};
}

std::string bearer(const std::string& key) {
  return "Authorization: Bearer " + key;
}

const json& key_numbered(const json& report, int number) {
  for (const auto& key : report.at("master_keys")) {
    if (key.at("number") == number) return key;
  }
  throw std::runtime_error("no master key numbered " + std::to_string(number) + " in " +
                           report.dump());
}

class MasterKeyRotationE2eTest : public ::testing::Test {
 protected:
  struct Client {
    std::string id;
    std::string secret;
  };

  void build_tenant(const AdminApi& admin) {
    ASSERT_EQ(admin.post("/tenants", {{"slug", "rot"}, {"name", "Rotation"}}).status, 201);
    ASSERT_EQ(admin
                  .post("/tenants/rot/apis", {{"identifier", "https://api.rot.test"},
                                              {"name", "Rot API"},
                                              {"scopes", {{{"value", "read"}}}},
                                              {"is_default", true}})
                  .status,
              201);
    used_client_ = make_client(admin, "used");
    unused_client_ = make_client(admin, "unused");
    const auto key = admin.post("/admin-keys", {{"name", "unused"}});
    ASSERT_EQ(key.status, 201) << describe(key);
    unused_admin_key_ = key.json().at("key");
  }

  Client make_client(const AdminApi& admin, const std::string& name) {
    const auto created = admin.post("/tenants/rot/clients", {{"name", name}});
    EXPECT_EQ(created.status, 201) << describe(created);
    Client client{created.json().at("client_id"), created.json().at("client_secret")};
    const auto api_id = admin.get("/tenants/rot/apis").json().at("items").at(0).at("id");
    EXPECT_EQ(admin
                  .put("/tenants/rot/clients/" + client.id + "/grants/" +
                           std::to_string(api_id.get<long>()),
                       {{"scopes", {"read"}}})
                  .status,
              200);
    return client;
  }

  static HttpResult token(const ServerProcess& server, const Client& client) {
    return post_token(server.public_url() + "/t/rot/oauth/token", kClientCredentials,
                      {basic_auth(client.id, client.secret)});
  }
  HttpResult introspect(const ServerProcess& server, const std::string& token) const {
    return post_token(server.public_url() + "/t/rot/oauth/introspect", "token=" + token,
                      {bearer(superadmin_)});
  }
  static bool active(const HttpResult& r) {
    return r.status == 200 && r.json().at("active").get<bool>();
  }
  static void set_format(const AdminApi& admin, const std::string& format) {
    ASSERT_EQ(admin.patch("/tenants/rot", {{"token_format", format}}).status, 200);
  }

  json rekey(const Env& env) {
    auto all = server_env(db_.url());
    for (const auto& [name, value] : env) all[name] = value;
    const auto result = run_tessera({"rekey", "--json"}, all);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }

  TestDatabase db_;
  std::string superadmin_ = create_superadmin_key(db_.url());
  Client used_client_;
  Client unused_client_;
  std::string unused_admin_key_;
};

TEST_F(MasterKeyRotationE2eTest, WhatWasUsedSinceTheRotationOutlivesTheOldKeyAndTheRestFails) {
  std::string old_opaque, old_jwt;
  {
    ServerProcess before(db_.url());
    const AdminApi admin(before.admin_url(), superadmin_);
    build_tenant(admin);
    old_opaque = access_token_of(token(before, used_client_));
    set_format(admin, "jwt");
    old_jwt = access_token_of(token(before, used_client_));
    set_format(admin, "opaque");
    ASSERT_EQ(before.terminate(), 0);
  }

  std::string new_opaque;
  {
    // Rotated: the new key is current, the old one still accepted.
    ServerProcess rotated(db_.url(), rotated_env());
    const AdminApi admin(rotated.admin_url(), superadmin_);
    EXPECT_NE(rotated.stderr_text().find("master keys"), std::string::npos);
    EXPECT_EQ(rotated.stderr_text().find(kNewMasterKey), std::string::npos);
    EXPECT_EQ(rotated.stderr_text().find(test_master_key()), std::string::npos);

    // The old credentials and tokens work; using them moves the credentials.
    EXPECT_EQ(admin.get("/tenants").status, 200);  // the superadmin key, made under the old key
    EXPECT_TRUE(active(introspect(rotated, old_opaque)));
    EXPECT_TRUE(active(introspect(rotated, old_jwt)));
    const auto fresh = token(rotated, used_client_);
    ASSERT_EQ(fresh.status, 200) << describe(fresh);
    new_opaque = access_token_of(fresh);

    // The first rekey re-seals every signing key (the tenant's next and
    // active Ed25519 keys), once.
    const auto first_report = rekey(rotated_env());
    EXPECT_GE(first_report.at("resealed_signing_keys"), 2) << first_report.dump();
    EXPECT_EQ(
        db_.query_value("SELECT count(*) FROM audit_events WHERE action = 'master_key.rekey'"),
        "1");

    // The used secret is stored again in the background (with its
    // last-used time); rekey's report shows when.
    json report;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    do {
      report = rekey(rotated_env());
      if (key_numbered(report, 1).at("client_secrets") == 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    } while (std::chrono::steady_clock::now() < deadline);

    const auto& old_key = key_numbered(report, 1);
    EXPECT_EQ(old_key.at("configured_as"), "TESSERA_PREVIOUS_MASTER_KEYS[1]");
    EXPECT_EQ(old_key.at("client_secrets"), 1) << report.dump();    // the unused client's
    EXPECT_EQ(old_key.at("admin_keys"), 1) << report.dump();        // the unused admin key
    EXPECT_EQ(old_key.at("unexpired_tokens"), 1) << report.dump();  // the old opaque token
    EXPECT_FALSE(old_key.at("tokens_expire_by").is_null());
    EXPECT_EQ(old_key.at("signing_keys"), 0) << report.dump();
    EXPECT_EQ(old_key.at("status"), "still needed");
    const auto& new_key = key_numbered(report, 2);
    EXPECT_EQ(new_key.at("configured_as"), "TESSERA_MASTER_KEY");
    EXPECT_EQ(new_key.at("client_secrets"), 1) << report.dump();
    EXPECT_EQ(new_key.at("admin_keys"), 1) << report.dump();
    EXPECT_EQ(new_key.at("unexpired_tokens"), 1) << report.dump();
    EXPECT_GE(new_key.at("signing_keys"), 2) << report.dump();  // the tenant's next and active
    EXPECT_EQ(new_key.at("status"), "current");
    EXPECT_EQ(report.at("resealed_signing_keys"), 0);  // nothing left to re-seal
    ASSERT_EQ(rotated.terminate(), 0);
  }

  // The old key removed.
  ServerProcess after(db_.url(), new_key_only_env());
  const AdminApi admin(after.admin_url(), superadmin_);
  const AdminApi unused_admin(after.admin_url(), unused_admin_key_);
  EXPECT_EQ(token(after, used_client_).status, 200);
  EXPECT_TRUE(IsInvalidClient(token(after, unused_client_), true));
  EXPECT_EQ(admin.get("/tenants").status, 200);
  EXPECT_TRUE(IsAdminError(unused_admin.get("/tenants"), 401, "unauthorized"));
  EXPECT_TRUE(active(introspect(after, new_opaque)));
  const auto gone = introspect(after, old_opaque);
  ASSERT_EQ(gone.status, 200);
  EXPECT_EQ(gone.json(), json({{"active", false}}));
  // JWTs depend on the signing keys, re-sealed under the new key: the old
  // one still verifies and new ones are signed.
  EXPECT_TRUE(active(introspect(after, old_jwt)));
  set_format(admin, "jwt");
  const auto jwt = token(after, used_client_);
  ASSERT_EQ(jwt.status, 200) << describe(jwt);
  EXPECT_TRUE(active(introspect(after, access_token_of(jwt))));

  const auto report = rekey(new_key_only_env());
  const auto& old_key = key_numbered(report, 1);
  EXPECT_TRUE(old_key.at("configured_as").is_null());
  EXPECT_EQ(old_key.at("status"), "not configured: what depends on it fails");
  EXPECT_EQ(old_key.at("client_secrets"), 1);
}

TEST_F(MasterKeyRotationE2eTest, DuringARollingRotationEveryInstanceAcceptsWhatAnyOtherMakes) {
  {
    ServerProcess before(db_.url());
    build_tenant(AdminApi(before.admin_url(), superadmin_));
    ASSERT_EQ(before.terminate(), 0);
  }
  // Mid-roll: an instance of the first step (old key current, new one
  // accepted) beside one of the second (new key current, old one accepted).
  ServerProcess first_step(db_.url(), {{"TESSERA_PREVIOUS_MASTER_KEYS", kNewMasterKey}});
  ServerProcess second_step(db_.url(), rotated_env());

  // Tokens made under either key introspect active on both.
  const auto from_first = access_token_of(token(first_step, used_client_));
  const auto from_second = access_token_of(token(second_step, used_client_));
  for (const auto* server : {&first_step, &second_step}) {
    EXPECT_TRUE(active(introspect(*server, from_first)));
    EXPECT_TRUE(active(introspect(*server, from_second)));
  }
  // The second-step instance re-hashed the secret and the superadmin key
  // under the new key; the first-step instance still accepts both.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (db_.query_value("SELECT count(*) FROM client_secrets WHERE master_key = 2") != "1" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(db_.query_value("SELECT count(*) FROM client_secrets WHERE master_key = 2"), "1");
  ASSERT_EQ(db_.query_value("SELECT master_key FROM admin_keys ORDER BY id LIMIT 1"), "2");
  EXPECT_EQ(token(first_step, used_client_).status, 200);
  EXPECT_EQ(AdminApi(first_step.admin_url(), superadmin_).get("/tenants").status, 200);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM master_keys"), "2");
}

TEST_F(MasterKeyRotationE2eTest, SigningKeysNotResealedStopOnlyJwtIssuanceWhenTheOldKeyGoes) {
  std::string old_jwt;
  {
    ServerProcess before(db_.url());
    const AdminApi admin(before.admin_url(), superadmin_);
    build_tenant(admin);
    set_format(admin, "jwt");
    old_jwt = access_token_of(token(before, used_client_));
    ASSERT_EQ(before.terminate(), 0);
  }
  {
    // Rotated, the secret and the superadmin key used (and so moved), but
    // no `tessera rekey`.
    ServerProcess rotated(db_.url(), rotated_env());
    ASSERT_EQ(token(rotated, used_client_).status, 200);
    ASSERT_EQ(AdminApi(rotated.admin_url(), superadmin_).get("/tenants").status, 200);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (db_.query_value("SELECT count(*) FROM client_secrets WHERE master_key = 2") != "1" &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(rotated.terminate(), 0);
  }
  ServerProcess after(db_.url(), new_key_only_env());
  // The signing key, sealed under the removed key, does not open: JWT
  // issuance fails, while what only needs the public key goes on.
  EXPECT_EQ(token(after, used_client_).status, 500);
  EXPECT_TRUE(active(introspect(after, old_jwt)));
  EXPECT_EQ(http_request("GET", after.public_url() + "/t/rot/.well-known/jwks.json").status, 200);

  // rekey cannot open it without the old key, and says so.
  auto env = server_env(db_.url());
  for (const auto& [name, value] : new_key_only_env()) env[name] = value;
  const auto result = run_tessera({"rekey"}, env);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("not re-sealed"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("not configured: what depends on it fails"), std::string::npos)
      << result.out;
}

TEST_F(MasterKeyRotationE2eTest, AMistypedOrMalformedKeyNeverStartsAServer) {
  {
    ServerProcess first(db_.url());  // numbers the test key 1
  }
  auto env = server_env(db_.url());
  env["TESSERA_MASTER_KEY"] = kNewMasterKey;  // not a key this database knows
  const auto unknown = run_tessera({"serve"}, env);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("TESSERA_PREVIOUS_MASTER_KEYS"), std::string::npos) << unknown.err;
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM master_keys"), "1");

  const std::string malformed = "not-a-key";
  env["TESSERA_PREVIOUS_MASTER_KEYS"] = test_master_key() + "," + malformed;
  const auto bad = run_tessera({"serve"}, env);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("TESSERA_PREVIOUS_MASTER_KEYS"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("entry 2"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find(malformed), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find(test_master_key()), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
}

}  // namespace
}  // namespace tessera::test
