// Running tessctl as a process against the real server, for the suites that
// test it (tessctl_e2etest.cpp, tessctl_signing_e2etest.cpp): its exit code,
// stdout and stderr, and the assertions SPEC §1 makes about them.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/sanitizer_report.hpp"
#include "support/test_env.hpp"

namespace tessera::test {

using nlohmann::json;

struct CliRun {
  int exit_code = -1;  // -N when killed by signal N
  std::string out;
  std::string err;
};

inline std::string temp_file(const std::string& content) {
  char path[] = "/tmp/tessctl-test-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  if (!content.empty() && write(fd, content.data(), content.size()) < 0) {
    throw std::runtime_error("write failed");
  }
  close(fd);
  return path;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// fork + execve of build/bin/tessctl with `args`, exactly `env` (plus PATH)
// and `input` on stdin; waits at most 60 s. Like run_tessera, with files
// rather than pipes, so a large output can never block the child, and a
// sanitizer report on its stderr fails the test.
inline CliRun tessctl(const std::vector<std::string>& args, const Env& env,
                      const std::string& input = "") {
  const std::string binary = bin_dir() + "/tessctl";
  const auto in_path = temp_file(input), out_path = temp_file(""), err_path = temp_file("");
  std::vector<std::string> argv_storage{binary}, env_storage{"PATH=/usr/bin:/bin"};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  for (const auto& [key, value] : env) env_storage.push_back(key + "=" + value);
  std::vector<char*> argv, envp;
  for (auto& a : argv_storage) argv.push_back(a.data());
  for (auto& e : env_storage) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(open(in_path.c_str(), O_RDONLY), 0);
    dup2(open(out_path.c_str(), O_WRONLY | O_TRUNC), 1);
    dup2(open(err_path.c_str(), O_WRONLY | O_TRUNC), 2);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  CliRun run;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  run.out = slurp(out_path);
  run.err = slurp(err_path);
  for (const auto& path : {in_path, out_path, err_path}) unlink(path.c_str());
  expect_no_sanitizer_report("tessctl", run.err);
  return run;
}

inline std::string describe(const CliRun& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout: " + run.out + "\nstderr: " + run.err;
}

// Exit 0, nothing on stderr.
inline ::testing::AssertionResult Succeeded(const CliRun& run) {
  if (run.exit_code == 0 && run.err.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(run);
}

// A failure as SPEC §1 wants it: non-zero, nothing on stdout, one line on
// stderr starting with "tessctl: " + `start`.
inline ::testing::AssertionResult FailedWith(const CliRun& run, const std::string& start) {
  const auto lines = std::count(run.err.begin(), run.err.end(), '\n');
  if (run.exit_code != 0 && run.out.empty() && lines == 1 && run.err.back() == '\n' &&
      run.err.rfind("tessctl: " + start, 0) == 0) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected one line 'tessctl: " << start << "…'; " << describe(run);
}

// stdout as JSON (a failed test and null when it is not).
inline json json_of(const CliRun& run) {
  const auto parsed = json::parse(run.out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << run.out;
  return parsed.is_discarded() ? json() : parsed;
}

// Whether one line of `text` holds every one of `parts` (a table row).
inline bool has_line_with(const std::string& text, const std::vector<std::string>& parts) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    bool all = true;
    for (const auto& part : parts) all = all && line.find(part) != std::string::npos;
    if (all) return true;
  }
  return false;
}

}  // namespace tessera::test
