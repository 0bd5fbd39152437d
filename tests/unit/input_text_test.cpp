#include "admin/input_text.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace tessera::admin {
namespace {

using nlohmann::json;

TEST(UncleanJsonTextTest, AcceptsCleanTextAnywhere) {
  const auto body =
      json::parse(R"({"name":"Orders","scopes":[{"value":"read","description":"é"}]})");
  EXPECT_FALSE(unclean_json_text(body).has_value());
}

TEST(UncleanJsonTextTest, NamesWhereTheUncleanTextSits) {
  struct Case {
    json body;
    std::string message_start;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"name", "a\x1b"}}, "name: ", "name"},
      {{{"scopes", {{{"value", "r"}}, {{"value", "w"}, {"description", "\x7f"}}}}},
       "scopes[1].description: ",
       "scopes"},
      {{{"a", {{"b\n", 1}}}}, "a: a member name ", "a"},
      {{{"bad\x01", 1}}, "a member name ", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body.dump());
    const auto error = unclean_json_text(c.body);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), AdminErrorCode::invalid_request);
    EXPECT_EQ(std::string(error->what()).rfind(c.message_start, 0), 0u) << error->what();
    EXPECT_EQ(error->field(), c.field);
  }
}

// SPEC §6: what a peer sends costs time linear in its size. The check used
// to build the path of every value it visited ("<member>[12345]"), so a
// long member name over a long array cost their product: a 64 KiB admin
// body could make it copy half a gigabyte.
TEST(UncleanJsonTextTest, ChecksAWideBodyInTimeLinearInItsSize) {
  const auto body_with_name = [](const std::string& name) {
    json body;
    auto& items = body[name] = json::array();
    for (int i = 0; i < 16000; ++i) items.push_back(1);
    return body;
  };
  const auto milliseconds_for = [](const json& body) {
    const auto started = std::chrono::steady_clock::now();
    EXPECT_FALSE(unclean_json_text(body).has_value());
    const auto elapsed = std::chrono::steady_clock::now() - started;
    return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  };
  // The same array under a one-letter name is the yardstick; the margin
  // absorbs a noisy machine.
  const auto short_name = milliseconds_for(body_with_name("a"));
  const auto long_name = milliseconds_for(body_with_name(std::string(512 * 1024, 'a')));
  EXPECT_LT(long_name, 3 * short_name + 50) << "milliseconds";
}

}  // namespace
}  // namespace tessera::admin
