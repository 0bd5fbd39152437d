#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::crypto {

// Formats of the credentials Tessera generates. All use only [A-Za-z0-9_-].

// 128 random bits: 22 characters.
std::string generate_client_id();

// 256 random bits: 43 characters (SPEC §5).
std::string generate_client_secret();

// An admin key is "tsk_<id>_<secret>": the id finds the stored hash in one
// indexed lookup, the 256-bit secret is what is hashed and compared. The
// recognisable prefix lets secret scanners spot a leaked key.
struct AdminKeyParts {
  std::int64_t id = 0;
  std::string secret;
};
std::string format_admin_key(std::int64_t id, const std::string& secret);
std::optional<AdminKeyParts> parse_admin_key(std::string_view key);

}  // namespace tessera::crypto
