// What a running server leaves to someone who can read its /proc entries or
// a core file (SPEC §2 TESSERA_ALLOW_CORE_DUMPS; docs/operations.md,
// "Secrets in memory"): not the master key.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/server_process.hpp"
#include "support/test_database.hpp"
#include "support/test_env.hpp"

namespace tessera::test {
namespace {

// /proc/<pid>/<entry>, or nullopt when it cannot be opened: the environ of a
// process that is not dumpable belongs to root alone.
std::optional<std::string> read_proc(pid_t pid, const std::string& entry) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + entry, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CoreLimit {
  std::string soft;
  std::string hard;
  bool operator==(const CoreLimit& other) const { return soft == other.soft && hard == other.hard; }
  bool operator!=(const CoreLimit& other) const { return !(*this == other); }
};

std::ostream& operator<<(std::ostream& out, const CoreLimit& limit) {
  return out << limit.soft << " " << limit.hard;
}

// The "Max core file size" row of /proc/<pid>/limits.
CoreLimit core_limit_of(pid_t pid) {
  const auto limits = read_proc(pid, "limits");
  if (!limits) throw std::runtime_error("cannot read /proc/<pid>/limits");
  const std::string row = "Max core file size";
  const auto at = limits->find(row);
  if (at == std::string::npos) throw std::runtime_error("no core row in " + *limits);
  std::istringstream fields(limits->substr(at + row.size()));
  CoreLimit limit;
  fields >> limit.soft >> limit.hard;
  return limit;
}

std::string as_proc_text(rlim_t value) {
  return value == RLIM_INFINITY ? "unlimited" : std::to_string(value);
}

// Raises this process's core limit as far as it may (a child inherits it),
// so that a server which keeps its inherited limit is told apart from one
// that forces 0; restored when the object goes.
class RaisedCoreLimit {
 public:
  RaisedCoreLimit() {
    getrlimit(RLIMIT_CORE, &saved_);
    rlimit raised = saved_;
    if (raised.rlim_max == 0) raised.rlim_max = 1 << 20;  // only root may raise it
    raised.rlim_cur = raised.rlim_max;
    if (setrlimit(RLIMIT_CORE, &raised) != 0) raised = saved_;
    limit_ = {as_proc_text(raised.rlim_cur), as_proc_text(raised.rlim_max)};
  }
  ~RaisedCoreLimit() { setrlimit(RLIMIT_CORE, &saved_); }
  RaisedCoreLimit(const RaisedCoreLimit&) = delete;
  RaisedCoreLimit& operator=(const RaisedCoreLimit&) = delete;

  const CoreLimit& limit() const { return limit_; }

 private:
  rlimit saved_{};
  CoreLimit limit_;
};

const Env kAllowCoreDumps = {
    {"TESSERA_ALLOW_CORE_DUMPS", "1"},
    // An ASan build (TESSERA_SANITIZE=ON) zeroes the limit itself otherwise.
    {"ASAN_OPTIONS", "disable_coredump=0"},
};

TEST(ProcessHardeningE2eTest, TheMasterKeyIsNotInTheEnvironmentOfTheRunningServer) {
  TestDatabase db;
  struct Case {
    std::string name;
    Env env;
  };
  const std::vector<Case> cases = {{"default", {}}, {"core dumps allowed", kAllowCoreDumps}};
  int checked = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ServerProcess server(db.url(), c.env);
    const auto environ_text = read_proc(server.pid(), "environ");
    if (!environ_text) {
      // Only root may read a non-dumpable process's environ; the run with
      // core dumps allowed still checks it for everyone else.
      EXPECT_NE(geteuid(), 0u) << "root could not read /proc/<pid>/environ";
      EXPECT_EQ(c.name, "default");
      continue;
    }
    ++checked;
    // The right file: the variables that are not secret are still there.
    EXPECT_NE(environ_text->find("TESSERA_DATABASE_URL=" + db.url()), std::string::npos);
    EXPECT_EQ(environ_text->find(test_master_key()), std::string::npos);
    EXPECT_EQ(server.terminate(), 0);
  }
  EXPECT_GE(checked, 1);
}

TEST(ProcessHardeningE2eTest, TheServerCannotWriteACoreFileByDefault) {
  TestDatabase db;
  const RaisedCoreLimit raised;
  ServerProcess server(db.url());
  EXPECT_EQ(core_limit_of(server.pid()), (CoreLimit{"0", "0"}));
  EXPECT_EQ(server.terminate(), 0);
}

TEST(ProcessHardeningE2eTest, AllowingCoreDumpsKeepsTheInheritedCoreLimit) {
  TestDatabase db;
  const RaisedCoreLimit raised;
  ServerProcess server(db.url(), kAllowCoreDumps);
  EXPECT_EQ(core_limit_of(server.pid()), raised.limit());
  if (raised.limit().hard != "0") {
    EXPECT_NE(core_limit_of(server.pid()), (CoreLimit{"0", "0"}));
  }
  EXPECT_EQ(server.terminate(), 0);
}

TEST(ProcessHardeningE2eTest, AnyOtherAllowCoreDumpsValueIsOneStderrLineNamingItAndExit1) {
  for (const std::string value : {"2", "yes", "true", "on"}) {
    for (const std::string command : {"serve", "admin-key", "migrate"}) {
      SCOPED_TRACE(command + " with TESSERA_ALLOW_CORE_DUMPS=" + value);
      Env env = server_env("postgresql://127.0.0.1:1/never-reached");
      env["TESSERA_ALLOW_CORE_DUMPS"] = value;
      std::vector<std::string> args = {command};
      if (command == "admin-key") args = {"admin-key", "create", "--superadmin"};
      const auto result = run_tessera(args, env);
      EXPECT_EQ(result.exit_code, 1);
      EXPECT_EQ(result.out, "");
      EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
      EXPECT_NE(result.err.find("TESSERA_ALLOW_CORE_DUMPS"), std::string::npos) << result.err;
    }
  }
}

}  // namespace
}  // namespace tessera::test
