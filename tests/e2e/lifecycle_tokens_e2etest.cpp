// Issued tokens over the admin API (SPEC §4 /tenants/{t}/tokens): the
// metadata of tokens issued over HTTP, its filters and pages, revocation one
// by one and in bulk, and disabling a client as the token endpoint sees it.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <thread>

#include "e2e/lifecycle_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class LifecycleTokensE2eTest : public LifecycleSuite<LifecycleTokensE2eTest> {
 protected:
  void SetUp() override {
    LifecycleSuite::SetUp();
    if (HasFatalFailure()) return;
    // Each test lists the tokens of a tenant of its own.
    tenant_ = new_tenant("tok");
  }

  TokenClient client(const std::string& name = "Token client") const {
    return new_client(tenant_.slug, tenant_.api_id, {"read", "write", "admin"}, name);
  }
  // Issues a token and returns its value ("" after a failure).
  std::string issue(const TokenClient& c, const std::string& params = "") const {
    const auto response = request_token(tenant_.slug, c, params);
    EXPECT_EQ(response.status, 200) << describe(response);
    return access_token_of(response);
  }
  std::string tokens_path(const std::string& rest = "") const {
    return "/tenants/" + tenant_.slug + "/tokens" + rest;
  }
  // The items of one GET of the token list ("" or "?…" appended).
  json list(const std::string& query_string = "") const {
    const auto response = admin().get(tokens_path(query_string));
    EXPECT_TRUE(IsJsonAnswer(response, 200)) << query_string;
    if (response.status != 200 || !response.json().contains("items")) return json::array();
    return response.json()["items"];
  }
  // The ids (JSON text) of this tenant's tokens in the database, by id
  // descending: newest first to the millisecond (UUIDv7).
  std::vector<std::string> stored_ids(const std::string& where = "true") const {
    const auto text = query(
        "SELECT string_agg('\"' || id::text || '\"', ',' ORDER BY id DESC) FROM tokens "
        "WHERE tenant_id = " +
        tenant_.id + " AND " + where);
    std::vector<std::string> ids;
    if (!text.empty()) {
      for (const auto& id : json::parse("[" + text + "]")) ids.push_back(id.dump());
    }
    return ids;
  }
  std::string active_count() const {
    return query("SELECT count(*) FROM tokens WHERE revoked_at IS NULL AND tenant_id = " +
                 tenant_.id);
  }

  LifecycleTenant tenant_;
};

// A token record (SPEC §4): exactly {id, client_id, api, scope, format,
// issued_at, expires_at, revoked_at}, the id a UUID, a one-hour opaque token.
::testing::AssertionResult IsTokenRecord(const json& t, const TokenClient& client,
                                         const std::string& api_id, const std::string& scope) {
  static const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  if (!t.is_object() ||
      keys_of(t) != std::vector<std::string>{"api", "client_id", "expires_at", "format", "id",
                                             "issued_at", "revoked_at", "scope"}) {
    return ::testing::AssertionFailure() << "not a token record: " << t.dump();
  }
  if (!t["id"].is_string() || !std::regex_match(t["id"].get<std::string>(), uuid)) {
    return ::testing::AssertionFailure() << "id is not a UUID: " << t.dump();
  }
  if (t["client_id"] != client.id || t["api"].dump() != api_id || t["scope"] != scope ||
      t["format"] != "opaque") {
    return ::testing::AssertionFailure() << "expected client " << client.id << ", api " << api_id
                                         << ", scope \"" << scope << "\", opaque: " << t.dump();
  }
  if (!is_rfc3339_utc(t["issued_at"]) || !is_rfc3339_utc(t["expires_at"])) {
    return ::testing::AssertionFailure() << "times are not RFC 3339 UTC: " << t.dump();
  }
  const auto lifetime = seconds_between(parse_time(t["expires_at"]), parse_time(t["issued_at"]));
  if (std::abs(lifetime - 3600.0) > 1.0) {
    return ::testing::AssertionFailure() << "lives " << lifetime << " s: " << t.dump();
  }
  if (!t["revoked_at"].is_null() && !is_rfc3339_utc(t["revoked_at"])) {
    return ::testing::AssertionFailure() << "revoked_at is neither null nor a time: " << t.dump();
  }
  return ::testing::AssertionSuccess();
}

// --- Listing ----------------------------------------------------------------

TEST_F(LifecycleTokensE2eTest, IssuedTokensAreListedNewestFirstAsMetadataOnly) {
  const auto c = client();
  const auto issued_from = Clock::now();
  std::vector<std::string> values;
  for (const auto* scope : {"read", "write", "admin"}) {
    values.push_back(issue(c, std::string("&scope=") + scope));
    // Ids are UUIDv7 with millisecond time and random bits after it: only
    // tokens of different milliseconds have an order (and this machine's
    // clock may move in steps of several milliseconds).
    std::this_thread::sleep_for(20ms);
  }
  const auto issued_until = Clock::now();

  const auto response = admin().get(tokens_path());
  ASSERT_TRUE(IsJsonAnswer(response, 200));
  const auto body = response.json();
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"items", "next_cursor"}));
  EXPECT_TRUE(body["next_cursor"].is_null()) << response.body;
  const auto& items = body["items"];
  ASSERT_EQ(items.size(), 3u) << response.body;
  const std::vector<std::string> newest_first = {"admin", "write", "read"};
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_TRUE(IsTokenRecord(items[i], c, tenant_.api_id, newest_first[i]));
    EXPECT_TRUE(items[i]["revoked_at"].is_null()) << items[i].dump();
    if (!is_rfc3339_utc(items[i]["issued_at"])) continue;
    const auto issued_at = parse_time(items[i]["issued_at"]);
    EXPECT_GE(seconds_between(issued_at, issued_from), -1.0) << items[i].dump();
    EXPECT_LE(seconds_between(issued_at, issued_until), 1.0) << items[i].dump();
  }
  EXPECT_EQ(field_of(items), stored_ids()) << "the ids are the tokens' jti, newest first";

  for (const auto& value : values) {
    ASSERT_FALSE(value.empty());
    EXPECT_EQ(response.body.find(value), std::string::npos);
    EXPECT_EQ(response.body.find(value.substr(5)), std::string::npos) << "the part after tsat_";
  }
  for (const auto* leak : {"access_token", "token_hash", "tsat_", "secret"}) {
    EXPECT_EQ(response.body.find(leak), std::string::npos) << leak << " in " << response.body;
  }
}

TEST_F(LifecycleTokensE2eTest, ClientIdFilterListsOnlyThatClientsTokens) {
  const auto a = client("Client A");
  const auto b = client("Client B");
  issue(a);
  issue(b);
  issue(a);

  const auto of_a = list("?client_id=" + a.id);
  EXPECT_EQ(of_a.size(), 2u) << of_a.dump();
  for (const auto& t : of_a) EXPECT_EQ(t["client_id"], a.id) << t.dump();
  EXPECT_EQ(field_of(of_a), stored_ids("client_id = '" + a.id + "'"));

  const auto of_b = list("?client_id=" + b.id);
  EXPECT_EQ(of_b.size(), 1u) << of_b.dump();
  for (const auto& t : of_b) EXPECT_EQ(t["client_id"], b.id) << t.dump();

  EXPECT_EQ(list("?client_id=no-such-client").size(), 0u);
  EXPECT_EQ(list().size(), 3u);
}

// Expired tokens are inactive too: TokenListingPgTest names a later time
// instead of waiting for one to expire here.
TEST_F(LifecycleTokensE2eTest, ActiveFilterSeparatesLiveTokensFromRevokedOnes) {
  const auto live = client("Live");
  const auto other = client("Other");
  issue(live);
  issue(live);
  issue(other);
  const auto all = list("?client_id=" + live.id);
  ASSERT_EQ(all.size(), 2u) << all.dump();
  const auto revoked_id = all[1]["id"].get<std::string>();
  const auto kept_id = all[0]["id"].get<std::string>();
  ASSERT_EQ(admin().del(tokens_path("/" + revoked_id)).status, 204);

  const auto others = list("?client_id=" + other.id);
  ASSERT_EQ(others.size(), 1u) << others.dump();
  const auto active = field_of(list("?active=true"));
  EXPECT_EQ(std::set<std::string>(active.begin(), active.end()),
            (std::set<std::string>{json(kept_id).dump(), others[0]["id"].dump()}));
  EXPECT_EQ(field_of(list("?active=false")), (std::vector<std::string>{json(revoked_id).dump()}));
  EXPECT_EQ(field_of(list("?active=false&client_id=" + other.id)), std::vector<std::string>{});
  EXPECT_EQ(list().size(), 3u);

  EXPECT_TRUE(
      IsAdminError(admin().get(tokens_path("?active=maybe")), 400, "invalid_request", "active"));
}

TEST_F(LifecycleTokensE2eTest, PagesOfTwoWalkEveryTokenExactlyOnce) {
  const auto a = client("Paged");
  const auto b = client("Interleaved");
  for (int i = 0; i < 5; ++i) {
    issue(a);
    if (i % 2 == 0) issue(b);
  }
  ASSERT_EQ(stored_ids().size(), 8u);

  const auto walk = walk_list(admin(), tokens_path(), 2);
  EXPECT_EQ(walk.page_sizes, (std::vector<std::size_t>{2, 2, 2, 2}));
  EXPECT_EQ(field_of(walk.items), stored_ids()) << "each token once, newest first";

  const auto of_a = walk_list(admin(), tokens_path("?client_id=" + a.id), 2);
  EXPECT_EQ(of_a.page_sizes, (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(field_of(of_a.items), stored_ids("client_id = '" + a.id + "'"));
}

// --- One token --------------------------------------------------------------

TEST_F(LifecycleTokensE2eTest, ATokenIsReadAndRevokedByItsId) {
  const auto c = client();
  issue(c, "&scope=write");
  const auto listed = list();
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  const auto id = listed[0]["id"].get<std::string>();

  const auto got = admin().get(tokens_path("/" + id));
  ASSERT_TRUE(IsJsonAnswer(got, 200));
  EXPECT_EQ(got.json(), listed[0]);
  EXPECT_TRUE(IsTokenRecord(got.json(), c, tenant_.api_id, "write"));

  const auto revoked = admin().del(tokens_path("/" + id));
  const auto revoked_at = Clock::now();
  EXPECT_EQ(revoked.status, 204) << describe(revoked);
  EXPECT_EQ(revoked.body, "");

  const auto after = admin().get(tokens_path("/" + id));
  ASSERT_TRUE(IsJsonAnswer(after, 200));
  EXPECT_TRUE(IsTokenRecord(after.json(), c, tenant_.api_id, "write"));
  ASSERT_TRUE(is_rfc3339_utc(after.json()["revoked_at"])) << after.body;
  EXPECT_LT(std::abs(seconds_between(parse_time(after.json()["revoked_at"]), revoked_at)), 5.0);
  EXPECT_EQ(field_of(list("?active=false")), (std::vector<std::string>{json(id).dump()}));
  EXPECT_EQ(list("?active=true").size(), 0u);
  EXPECT_EQ(query("SELECT count(*) FROM tokens WHERE revoked_at IS NOT NULL AND id = '" + id + "'"),
            "1");
}

TEST_F(LifecycleTokensE2eTest, UnknownMalformedOrForeignTokenIdsAreNotFound) {
  // A token of another tenant (acme) must look absent here.
  const auto foreign_client = new_client(fx().slug, fx().api_id, {"read"}, "Foreign");
  ASSERT_EQ(request_token(fx().slug, foreign_client).status, 200);
  const auto foreign_id =
      query("SELECT id::text FROM tokens WHERE client_id = '" + foreign_client.id + "'");
  ASSERT_FALSE(foreign_id.empty());

  for (const auto& id : {std::string("01900000-0000-7000-8000-000000000000"),
                         std::string("not-a-uuid"), std::string("123"), foreign_id}) {
    SCOPED_TRACE(id);
    EXPECT_TRUE(IsAdminError(admin().get(tokens_path("/" + id)), 404, "not_found"));
    EXPECT_TRUE(IsAdminError(admin().del(tokens_path("/" + id)), 404, "not_found"));
  }
  EXPECT_EQ(query("SELECT revoked_at IS NULL FROM tokens WHERE id = '" + foreign_id + "'"), "t");
}

// --- Bulk revocation --------------------------------------------------------

TEST_F(LifecycleTokensE2eTest, BulkRevocationByClientRevokesExactlyItsActiveTokens) {
  const auto a = client("Revoked in bulk");
  const auto b = client("Bystander");
  for (int i = 0; i < 3; ++i) issue(a);
  issue(b);
  issue(b);
  const auto of_a = list("?client_id=" + a.id);
  ASSERT_EQ(of_a.size(), 3u);
  ASSERT_EQ(admin().del(tokens_path("/" + of_a[0]["id"].get<std::string>())).status, 204);

  const auto revoked = admin().post(tokens_path("/revoke"), {{"client_id", a.id}});
  ASSERT_TRUE(IsJsonAnswer(revoked, 200));
  EXPECT_EQ(revoked.json(), (json{{"revoked", 2}})) << "the two still active";

  EXPECT_EQ(list("?active=true&client_id=" + a.id).size(), 0u);
  const auto still_active = list("?active=true");
  EXPECT_EQ(field_of(still_active), stored_ids("client_id = '" + b.id + "'"));
  EXPECT_EQ(still_active.size(), 2u);

  const auto again = admin().post(tokens_path("/revoke"), {{"client_id", a.id}});
  ASSERT_TRUE(IsJsonAnswer(again, 200));
  EXPECT_EQ(again.json(), (json{{"revoked", 0}}));
}

TEST_F(LifecycleTokensE2eTest, BulkRevocationByApiTakesItsIdOrItsIdentifier) {
  const auto c = client("Two APIs");
  fx().grant(tenant_.slug, c, tenant_.other_api_id, {"pay"});
  issue(c);
  issue(c);
  ASSERT_TRUE(
      IsToken(request_token(tenant_.slug, c, "&audience=" + tenant_.other_api_identifier), "pay"));
  ASSERT_EQ(active_count(), "3");

  const auto by_id =
      admin().post(tokens_path("/revoke"), {{"api", json::parse(tenant_.other_api_id)}});
  ASSERT_TRUE(IsJsonAnswer(by_id, 200));
  EXPECT_EQ(by_id.json(), (json{{"revoked", 1}}));
  const auto left = list("?active=true");
  ASSERT_EQ(left.size(), 2u) << left.dump();
  for (const auto& t : left) EXPECT_EQ(t["api"].dump(), tenant_.api_id) << t.dump();

  const auto by_identifier =
      admin().post(tokens_path("/revoke"), {{"api", tenant_.api_identifier}});
  ASSERT_TRUE(IsJsonAnswer(by_identifier, 200));
  EXPECT_EQ(by_identifier.json(), (json{{"revoked", 2}}));
  EXPECT_EQ(active_count(), "0");
}

TEST_F(LifecycleTokensE2eTest, BulkRevocationRefusesAnUnknownApiNamingIt) {
  const auto c = client();
  issue(c);
  EXPECT_TRUE(IsAdminError(admin().post(tokens_path("/revoke"), {{"api", "nope"}}), 400,
                           "invalid_request", "api"));
  EXPECT_TRUE(IsAdminError(admin().post(tokens_path("/revoke"), {{"client_id", c.id}, {"api", 0}}),
                           400, "invalid_request", "api"));
  EXPECT_EQ(active_count(), "1") << "nothing was revoked";
}

// --- Disabled clients -------------------------------------------------------

TEST_F(LifecycleTokensE2eTest, DisablingAClientRefusesItsTokenRequestsAtOnceUntilReEnabled) {
  const auto c = client();
  const auto path = "/tenants/" + tenant_.slug + "/clients/" + c.id;
  ASSERT_TRUE(IsToken(request_token(tenant_.slug, c), "admin read write"));

  const auto disabled = admin().patch(path, {{"status", "disabled"}});
  ASSERT_TRUE(IsJsonAnswer(disabled, 200));
  EXPECT_EQ(disabled.json()["status"], "disabled");
  EXPECT_TRUE(IsInvalidClient(request_token(tenant_.slug, c), true));
  EXPECT_TRUE(IsInvalidClient(
      post_token(token_url(tenant_.slug), kClientCredentials + post_credentials(c)), false));

  const auto enabled = admin().patch(path, {{"status", "active"}});
  ASSERT_TRUE(IsJsonAnswer(enabled, 200));
  EXPECT_EQ(enabled.json()["status"], "active");
  EXPECT_TRUE(IsToken(request_token(tenant_.slug, c), "admin read write"));
}

}  // namespace
}  // namespace tessera::test
