#include "domain/validation.hpp"

#include <cctype>

namespace tessera::domain {
namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

}  // namespace

bool is_valid_slug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 63 || !is_lower_alnum(slug.front())) return false;
  for (char c : slug) {
    if (!is_lower_alnum(c) && c != '-') return false;
  }
  return true;
}

bool is_valid_scope_value(std::string_view scope) {
  if (scope.empty() || scope.size() > 128) return false;
  for (char c : scope) {
    if (!is_alnum(c) && std::string_view("_.:/*-").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_possible_client_id(std::string_view client_id) {
  if (client_id.size() < 16 || client_id.size() > 64) return false;
  for (char c : client_id) {
    if (!is_alnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::optional<std::int64_t> parse_decimal_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool is_valid_ttl(std::int64_t seconds) {
  return seconds >= kMinTtl && seconds <= kMaxTtl;
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (const char byte : name) {
    const auto c = static_cast<unsigned char>(byte);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool is_valid_api_identifier(std::string_view identifier) {
  if (identifier.empty() || identifier.size() > 512) return false;
  for (const char byte : identifier) {
    const auto c = static_cast<unsigned char>(byte);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool is_valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.front() == '.' || domain.front() == '-' ||
      domain.back() == '.' || domain.back() == '-') {
    return false;
  }
  for (char c : domain) {
    if (!is_alnum(c) && c != '-' && c != '.') return false;
  }
  return domain.find("..") == std::string_view::npos;
}

std::string normalize_domain(std::string_view domain) {
  std::string out(domain);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_absolute_uri(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  for (char c : text.substr(0, colon)) {
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return text.find('#') == std::string_view::npos;
}

bool is_valid_jwks_uri(std::string_view uri, bool allow_http) {
  constexpr std::string_view https = "https://";
  constexpr std::string_view http = "http://";
  std::string_view scheme = https;
  if (allow_http && uri.substr(0, http.size()) == http) scheme = http;
  if (uri.size() > kMaxJwksUriLength || uri.substr(0, scheme.size()) != scheme) return false;
  const auto host = uri.substr(scheme.size());
  // An authority first: "https:///path" and "https://?x" name no host.
  if (host.empty() || host.front() == '/' || host.front() == '?') return false;
  for (const char byte : uri) {
    if (static_cast<unsigned char>(byte) >= 0x7f) return false;  // ASCII only (RFC 3986)
  }
  return is_absolute_uri(uri);
}

}  // namespace tessera::domain
