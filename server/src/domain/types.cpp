#include "domain/types.hpp"

namespace tessera::domain {

const char* to_string(TokenFormat format) {
  return format == TokenFormat::jwt ? "jwt" : "opaque";
}

const char* to_string(ClientAuthMethod method) {
  return method == ClientAuthMethod::private_key_jwt ? "private_key_jwt" : "client_secret_basic";
}

std::optional<ClientAuthMethod> parse_client_auth_method(const std::string& text) {
  if (text == "client_secret_basic") return ClientAuthMethod::client_secret_basic;
  if (text == "private_key_jwt") return ClientAuthMethod::private_key_jwt;
  return std::nullopt;
}

const char* to_string(Status status) {
  return status == Status::active ? "active" : "disabled";
}

const char* to_string(DpopMode mode) {
  switch (mode) {
    case DpopMode::off:
      return "off";
    case DpopMode::required:
      return "required";
    case DpopMode::allowed:
      break;
  }
  return "allowed";
}

std::optional<DpopMode> parse_dpop_mode(const std::string& text) {
  for (const auto mode : {DpopMode::off, DpopMode::allowed, DpopMode::required}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

const char* to_string(SigningAlg alg) {
  switch (alg) {
    case SigningAlg::es256:
      return "ES256";
    case SigningAlg::rs256:
      return "RS256";
    case SigningAlg::eddsa:
      break;
  }
  return "EdDSA";
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

std::optional<SigningAlg> parse_signing_alg(const std::string& text) {
  for (const auto alg : {SigningAlg::eddsa, SigningAlg::es256, SigningAlg::rs256}) {
    if (text == to_string(alg)) return alg;
  }
  return std::nullopt;
}

}  // namespace tessera::domain
