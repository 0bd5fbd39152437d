// Client secrets over the admin API (SPEC §4 …/clients/{c}/secrets, §6):
// rotation with and without a grace period as the token endpoint sees it,
// revocation, the metadata a listing shows, the last-used time written in
// the background, and the rule that a secret is shown once and never again.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "e2e/lifecycle_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class LifecycleSecretsE2eTest : public LifecycleSuite<LifecycleSecretsE2eTest> {
 protected:
  // A client of `acme` of the test's own (secrets are per client, so tests
  // sharing the tenant do not interfere), granted `read` on the default API.
  static TokenClient client(const std::string& name = "Rotating") {
    return new_client(fx().slug, fx().api_id, {"read"}, name);
  }
  static std::string secrets_path(const TokenClient& c) {
    return "/tenants/" + fx().slug + "/clients/" + c.id + "/secrets";
  }
  static std::string client_path(const TokenClient& c) {
    return "/tenants/" + fx().slug + "/clients/" + c.id;
  }
  static HttpResult rotate(const TokenClient& c, const json& body) {
    return admin().post(secrets_path(c), body);
  }
  // A token request of `c` presenting `secret` (Basic).
  static HttpResult token_with(const TokenClient& c, const std::string& secret) {
    return post_token(token_url(), kClientCredentials, {basic_auth(c.id, secret)});
  }
  // The items of GET …/secrets (empty, after a failure, when it is not a list).
  static json list_secrets(const TokenClient& c) {
    auto response = admin().get(secrets_path(c));
    EXPECT_TRUE(IsJsonAnswer(response, 200));
    if (response.status != 200 || !response.json().contains("items")) return json::array();
    return response.json()["items"];
  }
  // The listed secret with `id` (JSON text), or null.
  static json secret_in(const json& items, const std::string& id) {
    for (const auto& item : items) {
      if (item.contains("id") && item["id"].dump() == id) return item;
    }
    return json();
  }
};

// --- Rotation ---------------------------------------------------------------

TEST_F(LifecycleSecretsE2eTest, RotationWithAGracePeriodKeepsBothSecretsWorkingUntilItEnds) {
  const auto c = client();
  ASSERT_TRUE(IsToken(token_with(c, c.secret), "read"));

  const auto rotated = rotate(c, {{"grace_seconds", 2}});
  const auto rotated_at = Clock::now();
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  const auto fresh = rotated.json()["client_secret"].get<std::string>();

  EXPECT_TRUE(IsToken(token_with(c, c.secret), "read")) << "the old secret within the grace period";
  EXPECT_TRUE(IsToken(token_with(c, fresh), "read")) << "the new secret";

  // The grace period ends within a second of grace_seconds (SPEC §6).
  std::this_thread::sleep_until(rotated_at + 2500ms);
  EXPECT_TRUE(IsInvalidClient(token_with(c, c.secret), true)) << "the old secret after the grace";
  EXPECT_TRUE(IsToken(token_with(c, fresh), "read")) << "the new secret after the grace";
}

TEST_F(LifecycleSecretsE2eTest, RotationWithoutAGracePeriodStopsTheOldSecretAtOnce) {
  // grace_seconds defaults to 0 (SPEC §4).
  for (const json& body : {json::object(), json{{"grace_seconds", 0}}}) {
    SCOPED_TRACE(body.dump());
    const auto c = client();
    ASSERT_TRUE(IsToken(token_with(c, c.secret), "read"));
    const auto rotated = rotate(c, body);
    ASSERT_TRUE(IsJsonAnswer(rotated, 201));
    EXPECT_TRUE(IsInvalidClient(token_with(c, c.secret), true));
    EXPECT_TRUE(IsToken(token_with(c, rotated.json()["client_secret"].get<std::string>()), "read"));
  }
}

TEST_F(LifecycleSecretsE2eTest, RotationAnswersTheNewSecretOnceAndNeverShowsItAgain) {
  const auto c = client("Shown once");
  const auto before = Clock::now();
  const auto rotated = rotate(c, json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  const auto body = rotated.json();
  EXPECT_EQ(keys_of(body),
            (std::vector<std::string>{"client_secret", "created_at", "expires_at", "id"}));
  ASSERT_TRUE(body["client_secret"].is_string()) << rotated.body;
  const auto fresh = body["client_secret"].get<std::string>();
  EXPECT_TRUE(std::regex_match(fresh, std::regex("^[A-Za-z0-9_-]{43}$"))) << fresh;
  EXPECT_NE(fresh, c.secret);
  EXPECT_TRUE(body["id"].is_number_integer()) << rotated.body;
  EXPECT_NE(body["id"].dump(), c.secret_id);
  EXPECT_TRUE(body["expires_at"].is_null()) << "the new secret does not expire: " << rotated.body;
  ASSERT_TRUE(is_rfc3339_utc(body["created_at"])) << rotated.body;
  EXPECT_LT(std::abs(seconds_between(parse_time(body["created_at"]), before)), 5.0);
  ASSERT_TRUE(IsToken(token_with(c, fresh), "read")) << "the new secret works";

  // Neither the new nor the original secret shows anywhere afterwards.
  for (const auto& path : {secrets_path(c), client_path(c), "/tenants/" + fx().slug + "/clients",
                           "/tenants/" + fx().slug + "/audit-events?limit=500"}) {
    SCOPED_TRACE(path);
    const auto response = admin().get(path);
    ASSERT_TRUE(IsJsonAnswer(response, 200));
    EXPECT_EQ(response.body.find(fresh), std::string::npos);
    EXPECT_EQ(response.body.find(c.secret), std::string::npos);
    EXPECT_EQ(response.body.find("\"client_secret\""), std::string::npos);
  }

  const auto details = query("SELECT string_agg(details::text, ' ') FROM audit_events");
  EXPECT_NE(details.find("\"secret_id\": " + body["id"].dump()), std::string::npos)
      << "the rotation's audit event names the new secret: " << details;
  EXPECT_EQ(details.find(fresh), std::string::npos);
  EXPECT_EQ(details.find(c.secret), std::string::npos);

  const auto log = shared().server.stderr_text();
  EXPECT_NE(log.find(c.id), std::string::npos) << "the requests of this client were logged";
  EXPECT_EQ(log.find(fresh), std::string::npos);
  EXPECT_EQ(log.find(c.secret), std::string::npos);
}

TEST_F(LifecycleSecretsE2eTest, RotationRefusesAGracePeriodOutsideZeroToThirtyDaysNamingIt) {
  const auto c = client();
  for (const json& grace : {json(-1), json(2592001), json("10"), json(1.5)}) {
    SCOPED_TRACE(grace.dump());
    EXPECT_TRUE(IsAdminError(rotate(c, {{"grace_seconds", grace}}), 400, "invalid_request",
                             "grace_seconds"));
  }
  EXPECT_EQ(list_secrets(c).size(), 1u) << "no secret was added";
  EXPECT_EQ(query("SELECT count(*) FROM client_secrets WHERE expires_at IS NOT NULL AND "
                  "client_id = '" +
                  c.id + "'"),
            "0")
      << "the old secret was not given an expiry";
  EXPECT_TRUE(IsToken(token_with(c, c.secret), "read"));
}

TEST_F(LifecycleSecretsE2eTest, AnImportedSecretStopsAtOnceEvenAfterTheServerRememberedIt) {
  // A verified imported secret may be remembered in process (SPEC §5); a
  // rotation or a revocation must forget it.
  const auto rotated_away = fx().create_client(fx().slug, "Imported rotated", kImportedSecret);
  const auto revoked = fx().create_client(fx().slug, "Imported revoked", kImportedSecret);
  for (const auto* c : {&rotated_away, &revoked}) {
    fx().grant(fx().slug, *c, fx().api_id, {"read"});
    ASSERT_TRUE(IsToken(token_with(*c, kImportedSecret), "read"));
    ASSERT_TRUE(IsToken(token_with(*c, kImportedSecret), "read")) << "the remembered secret";
  }

  const auto rotation = rotate(rotated_away, json::object());
  ASSERT_TRUE(IsJsonAnswer(rotation, 201));
  EXPECT_TRUE(IsInvalidClient(token_with(rotated_away, kImportedSecret), true));
  EXPECT_TRUE(IsToken(token_with(rotated_away, rotation.json()["client_secret"].get<std::string>()),
                      "read"));

  const auto second = rotate(revoked, {{"grace_seconds", 3600}});
  ASSERT_TRUE(IsJsonAnswer(second, 201));
  EXPECT_TRUE(IsToken(token_with(revoked, kImportedSecret), "read")) << "within the grace";
  ASSERT_EQ(admin().del(secrets_path(revoked) + "/" + revoked.secret_id).status, 204);
  EXPECT_TRUE(IsInvalidClient(token_with(revoked, kImportedSecret), true));
  EXPECT_TRUE(
      IsToken(token_with(revoked, second.json()["client_secret"].get<std::string>()), "read"));
}

// --- Listing ----------------------------------------------------------------

TEST_F(LifecycleSecretsE2eTest, ListingShowsMetadataOnlyWithTheOldSecretExpiringAfterTheGrace) {
  const auto c = client();
  const auto rotated = rotate(c, {{"grace_seconds", 2592000}});  // the longest allowed, 30 days
  const auto rotated_at = Clock::now();
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  const auto fresh = rotated.json();

  const auto response = admin().get(secrets_path(c));
  ASSERT_TRUE(IsJsonAnswer(response, 200));
  const auto list = response.json();
  EXPECT_EQ(keys_of(list), (std::vector<std::string>{"items", "next_cursor"}));
  ASSERT_TRUE(list["items"].is_array()) << response.body;
  ASSERT_EQ(list["items"].size(), 2u) << response.body;
  for (const auto& item : list["items"]) {
    EXPECT_EQ(keys_of(item), (std::vector<std::string>{"created_at", "expires_at", "id",
                                                       "last_used_at", "revoked_at"}))
        << item.dump();
    EXPECT_TRUE(item["id"].is_number_integer()) << item.dump();
    EXPECT_TRUE(is_rfc3339_utc(item["created_at"])) << item.dump();
    EXPECT_TRUE(item["revoked_at"].is_null()) << item.dump();
    EXPECT_TRUE(item["last_used_at"].is_null()) << "neither secret was used: " << item.dump();
  }
  EXPECT_EQ(response.body.find(fresh["client_secret"].get<std::string>()), std::string::npos);
  EXPECT_EQ(response.body.find(c.secret), std::string::npos);
  for (const auto* leak : {"secret\"", "hash", "client_secret"}) {
    EXPECT_EQ(response.body.find(leak), std::string::npos) << leak << " in " << response.body;
  }

  const auto old_secret = secret_in(list["items"], c.secret_id);
  const auto new_secret = secret_in(list["items"], fresh["id"].dump());
  ASSERT_FALSE(old_secret.is_null()) << "the original secret is listed: " << response.body;
  ASSERT_FALSE(new_secret.is_null()) << "the new secret is listed: " << response.body;
  EXPECT_EQ(new_secret["created_at"], fresh["created_at"]);
  EXPECT_TRUE(new_secret["expires_at"].is_null()) << new_secret.dump();
  ASSERT_TRUE(is_rfc3339_utc(old_secret["expires_at"])) << old_secret.dump();
  const auto expires = parse_time(old_secret["expires_at"]);
  EXPECT_LT(std::abs(seconds_between(expires, parse_time(fresh["created_at"])) - 2592000.0), 1.0)
      << old_secret.dump() << " vs " << fresh.dump();
  EXPECT_LT(std::abs(seconds_between(expires, rotated_at) - 2592000.0), 5.0) << old_secret.dump();
  EXPECT_LT(parse_time(old_secret["created_at"]), parse_time(new_secret["created_at"]));
}

TEST_F(LifecycleSecretsE2eTest, LastUsedAtIsSetWithinSecondsOfATokenIssuedWithThatSecret) {
  const auto c = client();
  const auto rotated = rotate(c, {{"grace_seconds", 3600}});
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  const auto fresh = rotated.json();
  for (const auto& item : list_secrets(c)) {
    ASSERT_TRUE(item["last_used_at"].is_null()) << "before any use: " << item.dump();
  }

  const auto used_from = Clock::now();
  ASSERT_TRUE(IsToken(token_with(c, fresh["client_secret"].get<std::string>()), "read"));
  const auto used_until = Clock::now();

  // Written in the background every 5 s (SPEC leaves the delay open).
  json listed;
  EXPECT_TRUE(eventually(
      [&] {
        listed = list_secrets(c);
        const auto item = secret_in(listed, fresh["id"].dump());
        return !item.is_null() && !item["last_used_at"].is_null();
      },
      11s, 500ms))
      << listed.dump();
  const auto used = secret_in(listed, fresh["id"].dump());
  ASSERT_FALSE(used.is_null()) << listed.dump();
  ASSERT_TRUE(is_rfc3339_utc(used["last_used_at"])) << used.dump();
  const auto last_used = parse_time(used["last_used_at"]);
  EXPECT_GE(seconds_between(last_used, used_from), -1.0) << used.dump();
  EXPECT_LE(seconds_between(last_used, used_until), 1.0) << used.dump();
  const auto unused = secret_in(listed, c.secret_id);
  ASSERT_FALSE(unused.is_null()) << listed.dump();
  EXPECT_TRUE(unused["last_used_at"].is_null()) << "the old secret was not used: " << unused.dump();
}

// --- Revocation -------------------------------------------------------------

TEST_F(LifecycleSecretsE2eTest, RevokingASecretStopsItAtOnceAndTheOtherKeepsWorking) {
  const auto c = client();
  const auto rotated = rotate(c, {{"grace_seconds", 3600}});
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  const auto fresh = rotated.json()["client_secret"].get<std::string>();
  ASSERT_TRUE(IsToken(token_with(c, c.secret), "read")) << "the old secret, within its grace";

  const auto revoked = admin().del(secrets_path(c) + "/" + c.secret_id);
  const auto revoked_at = Clock::now();
  EXPECT_EQ(revoked.status, 204) << describe(revoked);
  EXPECT_EQ(revoked.body, "");
  EXPECT_TRUE(IsInvalidClient(token_with(c, c.secret), true)) << "the revoked secret";
  EXPECT_TRUE(IsToken(token_with(c, fresh), "read")) << "the other secret";

  const auto old_secret = secret_in(list_secrets(c), c.secret_id);
  ASSERT_TRUE(is_rfc3339_utc(old_secret["revoked_at"])) << old_secret.dump();
  EXPECT_LT(std::abs(seconds_between(parse_time(old_secret["revoked_at"]), revoked_at)), 5.0);
}

TEST_F(LifecycleSecretsE2eTest, RevokingTheLastValidSecretOfAnActiveClientIsAConflict) {
  const auto c = client();
  EXPECT_TRUE(IsAdminError(admin().del(secrets_path(c) + "/" + c.secret_id), 409, "conflict"));
  EXPECT_TRUE(IsToken(token_with(c, c.secret), "read")) << "the secret still works";
  EXPECT_TRUE(secret_in(list_secrets(c), c.secret_id)["revoked_at"].is_null());

  // An expired secret is not valid: after a rotation without grace, the new
  // secret is the last valid one, while the old one may be revoked.
  const auto rotated = rotate(c, json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  const auto fresh = rotated.json();
  EXPECT_TRUE(
      IsAdminError(admin().del(secrets_path(c) + "/" + fresh["id"].dump()), 409, "conflict"));
  EXPECT_TRUE(IsToken(token_with(c, fresh["client_secret"].get<std::string>()), "read"));
  const auto old_revoked = admin().del(secrets_path(c) + "/" + c.secret_id);
  EXPECT_EQ(old_revoked.status, 204) << describe(old_revoked);
}

TEST_F(LifecycleSecretsE2eTest, RevokingTheLastSecretOfADisabledClientIsAllowed) {
  const auto c = client();
  ASSERT_TRUE(IsJsonAnswer(admin().patch(client_path(c), {{"status", "disabled"}}), 200));
  const auto revoked = admin().del(secrets_path(c) + "/" + c.secret_id);
  EXPECT_EQ(revoked.status, 204) << describe(revoked);
  EXPECT_TRUE(is_rfc3339_utc(secret_in(list_secrets(c), c.secret_id)["revoked_at"]));

  // Enabled again, the client has no valid secret until it is rotated.
  ASSERT_TRUE(IsJsonAnswer(admin().patch(client_path(c), {{"status", "active"}}), 200));
  EXPECT_TRUE(IsInvalidClient(token_with(c, c.secret), true));
  const auto rotated = rotate(c, json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  EXPECT_TRUE(IsToken(token_with(c, rotated.json()["client_secret"].get<std::string>()), "read"));
}

TEST_F(LifecycleSecretsE2eTest, RevokingASecretThatIsNotTheClientsIsNotFound) {
  const auto c = client();
  const auto other = client("Other");
  ASSERT_TRUE(IsJsonAnswer(rotate(other, {{"grace_seconds", 3600}}), 201));
  for (const auto& id : {std::string("999999999"), std::string("abc"), std::string("-1"),
                         std::string("99999999999999999999"), other.secret_id}) {
    SCOPED_TRACE(id);
    EXPECT_TRUE(IsAdminError(admin().del(secrets_path(c) + "/" + id), 404, "not_found"));
  }
  EXPECT_TRUE(secret_in(list_secrets(other), other.secret_id)["revoked_at"].is_null())
      << "another client's secret is untouched";
  EXPECT_TRUE(IsToken(token_with(other, other.secret), "read"));

  EXPECT_TRUE(IsAdminError(
      admin().del("/tenants/" + fx().slug + "/clients/no-such-client/secrets/" + c.secret_id), 404,
      "not_found"));
  EXPECT_TRUE(IsAdminError(admin().get("/tenants/" + fx().slug + "/clients/no-such-client/secrets"),
                           404, "not_found"));
  EXPECT_TRUE(IsAdminError(
      admin().post("/tenants/" + fx().slug + "/clients/no-such-client/secrets", json::object()),
      404, "not_found"));
}

}  // namespace
}  // namespace tessera::test
