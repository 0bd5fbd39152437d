#include "config/config.hpp"

#include <sodium.h>

#include <cstdlib>
#include <limits>
#include <string_view>

namespace tessera::config {
namespace {

std::optional<unsigned long> parse_positive(const std::string& text, unsigned long max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  unsigned long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (value == 0 || value > max) return std::nullopt;
  return value;
}

// A bad value as quoted in an error: control characters would break the
// one-line rule of SPEC §2 (a value ending in "\r\n" is an easy mistake).
std::string quoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte == 0x7f ? '?' : c;
  }
  return out + "'";
}

// Variables whose values are keys; process_environment wipes them once read.
bool holds_keys(const std::string& name) {
  return name == "TESSERA_MASTER_KEY" || name == "TESSERA_PREVIOUS_MASTER_KEYS";
}

std::optional<std::string> non_empty(const EnvLookup& env, const std::string& name) {
  auto value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// Comma-separated keys, blanks around each allowed; an entry that is not a
// key is named by its position, never echoed.
std::vector<crypto::MasterKey> parse_previous_master_keys(std::string& text) {
  struct Wipe {
    std::string& text;
    ~Wipe() { sodium_memzero(text.data(), text.size()); }
  } wipe{text};
  std::vector<crypto::MasterKey> keys;
  std::size_t position = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string_view entry(text.data() + start, end - start);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
      entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    ++position;
    auto key = crypto::MasterKey::parse(entry);
    if (!key) {
      throw ConfigError(
          "TESSERA_PREVIOUS_MASTER_KEYS",
          "entry " + std::to_string(position) +
              " must be base64url of exactly 32 bytes (keys are separated by commas)");
    }
    keys.push_back(std::move(*key));
    start = end + 1;
  }
  return keys;
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    std::string copy(value);
    if (holds_keys(name)) {
      sodium_memzero(value, copy.size());
      unsetenv(name.c_str());
    }
    return copy;
  };
}

std::optional<std::chrono::seconds> parse_duration(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  const auto count = parse_positive(text.substr(0, text.size() - 1), 100'000'000);
  if (!count) return std::nullopt;
  const long n = static_cast<long>(*count);
  switch (unit) {
    case 's':
      return std::chrono::seconds(n);
    case 'm':
      return std::chrono::seconds(n * 60);
    case 'h':
      return std::chrono::seconds(n * 3600);
    case 'd':
      return std::chrono::seconds(n * 86400);
    default:
      return std::nullopt;
  }
}

std::optional<ListenAddress> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string host = text.substr(0, colon);
  const auto port = parse_positive(text.substr(colon + 1), 65535);
  if (!port) return std::nullopt;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  if (host.find_first_of(" /[]") != std::string::npos) return std::nullopt;
  return ListenAddress{host, static_cast<std::uint16_t>(*port)};
}

LogFormat peek_log_format(const EnvLookup& env) {
  auto format = env("TESSERA_LOG_FORMAT");
  return format && *format == "json" ? LogFormat::json : LogFormat::text;
}

Config load_config(const EnvLookup& env, unsigned cores) {
  Config config;

  auto url = non_empty(env, "TESSERA_DATABASE_URL");
  if (!url) throw ConfigError("TESSERA_DATABASE_URL", "is required (a libpq connection string)");
  config.database_url = *url;

  if (auto value = non_empty(env, "TESSERA_PUBLIC_ADDR")) {
    auto addr = parse_listen_address(*value);
    if (!addr) throw ConfigError("TESSERA_PUBLIC_ADDR", "must be host:port, got " + quoted(*value));
    config.public_addr = *addr;
  }
  if (auto value = non_empty(env, "TESSERA_ADMIN_ADDR")) {
    auto addr = parse_listen_address(*value);
    if (!addr) throw ConfigError("TESSERA_ADMIN_ADDR", "must be host:port, got " + quoted(*value));
    config.admin_addr = *addr;
  }

  if (auto value = non_empty(env, "TESSERA_ISSUER_BASE")) {
    std::string base = *value;
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0) {
      throw ConfigError("TESSERA_ISSUER_BASE", "must be an http:// or https:// URL");
    }
    config.issuer_base = base;
  }

  // The key itself is never echoed in the error, nor left in freed memory.
  if (auto value = non_empty(env, "TESSERA_MASTER_KEY")) {
    config.master_key = crypto::MasterKey::parse(*value);
    sodium_memzero(value->data(), value->size());
    if (!config.master_key) {
      throw ConfigError("TESSERA_MASTER_KEY", "must be base64url of exactly 32 bytes");
    }
  }
  if (auto value = non_empty(env, "TESSERA_PREVIOUS_MASTER_KEYS")) {
    config.previous_master_keys = parse_previous_master_keys(*value);
  }

  config.cores = cores == 0 ? 1 : cores;
  config.threads = config.cores;
  if (auto value = non_empty(env, "TESSERA_THREADS")) {
    auto n = parse_positive(*value, 256);
    if (!n) throw ConfigError("TESSERA_THREADS", "must be a whole number from 1 to 256");
    config.threads = static_cast<unsigned>(*n);
  }
  config.db_pool = 2 * config.threads;
  if (auto value = non_empty(env, "TESSERA_DB_POOL")) {
    auto n = parse_positive(*value, 1000);
    if (!n) throw ConfigError("TESSERA_DB_POOL", "must be a whole number from 1 to 1000");
    config.db_pool = static_cast<unsigned>(*n);
  }

  if (auto value = non_empty(env, "TESSERA_LOG_FORMAT")) {
    if (*value == "text")
      config.log_format = LogFormat::text;
    else if (*value == "json")
      config.log_format = LogFormat::json;
    else
      throw ConfigError("TESSERA_LOG_FORMAT", "must be text or json");
  }
  if (auto value = non_empty(env, "TESSERA_LOG_LEVEL")) {
    if (*value == "debug")
      config.log_level = LogLevel::debug;
    else if (*value == "info")
      config.log_level = LogLevel::info;
    else if (*value == "warn")
      config.log_level = LogLevel::warn;
    else if (*value == "error")
      config.log_level = LogLevel::error;
    else
      throw ConfigError("TESSERA_LOG_LEVEL", "must be debug, info, warn or error");
  }

  if (auto value = non_empty(env, "TESSERA_TOKEN_RETENTION")) {
    auto retention = parse_duration(*value);
    if (!retention) {
      throw ConfigError("TESSERA_TOKEN_RETENTION",
                        "must be a duration such as 30s, 15m, 12h or 7d");
    }
    config.token_retention = *retention;
  }

  if (auto value = non_empty(env, "TESSERA_REQUEST_TIMEOUT")) {
    auto timeout = parse_duration(*value);
    if (!timeout || *timeout > std::chrono::seconds(300)) {
      throw ConfigError("TESSERA_REQUEST_TIMEOUT",
                        "must be a duration from 1s to 300s, such as 10s");
    }
    config.request_timeout = *timeout;
  }

  if (auto value = non_empty(env, "TESSERA_TRUSTED_PROXIES")) {
    auto proxies = domain::parse_cidr_list(*value);
    if (!proxies) {
      throw ConfigError("TESSERA_TRUSTED_PROXIES",
                        "must be comma-separated addresses or CIDRs, such as 10.0.0.0/8,::1");
    }
    config.trusted_proxies = std::move(*proxies);
  }
  if (auto value = non_empty(env, "TESSERA_QUEUE_LIMIT")) {
    auto n = parse_positive(*value, 1'000'000);
    if (!n) throw ConfigError("TESSERA_QUEUE_LIMIT", "must be a whole number from 1 to 1000000");
    config.queue_limit = static_cast<std::size_t>(*n);
  }
  if (auto value = non_empty(env, "TESSERA_QUEUE_MAX_WAIT")) {
    auto wait = parse_duration(*value);
    if (!wait || *wait > std::chrono::seconds(300)) {
      throw ConfigError("TESSERA_QUEUE_MAX_WAIT", "must be a duration from 1s to 300s, such as 5s");
    }
    config.queue_max_wait = *wait;
  }
  if (auto value = non_empty(env, "TESSERA_CACHE_MAX_AGE")) {
    auto age = parse_duration(*value);
    if (!age || *age > std::chrono::hours(24)) {
      throw ConfigError("TESSERA_CACHE_MAX_AGE", "must be a duration from 1s to 24h, such as 60s");
    }
    config.cache_max_age = *age;
  }
  if (auto value = non_empty(env, "TESSERA_SHUTDOWN_DELAY")) {
    // The one duration that may be zero (its default, "0s").
    const bool zero = value->size() == 2 && value->front() == '0' &&
                      std::string_view("smhd").find(value->back()) != std::string_view::npos;
    auto delay = zero ? std::optional<std::chrono::seconds>(0) : parse_duration(*value);
    if (!delay || *delay > kMaxShutdownDelay) {
      throw ConfigError("TESSERA_SHUTDOWN_DELAY",
                        "must be a duration from 0s to 10m, such as 5s, got " + quoted(*value));
    }
    config.shutdown_delay = *delay;
  }
  if (auto value = non_empty(env, "TESSERA_ARGON2_QUEUE")) {
    auto n = parse_positive(*value, 100'000);
    if (!n) throw ConfigError("TESSERA_ARGON2_QUEUE", "must be a whole number from 1 to 100000");
    config.argon2_queue = static_cast<std::size_t>(*n);
  }

  if (auto value = non_empty(env, "TESSERA_ALLOW_CORE_DUMPS")) {
    if (*value == "0")
      config.allow_core_dumps = false;
    else if (*value == "1")
      config.allow_core_dumps = true;
    else
      throw ConfigError("TESSERA_ALLOW_CORE_DUMPS", "must be 0 or 1");
  }
  if (auto value = non_empty(env, "TESSERA_ALLOW_INSECURE_JWKS_URI")) {
    if (*value == "0") {
      config.allow_insecure_jwks_uri = false;
    } else if (*value == "1") {
      config.allow_insecure_jwks_uri = true;
    } else {
      throw ConfigError("TESSERA_ALLOW_INSECURE_JWKS_URI", "must be 0 or 1");
    }
  }
  return config;
}

const crypto::MasterKey& require_master_key(const Config& config) {
  if (!config.master_key) {
    throw ConfigError("TESSERA_MASTER_KEY", "is required (base64url of 32 random bytes)");
  }
  return *config.master_key;
}

}  // namespace tessera::config
