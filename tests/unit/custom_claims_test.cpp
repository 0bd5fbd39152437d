// domain::why_not_custom_claims and merged_claims: which static claims a
// client or grant may carry (docs/oauth.md, "Custom claims"), and how a
// grant's override the client's.
#include "domain/custom_claims.hpp"

#include <gtest/gtest.h>

namespace tessera::domain {
namespace {

using nlohmann::json;

TEST(CustomClaimsTest, AcceptsAnObjectOfPlainClaimsOfAnyJsonType) {
  EXPECT_EQ(why_not_custom_claims(json::object()), std::nullopt);
  EXPECT_EQ(why_not_custom_claims({{"tier", "gold"},
                                   {"limits", {{"rps", 10}}},
                                   {"roles", {"a", "b"}},
                                   {"beta", true},
                                   {"https://example.com/org", "acme"}}),
            std::nullopt);
}

TEST(CustomClaimsTest, RefusesEachReservedName) {
  for (const char* name : {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "scope", "client_id",
                           "cnf", "active", "token_type", "typ"}) {
    const auto why = why_not_custom_claims({{"tier", "gold"}, {name, "x"}});
    ASSERT_TRUE(why.has_value()) << name;
    EXPECT_NE(why->find(name), std::string::npos) << *why;
  }
  // Names are exact: these are not reserved.
  EXPECT_EQ(why_not_custom_claims({{"Scope", 1}, {"issuer", 1}, {"sub_type", 1}}), std::nullopt);
}

TEST(CustomClaimsTest, RefusesWhatIsNoObjectOrTooLargeOrBadlyNamed) {
  EXPECT_TRUE(why_not_custom_claims(json::array()).has_value());
  EXPECT_TRUE(why_not_custom_claims("tier").has_value());
  EXPECT_TRUE(why_not_custom_claims(nullptr).has_value());
  json many = json::object();
  for (int i = 0; i < 20; ++i) many["c" + std::to_string(i)] = i;
  EXPECT_EQ(why_not_custom_claims(many), std::nullopt);
  many["c20"] = 20;
  EXPECT_TRUE(why_not_custom_claims(many).has_value());
  EXPECT_EQ(why_not_custom_claims({{"big", std::string(2030, 'x')}}), std::nullopt);
  EXPECT_TRUE(why_not_custom_claims({{"big", std::string(2048, 'x')}}).has_value());
  EXPECT_TRUE(why_not_custom_claims({{"", 1}}).has_value());
  EXPECT_TRUE(why_not_custom_claims({{std::string(65, 'n'), 1}}).has_value());
  EXPECT_EQ(why_not_custom_claims({{std::string(64, 'n'), 1}}), std::nullopt);
  EXPECT_TRUE(why_not_custom_claims({{"two words", 1}}).has_value());
  EXPECT_TRUE(why_not_custom_claims({{"t\u00e9", 1}}).has_value());
}

TEST(CustomClaimsTest, AGrantsClaimsOverrideTheClientsOfTheSameName) {
  EXPECT_EQ(merged_claims({{"tier", "gold"}, {"org", "acme"}}, {{"tier", "silver"}, {"api", 1}}),
            json({{"tier", "silver"}, {"org", "acme"}, {"api", 1}}));
  EXPECT_EQ(merged_claims(json::object(), json::object()), json::object());
  EXPECT_EQ(merged_claims(nullptr, {{"a", 1}}), json({{"a", 1}}));
}

// Stored claims may come from elsewhere than the admin API (an operator's
// SQL): reserved names never survive the merge.
TEST(CustomClaimsTest, TheMergeLeavesOutReservedNames) {
  EXPECT_EQ(merged_claims({{"cnf", {{"jkt", "AAAA"}}}, {"nbf", 4102444800}, {"tier", "gold"}},
                          {{"typ", "JWT"}, {"token_type", "DPoP"}, {"active", false}}),
            json({{"tier", "gold"}}));
}

}  // namespace
}  // namespace tessera::domain
