#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace tessera::test {

using Env = std::map<std::string, std::string>;

// The environment a test server needs: database, master key, JSON-free text
// logs. Every other TESSERA_* variable of the test process is dropped.
Env server_env(const std::string& database_url);

struct CommandResult {
  int exit_code = -1;  // -N when killed by signal N
  std::string out;
  std::string err;
};

// Runs build/bin/tessera with `args` and exactly `env` (plus PATH), waits
// for it (at most 60 s) and returns what it printed. A sanitizer report on
// its stderr fails the running test.
CommandResult run_tessera(const std::vector<std::string>& args, const Env& env);

// `tessera admin-key create --superadmin`; returns the printed key.
std::string create_superadmin_key(const std::string& database_url);

// A free TCP port on 127.0.0.1 (free when asked; good enough for tests).
int free_port();

// The real `tessera serve` as a child process on free ports, ready (both
// /healthz answer) when the constructor returns.
//
// A sanitized server must stay clean: once it has exited (terminate(),
// kill_now() or the destructor), a sanitizer report on its stderr fails the
// running test. The destructor stops a server that still runs with SIGTERM,
// as an operator would, so that LeakSanitizer checks it at exit, and fails
// the test unless it exits 0.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& database_url, const Env& extra_env = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::string public_url() const;  // http://127.0.0.1:<port>
  std::string admin_url() const;   // http://127.0.0.1:<port>
  pid_t pid() const { return pid_; }

  // SIGTERM, then waits (at most 30 s, then SIGKILL); the exit code, or -N
  // if killed by N.
  int terminate();
  // SIGKILL and reap.
  void kill_now();
  bool running();
  std::string stderr_text() const;
  std::string stdout_text() const;

 private:
  int wait_for_exit(int timeout_seconds);
  // Once exited: fails the test on a sanitizer report (once per server).
  void check_sanitizer_report();

  pid_t pid_ = -1;
  int public_port_ = 0;
  int admin_port_ = 0;
  std::string out_path_;
  std::string err_path_;
  int exit_code_ = 0;
  bool exited_ = false;
  bool report_checked_ = false;
};

}  // namespace tessera::test
