// Every token the endpoint answers is recorded, as SPEC §3.1 says: with its
// client, secret, API, scopes and lifetime, under a keyed hash only, and
// committed before the 200 is sent, so that it survives a crash right after.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

const std::string& kGrant = kClientCredentials;

class TokenDurabilityE2eTest : public TokenSuite<TokenDurabilityE2eTest> {
 protected:
  static std::string token_url_on(const ServerProcess& server) {
    return server.public_url() + "/t/acme/oauth/token";
  }
  static long count(const std::string& sql) { return std::stol(query(sql)); }
};

// A kind of token request and the record it must leave.
struct Kind {
  std::string body;
  std::string header;
  std::string client_id;
  std::string secret_id;
  std::string api_id;
  std::string scope;
  long expires_in;
  std::string lifetime;  // expires_at - issued_at, as PostgreSQL prints it
};

// One line per group of records: what a record holds, and how many.
std::string record_line(const Kind& kind, long n) {
  return kind.client_id + "|" + kind.secret_id + "|" + kind.api_id + "|" + kind.scope + "|opaque|" +
         kind.lifetime + "|" + std::to_string(n);
}

const char* kRecordLines = R"(
  SELECT coalesce(string_agg(line, E'\n' ORDER BY line), '')
  FROM (SELECT client_id || '|' || coalesce(secret_id::text, 'NULL') || '|' || api_id || '|' ||
               scope || '|' || format || '|' || (expires_at - issued_at)::text || '|' ||
               count(*) AS line
        FROM tokens
        GROUP BY client_id, secret_id, api_id, scope, format, expires_at - issued_at) AS groups)";

// A SQL array of tokens; they hold only [A-Za-z0-9_-], so no quoting is needed.
std::string sql_array(const std::vector<std::string>& tokens) {
  std::string out = "ARRAY[";
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += ",";
    out += "'" + tokens[i] + "'";
  }
  return out + "]::text[]";
}

// SQL for the record id that a token (an SQL text expression) names: per
// docs/oauth.md an opaque token is `tsat_`, the base64url of its 16-byte id
// (its jti, a UUIDv7), then its random part.
std::string record_id_sql(const std::string& token_expression) {
  return "encode(decode(translate(substr(" + token_expression +
         ", 6, 22), '-_', '+/') || '==', 'base64'), 'hex')::uuid";
}

// How many of `tokens` have a record (that also satisfies `condition`).
std::string count_recorded_sql(const std::vector<std::string>& tokens,
                               const std::string& condition = "true") {
  return "SELECT count(*) FROM unnest(" + sql_array(tokens) +
         ") AS issued(token) JOIN tokens ON tokens.id = " + record_id_sql("issued.token") +
         " AND " + condition;
}

TEST_F(TokenDurabilityE2eTest, EveryTokenAnsweredIsRecordedWithItsClientApiScopeAndLifetime) {
  // The second API gets a lifetime of its own, so each record's lifetime
  // follows from its API.
  ASSERT_TRUE(IsJsonAnswer(
      fx().admin().patch("/tenants/acme/apis/" + fx().billing_api_id, {{"token_ttl", 600}}), 200));
  const auto& main = fx().main;
  const auto& imported = fx().imported;
  const std::vector<Kind> kinds = {
      {kGrant + "&scope=write%20read", basic_auth(main), main.id, main.secret_id, fx().api_id,
       "read write", 3600, "01:00:00"},
      {kGrant + "&scope=read", basic_auth(main), main.id, main.secret_id, fx().api_id, "read", 3600,
       "01:00:00"},
      {kGrant + "&audience=billing", basic_auth(main), main.id, main.secret_id, fx().billing_api_id,
       "pay", 600, "00:10:00"},
      {kGrant + post_credentials(imported), "", imported.id, imported.secret_id, fx().api_id,
       "read", 3600, "01:00:00"},
  };
  // Whatever other tests of the suite issued, this one counts from zero.
  server_->db.execute("TRUNCATE tokens");
  ASSERT_EQ(query(kRecordLines), "");

  // 200 requests from 8 threads at once, so that records share batches.
  constexpr int kRequests = 200;
  constexpr int kThreads = 8;
  std::atomic<int> next{0};
  std::mutex mutex;
  std::map<std::size_t, long> answered;  // kind -> number of 200s
  std::vector<std::string> tokens;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < kRequests; i = next++) {
        const auto k = static_cast<std::size_t>(i) % kinds.size();
        std::vector<std::string> headers;
        if (!kinds[k].header.empty()) headers.push_back(kinds[k].header);
        HttpResult response;
        try {
          response = post_token(token_url_on(server_->server), kinds[k].body, headers);
        } catch (const std::exception& e) {
          response.body = e.what();
        }
        std::lock_guard lock(mutex);
        if (IsToken(response, kinds[k].scope, kinds[k].expires_in)) {
          ++answered[k];
          tokens.push_back(access_token_of(response));
        } else {
          failures.push_back(describe(response));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, the first: " << failures.front();

  // As many records as 200s, each with the right fields.
  EXPECT_EQ(count("SELECT count(*) FROM tokens"), static_cast<long>(tokens.size()));
  std::vector<std::string> expected;
  for (const auto& [k, n] : answered) expected.push_back(record_line(kinds[k], n));
  std::sort(expected.begin(), expected.end());
  std::string expected_text;
  for (const auto& line : expected) expected_text += (expected_text.empty() ? "" : "\n") + line;
  EXPECT_EQ(query(kRecordLines), expected_text);
  EXPECT_EQ(count("SELECT count(*) FROM tokens WHERE tenant_id <> " + fx().tenant_id +
                  " OR revoked_at IS NOT NULL OR issued_at > now() OR issued_at < now() - interval "
                  "'5 minutes'"),
            0);
  EXPECT_EQ(count("SELECT count(DISTINCT id) FROM tokens"), static_cast<long>(tokens.size()));

  // Each token names its own record (docs/oauth.md), and the record matches.
  EXPECT_EQ(count(count_recorded_sql(tokens)), static_cast<long>(tokens.size()));

  // Only a keyed hash is stored: 32 bytes, one per token, that nothing in the
  // database can compute from the token's text.
  EXPECT_EQ(count("SELECT count(*) FROM tokens WHERE token_hash IS NULL OR "
                  "octet_length(token_hash) <> 32"),
            0);
  EXPECT_EQ(count("SELECT count(DISTINCT token_hash) FROM tokens"),
            static_cast<long>(tokens.size()));
  const auto derivable = R"(
    WITH issued(token) AS (SELECT unnest()" +
                         sql_array(tokens) + R"()),
    forms(token, text_form) AS (
      SELECT token, f FROM issued,
        unnest(ARRAY[token, substr(token, 6), right(token, 43)]) AS f)
    SELECT count(*) FROM tokens, forms
    WHERE tokens::text LIKE '%' || forms.text_form || '%'
       OR tokens.token_hash IN (
            convert_to(forms.text_form, 'UTF8'),
            sha256(convert_to(forms.text_form, 'UTF8')),
            substr(sha512(convert_to(forms.text_form, 'UTF8')), 1, 32),
            decode(translate(right(forms.token, 43), '-_', '+/') || '=', 'base64'),
            sha256(decode(translate(right(forms.token, 43), '-_', '+/') || '=', 'base64'))))";
  EXPECT_EQ(count(derivable), 0) << "a token, or an unkeyed form of it, is in the database";
}

TEST_F(TokenDurabilityE2eTest, ATokenWhose200ArrivedSurvivesAKillRightAfter) {
  // Servers of this test's own on the suite's database, killed with SIGKILL
  // the moment a 200 has arrived: no time to write anything afterwards.
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const long before = count("SELECT count(*) FROM tokens");
    ServerProcess server(server_->db.url());
    const auto response = post_token(token_url_on(server), kGrant, {basic_auth(fx().main)});
    server.kill_now();
    ASSERT_TRUE(IsToken(response, "read write"));
    const auto token = access_token_of(response);
    EXPECT_EQ(count("SELECT count(*) FROM tokens"), before + 1);
    EXPECT_EQ(count("SELECT count(*) FROM tokens WHERE id = " + record_id_sql("'" + token + "'") +
                    " AND client_id = '" + fx().main.id + "' AND api_id = " + fx().api_id +
                    " AND scope = 'read write' AND secret_id = " + fx().main.secret_id +
                    " AND expires_at - issued_at = interval '3600 seconds'"),
              1);
  }
}

TEST_F(TokenDurabilityE2eTest, TokensAnsweredUnderLoadSurviveAKillInTheMiddleOfIt) {
  const long before = count("SELECT count(*) FROM tokens");
  ServerProcess server(server_->db.url());
  const auto url = token_url_on(server);
  const auto auth = basic_auth(fx().main);
  constexpr std::size_t kKillAfter = 50;
  std::mutex mutex;
  std::vector<std::string> tokens;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      while (true) {
        HttpResult response;
        try {
          response = post_token(url, kGrant + "&scope=read", {auth});
        } catch (const std::exception&) {
          return;  // the server is gone
        }
        std::lock_guard lock(mutex);
        if (tokens.size() >= kKillAfter) return;
        if (response.status != 200) continue;
        tokens.push_back(access_token_of(response));
        // Killed the moment the 50th 200 arrives, with 7 requests in flight.
        if (tokens.size() == kKillAfter) server.kill_now();
      }
    });
  }
  for (auto& thread : threads) thread.join();

  ASSERT_EQ(tokens.size(), kKillAfter);
  // Every token that was answered is there; a record may exist for a token
  // whose 200 was never sent, not the other way round.
  EXPECT_EQ(count(count_recorded_sql(tokens, "tokens.scope = 'read'")),
            static_cast<long>(tokens.size()));
  EXPECT_GE(count("SELECT count(*) FROM tokens"), before + static_cast<long>(tokens.size()));
}

TEST_F(TokenDurabilityE2eTest, ALostDatabaseConnectionFailsCleanlyAndIssuanceResumes) {
  // SPEC §6: requests that need the database get 503 quickly while it is
  // unreachable, and the server serves again by itself. Here PostgreSQL
  // drops every connection of the server (as on a restart or failover).
  ServerProcess server(server_->db.url());
  const auto url = token_url_on(server);
  const auto auth = basic_auth(fx().main);
  ASSERT_TRUE(IsToken(post_token(url, kGrant, {auth}), "read write"));
  ASSERT_GE(count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
            1);

  std::vector<std::string> tokens;
  int consecutive_ok = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (consecutive_ok < 3 && std::chrono::steady_clock::now() < deadline) {
    const auto started = std::chrono::steady_clock::now();
    const auto response = post_token(url, kGrant, {auth});
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    if (response.status == 200) {
      tokens.push_back(access_token_of(response));
      ++consecutive_ok;
      continue;
    }
    consecutive_ok = 0;
    EXPECT_TRUE(IsOAuthError(response, 503, "temporarily_unavailable")) << response.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(consecutive_ok, 3) << "issuance did not resume within 10 seconds";
  EXPECT_EQ(count(count_recorded_sql(tokens)), static_cast<long>(tokens.size()));
}

}  // namespace
}  // namespace tessera::test
