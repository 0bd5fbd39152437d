#include "http/request_id.hpp"

#include "crypto/random.hpp"

namespace tessera::http {

bool is_acceptable_request_id(const std::string& value) {
  if (value.empty() || value.size() > 128) return false;
  for (const char byte : value) {
    const auto c = static_cast<unsigned char>(byte);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string choose_request_id(const std::optional<std::string>& incoming) {
  if (incoming && is_acceptable_request_id(*incoming)) return *incoming;
  return crypto::random_token(12);
}

}  // namespace tessera::http
