#include "admin/body_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "admin/admin_error.hpp"
#include "http/request.hpp"

namespace tessera::admin {
namespace {

http::Request request_with(std::string body) {
  http::Request request;
  request.method = "POST";
  request.path = "/admin/v1/tenants/acme/apis";
  request.body = std::move(body);
  return request;
}

// The error code BodyReader throws for `body`, or "none".
std::string error_of(const std::string& body) {
  try {
    BodyReader reader(request_with(body));
  } catch (const AdminError& error) {
    return to_string(error.code());
  }
  return "none";
}

TEST(BodyReaderTest, ReadsTheFieldsOfAJsonObject) {
  BodyReader body(request_with(R"({"name":"Orders","token_ttl":3600,"is_default":true})"));
  EXPECT_EQ(body.required_name(), "Orders");
  EXPECT_EQ(body.optional_ttl("token_ttl"), std::optional<int>(3600));
  EXPECT_EQ(body.optional_bool("is_default"), true);
  EXPECT_NO_THROW(body.finish());
}

// Found by fuzz/admin_body_fuzzer: a member nested thousands of levels deep
// overflowed the stack of the clean-text check (admin/input_text), which
// recurses per level and builds a path string per level. Such a body is
// refused as malformed before anything walks it.
TEST(BodyReaderTest, RefusesABodyNestedTooDeeply) {
  for (const std::size_t depth : {100, 6000}) {
    SCOPED_TRACE(depth);
    const std::string body =
        R"({"name":"x","scopes":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
    EXPECT_EQ(error_of(body), "invalid_request");
  }
}

}  // namespace
}  // namespace tessera::admin
