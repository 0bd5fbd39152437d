// tessctl and a client's DPoP settings (RFC 9449), run as a process against
// the real server: `client create` and `client update` with --dpop and
// --dpop-nonce, `client get` and `client list` showing them, and a bad value
// refused before any request.
#include <gtest/gtest.h>

#include "e2e/admin_api.hpp"
#include "e2e/tessctl_runner.hpp"
#include "e2e/tessctl_server_fixture.hpp"
#include "support/test_env.hpp"

namespace tessera::test {
namespace {

TEST(TessctlClientDpopCliE2eTest, HelpNamesTheOptionsAndABadValueIsAUsageError) {
  for (const auto* command : {"create", "update"}) {
    SCOPED_TRACE(command);
    const auto run = tessctl({"client", command, "--help"}, {});
    ASSERT_TRUE(Succeeded(run));
    EXPECT_NE(run.out.find("--dpop off|allowed|required"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("--dpop-nonce true|false"), std::string::npos) << run.out;
  }
  // Refused before any request: nothing listens on this URL.
  const Env env = {{"TESSCTL_URL", "http://127.0.0.1:" + std::to_string(free_port())},
                   {"TESSCTL_ADMIN_KEY", "tsk_9_secretsecretsecretsecretsecretsecret123"}};
  EXPECT_TRUE(FailedWith(tessctl({"client", "update", "acme", "c", "--dpop", "sometimes"}, env),
                         "--dpop: must be one of off, allowed, required"));
  EXPECT_TRUE(FailedWith(tessctl({"client", "create", "acme", "n", "--dpop-nonce", "yes"}, env),
                         "client create: too many arguments"));
  EXPECT_TRUE(FailedWith(tessctl({"client", "create", "acme", "n", "--dpop-nonce=yes"}, env),
                         "--dpop-nonce: must be true or false"));
}

class TessctlClientDpopE2eTest : public TessctlServerTest {};

TEST_F(TessctlClientDpopE2eTest, CreateAndUpdateSetTheSettingsThatGetAndListShow) {
  const auto slug = unique_name("tctl-dpop");
  ASSERT_TRUE(Succeeded(ctl({"tenant", "create", slug, "--name", "DPoP"})));

  auto run = ctl({"client", "create", slug, "Plain", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["dpop"], "allowed");
  EXPECT_EQ(json_of(run)["dpop_nonce"], false);

  run = ctl({"client", "create", slug, "Bound", "--dpop", "required", "--dpop-nonce", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["dpop"], "required");
  EXPECT_EQ(json_of(run)["dpop_nonce"], true);
  const auto client_id = json_of(run)["client_id"].get<std::string>();

  run = ctl({"client", "update", slug, client_id, "--dpop", "off", "--dpop-nonce", "false"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"dpop", "off"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {"dpop_nonce", "false"})) << run.out;

  run = ctl({"client", "update", slug, client_id, "--dpop-nonce", "true"});
  ASSERT_TRUE(Succeeded(run));
  run = ctl({"client", "get", slug, client_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"dpop", "off"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {"dpop_nonce", "true"})) << run.out;

  run = ctl({"client", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"DPOP", "DPOP_NONCE"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {client_id, "Bound", "off", "true"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {"Plain", "allowed", "false"})) << run.out;
}

}  // namespace
}  // namespace tessera::test
