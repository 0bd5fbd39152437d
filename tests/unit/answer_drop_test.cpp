#include "http/answer_drop.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tessera::http {
namespace {

using namespace std::chrono_literals;

struct Case {
  std::string name;
  AnswerCircumstances answer;
  std::optional<DropReason> expected;
};

AnswerCircumstances circumstances(bool gone, bool reused, std::chrono::milliseconds age) {
  AnswerCircumstances answer;
  answer.connection_gone = gone;
  answer.descriptor_reused = reused;
  answer.age = age;
  return answer;
}

TEST(DropReasonTest, WritesOnlyToALiveConnectionWithinTheAgeLimit) {
  const std::vector<Case> cases = {
      {"alive, at once", circumstances(false, false, 0ms), std::nullopt},
      {"alive, 29 s", circumstances(false, false, 29'000ms), std::nullopt},
      {"alive, exactly the limit", circumstances(false, false, kMaxAnswerAge), std::nullopt},
      {"alive, past the limit", circumstances(false, false, kMaxAnswerAge + 1ms),
       DropReason::too_old},
      {"gone", circumstances(true, false, 0ms), DropReason::connection_closed},
      {"gone and too old", circumstances(true, false, 60'000ms), DropReason::connection_closed},
      {"gone, number reused", circumstances(true, true, 0ms), DropReason::descriptor_reused},
      // The idle sweep closes without onDisconnection: a reused number alone
      // proves the connection closed.
      {"number reused, not reported gone", circumstances(false, true, 1ms),
       DropReason::descriptor_reused},
      {"number reused and too old", circumstances(false, true, 60'000ms),
       DropReason::descriptor_reused},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(drop_reason(c.answer), c.expected);
  }
}

TEST(DropReasonTest, NamesEachReasonAsTheMetricLabel) {
  EXPECT_STREQ(to_string(DropReason::connection_closed), "connection_closed");
  EXPECT_STREQ(to_string(DropReason::descriptor_reused), "descriptor_reused");
  EXPECT_STREQ(to_string(DropReason::too_old), "too_old");
}

TEST(DropReasonTest, LimitStaysBelowPistachesTimeouts) {
  // Pistache 0.0.5 closes silently after its header timeout (60 s) or
  // keep-alive timeout (300 s), whichever applies.
  EXPECT_LT(kMaxAnswerAge, std::chrono::seconds(60));
}

}  // namespace
}  // namespace tessera::http
