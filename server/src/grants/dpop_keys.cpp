#include "grants/dpop_keys.hpp"

namespace tessera::grants {

DpopKeys::Key DpopKeys::find(const std::string& jwk_text) const {
  std::lock_guard lock(mutex_);
  const auto it = keys_.find(jwk_text);
  return it == keys_.end() ? nullptr : it->second;
}

std::variant<DpopKeys::Key, std::string> DpopKeys::read(const std::string& jwk_text,
                                                        const nlohmann::json& jwk) {
  auto read = crypto::read_public_jwk(jwk);
  if (auto* why = std::get_if<std::string>(&read)) return std::move(*why);
  auto key =
      std::make_shared<const crypto::PublicJwk>(std::get<crypto::PublicJwk>(std::move(read)));
  std::lock_guard lock(mutex_);
  if (keys_.size() >= limit_) keys_.clear();
  keys_.emplace(jwk_text, key);
  return key;
}

}  // namespace tessera::grants
