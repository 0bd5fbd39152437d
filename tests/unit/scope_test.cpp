#include "domain/scope.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace tessera::domain {
namespace {

using Scopes = std::vector<std::string>;

TEST(ParseScopeListTest, SplitsAtSpacesAndCommas) {
  struct Case {
    std::string text;
    Scopes expected;
  };
  const std::vector<Case> cases = {
      {"a b", {"a", "b"}},
      {"a,b", {"a", "b"}},
      {"a, b", {"a", "b"}},
      {" ,a,,b ", {"a", "b"}},
      {"a  b", {"a", "b"}},
      {"read", {"read"}},
      {"orders:read api/v1.write *", {"*", "api/v1.write", "orders:read"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(parse_scope_list(c.text), c.expected);
  }
}

TEST(ParseScopeListTest, GivesNoScopesForEmptyOrSeparatorOnlyText) {
  for (const std::string text : {"", " ", ",", " , ,, "}) {
    SCOPED_TRACE("'" + text + "'");
    EXPECT_EQ(parse_scope_list(text), Scopes{});
  }
}

TEST(ParseScopeListTest, IgnoresDuplicates) {
  EXPECT_EQ(parse_scope_list("a b a,b a"), (Scopes{"a", "b"}));
}

TEST(ParseScopeListTest, SortsByByteValue) {
  EXPECT_EQ(parse_scope_list("b a B"), (Scopes{"B", "a", "b"}));
  EXPECT_EQ(parse_scope_list("write read:all read"), (Scopes{"read", "read:all", "write"}));
  EXPECT_EQ(parse_scope_list("a- a_ a. a0"), (Scopes{"a-", "a.", "a0", "a_"}));
}

TEST(ParseScopeListTest, RefusesAnItemWithAnInvalidCharacter) {
  for (const std::string& text :
       std::vector<std::string>{"read write!", "read;write", "a\tb", "\"read\"", "caf\xc3\xa9",
                                "a+b", "a%20b", std::string("a\0b", 3)}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_scope_list(text), std::nullopt);
  }
}

TEST(ParseScopeListTest, AcceptsItemsUpTo128Characters) {
  const std::string longest(128, 's');
  EXPECT_EQ(parse_scope_list("a " + longest), (Scopes{"a", longest}));
  EXPECT_EQ(parse_scope_list("a " + std::string(129, 's')), std::nullopt);
}

TEST(JoinScopesTest, SeparatesWithSingleSpaces) {
  EXPECT_EQ(join_scopes({}), "");
  EXPECT_EQ(join_scopes({"read"}), "read");
  EXPECT_EQ(join_scopes({"B", "a", "b"}), "B a b");
}

TEST(JoinScopesTest, RoundTripsThroughParseScopeList) {
  const Scopes scopes = parse_scope_list("write,read admin").value();
  EXPECT_EQ(join_scopes(scopes), "admin read write");
  EXPECT_EQ(parse_scope_list(join_scopes(scopes)), scopes);
}

}  // namespace
}  // namespace tessera::domain
