#include "admin/pagination.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admin/admin_error.hpp"
#include "crypto/base64url.hpp"

namespace tessera::admin {
namespace {

http::Request request_with(std::vector<std::pair<std::string, std::string>> query) {
  http::Request request;
  request.method = "GET";
  request.path = "/admin/v1/tenants";
  request.query = std::move(query);
  return request;
}

// The AdminError that read_page_request throws, or nullopt when it accepts.
std::optional<AdminError> error_of(const http::Request& request) {
  try {
    read_page_request(request);
  } catch (const AdminError& error) {
    return error;
  }
  return std::nullopt;
}

TEST(ReadPageRequestTest, DefaultsToFiftyFromTheStart) {
  const PageRequest page = read_page_request(request_with({}));
  EXPECT_EQ(page.limit, 50);
  EXPECT_FALSE(page.after.has_value());
  EXPECT_FALSE(numeric_after(page).has_value());
}

TEST(ReadPageRequestTest, AcceptsLimitsFromOneTo500) {
  struct Case {
    std::string limit;
    int expected;
  };
  const std::vector<Case> cases = {{"1", 1}, {"2", 2}, {"50", 50}, {"499", 499}, {"500", 500}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.limit);
    EXPECT_EQ(read_page_request(request_with({{"limit", c.limit}})).limit, c.expected);
  }
}

TEST(ReadPageRequestTest, RefusesOtherLimitsNamingTheField) {
  for (const std::string limit :
       {"0", "501", "1000", "99999999999999999999", "abc", "-1", "+5", "5x", " 5", "1.5", ""}) {
    SCOPED_TRACE(limit);
    auto error = error_of(request_with({{"limit", limit}}));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field(), "limit");
    EXPECT_EQ(error->code(), AdminErrorCode::invalid_request);
    EXPECT_EQ(status_of(error->code()), 400);
  }
}

TEST(ReadPageRequestTest, RoundTripsCursors) {
  for (const std::string key : {"42", "0", "https://api.example.com", "a:b:c", "c1:nested"}) {
    SCOPED_TRACE(key);
    const std::string cursor = encode_cursor(key);
    EXPECT_EQ(cursor.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << cursor;
    const PageRequest page = read_page_request(request_with({{"cursor", cursor}, {"limit", "10"}}));
    ASSERT_TRUE(page.after.has_value());
    EXPECT_EQ(*page.after, key);
    EXPECT_EQ(page.limit, 10);
  }
}

TEST(ReadPageRequestTest, TreatsAnEmptyCursorAsTheFirstPage) {
  const PageRequest page = read_page_request(request_with({{"cursor", ""}}));
  EXPECT_FALSE(page.after.has_value());
}

TEST(ReadPageRequestTest, RefusesAGarbageCursorNamingTheField) {
  const std::vector<std::string> cursors = {"garbage!",
                                            "%%%",
                                            "a b",
                                            "x",
                                            crypto::base64url_encode("42"),
                                            crypto::base64url_encode("c2:42"),
                                            crypto::base64url_encode("c1")};
  for (const auto& cursor : cursors) {
    SCOPED_TRACE(cursor);
    auto error = error_of(request_with({{"cursor", cursor}}));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field(), "cursor");
    EXPECT_EQ(error->code(), AdminErrorCode::invalid_request);
  }
}

TEST(NumericAfterTest, ReadsANumericCursorKey) {
  const PageRequest page = read_page_request(request_with({{"cursor", encode_cursor("1234")}}));
  EXPECT_EQ(numeric_after(page), 1234);
}

TEST(NumericAfterTest, RefusesANonNumericCursorKeyNamingTheField) {
  for (const std::string key : {"", "abc", "-1", "12a", "1234567890123456789"}) {
    SCOPED_TRACE(key);
    const PageRequest page = read_page_request(request_with({{"cursor", encode_cursor(key)}}));
    try {
      numeric_after(page);
      ADD_FAILURE() << "numeric_after accepted '" << key << "'";
    } catch (const AdminError& error) {
      EXPECT_EQ(error.field(), "cursor");
    }
  }
}

TEST(ListAnswerTest, GivesTheNextPagesCursorOrNullOnTheLastPage) {
  const auto last = list_answer(nlohmann::json::array({1, 2}), std::nullopt);
  EXPECT_EQ(last, nlohmann::json::parse(R"({"items":[1,2],"next_cursor":null})"));

  const auto more = list_answer(nlohmann::json::array({1, 2}), "2");
  EXPECT_EQ(more["items"], nlohmann::json::array({1, 2}));
  ASSERT_TRUE(more["next_cursor"].is_string());
  const auto page =
      read_page_request(request_with({{"cursor", more["next_cursor"].get<std::string>()}}));
  EXPECT_EQ(page.after, "2");  // the cursor reads back as the key it was made of
}

}  // namespace
}  // namespace tessera::admin
