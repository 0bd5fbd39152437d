#include "http/url.hpp"

#include <cctype>

namespace tessctl {

std::string percent_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    }
  }
  return out;
}

Query& Query::add(const std::string& name, const std::string& value) {
  params_.emplace_back(name, value);
  return *this;
}

std::string Query::str() const {
  std::string out;
  for (const auto& [name, value] : params_) {
    out += (out.empty() ? "?" : "&") + percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

std::string with_query(const std::string& path, const Query& query) {
  std::string text = query.str();
  if (text.empty()) return path;
  if (path.find('?') != std::string::npos) text[0] = '&';
  return path + text;
}

}  // namespace tessctl
