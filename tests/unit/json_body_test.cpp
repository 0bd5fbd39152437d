#include "http/json_body.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::http {
namespace {

TEST(ParseJsonStrictTest, ParsesValidJson) {
  std::string error;
  auto parsed =
      parse_json_strict(R"({"grant_type":"client_credentials","n":[1,{"a":true}]})", error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ((*parsed)["grant_type"], "client_credentials");
  EXPECT_EQ((*parsed)["n"][1]["a"], true);
}

TEST(ParseJsonStrictTest, RefusesADuplicateMemberAtAnyDepth) {
  for (const std::string text : {
           R"({"a":1,"a":2})",
           R"({"a":1,"a":1})",
           R"({"client_id":"x","scope":"s","client_id":"y"})",
           R"({"outer":{"b":1,"b":2}})",
           R"({"x":{"y":{"z":{"k":1,"k":2}}}})",
           R"([{"c":1,"c":2}])",
           R"([1,[{"ok":1},{"d":1,"d":2}]])",
           R"({"a":{"z":1},"a":2})",  // the duplicate comes after a nested object closes
           R"({"a":1,"\u0061":2})",   // the same name, escaped
           R"({"":1,"":2})",
       }) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_FALSE(parse_json_strict(text, error).has_value());
    EXPECT_FALSE(error.empty());
  }
}

TEST(ParseJsonStrictTest, NamesTheDuplicateMember) {
  std::string error;
  EXPECT_FALSE(parse_json_strict(R"({"scope":"a","scope":"b"})", error).has_value());
  EXPECT_NE(error.find("scope"), std::string::npos) << error;
}

// Found by fuzz/json_body_fuzzer: the reason quoted the duplicate name as
// decoded, so {"a\u001b":1,"a\u001b":2} put an ESC into the error that the
// peer reads and the log records (SPEC §6: never passed on; docs/api.md:
// the message never quotes such text).
TEST(ParseJsonStrictTest, DoesNotQuoteADuplicateMemberThatIsNotCleanText) {
  for (const std::string text : {R"({"a\u001b":1,"a\u001b":2})", R"({"\u0000":1,"\u0000":2})",
                                 R"({"x\u0085":{},"x\u0085":[]})"}) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_FALSE(parse_json_strict(text, error).has_value());
    EXPECT_NE(error.find("more than once"), std::string::npos) << error;
    for (const unsigned char c : error) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << error;
  }
}

TEST(ParseJsonStrictTest, AcceptsTheSameKeyInSiblingAndNestedObjects) {
  for (const std::string text : {
           R"({"x":{"k":1},"y":{"k":2},"k":3})",
           R"({"a":{"a":{"a":1}}})",
           R"([{"k":1},{"k":2}])",
           R"({"list":[{"id":1},{"id":2}],"id":3})",
           R"({"a":1,"A":2})",
       }) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_TRUE(parse_json_strict(text, error).has_value()) << error;
  }
}

TEST(ParseJsonStrictTest, RefusesMalformedJson) {
  for (const std::string text : {
           "",
           " ",
           "{",
           "}",
           R"({"a":})",
           R"({"a":1,})",
           R"({'a':1})",
           R"({a:1})",
           R"([1,2)",
           R"({"a":1} {"b":2})",
           R"({"a":1}x)",
           R"({"a":"unterminated})",
           R"({"a":01})",
           R"({"a":NaN})",
           "grant_type=client_credentials",
       }) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_FALSE(parse_json_strict(text, error).has_value());
    EXPECT_FALSE(error.empty());
  }
}

// Found by fuzz/admin_body_fuzzer: a body nested thousands of levels deep
// overflowed the stack of the admin input check, which recurses per level
// (and built a path string per level, quadratic in the depth). No body
// Tessera reads nests more than a few levels; deeper JSON is refused here,
// before anything walks it.
std::string nested(std::size_t depth, const std::string& open, const std::string& close) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += open;
  out += "1";
  for (std::size_t i = 0; i < depth; ++i) out += close;
  return out;
}

TEST(ParseJsonStrictTest, AcceptsNestingUpToTheLimit) {
  for (const auto& text : {nested(kMaxJsonDepth, "[", "]"), nested(kMaxJsonDepth, "{\"a\":", "}"),
                           "{\"a\":" + nested(kMaxJsonDepth - 1, "[", "]") + "}"}) {
    std::string error;
    EXPECT_TRUE(parse_json_strict(text, error).has_value()) << error;
  }
}

TEST(ParseJsonStrictTest, RefusesNestingDeeperThanTheLimit) {
  for (const auto& text :
       {nested(kMaxJsonDepth + 1, "[", "]"), nested(kMaxJsonDepth + 1, "{\"a\":", "}"),
        "{\"a\":" + nested(kMaxJsonDepth, "[", "]") + "}",
        // What the fuzzer sent: deep arrays in an admin body's member.
        "{\"a\":" + nested(32000, "[", "]") + "}"}) {
    SCOPED_TRACE(text.substr(0, 80));
    std::string error;
    EXPECT_FALSE(parse_json_strict(text, error).has_value());
    EXPECT_NE(error.find("nest"), std::string::npos) << error;
  }
}

TEST(MediaTypeOfTest, StripsParametersAndLowerCases) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"application/json", "application/json"},
      {"application/json; charset=utf-8", "application/json"},
      {"application/json;charset=UTF-8", "application/json"},
      {"Application/JSON", "application/json"},
      {"  APPLICATION/x-www-form-urlencoded ; charset=utf-8", "application/x-www-form-urlencoded"},
      {"text/plain;a=1;b=2", "text/plain"},
      {"", ""},
      {";charset=utf-8", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(media_type_of(c.input), c.expected);
  }
}

}  // namespace
}  // namespace tessera::http
