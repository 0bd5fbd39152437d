#include "endpoints/public_routes.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace tessera::endpoints {
namespace {

TEST(SplitTenantPathTest, SeparatesTheTenantSlugFromTheRest) {
  struct Case {
    std::string path;
    std::optional<std::string> slug;
    std::string rest;
  };
  const std::vector<Case> cases = {
      {"/t/acme/oauth/token", "acme", "/oauth/token"},
      {"/t/acme-2/oauth2/token/", "acme-2", "/oauth2/token/"},
      {"/t/acme/.well-known/jwks.json", "acme", "/.well-known/jwks.json"},
      {"/t/acme/", "acme", "/"},
      {"/t/acme", "acme", ""},
      {"/oauth/token", std::nullopt, "/oauth/token"},
      {"/token", std::nullopt, "/token"},
      {"/tenants/acme/oauth/token", std::nullopt, "/tenants/acme/oauth/token"},
      {"/t", std::nullopt, "/t"},
      {"", std::nullopt, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    const TenantPath split = split_tenant_path(c.path);
    EXPECT_EQ(split.slug, c.slug);
    EXPECT_EQ(split.rest, c.rest);
  }
}

TEST(EndpointForTest, KnowsEveryAliasOfTheTokenEndpoint) {
  for (const std::string rest :
       {"/oauth/token", "/oauth/token/", "/token", "/oauth2/token", "/oauth2/token/"}) {
    SCOPED_TRACE(rest);
    EXPECT_EQ(endpoint_for(rest), PublicEndpoint::token);
  }
}

TEST(EndpointForTest, KnowsNothingElse) {
  for (const std::string rest :
       {"", "/", "/token/", "/oauth/tokens", "/oauth", "/oauth2", "/OAUTH/TOKEN", "/oauth//token",
        "oauth/token", "/oauth/token//", "/oauth/token?x=1", "/oauth/introspect2"}) {
    SCOPED_TRACE(rest);
    EXPECT_EQ(endpoint_for(rest), PublicEndpoint::unknown);
  }
}

TEST(HostNameTest, LowerCasesAndDropsThePort) {
  struct Case {
    std::string header;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"acme.example.com", "acme.example.com"},
      {"Acme.Example.COM", "acme.example.com"},
      {"acme.example.com:8080", "acme.example.com"},
      {"ACME.example.com:443", "acme.example.com"},
      {"localhost:8080", "localhost"},
      {"127.0.0.1:8080", "127.0.0.1"},
      {"[::1]", "[::1]"},
      {"[::1]:8080", "[::1]"},
      {"[2001:DB8::1]:443", "[2001:db8::1]"},
      {"", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    EXPECT_EQ(host_name(c.header), c.expected);
  }
}

}  // namespace
}  // namespace tessera::endpoints
