#include "http/request_id.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tessera::http {
namespace {

bool only_url_safe(const std::string& text) {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

TEST(ChooseRequestIdTest, KeepsAnAcceptableIncomingId) {
  std::string every_printable;
  for (char c = 0x20; c < 0x7f; ++c) every_printable += c;
  for (const std::string& id : {std::string("a"), std::string("req-123"),
                                std::string("3f2b9c1e-5d4a-4e7b-9a1c-0d2e3f4a5b6c"),
                                std::string("with spaces and {braces}"), std::string(128, 'x'),
                                std::string(" "), every_printable}) {
    SCOPED_TRACE(id);
    EXPECT_TRUE(is_acceptable_request_id(id));
    EXPECT_EQ(choose_request_id(id), id);
  }
}

TEST(ChooseRequestIdTest, ReplacesAMissingEmptyLongOrNonPrintableId) {
  const std::vector<std::optional<std::string>> incoming = {
      std::nullopt,
      std::string(""),
      std::string(129, 'x'),
      std::string(1000, 'x'),
      std::string("line\nbreak"),
      std::string("header\r\nX-Injected: 1"),
      std::string("tab\t"),
      std::string("\x7f"),
      std::string("nul\0id", 6),
      std::string("caf\xc3\xa9"),
  };
  for (const auto& id : incoming) {
    SCOPED_TRACE(id.value_or("<none>"));
    if (id) {
      EXPECT_FALSE(is_acceptable_request_id(*id));
    }
    const std::string chosen = choose_request_id(id);
    EXPECT_NE(chosen, id.value_or(""));
    EXPECT_FALSE(chosen.empty());
    EXPECT_LE(chosen.size(), 128u);
    EXPECT_TRUE(only_url_safe(chosen)) << chosen;
    EXPECT_TRUE(is_acceptable_request_id(chosen));
  }
}

TEST(ChooseRequestIdTest, GeneratesADifferentIdEachTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(choose_request_id(std::nullopt));
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace tessera::http
