#include "crypto/credentials.hpp"

#include "crypto/random.hpp"

namespace tessera::crypto {
namespace {
constexpr std::string_view kAdminKeyPrefix = "tsk_";
constexpr std::size_t kSecretLength = 43;  // base64url of 32 bytes
}  // namespace

std::string generate_client_id() {
  return random_token(16);
}

std::string generate_client_secret() {
  return random_token(32);
}

std::string format_admin_key(std::int64_t id, const std::string& secret) {
  return std::string(kAdminKeyPrefix) + std::to_string(id) + "_" + secret;
}

std::optional<AdminKeyParts> parse_admin_key(std::string_view key) {
  // The secret may itself contain '_', so it is taken by length from the end.
  if (key.size() < kAdminKeyPrefix.size() + 2 + kSecretLength) return std::nullopt;
  if (key.substr(0, kAdminKeyPrefix.size()) != kAdminKeyPrefix) return std::nullopt;
  const auto secret = key.substr(key.size() - kSecretLength);
  auto id_text =
      key.substr(kAdminKeyPrefix.size(), key.size() - kSecretLength - kAdminKeyPrefix.size());
  if (id_text.empty() || id_text.back() != '_') return std::nullopt;
  id_text.remove_suffix(1);
  if (id_text.empty() || id_text.size() > 18) return std::nullopt;
  std::int64_t id = 0;
  for (char c : id_text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  for (char c : secret) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  return AdminKeyParts{id, std::string(secret)};
}

}  // namespace tessera::crypto
