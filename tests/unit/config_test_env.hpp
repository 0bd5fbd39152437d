// What the configuration tests share: an environment as a map, and
// load_config's error for one.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "crypto/base64url.hpp"

namespace tessera::config::test {

using Env = std::map<std::string, std::string>;

inline EnvLookup lookup(Env env) {
  return [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

// The one variable without a default.
inline Env minimal_env() {
  return {{"TESSERA_DATABASE_URL", "postgresql:///tessera"}};
}

inline Env with(Env env, const std::string& name, const std::string& value) {
  env[name] = value;
  return env;
}

// The ConfigError that load_config throws for `env`, or nullopt if it loads.
inline std::optional<ConfigError> error_of(const Env& env) {
  try {
    load_config(lookup(env), 4);
  } catch (const ConfigError& error) {
    return error;
  }
  return std::nullopt;
}

// A master key text: base64url of `size` bytes, without padding.
inline std::string key_of_size(std::size_t size) {
  return crypto::base64url_encode(std::string(size, '\x5a'));
}

// bytes 0..31, with and without padding.
inline constexpr const char* kPaddedKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
inline constexpr const char* kUnpaddedKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

}  // namespace tessera::config::test
