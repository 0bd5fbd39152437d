#include "domain/http_uri.hpp"

#include <cctype>
#include <vector>

namespace tessera::domain {
namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 §2: what a URI may hold as it is (gen-delims, sub-delims,
// unreserved); anything else must be percent-encoded.
bool is_uri_character(unsigned char c) {
  if (is_unreserved(c)) return true;
  for (const char allowed : std::string_view(":/?#[]@!$&'()*+,;=")) {
    if (c == static_cast<unsigned char>(allowed)) return true;
  }
  return false;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// §6.2.2.2: %41 is "A", %2f is "%2F". False on a bad encoding or a
// character that must have been encoded.
bool normalise_encoding(std::string_view in, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c != '%') {
      if (!is_uri_character(c)) return false;
      out += static_cast<char>(c);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int high = hex_value(in[i + 1]);
    const int low = hex_value(in[i + 2]);
    if (high < 0 || low < 0) return false;
    const auto decoded = static_cast<unsigned char>(high * 16 + low);
    if (is_unreserved(decoded)) {
      out += static_cast<char>(decoded);
    } else {
      out += '%';
      out += kHex[high];
      out += kHex[low];
    }
    i += 2;
  }
  return true;
}

// §5.2.4, on a path that starts with "/".
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;
  while (true) {
    const auto end = path.find('/', start);
    const auto segment = path.substr(start, end == std::string_view::npos ? end : end - start);
    const bool last = end == std::string_view::npos;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      if (last) segments.emplace_back();  // "/a/.." is "/"
    } else if (segment == ".") {
      if (last) segments.emplace_back();
    } else {
      segments.push_back(segment);
    }
    if (last) break;
    start = end + 1;
  }
  std::string out;
  for (const auto segment : segments) {
    out += '/';
    out += segment;
  }
  return out.empty() ? "/" : out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::string> normalise_http_uri(std::string_view uri) {
  const auto colon = uri.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  const auto scheme = lower(uri.substr(0, colon));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  auto rest = uri.substr(colon + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  const auto path = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);

  // Host and port; user information has no place in a request's URI.
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  std::string_view port;
  const auto port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos &&
      authority.find(']', port_colon) == std::string_view::npos) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
  }
  if (host.empty() || port.size() > 5) return std::nullopt;
  for (const char c : port) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
  }
  std::string normal_host;
  if (!normalise_encoding(host, normal_host)) return std::nullopt;
  std::string out = scheme + "://" + lower(normal_host);
  while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
  const bool default_port =
      port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  if (!default_port) {
    out += ':';
    out += port;
  }
  std::string normal_path;
  if (!normalise_encoding(path, normal_path)) return std::nullopt;
  out += remove_dot_segments(normal_path);
  return out;
}

}  // namespace tessera::domain
