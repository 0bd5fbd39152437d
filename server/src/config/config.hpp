#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/master_key.hpp"
#include "domain/ip_address.hpp"

namespace tessera::config {

// The one place that knows Tessera's environment variables (SPEC §2).

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

enum class LogFormat { text, json };
enum class LogLevel { debug, info, warn, error };

struct Config {
  std::string database_url;
  ListenAddress public_addr{"0.0.0.0", 8080};
  ListenAddress admin_addr{"127.0.0.1", 8081};
  std::string issuer_base = "http://localhost:8080";
  std::optional<crypto::MasterKey> master_key;  // required by serve and admin-key only
  // TESSERA_PREVIOUS_MASTER_KEYS, in the order given: earlier master keys,
  // still accepted for what they made (docs/operations.md, "Rotating the
  // master key").
  std::vector<crypto::MasterKey> previous_master_keys;
  // The processors this process may use (config::available_cores: CPU
  // quota and affinity), the default of `threads`; logged at start.
  unsigned cores = 1;
  unsigned threads = 1;
  unsigned db_pool = 2;
  LogFormat log_format = LogFormat::text;
  LogLevel log_level = LogLevel::info;
  std::chrono::seconds token_retention = std::chrono::hours(24 * 7);
  // A request (head and body) must arrive within this time of its first
  // byte, else 408: slow senders cannot hold connections (docs/security.md).
  std::chrono::seconds request_timeout{10};
  bool allow_core_dumps = false;  // TESSERA_ALLOW_CORE_DUMPS
  // TESSERA_ALLOW_INSECURE_JWKS_URI: a client's jwks_uri may be http and
  // point anywhere, its own host included (tests, local set-ups only).
  bool allow_insecure_jwks_uri = false;
  // Peers whose X-Forwarded-For names the client (TESSERA_TRUSTED_PROXIES).
  std::vector<domain::Cidr> trusted_proxies;
  // Bounded work (SPEC §6): requests waiting for a worker or for the token
  // batcher, how long queued work may wait, and imported-secret checks
  // waiting for the Argon2id threads. Past them: 503 with Retry-After.
  std::size_t queue_limit = 1024;
  std::chrono::seconds queue_max_wait{5};
  std::size_t argon2_queue = 64;
  // Backstop of cache invalidation (SPEC §2, §6): a cached entry is reloaded
  // after this age even without a change notice.
  std::chrono::seconds cache_max_age{60};
  // Rolling deploys (SPEC §6): after SIGTERM, /readyz answers 503 while
  // requests are still served for this long, so that load balancers and
  // Kubernetes endpoints stop sending traffic before the listeners close.
  std::chrono::seconds shutdown_delay{0};
};

// A bad or missing variable: `what()` is the one line printed on stderr.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string variable, const std::string& problem)
      : std::runtime_error(variable + ": " + problem), variable_(std::move(variable)) {}
  const std::string& variable() const { return variable_; }

 private:
  std::string variable_;
};

// Reads a variable; nullopt when unset. Tests pass a map instead of the
// process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment. A variable that holds keys (TESSERA_MASTER_KEY,
// TESSERA_PREVIOUS_MASTER_KEYS) is taken out of it as it is read: its value
// is overwritten in place, where /proc/<pid>/environ reads it, and the
// variable is removed, so neither a later getenv() nor a child process sees
// it. Read each such variable once, through this lookup.
EnvLookup process_environment();

// Parses and validates every variable; throws ConfigError for the first bad one.
// `cores` is the default for TESSERA_THREADS.
Config load_config(const EnvLookup& env, unsigned cores);

// Throws ConfigError naming TESSERA_MASTER_KEY when it was not given.
const crypto::MasterKey& require_master_key(const Config& config);

// Logging variables alone, so that even a bad configuration is reported in
// the requested log format. Never throws: bad values are reported by load_config.
LogFormat peek_log_format(const EnvLookup& env);

// The longest TESSERA_SHUTDOWN_DELAY: a deploy should not wait longer.
inline constexpr std::chrono::seconds kMaxShutdownDelay{600};

// "30s", "15m", "12h", "7d" (a positive whole number and one unit).
std::optional<std::chrono::seconds> parse_duration(const std::string& text);

// "host:port", "[v6]:port" or ":port" (all interfaces).
std::optional<ListenAddress> parse_listen_address(const std::string& text);

}  // namespace tessera::config
