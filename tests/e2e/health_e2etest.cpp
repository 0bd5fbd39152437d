#include <gtest/gtest.h>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace tessera::test {
namespace {

TEST(HealthE2eTest, HealthzAnswersOkAndSigtermExitsZero) {
  TestDatabase db;
  ServerProcess server(db.url());
  auto response = http_request("GET", server.public_url() + "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.header("x-request-id").empty());
  EXPECT_EQ(server.terminate(), 0);
}

}  // namespace
}  // namespace tessera::test
