// A client's DPoP mode (RFC 9449) by name: what domain/types.hpp prints and
// parses, for the admin API's "dpop" and the clients.dpop column.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "domain/types.hpp"

namespace tessera::domain {
namespace {

TEST(DpopMode, NamesRoundTrip) {
  const std::vector<std::pair<DpopMode, std::string>> names = {
      {DpopMode::off, "off"}, {DpopMode::allowed, "allowed"}, {DpopMode::required, "required"}};
  for (const auto& [mode, name] : names) {
    EXPECT_EQ(to_string(mode), name);
    EXPECT_EQ(parse_dpop_mode(name), mode) << name;
  }
}

// The column's CHECK and the admin API's 400 both hold these exact names.
TEST(DpopMode, ParsesOnlyTheExactLowerCaseName) {
  for (const char* name :
       {"Off", "ALLOWED", "Required", "required ", " off", "on", "true", "none", "optional", ""}) {
    EXPECT_FALSE(parse_dpop_mode(name)) << '"' << name << '"';
  }
}

}  // namespace
}  // namespace tessera::domain
