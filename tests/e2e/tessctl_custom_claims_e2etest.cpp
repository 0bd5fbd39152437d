// tessctl and custom claims, run as a process against the real server:
// `client create`, `client update` and `grant set` with --claims, get and
// list showing them, JSON that is not an object refused before any request,
// and the server's refusal of a reserved name passed on.
#include <gtest/gtest.h>

#include "e2e/admin_api.hpp"
#include "e2e/tessctl_runner.hpp"
#include "e2e/tessctl_server_fixture.hpp"
#include "support/test_env.hpp"

namespace tessera::test {
namespace {

TEST(TessctlCustomClaimsCliE2eTest, HelpNamesTheOptionAndABadValueIsAUsageError) {
  const std::vector<std::vector<std::string>> commands = {
      {"client", "create"}, {"client", "update"}, {"grant", "set"}};
  for (const auto& command : commands) {
    SCOPED_TRACE(command[0] + " " + command[1]);
    const auto run = tessctl({command[0], command[1], "--help"}, {});
    ASSERT_TRUE(Succeeded(run));
    EXPECT_NE(run.out.find("--claims JSON"), std::string::npos) << run.out;
  }
  // Refused before any request: nothing listens on this URL.
  const Env env = {{"TESSCTL_URL", "http://127.0.0.1:" + std::to_string(free_port())},
                   {"TESSCTL_ADMIN_KEY", "tsk_9_secretsecretsecretsecretsecretsecret123"}};
  for (const auto* bad : {"tier=gold", "[1]", "{\"a\":", ""}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(FailedWith(tessctl({"client", "update", "acme", "c", "--claims", bad}, env),
                           "--claims: must be a JSON object"));
    EXPECT_TRUE(FailedWith(tessctl({"grant", "set", "acme", "c", "api", "--claims", bad}, env),
                           "--claims: must be a JSON object"));
  }
}

class TessctlCustomClaimsE2eTest : public TessctlServerTest {};

TEST_F(TessctlCustomClaimsE2eTest, ClientsAndGrantsTakeClaimsThatGetAndListShow) {
  const auto slug = unique_name("tctl-claims");
  ASSERT_TRUE(Succeeded(ctl({"tenant", "create", slug, "--name", "Claims"})));
  ASSERT_TRUE(
      Succeeded(ctl({"api", "create", slug, "urn:orders", "--name", "Orders", "--scope", "read"})));

  auto run = ctl({"client", "create", slug, "Plain", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["claims"], json::object());

  run = ctl({"client", "create", slug, "Tiered", "--claims", R"({"tier":"gold"})", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["claims"], json({{"tier", "gold"}}));
  const auto client_id = json_of(run)["client_id"].get<std::string>();

  run = ctl({"client", "update", slug, client_id, "--claims", R"({"region":"eu"})"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"claims", R"({"region":"eu"})"})) << run.out;
  run = ctl({"client", "get", slug, client_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"claims", R"({"region":"eu"})"})) << run.out;
  run = ctl({"client", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"CLAIMS"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {client_id, R"({"region":"eu"})"})) << run.out;

  EXPECT_TRUE(FailedWith(ctl({"client", "update", slug, client_id, "--claims", R"({"iss":"x"})"}),
                         "400 invalid_request: claims: 'iss' is a reserved claim"));
  run = ctl({"client", "update", slug, client_id, "--claims", "{}"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"claims", "{}"})) << run.out;

  run = ctl({"grant", "set", slug, client_id, "urn:orders", "--scope", "read", "--claims",
             R"({"department":"billing"})", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["claims"], json({{"department", "billing"}}));
  run = ctl({"grant", "list", slug, client_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"read", R"({"department":"billing"})"})) << run.out;
  EXPECT_TRUE(
      FailedWith(ctl({"grant", "set", slug, client_id, "urn:orders", "--claims", R"({"sub":"x"})"}),
                 "400 invalid_request: claims: 'sub' is a reserved claim"));
}

}  // namespace
}  // namespace tessera::test
