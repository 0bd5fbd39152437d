// Revocation (RFC 7009, SPEC §3.3) over HTTP, for opaque and JWT tokens
// alike: what a client may revoke, and what is answered otherwise.
#include <gtest/gtest.h>

#include <string>

#include "crypto/base64url.hpp"
#include "e2e/introspection_fixture.hpp"

namespace tessera::test {
namespace {

class RevocationE2eTest : public IntrospectionFixture {};

// --- Revocation ----------------------------------------------------------------

TEST_F(RevocationE2eTest, AClientRevokesItsOwnTokens) {
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token = token_of(holder_, format);
    const auto kept = token_of(holder_, format);
    const auto jti = jti_of(token);
    const auto r = revoke(holder_, token, "&token_type_hint=access_token");
    EXPECT_EQ(r.status, 200) << describe(r);
    EXPECT_EQ(r.body, "");
    EXPECT_TRUE(IsInactive(introspect_as(introspector_, token)));
    EXPECT_EQ(server_->db.query_value(
                  "SELECT (revoked_at IS NOT NULL)::text FROM tokens WHERE id = '" + jti + "'"),
              "true");
    EXPECT_TRUE(IsActive(introspect_as(introspector_, kept))) << "only that token";
    const auto again = revoke(holder_, token);
    EXPECT_EQ(again.status, 200) << describe(again);
    EXPECT_EQ(again.body, "");
  }
}

TEST_F(RevocationE2eTest, RevokingAnUnknownOrMalformedTokenIsStill200) {
  const auto jwt = token_of(holder_, kJwt);
  const auto signature = jwt.substr(jwt.rfind('.'));
  for (const auto& token : {std::string("garbage"), std::string("a.b.c"), std::string("tsat_AAAA"),
                            jwt.substr(0, jwt.size() - 2) + (jwt.back() == 'A' ? "BB" : "AA"),
                            crypto::base64url_encode(R"({"alg":1,"typ":"at+jwt","kid":"k"})") +
                                "." + crypto::base64url_encode("{}") + signature}) {
    const auto r = revoke(holder_, token);
    EXPECT_EQ(r.status, 200) << token << ": " << describe(r);
    EXPECT_EQ(r.body, "") << token;
  }
  EXPECT_TRUE(IsActive(introspect_as(introspector_, jwt))) << "the real token was not touched";
}

TEST_F(RevocationE2eTest, AnotherClientsTokenIsRefusedAndStaysActive) {
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token = token_of(holder_, format);
    EXPECT_TRUE(IsOAuthError(revoke(plain_, token), 400, "unauthorized_client"));
    EXPECT_TRUE(IsActive(introspect_as(introspector_, token)));
    // At another tenant the token is unknown: 200, and nothing happens to it.
    const auto elsewhere = revoke(holder_b_, token);
    EXPECT_EQ(elsewhere.status, 200) << describe(elsewhere);
    EXPECT_TRUE(IsActive(introspect_as(introspector_, token)));
  }
}

TEST_F(RevocationE2eTest, RevocationNeedsClientAuthentication) {
  const auto token = token_of(holder_, kOpaque);
  EXPECT_TRUE(IsInvalidClient(call("intro-a", "revoke", "token=" + token, {}), false));
  EXPECT_TRUE(IsInvalidClient(
      call("intro-a", "revoke", "token=" + token, {basic_auth(holder_.id, "wrong")}), true));
  EXPECT_TRUE(IsActive(introspect_as(introspector_, token)));
  EXPECT_TRUE(IsOAuthError(call("intro-a", "revoke", "", {basic_auth(holder_.id, holder_.secret)}),
                           400, "invalid_request"));
}

}  // namespace
}  // namespace tessera::test
