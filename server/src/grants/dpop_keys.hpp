#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <variant>

#include "crypto/public_jwk.hpp"

namespace tessera::grants {

// The public keys DPoP proofs carry, read once. A client signs every proof
// with the same key, but reading a P-256 or RSA JWK into an OpenSSL key
// costs about 0.3 ms (OpenSSL 3's key construction and checks): kept here,
// a proof costs its signature only. Keyed by the JWK as sent; bounded: when
// full, everything is forgotten (keys made up to fill it only cost their
// senders a read again).
class DpopKeys {
 public:
  using Key = std::shared_ptr<const crypto::PublicJwk>;

  explicit DpopKeys(std::size_t limit = 4096) : limit_(limit) {}

  // The key of `jwk` if it was read before; null otherwise.
  Key find(const std::string& jwk_text) const;
  // Reads `jwk` (crypto::read_public_jwk) and keeps it; the reason it is
  // refused otherwise.
  std::variant<Key, std::string> read(const std::string& jwk_text, const nlohmann::json& jwk);

 private:
  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Key> keys_;
};

}  // namespace tessera::grants
