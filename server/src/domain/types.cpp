#include "domain/types.hpp"

namespace tessera::domain {

const char* to_string(TokenFormat format) {
  return format == TokenFormat::jwt ? "jwt" : "opaque";
}

const char* to_string(Status status) {
  return status == Status::active ? "active" : "disabled";
}

std::optional<TokenFormat> parse_token_format(const std::string& text) {
  if (text == "opaque") return TokenFormat::opaque;
  if (text == "jwt") return TokenFormat::jwt;
  return std::nullopt;
}

std::optional<Status> parse_status(const std::string& text) {
  if (text == "active") return Status::active;
  if (text == "disabled") return Status::disabled;
  return std::nullopt;
}

}  // namespace tessera::domain
