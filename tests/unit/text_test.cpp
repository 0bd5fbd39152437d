#include "domain/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/validation.hpp"

namespace tessera::domain {
namespace {

struct Case {
  std::string name;
  std::string input;
  bool clean;
};

TEST(IsCleanTextTest, AcceptsWellFormedUtf8WithoutControlCharacters) {
  const std::vector<Case> cases = {
      {"empty", "", true},
      {"ascii", "client_credentials read:all", true},
      {"two-byte", "caf\xc3\xa9", true},
      {"three-byte", "\xe2\x82\xac", true},
      {"four-byte", "\xf0\x9f\x94\x91", true},
      {"highest code point", "\xf4\x8f\xbf\xbf", true},
      {"first after C1", "\xc2\xa0", true},
      {"NUL", std::string("id\0x", 4), false},
      {"tab", "a\tb", false},
      {"newline", "a\nb", false},
      {"carriage return", "a\rb", false},
      {"escape", "a\x1b[31m", false},
      {"DEL", "a\x7f", false},
      {"C1 control", "a\xc2\x85", false},
      {"C1 first", "\xc2\x80", false},
      {"lone continuation", "\x80", false},
      {"not UTF-8 at all", "\xff\xfe", false},
      {"overlong slash", "\xc0\xaf", false},
      {"overlong NUL", "\xc0\x80", false},
      {"overlong three-byte", "\xe0\x80\xaf", false},
      {"surrogate", "\xed\xa0\x80", false},
      {"above U+10FFFF", "\xf4\x90\x80\x80", false},
      {"truncated two-byte", "\xc3", false},
      {"truncated four-byte", "\xf0\x9f\x94", false},
      {"bad continuation", "\xe2\x28\xa1", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(is_clean_text(c.input), c.clean) << c.name;
  }
}

TEST(IsPossibleClientIdTest, MatchesTheSchemaCheck) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"Zm9vYmFyYmF6cXV4MTIzNA", true},
      {std::string(16, 'a'), true},
      {std::string(64, '-'), true},
      {"a_b-c_d-e_f-g_h-", true},
      {std::string(15, 'a'), false},
      {std::string(65, 'a'), false},
      {"", false},
      {"Zm9vYmFyYmF6cXV4MTIzNA=", false},
      {"Zm9vYmFyYmF6cXV4MTIz.A", false},
      {std::string("Zm9vYmFyYmF6cXV4MTIzNA\0x", 24), false},
      {"Zm9vYmFyYmF6cXV4MTIzNA\xc3\xa9", false},
  };
  for (const auto& [input, possible] : cases) {
    EXPECT_EQ(is_possible_client_id(input), possible) << input;
  }
}

}  // namespace
}  // namespace tessera::domain
