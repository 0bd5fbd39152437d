#include "http/percent_decode.hpp"

namespace tessera::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  // Copies runs between escapes whole: a body is decoded before the client
  // is authenticated, so its cost must stay a small constant per byte.
  const std::string_view specials = plus_is_space ? std::string_view("%+") : std::string_view("%");
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto next = text.find_first_of(specials, i);
    if (next == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, next - i));
    if (text[next] == '+') {
      out += ' ';
      i = next + 1;
      continue;
    }
    if (next + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[next + 1]);
    const int low = hex_value(text[next + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i = next + 3;
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

namespace {

bool visit_pairs(std::string_view text, bool plus_is_space,
                 const std::function<void(std::string, std::string)>& visit) {
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    const auto piece = text.substr(start, end - start);
    if (!piece.empty()) {
      const auto eq = piece.find('=');
      auto name = percent_decode(piece.substr(0, eq), plus_is_space);
      auto value = eq == std::string_view::npos
                       ? std::optional<std::string>("")
                       : percent_decode(piece.substr(eq + 1), plus_is_space);
      if (!name || !value) return false;
      visit(std::move(*name), std::move(*value));
    }
    start = end + 1;
  }
  return true;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_pairs(std::string_view text,
                                                                            bool plus_is_space) {
  std::vector<std::pair<std::string, std::string>> out;
  const bool ok = visit_pairs(text, plus_is_space, [&out](std::string name, std::string value) {
    out.emplace_back(std::move(name), std::move(value));
  });
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

bool for_each_form_pair(std::string_view text,
                        const std::function<void(std::string name, std::string value)>& visit) {
  return visit_pairs(text, true, visit);
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view text) {
  return parse_pairs(text, true);
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view text) {
  return parse_pairs(text, false);
}

}  // namespace tessera::http
