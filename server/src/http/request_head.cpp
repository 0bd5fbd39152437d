#include "http/request_head.hpp"

#include <array>
#include <optional>

#include "domain/text.hpp"

namespace tessera::http {
namespace {

using Result = std::variant<RequestHead, HeadError>;

HeadError bad(std::string message) {
  return {400, std::move(message)};
}

// RFC 9110 §5.6.2: tchar.
constexpr std::array<bool, 256> make_token_table() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr auto kTokenChars = make_token_table();

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    if (!kTokenChars[c]) return false;
  }
  return true;
}

char lower_char(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = lower_char(c);
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_char(a[i]) != lower_char(b[i])) return false;
  }
  return true;
}

// Printable ASCII without space: what a request target may hold.
bool is_visible_ascii(std::string_view text) {
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

// RFC 9110 §5.5: field-value is VCHAR, SP, HTAB and obs-text; any other
// control character (NUL, CR, LF, DEL, …) makes the request malformed.
bool is_field_value(std::string_view value) {
  for (const char byte : value) {
    const auto c = static_cast<unsigned char>(byte);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// Fields whose values Tessera reads: these must also be clean text (SPEC §6).
bool is_read_by_tessera(std::string_view name) {
  return name == "host" || name == "authorization" || name == "content-type" ||
         name == "content-length" || name == "connection" || name == "expect" ||
         name == "x-request-id" || name == "x-forwarded-for" || name == "dpop";
}

// Fields that must appear at most once: a second one would make the
// request mean two things (credentials, framing, tenant, body format).
bool must_be_unique(std::string_view name) {
  return name == "host" || name == "content-length" || name == "authorization" ||
         name == "content-type";
}

std::optional<std::size_t> parse_length(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value;
}

// Calls f(token) for each comma-separated token of a list field.
template <typename F>
void for_each_list_item(std::string_view value, F&& f) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    f(trim_ows(value.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// RFC 9112 §3: method SP request-target SP HTTP-version.
std::optional<HeadError> parse_request_line(std::string_view line, RequestHead& out) {
  const auto first = line.find(' ');
  if (first == std::string_view::npos) return bad("the request line is malformed");
  const auto second = line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return bad("the request line is malformed");
  }
  const auto method = line.substr(0, first);
  auto target = line.substr(first + 1, second - first - 1);
  const auto version = line.substr(second + 1);
  if (!is_token(method)) return bad("the request method is malformed");
  if (version == "HTTP/1.1") {
    out.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    out.minor_version = 0;
  } else {
    return bad("only HTTP/1.0 and HTTP/1.1 are served");
  }
  if (target.empty() || !is_visible_ascii(target) || target.find('#') != std::string_view::npos) {
    return bad("the request target is malformed");
  }
  out.method = std::string(method);
  if (target == "*") {
    if (method != "OPTIONS") return bad("the request target is malformed");
    out.path = "*";
    return std::nullopt;
  }
  // Absolute-form (RFC 9112 §3.2.2) as sent through a proxy: keep the path.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size() &&
        equals_ignoring_case(target.substr(0, scheme.size()), scheme)) {
      target.remove_prefix(scheme.size());
      const auto slash = target.find_first_of("/?");
      if (slash == 0) return bad("the request target is malformed");
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      if (target.front() == '?') return bad("the request target is malformed");
      break;
    }
  }
  if (target.front() != '/') return bad("the request target is malformed");
  const auto question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  return std::nullopt;
}

}  // namespace

Result parse_request_head(std::string_view head, const HeadLimits& limits) {
  if (head.size() > limits.max_head) return HeadError{431, "the request headers are too large"};
  RequestHead out;
  const auto line_end = head.find("\r\n");
  if (line_end == std::string_view::npos) return bad("the request line is malformed");
  if (line_end > limits.max_request_line) return HeadError{414, "the request target is too long"};
  const auto request_line = head.substr(0, line_end);
  if (!is_field_value(request_line) || request_line.find('\t') != std::string_view::npos) {
    return bad("the request line holds a control character");
  }
  if (auto error = parse_request_line(request_line, out)) return *error;

  bool has_host = false, has_length = false, has_authorization = false, has_type = false;
  bool closes = false, keeps_alive = false;
  std::size_t pos = line_end + 2;
  while (true) {
    const auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos) return bad("the header section is not terminated");
    const auto line = head.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;
    if (out.headers.size() == limits.max_header_count) {
      return HeadError{431, "the request has too many header fields"};
    }
    // RFC 9112 §5.2: obsolete line folding is refused, not unfolded.
    if (line.front() == ' ' || line.front() == '\t')
      return bad("folded header lines are not accepted");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return bad("a header line has no colon");
    // RFC 9112 §5.1: no whitespace between the field name and the colon.
    if (!is_token(line.substr(0, colon))) return bad("a header field name is malformed");
    const auto raw_value = line.substr(colon + 1);
    if (!is_field_value(raw_value)) return bad("a header field holds a control character");
    auto name = lower(line.substr(0, colon));
    const auto value = trim_ows(raw_value);
    if (is_read_by_tessera(name) && !domain::is_clean_text(value)) {
      return bad("the " + name + " header is not clean text");
    }
    if (must_be_unique(name)) {
      bool& seen = name == "host"             ? has_host
                   : name == "content-length" ? has_length
                   : name == "authorization"  ? has_authorization
                                              : has_type;
      if (seen) return bad("the " + name + " header is repeated");
      seen = true;
    }
    if (name == "transfer-encoding") {
      return HeadError{411,
                       "send the body with a Content-Length (Transfer-Encoding is not accepted)"};
    }
    if (name == "content-length") {
      const auto length = parse_length(value);
      if (!length) return bad("the content-length header is malformed");
      out.content_length = *length;
    } else if (name == "connection") {
      for_each_list_item(value, [&](std::string_view item) {
        if (equals_ignoring_case(item, "close")) closes = true;
        if (equals_ignoring_case(item, "keep-alive")) keeps_alive = true;
      });
    } else if (name == "expect") {
      out.expects_continue = equals_ignoring_case(value, "100-continue");
    }
    out.headers.emplace_back(std::move(name), std::string(value));
  }
  if (pos != head.size()) return bad("the header section is malformed");
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400.
  if (out.minor_version == 1 && !has_host) return bad("the host header is missing");
  out.keep_alive = out.minor_version == 1 ? !closes : keeps_alive && !closes;
  out.expects_continue = out.expects_continue && out.minor_version == 1;
  return out;
}

}  // namespace tessera::http
