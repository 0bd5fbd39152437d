// Hostile bytes at the OAuth endpoints (SPEC §6): NUL, control characters
// and invalid UTF-8 are refused as invalid_request before they reach a
// cache, a limiter, a log line or PostgreSQL; one client's request can never
// fail another's; a client_id Tessera could never have issued is answered
// like an unknown one, without a lookup, and charged to the source address.
#include <future>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "e2e/token_fixture.hpp"
#include "support/raw_http.hpp"

namespace tessera::test {
namespace {

using namespace std::chrono_literals;

const std::string kGrant = kClientCredentials;

class HostileInputE2eTest : public TokenSuite<HostileInputE2eTest> {
 protected:
  static std::string introspect_url() { return url("/t/acme/oauth/introspect"); }
  static std::string revoke_url() { return url("/t/acme/oauth/revoke"); }
};

// The Basic header of raw bytes (no percent-encoding), as an attacker sends it.
std::string raw_basic(const std::string& decoded) {
  return "Authorization: Basic " + base64(decoded);
}

TEST_F(HostileInputE2eTest, ControlCharactersAndInvalidUtf8AreInvalidRequestAndRecordNothing) {
  struct Case {
    std::string name;
    std::string url;
    std::string body;
    std::vector<std::string> headers;
  };
  const auto& main = fx().main;
  const auto secret = "&client_secret=" + percent_encode(main.secret);
  const std::string json_start =
      R"({"grant_type":"client_credentials","client_secret":")" + main.secret + "\"";
  const std::vector<Case> cases = {
      {"NUL after a real client_id (form)",
       token_url(),
       kGrant + "&client_id=" + main.id + "%00x" + secret,
       {}},
      {"NUL inside the Basic id",
       token_url(),
       kGrant,
       {raw_basic(main.id + std::string(1, '\0') + "x:" + main.secret)}},
      {"encoded NUL inside the Basic id",
       token_url(),
       kGrant,
       {raw_basic(main.id + "%00x:" + main.secret)}},
      {"NUL in a JSON client_id",
       token_url(),
       json_start + R"(,"client_id":")" + main.id + R"(\u0000x"})",
       {kJsonType}},
      {"JSON followed by a NUL",
       token_url(),
       std::string(R"({"grant_type":"client_credentials"})") + '\0',
       {kJsonType, basic_auth(main)}},
      {"Basic bytes that are not UTF-8", token_url(), kGrant, {"Authorization: Basic //46/Q=="}},
      {"invalid UTF-8 in a form value", token_url(), kGrant + "&client_id=%ff%fe" + secret, {}},
      {"overlong UTF-8 in the scope", token_url(), kGrant + "&scope=%c0%af", {basic_auth(main)}},
      {"CR LF in the scope",
       token_url(),
       kGrant + "&scope=read%0d%0aX-Forged:%201",
       {basic_auth(main)}},
      {"escape sequence in the audience",
       token_url(),
       kGrant + "&audience=%1b%5b31m",
       {basic_auth(main)}},
      {"C1 control in the secret",
       token_url(),
       kGrant + "&client_id=" + main.id + "&client_secret=" + percent_encode(main.secret) +
           "%c2%85",
       {}},
      {"NUL in the grant type",
       token_url(),
       "grant_type=client_credentials%00",
       {basic_auth(main)}},
      {"NUL in a token to introspect",
       introspect_url(),
       "token=tsat_abc%00def",
       {basic_auth(main)}},
      {"NUL in a token to revoke", revoke_url(), "token=tsat_abc%00def", {basic_auth(main)}},
      {"invalid UTF-8 in an introspection client_id",
       introspect_url(),
       "token=x&client_id=%ff&client_secret=x",
       {}},
  };
  const auto before = token_count();
  for (const auto& c : cases) {
    EXPECT_TRUE(IsOAuthError(post_token(c.url, c.body, c.headers), 400, "invalid_request"))
        << c.name;
  }
  EXPECT_EQ(token_count(), before);
  // The server is unharmed: the real client still gets its token.
  EXPECT_TRUE(IsToken(post_token(token_url(), kGrant, {basic_auth(main)}), "read write"));
}

TEST_F(HostileInputE2eTest, InvalidUtf8OrControlBytesInAPathAre400NotA500) {
  const int port = port_of(server_->server.public_url());
  for (const std::string path :
       {"/t/\xff\xfe/oauth/token", "/t/acme/oauth/token\x01", "/t/ac\x7fme/oauth/token"}) {
    SCOPED_TRACE(path);
    const auto answer =
        raw_exchange(port, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                               "application/x-www-form-urlencoded\r\nContent-Length: " +
                               std::to_string(kGrant.size()) + "\r\n\r\n" + kGrant);
    ASSERT_EQ(answer.kind, RawAnswer::Kind::answered) << answer.raw;
    EXPECT_TRUE(IsOAuthError(answer.response, 400, "invalid_request"));
  }
  // Percent-encoded, the same bytes name no tenant: 404 without a lookup.
  EXPECT_TRUE(IsOAuthError(
      post_token(url("/t/%ff%fe/oauth/token"), kGrant, {basic_auth(fx().main)}), 404, "not_found"));
  EXPECT_TRUE(
      IsOAuthError(post_token(url("/t/acme%00/oauth/token"), kGrant, {basic_auth(fx().main)}), 404,
                   "not_found"));
}

TEST_F(HostileInputE2eTest, PoisonedRequestsNeverFailAnotherTenantsRequests) {
  // A NUL used to pass to the token record, whose malformed row failed the
  // whole group-commit batch: every tenant's request in it got 503.
  const auto& main = fx().main;
  const std::vector<std::pair<std::string, std::vector<std::string>>> poisoned = {
      {kGrant + "&client_id=" + main.id + "%00x&client_secret=" + percent_encode(main.secret), {}},
      {kGrant, {raw_basic(main.id + "%00y:" + main.secret)}},
      {R"({"grant_type":"client_credentials","client_id":")" + main.id +
           R"(\u0000z","client_secret":")" + main.secret + "\"}",
       {kJsonType}},
  };
  const auto before = std::stol(token_count());
  std::mutex mutex;
  std::vector<std::string> failures;
  long issued = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 24; ++i) {
        HttpResult response;
        std::string what;
        if ((i + t) % 2 == 0) {
          const auto& [body, headers] = poisoned[static_cast<std::size_t>(i + t) % poisoned.size()];
          response = post_token(token_url(), body, headers);
          what = "poisoned";
          if (IsOAuthError(response, 400, "invalid_request")) continue;
        } else {
          const bool solo = (i / 2) % 2 == 0;
          response = solo ? post_token(token_url("solo"), kGrant, {basic_auth(fx().solo)})
                          : post_token(token_url(), kGrant, {basic_auth(main)});
          what = solo ? "solo" : "acme";
          if (response.status == 200) {
            std::lock_guard lock(mutex);
            ++issued;
            continue;
          }
        }
        std::lock_guard lock(mutex);
        failures.push_back(what + ": " + describe(response));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: " << failures.front();
  EXPECT_EQ(issued, 8 * 12);
  EXPECT_EQ(std::stol(token_count()), before + issued);
}

TEST_F(HostileInputE2eTest, AnImpossibleClientIdIsAnsweredExactlyLikeAnUnknownOne) {
  const std::string unknown = "AAAAAAAAAAAAAAAAAAAAAA";  // could be issued; is not
  for (const std::string& id :
       {std::string("short"), std::string(65, 'a'), std::string("Zm9vYmFyYmF6cXV4.TIzNA"),
        std::string("with space 1234567890"), std::string("caf\xc3\xa9-0123456789ABCDEF")}) {
    SCOPED_TRACE(id);
    for (const bool basic : {true, false}) {
      auto send = [&](const std::string& client_id) {
        return basic ? post_token(token_url(), kGrant, {basic_auth(client_id, "some-secret")})
                     : post_token(token_url(), kGrant + "&client_id=" + percent_encode(client_id) +
                                                   "&client_secret=some-secret");
      };
      const auto impossible = send(id);
      const auto reference = send(unknown);
      EXPECT_TRUE(IsInvalidClient(impossible, basic));
      EXPECT_EQ(impossible.status, reference.status);
      EXPECT_EQ(impossible.body, reference.body);
      EXPECT_EQ(impossible.header("www-authenticate"), reference.header("www-authenticate"));
      EXPECT_EQ(impossible.header("cache-control"), reference.header("cache-control"));
    }
  }
}

TEST_F(HostileInputE2eTest, AnImpossibleClientIdIsRefusedWithoutALookup) {
  // While the clients table is locked, any client lookup waits; an
  // impossible id must not, since it never reaches the store.
  ASSERT_TRUE(IsToken(post_token(token_url(), kGrant, {basic_auth(fx().main)}), "read write"));
  pqxx::connection connection(server_->db.url());
  pqxx::work lock(connection);
  lock.exec("LOCK TABLE clients IN ACCESS EXCLUSIVE MODE");

  // Ids no earlier test used: the directory remembers unknown ids it looked up.
  for (const std::string id : {"tiny-lock-test", "Zm9vYmFyYmF6.lock-test"}) {
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(IsInvalidClient(post_token(token_url(), kGrant, {basic_auth(id, "x")}), true))
        << id;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << id;
  }
  // The control: a possible, unknown id does need the store, and waits.
  auto possible = std::async(std::launch::async, [] {
    return post_token(token_url(), kGrant, {basic_auth("BBBBBBBBBBBBBBBBBBBBBB", "x")});
  });
  EXPECT_EQ(possible.wait_for(1500ms), std::future_status::timeout);
  lock.commit();
  const auto answered = possible.get();
  EXPECT_TRUE(answered.status == 401 || answered.status == 503) << describe(answered);
}

// A server of its own: this suite exhausts the source address's failures.
class ImpossibleClientIdLimitE2eTest : public TokenSuite<ImpossibleClientIdLimitE2eTest> {};

TEST_F(ImpossibleClientIdLimitE2eTest, ImpossibleClientIdsCountAsFailuresOfTheSource) {
  // SPEC §6: the limit engages by 100 failures a minute.
  int limited_after = 0;
  for (int i = 1; i <= 110 && limited_after == 0; ++i) {
    const auto response =
        post_token(token_url(), kGrant, {basic_auth("x" + std::to_string(i), "wrong")});
    if (response.status == 429) {
      limited_after = i;
      EXPECT_TRUE(IsOAuthError(response, 429, "too_many_requests"));
      EXPECT_FALSE(response.header("retry-after").empty());
    } else {
      ASSERT_TRUE(IsInvalidClient(response, true)) << i;
    }
  }
  ASSERT_GT(limited_after, 20);
  ASSERT_LE(limited_after, 101);
  // The source is limited for every client id it tries and fails with...
  EXPECT_TRUE(IsOAuthError(post_token(token_url(), kGrant, {basic_auth(fx().main.id, "wrong")}),
                           429, "too_many_requests"));
  // ...but a right generated secret still gets its token.
  EXPECT_TRUE(IsToken(post_token(token_url(), kGrant, {basic_auth(fx().main)}), "read write"));
}

}  // namespace
}  // namespace tessera::test
