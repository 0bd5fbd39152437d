// Custom claims at the public endpoints: a JWT carries the client's and its
// grant's claims (the grant's winning), introspection answers them for
// opaque tokens and JWTs, and the registered claims stay the server's.
#include <gtest/gtest.h>

#include "crypto/jws.hpp"
#include "public_endpoints_fixture.hpp"

namespace tessera::endpoints::test {
namespace {

using nlohmann::json;

class CustomClaimsEndpointTest : public PublicEndpointsTest {
 protected:
  CustomClaimsEndpointTest() {
    auto& view = store_.clients.at({kTenant.value, reader_.id});
    view.client.claims = {{"tier", "gold"}, {"org", "acme"}};
    view.grant_claims[12] = {{"tier", "platinum"}, {"region", "eu"}};  // the EdDSA JWT API
  }

  static json payload_of(const std::string& jwt) {
    const auto parts = crypto::jws_split(jwt);
    EXPECT_TRUE(parts.has_value());
    return parts ? json::parse(parts->payload_json) : json();
  }
};

TEST_F(CustomClaimsEndpointTest, AJwtCarriesTheClientsAndTheGrantsClaims) {
  const auto token = token_of(reader_, "&audience=https://jwt.acme.test");
  const auto claims = payload_of(token);
  EXPECT_EQ(claims["tier"], "platinum");  // the grant's
  EXPECT_EQ(claims["org"], "acme");       // the client's
  EXPECT_EQ(claims["region"], "eu");
  EXPECT_EQ(claims["client_id"], reader_.id);
  EXPECT_EQ(claims["aud"], "https://jwt.acme.test");

  // For another API the grant has no claims: the client's only.
  const auto other = payload_of(token_of(reader_, "&audience=https://es256.acme.test"));
  EXPECT_EQ(other["tier"], "gold");
  EXPECT_FALSE(other.contains("region"));
}

TEST_F(CustomClaimsEndpointTest, IntrospectionAnswersThemForOpaqueTokensAndJwts) {
  const auto opaque = introspect(token_of(reader_), introspector_).json();
  EXPECT_EQ(opaque.value("active", false), true);
  EXPECT_EQ(opaque["tier"], "gold");
  EXPECT_EQ(opaque["org"], "acme");
  EXPECT_FALSE(opaque.contains("region"));
  const auto jwt =
      introspect(token_of(reader_, "&audience=https://jwt.acme.test"), introspector_).json();
  EXPECT_EQ(jwt["tier"], "platinum");
  EXPECT_EQ(jwt["region"], "eu");
  // A client without claims: nothing but the registered members.
  const auto plain = introspect(token_of(other_), introspector_).json();
  EXPECT_EQ(plain.size(), 10u) << plain.dump();
}

// Stored claims named like registered ones (the admin API refuses those
// names; a row written otherwise) never replace what the server sets.
TEST_F(CustomClaimsEndpointTest, TheRegisteredClaimsStayTheServers) {
  auto& view = store_.clients.at({kTenant.value, reader_.id});
  view.client.claims = {{"sub", "someone-else"},    {"scope", "admin"},  {"active", false},
                        {"cnf", {{"jkt", "AAAA"}}}, {"nbf", 4102444800}, {"typ", "JWT"},
                        {"token_type", "DPoP"}};
  directory_.clear();
  const auto token = token_of(reader_, "&audience=https://jwt.acme.test");
  const auto claims = payload_of(token);
  EXPECT_EQ(claims["sub"], reader_.id);
  EXPECT_EQ(claims["scope"], "read");
  // Names the server does not set on this (Bearer) token are left out.
  for (const char* absent : {"cnf", "nbf", "typ", "token_type", "active"}) {
    EXPECT_FALSE(claims.contains(absent)) << absent << ": " << claims.dump();
  }
  const auto described = introspect(token, introspector_).json();
  EXPECT_EQ(described["active"], true);
  EXPECT_EQ(described["sub"], reader_.id);
  EXPECT_EQ(described["scope"], "read");
  EXPECT_EQ(described["token_type"], "Bearer");
  for (const char* absent : {"cnf", "nbf", "typ"}) {
    EXPECT_FALSE(described.contains(absent)) << absent << ": " << described.dump();
  }
}

}  // namespace
}  // namespace tessera::endpoints::test
