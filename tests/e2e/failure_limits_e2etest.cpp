// Brute force, done right (SPEC §2, §6): admin keys are limited apart from
// clients and on every listener that takes them, made-up client ids share
// one bucket per tenant, IPv6 counts per /64, and the client address comes
// from X-Forwarded-For only when the peer is a trusted proxy.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

const std::string& kGrant = kClientCredentials;

::testing::AssertionResult IsLimited(const HttpResult& r) {
  auto ok = IsOAuthError(r, 429, "too_many_requests");
  if (!ok) return ok;
  const auto retry_after = r.header("retry-after");
  if (retry_after.empty() || retry_after.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(retry_after) < 1 || std::stoi(retry_after) > 60) {
    return ::testing::AssertionFailure() << "Retry-After is '" << retry_after << "'";
  }
  return ::testing::AssertionSuccess();
}

std::string bearer(const std::string& key) {
  return "Authorization: Bearer " + key;
}
const std::string kWrongAdminKey = "tsak_0123456789abcdef0123456789abcdef0123456789a";

// A default server: no trusted proxies.
class FailureLimitsE2eTest : public TokenSuite<FailureLimitsE2eTest> {
 protected:
  static HttpResult token_from(const std::string& source, const std::string& slug,
                               const std::string& authorization,
                               const std::string& forwarded_for = "") {
    std::vector<std::string> headers = {kFormType, authorization};
    if (!forwarded_for.empty()) headers.push_back("X-Forwarded-For: " + forwarded_for);
    return http_request_from(source, "POST", token_url(slug), kGrant, headers);
  }
  static HttpResult introspect_from(const std::string& source, const std::string& authorization) {
    return http_request_from(source, "POST", url("/t/acme/oauth/introspect"), "token=abc",
                             {kFormType, authorization});
  }
};

TEST_F(FailureLimitsE2eTest, WrongAdminKeysOnIntrospectionAreLimitedApartFromClientFailures) {
  const std::string source = "127.0.0.21";
  for (int attempt = 1; attempt <= 100; ++attempt) {
    const auto response = introspect_from(source, bearer(kWrongAdminKey));
    if (attempt <= 20) {
      ASSERT_TRUE(IsOAuthError(response, 401, "invalid_client")) << "attempt " << attempt;
      ASSERT_EQ(response.header("www-authenticate"), "Bearer realm=\"tessera\"");
    } else {
      ASSERT_TRUE(response.status == 401 || response.status == 429)
          << "attempt " << attempt << ": " << describe(response);
    }
  }
  EXPECT_TRUE(IsLimited(introspect_from(source, bearer(kWrongAdminKey))));
  // The admin port shares the admin-key counters: the same source is
  // limited there too, with the admin API's error shape.
  const auto admin =
      http_request_from(source, "GET", server_->server.admin_url() + "/admin/v1/tenants", "",
                        {bearer(kWrongAdminKey)});
  EXPECT_EQ(admin.status, 429) << describe(admin);
  EXPECT_FALSE(admin.header("retry-after").empty());
  // The right key still works from there: only failures are refused.
  EXPECT_EQ(http_request_from(source, "GET", server_->server.admin_url() + "/admin/v1/tenants", "",
                              {bearer(server_->key)})
                .status,
            200);
  // Client authentication keeps its own counters: a wrong client secret
  // from the same source is a plain 401.
  EXPECT_TRUE(IsInvalidClient(
      token_from(source, "acme", basic_auth(fx().main.id, "wrong-secret-0123456789")), true));
  // And another source is not limited for admin keys.
  EXPECT_TRUE(
      IsOAuthError(introspect_from("127.0.0.22", bearer(kWrongAdminKey)), 401, "invalid_client"));
}

TEST_F(FailureLimitsE2eTest, WithoutTrustedProxiesForwardedForIsIgnored) {
  // A hundred failures, each claiming another address: all count for the
  // peer, which is then limited for every client.
  const auto wrong = basic_auth(fx().ungranted.id, "wrong-secret-0123456789");
  for (int attempt = 1; attempt <= 100; ++attempt) {
    token_from("127.0.0.23", "acme", wrong, "10.1.0." + std::to_string(attempt));
  }
  EXPECT_TRUE(IsLimited(
      token_from("127.0.0.23", "solo", basic_auth(fx().solo.id, "wrong-0123456789"), "10.2.0.1")));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the log line follows the answer
  const auto log = server_->server.stderr_text();
  EXPECT_NE(log.find("remote_address=127.0.0.23"), std::string::npos);
  EXPECT_EQ(log.find("remote_address=10."), std::string::npos);
}

// Behind a proxy on 127.0.0.1.
class TrustedProxyE2eTest : public TokenSuite<TrustedProxyE2eTest> {
 public:
  static Env server_settings() { return {{"TESSERA_TRUSTED_PROXIES", "127.0.0.1/32, ::1"}}; }

 protected:
  static HttpResult token_via_proxy(const std::string& forwarded_for, const std::string& slug,
                                    const std::string& authorization,
                                    const std::string& peer = "127.0.0.1") {
    return http_request_from(peer, "POST", token_url(slug), kGrant,
                             {kFormType, authorization, "X-Forwarded-For: " + forwarded_for});
  }
};

TEST_F(TrustedProxyE2eTest, TheClientAddressIsTheRightMostOneNotTrusted) {
  ASSERT_EQ(token_via_proxy("203.0.113.9, 198.51.100.7", "acme", basic_auth(fx().main)).status,
            200);
  // From a peer that is not trusted, X-Forwarded-For means nothing.
  ASSERT_EQ(token_via_proxy("203.0.113.10", "acme", basic_auth(fx().main), "127.0.0.31").status,
            200);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the log line follows the answer
  const auto log = server_->server.stderr_text();
  EXPECT_NE(log.find("remote_address=198.51.100.7"), std::string::npos) << log;
  EXPECT_EQ(log.find("remote_address=203.0.113.9"), std::string::npos);
  EXPECT_NE(log.find("remote_address=127.0.0.31"), std::string::npos);
  EXPECT_EQ(log.find("remote_address=203.0.113.10"), std::string::npos);
}

TEST_F(TrustedProxyE2eTest, IPv6AddressesCountPerSlash64) {
  const auto wrong = basic_auth(fx().ungranted.id, "wrong-secret-0123456789");
  for (int attempt = 1; attempt <= 100; ++attempt) {
    token_via_proxy("2001:db8::1", "acme", wrong);
  }
  const auto solo_wrong = basic_auth(fx().solo.id, "wrong-secret-0123456789");
  // Another address of the same /64 is limited, for any client …
  EXPECT_TRUE(IsLimited(token_via_proxy("2001:db8::2", "solo", solo_wrong)));
  EXPECT_TRUE(IsLimited(token_via_proxy("2001:db8:0:0:ffff::9", "solo", solo_wrong)));
  // … but not one of the next /64.
  EXPECT_TRUE(IsInvalidClient(token_via_proxy("2001:db8:0:1::1", "solo", solo_wrong), true));
}

TEST_F(TrustedProxyE2eTest, MadeUpClientIdsShareOneBucketPerTenantWhateverTheirSource) {
  // A hundred made-up ids, each from an address of its own.
  for (int attempt = 1; attempt <= 100; ++attempt) {
    token_via_proxy(
        "10.3." + std::to_string(attempt / 250) + "." + std::to_string(attempt % 250), "acme",
        basic_auth("cl_madeup" + std::to_string(1000000 + attempt), "secret-0123456789"));
  }
  // A new made-up id from a new address is limited: guessing ids is not
  // made cheaper by spreading it over addresses and ids.
  EXPECT_TRUE(IsLimited(
      token_via_proxy("10.4.0.1", "acme", basic_auth("cl_madeup9999999", "secret-0123456789"))));
  // Real clients are not locked out, and other tenants are not affected.
  EXPECT_TRUE(IsToken(token_via_proxy("10.4.0.2", "acme", basic_auth(fx().main)), "read write"));
  EXPECT_TRUE(IsInvalidClient(
      token_via_proxy("10.4.0.3", "solo", basic_auth("cl_madeup9999999", "secret-0123456789")),
      true));
}

}  // namespace
}  // namespace tessera::test
