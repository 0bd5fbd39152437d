#include "support/server_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "crypto/random.hpp"
#include "support/http_client.hpp"
#include "support/sanitizer_report.hpp"
#include "support/test_env.hpp"

namespace tessera::test {
namespace {

std::string temp_path(const std::string& what) {
  std::string suffix;
  for (unsigned char c : crypto::random_bytes(6)) suffix += "0123456789abcdef"[c % 16];
  return "/tmp/tessera-test-" + what + "-" + suffix;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// fork + execve of build/bin/tessera with stdout and stderr to files.
pid_t spawn(const std::vector<std::string>& args, const Env& env, const std::string& out_path,
            const std::string& err_path) {
  const std::string binary = bin_dir() + "/tessera";
  std::vector<std::string> argv_storage{binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<std::string> env_storage;
  const char* path = std::getenv("PATH");
  env_storage.push_back(std::string("PATH=") + (path ? path : "/usr/bin:/bin"));
  for (const auto& [key, value] : env) env_storage.push_back(key + "=" + value);

  std::vector<char*> argv, envp;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    const int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

}  // namespace

Env server_env(const std::string& database_url) {
  return {{"TESSERA_DATABASE_URL", database_url},
          {"TESSERA_MASTER_KEY", test_master_key()},
          {"TESSERA_THREADS", "2"}};
}

CommandResult run_tessera(const std::vector<std::string>& args, const Env& env) {
  const auto out_path = temp_path("out");
  const auto err_path = temp_path("err");
  const pid_t pid = spawn(args, env, out_path, err_path);
  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      result.exit_code = decode_status(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.exit_code = -SIGKILL;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  expect_no_sanitizer_report("tessera " + (args.empty() ? std::string() : args[0]), result.err);
  return result;
}

std::string create_superadmin_key(const std::string& database_url) {
  auto result = run_tessera({"admin-key", "create", "--superadmin", "--name", "test"},
                            server_env(database_url));
  if (result.exit_code != 0) {
    throw std::runtime_error("admin-key create failed: " + result.err);
  }
  std::string key = result.out;
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  return key;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

ServerProcess::ServerProcess(const std::string& database_url, const Env& extra_env) {
  public_port_ = free_port();
  admin_port_ = free_port();
  while (admin_port_ == public_port_) admin_port_ = free_port();
  Env env = server_env(database_url);
  env["TESSERA_PUBLIC_ADDR"] = "127.0.0.1:" + std::to_string(public_port_);
  env["TESSERA_ADMIN_ADDR"] = "127.0.0.1:" + std::to_string(admin_port_);
  for (const auto& [key, value] : extra_env) env[key] = value;
  out_path_ = temp_path("serve-out");
  err_path_ = temp_path("serve-err");
  pid_ = spawn({"serve"}, env, out_path_, err_path_);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) {
      throw std::runtime_error("tessera serve exited early: " + stderr_text());
    }
    try {
      if (http_request("GET", public_url() + "/healthz").status == 200 &&
          http_request("GET", admin_url() + "/healthz").status == 200) {
        return;
      }
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill_now();
  throw std::runtime_error("tessera serve did not become ready: " + stderr_text());
}

ServerProcess::~ServerProcess() {
  if (running()) {
    const int code = terminate();
    EXPECT_EQ(code, 0) << "tessera serve did not exit 0 on SIGTERM; its stderr:\n" << stderr_text();
  }
  check_sanitizer_report();
  unlink(out_path_.c_str());
  unlink(err_path_.c_str());
}

std::string ServerProcess::public_url() const {
  return "http://127.0.0.1:" + std::to_string(public_port_);
}

std::string ServerProcess::admin_url() const {
  return "http://127.0.0.1:" + std::to_string(admin_port_);
}

bool ServerProcess::running() {
  if (exited_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    exit_code_ = decode_status(status);
    return false;
  }
  return true;
}

int ServerProcess::wait_for_exit(int timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill_now();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

int ServerProcess::terminate() {
  if (running()) {
    kill(pid_, SIGTERM);
    wait_for_exit(30);
  }
  check_sanitizer_report();
  return exit_code_;
}

void ServerProcess::kill_now() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    exit_code_ = decode_status(status);
  }
  check_sanitizer_report();
}

void ServerProcess::check_sanitizer_report() {
  if (report_checked_ || !exited_) return;
  report_checked_ = true;
  expect_no_sanitizer_report("tessera serve", stderr_text());
}

std::string ServerProcess::stderr_text() const {
  return read_file(err_path_);
}
std::string ServerProcess::stdout_text() const {
  return read_file(out_path_);
}

}  // namespace tessera::test
