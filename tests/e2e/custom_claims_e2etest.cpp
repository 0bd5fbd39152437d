// Custom claims over HTTP (docs/oauth.md, "Custom claims"): set on a client
// and on its grant through the admin API, carried by the JWT the real server
// signs (checked with the tenant's JWKS) and answered by introspection for
// opaque tokens and JWTs; reserved names and oversized claims refused.
#include <gtest/gtest.h>

#include <string>

#include "e2e/jwt_fixture.hpp"

namespace tessera::test {
namespace {

class CustomClaimsE2eTest : public JwtFixture {
 protected:
  static std::string client_path(const JwtWorld& world) {
    return "/tenants/" + world.slug + "/clients/" + world.client_id;
  }

  static json introspect(const JwtWorld& world, const std::string& token) {
    return expect(post_token(url("/t/" + world.slug + "/oauth/introspect"),
                             "token=" + token + "&client_id=" + world.client_id +
                                 "&client_secret=" + world.client_secret),
                  200);
  }
};

TEST_F(CustomClaimsE2eTest, AJwtAndIntrospectionCarryTheClientsClaimsWithTheGrantsOverThem) {
  const auto world = new_world({{"token_format", "jwt"}});
  expect(admin().patch(client_path(world),
                       {{"can_introspect", true}, {"claims", {{"tier", "gold"}, {"org", "acme"}}}}),
         200);
  const auto grant = expect(
      admin().put(client_path(world) + "/grants/" + world.api_id,
                  {{"scopes", {"read"}}, {"claims", {{"tier", "platinum"}, {"limits", {1, 2}}}}}),
      200);
  EXPECT_EQ(grant["claims"], json({{"tier", "platinum"}, {"limits", {1, 2}}}));

  const auto token = token_of(world);
  EXPECT_TRUE(VerifiesWithJwks(token, jwks_of(world.slug)));
  const auto payload = decode_jwt(token)->payload;
  EXPECT_EQ(payload["tier"], "platinum");
  EXPECT_EQ(payload["org"], "acme");
  EXPECT_EQ(payload["limits"], json({1, 2}));
  EXPECT_EQ(payload["client_id"], world.client_id);

  const auto described = introspect(world, token);
  EXPECT_EQ(described["active"], true);
  EXPECT_EQ(described["tier"], "platinum");
  EXPECT_EQ(described["org"], "acme");
  EXPECT_EQ(described["sub"], world.client_id);
}

// An opaque token has no claims of its own: introspection answers those
// configured now, so a change shows on tokens issued before it.
TEST_F(CustomClaimsE2eTest, IntrospectionOfAnOpaqueTokenAnswersTheClaimsAsConfiguredNow) {
  const auto world = new_world(json::object());
  expect(
      admin().patch(client_path(world), {{"can_introspect", true}, {"claims", {{"tier", "gold"}}}}),
      200);
  const auto token = token_of(world);
  EXPECT_EQ(token.rfind("tsat_", 0), 0u);
  EXPECT_EQ(introspect(world, token)["tier"], "gold");
  expect(admin().patch(client_path(world), {{"claims", {{"tier", "silver"}}}}), 200);
  EXPECT_EQ(introspect(world, token)["tier"], "silver");
  expect(admin().patch(client_path(world), {{"claims", json::object()}}), 200);
  EXPECT_FALSE(introspect(world, token).contains("tier"));
}

TEST_F(CustomClaimsE2eTest, ReservedNamesAndOversizedClaimsAreRefusedNamingTheField) {
  const auto world = new_world(json::object());
  const std::vector<json> refused = {
      {{"sub", "someone"}},
      {{"scope", "admin"}},
      {{"cnf", {{"jkt", "x"}}}},
      {{"active", true}},
      {{"big", std::string(2100, 'x')}},
      json::array({"tier"}),
      "gold",
  };
  for (const auto& claims : refused) {
    SCOPED_TRACE(claims.dump().substr(0, 60));
    EXPECT_TRUE(IsAdminError(admin().patch(client_path(world), {{"claims", claims}}), 400,
                             "invalid_request", "claims"));
    EXPECT_TRUE(IsAdminError(admin().put(client_path(world) + "/grants/" + world.api_id,
                                         {{"scopes", {"read"}}, {"claims", claims}}),
                             400, "invalid_request", "claims"));
    EXPECT_TRUE(IsAdminError(admin().post("/tenants/" + world.slug + "/clients",
                                          {{"name", "refused"}, {"claims", claims}}),
                             400, "invalid_request", "claims"));
  }
  // Nothing was stored: the client still shows no claims.
  EXPECT_EQ(expect(admin().get(client_path(world)), 200)["claims"], json::object());
}

}  // namespace
}  // namespace tessera::test
