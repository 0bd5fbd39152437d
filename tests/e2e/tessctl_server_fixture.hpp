#pragma once

// What the tessctl suites that run against the real server share: one
// server per suite, and tessctl run as its superadmin (or with another key).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "e2e/admin_api.hpp"
#include "e2e/tessctl_runner.hpp"

namespace tessera::test {

class TessctlServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new AdminServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static Env env_with(const std::string& key) {
    return {{"TESSCTL_URL", server_->server.admin_url()}, {"TESSCTL_ADMIN_KEY", key}};
  }
  // tessctl as the superadmin.
  static CliRun ctl(const std::vector<std::string>& args, const std::string& input = "") {
    return tessctl(args, env_with(server_->key), input);
  }

  inline static AdminServer* server_ = nullptr;
};

}  // namespace tessera::test
