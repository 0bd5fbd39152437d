// domain::normalise_http_uri: what DPoP's htu is compared as (RFC 9449
// §4.3, RFC 3986 §6.2.2-6.2.3).
#include "domain/http_uri.hpp"

#include <gtest/gtest.h>

namespace tessera::domain {
namespace {

TEST(HttpUriTest, NormalisesCaseDefaultPortsEncodingsAndDotSegments) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://auth.example.com/t/acme/oauth/token",
       "https://auth.example.com/t/acme/oauth/token"},
      {"HTTPS://Auth.Example.COM/t/acme/oauth/token",
       "https://auth.example.com/t/acme/oauth/token"},
      {"https://auth.example.com:443/t/acme/token", "https://auth.example.com/t/acme/token"},
      {"http://auth.example.com:80/token", "http://auth.example.com/token"},
      {"http://127.0.0.1:8080/t/acme/token", "http://127.0.0.1:8080/t/acme/token"},
      {"https://auth.example.com:8443/token", "https://auth.example.com:8443/token"},
      {"https://auth.example.com:0443/token", "https://auth.example.com/token"},
      {"https://auth.example.com", "https://auth.example.com/"},
      {"https://auth.example.com/%74/acme/%6Fauth/token",
       "https://auth.example.com/t/acme/oauth/token"},
      {"https://auth.example.com/a%2fb", "https://auth.example.com/a%2Fb"},
      {"https://auth.example.com/t/./acme/x/../oauth/token",
       "https://auth.example.com/t/acme/oauth/token"},
      {"https://auth.example.com/a/..", "https://auth.example.com/"},
      {"https://auth.example.com/token?x=1#frag", "https://auth.example.com/token"},
      {"https://auth.example.com/token#frag", "https://auth.example.com/token"},
      {"https://[2001:DB8::1]:443/token", "https://[2001:db8::1]/token"},
      {"https://[2001:db8::1]/token", "https://[2001:db8::1]/token"},
      {"https://auth.example.com/oauth/token/", "https://auth.example.com/oauth/token/"},
  };
  for (const auto& [uri, normal] : cases) {
    EXPECT_EQ(normalise_http_uri(uri).value_or("(refused)"), normal) << uri;
  }
}

TEST(HttpUriTest, KeepsDifferentUrisDifferent) {
  EXPECT_NE(normalise_http_uri("https://auth.example.com/token"),
            normalise_http_uri("http://auth.example.com/token"));
  EXPECT_NE(normalise_http_uri("https://auth.example.com/token"),
            normalise_http_uri("https://auth.example.com/token/"));
  EXPECT_NE(normalise_http_uri("https://auth.example.com/Token"),
            normalise_http_uri("https://auth.example.com/token"));
  EXPECT_NE(normalise_http_uri("https://auth.example.com:8443/token"),
            normalise_http_uri("https://auth.example.com/token"));
}

TEST(HttpUriTest, RefusesWhatIsNoHttpUri) {
  for (const std::string& uri : std::vector<std::string>{
           "", "auth.example.com/token", "ftp://auth.example.com/token", "https:///token",
           "https://user@auth.example.com/token", "https://auth.example.com:44x3/token",
           "https://auth.example.com:123456/token", "https://auth.example.com/a b",
           "https://auth.example.com/%zz", "https://auth.example.com/%4",
           "https://auth.example.com/\x01", "https://auth.example.com/é", "https://:443/token",
           "urn:example:token"}) {
    EXPECT_EQ(normalise_http_uri(uri), std::nullopt) << uri;
  }
}

}  // namespace
}  // namespace tessera::domain
