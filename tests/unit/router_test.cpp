#include "http/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tessera::http {
namespace {

using TestRouter = Router<std::string>;
using Kind = TestRouter::Match::Kind;

TestRouter make_router() {
  TestRouter router;
  router.add("GET", "/healthz", "health");
  router.add("POST", "/t/:tenant/oauth/token", "token");
  router.add("POST", "/t/:tenant/oauth/token/", "token-slash");
  router.add("GET", "/admin/v1/tenants/:t", "get-tenant");
  router.add("PATCH", "/admin/v1/tenants/:t", "patch-tenant");
  router.add("DELETE", "/admin/v1/tenants/:t", "delete-tenant");
  router.add("GET", "/admin/v1/tenants/:t/apis/:api", "get-api");
  return router;
}

std::vector<std::string> sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST(RouterTest, FindsTheHandlerAndItsParameters) {
  const auto router = make_router();
  auto match = router.match("GET", "/admin/v1/tenants/acme/apis/42");
  ASSERT_EQ(match.kind, Kind::found);
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(*match.handler, "get-api");
  EXPECT_EQ(match.params.at("t"), "acme");
  EXPECT_EQ(match.params.at("api"), "42");

  match = router.match("GET", "/healthz");
  ASSERT_EQ(match.kind, Kind::found);
  EXPECT_EQ(*match.handler, "health");
  EXPECT_TRUE(match.params.empty());
}

TEST(RouterTest, PercentDecodesParameters) {
  const auto router = make_router();
  struct Case {
    std::string path;
    std::string api;
  };
  const std::vector<Case> cases = {
      {"/admin/v1/tenants/acme/apis/https%3A%2F%2Fapi.example.com", "https://api.example.com"},
      {"/admin/v1/tenants/acme/apis/a%20b", "a b"},
      {"/admin/v1/tenants/acme/apis/a+b", "a+b"},  // '+' is a plus in a path
      {"/admin/v1/tenants/acme/apis/%C3%A9", "\xc3\xa9"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    auto match = router.match("GET", c.path);
    ASSERT_EQ(match.kind, Kind::found);
    EXPECT_EQ(match.params.at("api"), c.api);
  }
}

TEST(RouterTest, AnswersNotFoundForUnknownPaths) {
  const auto router = make_router();
  for (const std::string path :
       {"/", "", "/nope", "/healthz/extra", "/t/acme/oauth", "/t/acme/oauth/token/x",
        "/admin/v1/tenants", "/admin/v1/tenants/acme/apis", "/Healthz", "/heal%74hz"}) {
    SCOPED_TRACE(path);
    auto match = router.match("GET", path);
    EXPECT_EQ(match.kind, Kind::not_found);
    EXPECT_EQ(match.handler, nullptr);
    EXPECT_TRUE(match.allowed.empty());
  }
}

TEST(RouterTest, AnswersMethodNotAllowedWithTheAllowedMethods) {
  const auto router = make_router();
  auto match = router.match("PUT", "/admin/v1/tenants/acme");
  ASSERT_EQ(match.kind, Kind::method_not_allowed);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_EQ(sorted(match.allowed), (std::vector<std::string>{"DELETE", "GET", "PATCH"}));

  match = router.match("GET", "/t/acme/oauth/token");
  ASSERT_EQ(match.kind, Kind::method_not_allowed);
  EXPECT_EQ(match.allowed, std::vector<std::string>{"POST"});

  match = router.match("POST", "/healthz");
  ASSERT_EQ(match.kind, Kind::method_not_allowed);
  EXPECT_EQ(match.allowed, std::vector<std::string>{"GET"});
}

TEST(RouterTest, MatchesMethodsCaseSensitively) {
  const auto router = make_router();
  EXPECT_EQ(router.match("get", "/healthz").kind, Kind::method_not_allowed);
}

TEST(RouterTest, KeepsTrailingSlashesSignificant) {
  const auto router = make_router();
  auto match = router.match("POST", "/t/acme/oauth/token");
  ASSERT_EQ(match.kind, Kind::found);
  EXPECT_EQ(*match.handler, "token");

  match = router.match("POST", "/t/acme/oauth/token/");
  ASSERT_EQ(match.kind, Kind::found);
  EXPECT_EQ(*match.handler, "token-slash");
  EXPECT_EQ(match.params.at("tenant"), "acme");

  EXPECT_EQ(router.match("GET", "/healthz/").kind, Kind::not_found);
  EXPECT_EQ(router.match("GET", "/admin/v1/tenants/acme/").kind, Kind::not_found);
  EXPECT_EQ(router.match("POST", "/t/acme/oauth/token//").kind, Kind::not_found);
}

TEST(RouterTest, DoesNotMatchAnEmptyOrMalformedParameter) {
  const auto router = make_router();
  for (const std::string path :
       {"/t//oauth/token", "/t/%zz/oauth/token", "/t/%/oauth/token", "/t/%4/oauth/token",
        "/admin/v1/tenants/", "/admin/v1/tenants/acme/apis/", "/admin/v1/tenants/acme/apis/%g1"}) {
    SCOPED_TRACE(path);
    for (const std::string method : {"GET", "POST"}) {
      auto match = router.match(method, path);
      EXPECT_EQ(match.kind, Kind::not_found) << method;
      EXPECT_EQ(match.handler, nullptr);
    }
  }
}

TEST(RouterTest, PrefersTheFirstRouteAddedForTheSameMethodAndPath) {
  TestRouter router;
  router.add("GET", "/a/:x", "param");
  router.add("GET", "/a/literal", "literal");
  auto match = router.match("GET", "/a/literal");
  ASSERT_EQ(match.kind, Kind::found);
  EXPECT_EQ(*match.handler, "param");
  EXPECT_EQ(match.params.at("x"), "literal");
}

}  // namespace
}  // namespace tessera::http
