#include "tokens/opaque_token.hpp"

#include <algorithm>

#include "crypto/base64url.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/random.hpp"

namespace tessera::tokens {
namespace {
constexpr std::string_view kPrefix = "tsat_";
constexpr std::size_t kIdChars = 22;      // base64url of 16 bytes
constexpr std::size_t kSecretChars = 43;  // base64url of 32 bytes
}  // namespace

std::string opaque_token_hash(const crypto::SubKey& token_key, std::string_view secret_part) {
  return crypto::keyed_hash(token_key, secret_part);
}

OpaqueToken mint_opaque_token(const crypto::SubKey& token_key, const crypto::Uuid& id) {
  OpaqueToken token;
  token.id = id;
  const std::string secret = crypto::random_token(32);
  token.value.reserve(kPrefix.size() + kIdChars + kSecretChars);
  token.value.append(kPrefix);
  token.value.append(crypto::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(id.data()), id.size())));
  token.value.append(secret);
  token.hash = opaque_token_hash(token_key, secret);
  return token;
}

std::optional<OpaqueTokenParts> parse_opaque_token(std::string_view value) {
  if (value.size() != kPrefix.size() + kIdChars + kSecretChars ||
      value.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  const auto id = crypto::base64url_decode(value.substr(kPrefix.size(), kIdChars));
  if (!id || id->size() != 16) return std::nullopt;
  OpaqueTokenParts parts;
  std::copy(id->begin(), id->end(), parts.id.begin());
  parts.secret = std::string(value.substr(kPrefix.size() + kIdChars));
  // Exactly 32 bytes: base64url_decode drops trailing '=' padding, so a
  // value ending in "A=" would otherwise decode (to 31 bytes) and pass.
  const auto secret = crypto::base64url_decode(parts.secret);
  if (!secret || secret->size() != 32) return std::nullopt;
  return parts;
}

}  // namespace tessera::tokens
