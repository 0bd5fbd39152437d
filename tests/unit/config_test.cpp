#include "config/config.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config_test_env.hpp"
#include "crypto/base64url.hpp"

namespace tessera::config {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using namespace test;

TEST(LoadConfigTest, AppliesTheDefaultsOfSpecSection2) {
  const Config config = load_config(lookup(minimal_env()), 6);
  EXPECT_EQ(config.database_url, "postgresql:///tessera");
  EXPECT_EQ(config.public_addr.host, "0.0.0.0");
  EXPECT_EQ(config.public_addr.port, 8080);
  EXPECT_EQ(config.admin_addr.host, "127.0.0.1");
  EXPECT_EQ(config.admin_addr.port, 8081);
  EXPECT_EQ(config.issuer_base, "http://localhost:8080");
  EXPECT_FALSE(config.master_key.has_value());
  EXPECT_EQ(config.threads, 6u);
  EXPECT_EQ(config.db_pool, 12u);
  EXPECT_EQ(config.log_format, LogFormat::text);
  EXPECT_EQ(config.log_level, LogLevel::info);
  EXPECT_EQ(config.token_retention, hours(24 * 7));
  EXPECT_EQ(config.request_timeout, seconds(10));
  EXPECT_FALSE(config.allow_core_dumps);
  EXPECT_TRUE(config.trusted_proxies.empty());
  EXPECT_EQ(config.queue_limit, 1024u);
  EXPECT_EQ(config.queue_max_wait, seconds(5));
  EXPECT_EQ(config.argon2_queue, 64u);
  EXPECT_EQ(config.shutdown_delay, seconds(0));
  EXPECT_EQ(config.cores, 6u);
}

TEST(LoadConfigTest, DefaultsThreadsToTheCoreCountAndThePoolToTwiceThat) {
  for (unsigned cores : {1u, 2u, 16u}) {
    SCOPED_TRACE(cores);
    const Config config = load_config(lookup(minimal_env()), cores);
    EXPECT_EQ(config.threads, cores);
    EXPECT_EQ(config.db_pool, 2 * cores);
  }
}

TEST(LoadConfigTest, UsesOneThreadWhenTheCoreCountIsUnknown) {
  const Config config = load_config(lookup(minimal_env()), 0);
  EXPECT_EQ(config.threads, 1u);
  EXPECT_EQ(config.db_pool, 2u);
}

TEST(LoadConfigTest, DerivesThePoolFromConfiguredThreads) {
  const Config config = load_config(lookup(with(minimal_env(), "TESSERA_THREADS", "5")), 32);
  EXPECT_EQ(config.threads, 5u);
  EXPECT_EQ(config.db_pool, 10u);
}

TEST(LoadConfigTest, RequiresTheDatabaseUrl) {
  for (const Env& env : {Env{}, Env{{"TESSERA_DATABASE_URL", ""}}}) {
    auto error = error_of(env);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->variable(), "TESSERA_DATABASE_URL");
    EXPECT_NE(std::string(error->what()).find("TESSERA_DATABASE_URL"), std::string::npos);
  }
}

TEST(LoadConfigTest, ReadsEveryVariable) {
  Env env = minimal_env();
  env["TESSERA_PUBLIC_ADDR"] = "127.0.0.1:9000";
  env["TESSERA_ADMIN_ADDR"] = "[::1]:9001";
  env["TESSERA_ISSUER_BASE"] = "https://auth.example.com";
  env["TESSERA_MASTER_KEY"] = kUnpaddedKey;
  env["TESSERA_THREADS"] = "3";
  env["TESSERA_DB_POOL"] = "17";
  env["TESSERA_LOG_FORMAT"] = "json";
  env["TESSERA_LOG_LEVEL"] = "warn";
  env["TESSERA_TOKEN_RETENTION"] = "12h";
  env["TESSERA_ALLOW_CORE_DUMPS"] = "1";
  const Config config = load_config(lookup(env), 8);
  EXPECT_EQ(config.public_addr.host, "127.0.0.1");
  EXPECT_EQ(config.public_addr.port, 9000);
  EXPECT_EQ(config.admin_addr.host, "::1");
  EXPECT_EQ(config.admin_addr.port, 9001);
  EXPECT_EQ(config.issuer_base, "https://auth.example.com");
  EXPECT_TRUE(config.master_key.has_value());
  EXPECT_EQ(config.threads, 3u);
  EXPECT_EQ(config.db_pool, 17u);
  EXPECT_EQ(config.log_format, LogFormat::json);
  EXPECT_EQ(config.log_level, LogLevel::warn);
  EXPECT_EQ(config.token_retention, hours(12));
  EXPECT_TRUE(config.allow_core_dumps);
}

TEST(LoadConfigTest, AcceptsTheValidValuesOfEachVariable) {
  struct Case {
    std::string variable;
    std::string value;
    std::function<bool(const Config&)> check;
  };
  const std::vector<Case> cases = {
      {"TESSERA_PUBLIC_ADDR", ":8443",
       [](const Config& c) {
         return c.public_addr.host == "0.0.0.0" && c.public_addr.port == 8443;
       }},
      {"TESSERA_ADMIN_ADDR", "localhost:1",
       [](const Config& c) { return c.admin_addr.host == "localhost" && c.admin_addr.port == 1; }},
      {"TESSERA_ADMIN_ADDR", "0.0.0.0:65535",
       [](const Config& c) { return c.admin_addr.port == 65535; }},
      {"TESSERA_ISSUER_BASE", "http://127.0.0.1:8080",
       [](const Config& c) { return c.issuer_base == "http://127.0.0.1:8080"; }},
      {"TESSERA_ISSUER_BASE", "https://auth.example.com/",
       [](const Config& c) { return c.issuer_base == "https://auth.example.com"; }},
      {"TESSERA_ISSUER_BASE", "https://example.com/auth//",
       [](const Config& c) { return c.issuer_base == "https://example.com/auth"; }},
      {"TESSERA_THREADS", "1", [](const Config& c) { return c.threads == 1 && c.db_pool == 2; }},
      {"TESSERA_THREADS", "256", [](const Config& c) { return c.threads == 256; }},
      {"TESSERA_DB_POOL", "1", [](const Config& c) { return c.db_pool == 1; }},
      {"TESSERA_DB_POOL", "1000", [](const Config& c) { return c.db_pool == 1000; }},
      {"TESSERA_LOG_FORMAT", "text",
       [](const Config& c) { return c.log_format == LogFormat::text; }},
      {"TESSERA_LOG_FORMAT", "json",
       [](const Config& c) { return c.log_format == LogFormat::json; }},
      {"TESSERA_LOG_LEVEL", "debug",
       [](const Config& c) { return c.log_level == LogLevel::debug; }},
      {"TESSERA_LOG_LEVEL", "info", [](const Config& c) { return c.log_level == LogLevel::info; }},
      {"TESSERA_LOG_LEVEL", "warn", [](const Config& c) { return c.log_level == LogLevel::warn; }},
      {"TESSERA_LOG_LEVEL", "error",
       [](const Config& c) { return c.log_level == LogLevel::error; }},
      {"TESSERA_TOKEN_RETENTION", "30s",
       [](const Config& c) { return c.token_retention == seconds(30); }},
      {"TESSERA_TOKEN_RETENTION", "1d",
       [](const Config& c) { return c.token_retention == hours(24); }},
      {"TESSERA_REQUEST_TIMEOUT", "1s",
       [](const Config& c) { return c.request_timeout == seconds(1); }},
      {"TESSERA_REQUEST_TIMEOUT", "5m",
       [](const Config& c) { return c.request_timeout == seconds(300); }},
      {"TESSERA_MASTER_KEY", kPaddedKey, [](const Config& c) { return c.master_key.has_value(); }},
      {"TESSERA_ALLOW_CORE_DUMPS", "0", [](const Config& c) { return !c.allow_core_dumps; }},
      {"TESSERA_ALLOW_CORE_DUMPS", "1", [](const Config& c) { return c.allow_core_dumps; }},
      {"TESSERA_ALLOW_INSECURE_JWKS_URI", "0",
       [](const Config& c) { return !c.allow_insecure_jwks_uri; }},
      {"TESSERA_ALLOW_INSECURE_JWKS_URI", "1",
       [](const Config& c) { return c.allow_insecure_jwks_uri; }},
      {"TESSERA_QUEUE_LIMIT", "8", [](const Config& c) { return c.queue_limit == 8; }},
      {"TESSERA_QUEUE_MAX_WAIT", "2s",
       [](const Config& c) { return c.queue_max_wait == seconds(2); }},
      {"TESSERA_CACHE_MAX_AGE", "15m",
       [](const Config& c) { return c.cache_max_age == seconds(900); }},
      {"TESSERA_ARGON2_QUEUE", "3", [](const Config& c) { return c.argon2_queue == 3; }},
      {"TESSERA_SHUTDOWN_DELAY", "0s",
       [](const Config& c) { return c.shutdown_delay == seconds(0); }},
      {"TESSERA_SHUTDOWN_DELAY", "0m",
       [](const Config& c) { return c.shutdown_delay == seconds(0); }},
      {"TESSERA_SHUTDOWN_DELAY", "5s",
       [](const Config& c) { return c.shutdown_delay == seconds(5); }},
      {"TESSERA_SHUTDOWN_DELAY", "10m",
       [](const Config& c) { return c.shutdown_delay == seconds(600); }},
      {"TESSERA_TRUSTED_PROXIES", "10.0.0.0/8, ::1",
       [](const Config& c) { return c.trusted_proxies.size() == 2; }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.variable + "=" + c.value);
    const Config config = load_config(lookup(with(minimal_env(), c.variable, c.value)), 4);
    EXPECT_TRUE(c.check(config));
  }
}

TEST(LoadConfigTest, ReadsAnEmptyVariableAsUnset) {
  Env env = minimal_env();
  for (const char* name :
       {"TESSERA_PUBLIC_ADDR", "TESSERA_THREADS", "TESSERA_LOG_LEVEL", "TESSERA_MASTER_KEY",
        "TESSERA_TOKEN_RETENTION", "TESSERA_ALLOW_CORE_DUMPS"}) {
    env[name] = "";
  }
  const Config config = load_config(lookup(env), 4);
  EXPECT_EQ(config.public_addr.port, 8080);
  EXPECT_EQ(config.threads, 4u);
  EXPECT_EQ(config.log_level, LogLevel::info);
  EXPECT_FALSE(config.master_key.has_value());
  EXPECT_EQ(config.token_retention, hours(24 * 7));
  EXPECT_FALSE(config.allow_core_dumps);
}

TEST(LoadConfigTest, RefusesAnInvalidValueWithOneLineNamingTheVariable) {
  struct Case {
    std::string variable;
    std::string value;
  };
  const std::vector<Case> cases = {
      {"TESSERA_PUBLIC_ADDR", "8080"},
      {"TESSERA_PUBLIC_ADDR", "localhost:"},
      {"TESSERA_PUBLIC_ADDR", "localhost:0"},
      {"TESSERA_PUBLIC_ADDR", "localhost:65536"},
      {"TESSERA_PUBLIC_ADDR", "localhost:http"},
      // A value that would break the one-line rule if it were echoed as is.
      {"TESSERA_PUBLIC_ADDR", "localhost:80\nsecond line"},
      {"TESSERA_ADMIN_ADDR", "127.0.0.1"},
      {"TESSERA_ADMIN_ADDR", "127.0.0.1:-1"},
      {"TESSERA_ADMIN_ADDR", "127.0.0.1:8081\r\n"},
      {"TESSERA_ISSUER_BASE", "auth.example.com"},
      {"TESSERA_ISSUER_BASE", "ftp://auth.example.com"},
      {"TESSERA_MASTER_KEY", "short"},
      {"TESSERA_THREADS", "0"},
      {"TESSERA_THREADS", "257"},
      {"TESSERA_THREADS", "-1"},
      {"TESSERA_THREADS", "four"},
      {"TESSERA_THREADS", "1.5"},
      {"TESSERA_THREADS", " 4"},
      {"TESSERA_DB_POOL", "0"},
      {"TESSERA_DB_POOL", "1001"},
      {"TESSERA_DB_POOL", "many"},
      {"TESSERA_LOG_FORMAT", "xml"},
      {"TESSERA_LOG_LEVEL", "verbose"},
      {"TESSERA_LOG_LEVEL", "warning"},
      {"TESSERA_TOKEN_RETENTION", "7"},
      {"TESSERA_TOKEN_RETENTION", "7w"},
      {"TESSERA_TOKEN_RETENTION", "0s"},
      {"TESSERA_REQUEST_TIMEOUT", "0s"},
      {"TESSERA_REQUEST_TIMEOUT", "301s"},
      {"TESSERA_REQUEST_TIMEOUT", "10"},
      {"TESSERA_QUEUE_LIMIT", "0"},
      {"TESSERA_QUEUE_LIMIT", "lots"},
      {"TESSERA_QUEUE_MAX_WAIT", "5"},
      {"TESSERA_QUEUE_MAX_WAIT", "10m"},
      {"TESSERA_CACHE_MAX_AGE", "60"},
      {"TESSERA_CACHE_MAX_AGE", "0s"},
      {"TESSERA_CACHE_MAX_AGE", "2d"},
      {"TESSERA_ARGON2_QUEUE", "-1"},
      {"TESSERA_SHUTDOWN_DELAY", "5"},
      {"TESSERA_SHUTDOWN_DELAY", "0"},
      {"TESSERA_SHUTDOWN_DELAY", "-5s"},
      {"TESSERA_SHUTDOWN_DELAY", "00s"},
      {"TESSERA_SHUTDOWN_DELAY", "601s"},
      {"TESSERA_SHUTDOWN_DELAY", "1h"},
      {"TESSERA_SHUTDOWN_DELAY", "5 s"},
      {"TESSERA_SHUTDOWN_DELAY", "0x"},
      {"TESSERA_TRUSTED_PROXIES", "10.0.0.0/33"},
      {"TESSERA_TRUSTED_PROXIES", "proxy.internal"},
      {"TESSERA_ALLOW_CORE_DUMPS", "2"},
      {"TESSERA_ALLOW_INSECURE_JWKS_URI", "2"},
      {"TESSERA_ALLOW_INSECURE_JWKS_URI", "yes"},
      {"TESSERA_ALLOW_CORE_DUMPS", "yes"},
      {"TESSERA_ALLOW_CORE_DUMPS", "true"},
      {"TESSERA_ALLOW_CORE_DUMPS", "01"},
      {"TESSERA_ALLOW_CORE_DUMPS", " 1"},
      {"TESSERA_ALLOW_CORE_DUMPS", "1\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.variable + "=" + c.value);
    auto error = error_of(with(minimal_env(), c.variable, c.value));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->variable(), c.variable);
    const std::string message = error->what();
    EXPECT_EQ(message.rfind(c.variable, 0), 0u) << message;
    EXPECT_EQ(message.find_first_of("\r\n"), std::string::npos) << message;
  }
}

TEST(PeekLogFormatTest, ReadsJsonAndFallsBackToTextWithoutThrowing) {
  EXPECT_EQ(peek_log_format(lookup({{"TESSERA_LOG_FORMAT", "json"}})), LogFormat::json);
  EXPECT_EQ(peek_log_format(lookup({{"TESSERA_LOG_FORMAT", "text"}})), LogFormat::text);
  EXPECT_EQ(peek_log_format(lookup({{"TESSERA_LOG_FORMAT", "bogus"}})), LogFormat::text);
  EXPECT_EQ(peek_log_format(lookup({})), LogFormat::text);
}

}  // namespace
}  // namespace tessera::config
