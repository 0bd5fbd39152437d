#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tessera::http {

// The request line and header section of an HTTP/1.x request (RFC 9112
// §2-§6), parsed strictly: Tessera reads requests itself instead of through
// Pistache 0.0.5's parser, which leaves a header line without a colon
// unanswered, answers a malformed Content-Type with a plain-text 415 and
// drops pipelined requests.
struct RequestHead {
  std::string method;
  std::string path;       // the target without its query; "*" for OPTIONS *
  std::string query;      // raw, without the '?'
  int minor_version = 1;  // HTTP/1.0 or HTTP/1.1
  // Field names lower-cased, values without surrounding whitespace, in order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t content_length = 0;
  bool keep_alive = true;         // RFC 9112 §9.3
  bool expects_continue = false;  // Expect: 100-continue (RFC 9110 §10.1.1)
};

// Why a head was refused: the status to answer (400, 411, 414 or 431) and
// a sentence for the client.
struct HeadError {
  int status = 400;
  std::string message;
};

struct HeadLimits {
  std::size_t max_request_line = 8 * 1024;
  std::size_t max_head = 32 * 1024;  // request line and every header line
  std::size_t max_header_count = 100;
};

// Parses `head`: everything up to and including the CRLF CRLF that ends the
// header section (leading empty lines already skipped). Refuses with 400:
// a malformed request line, a version other than HTTP/1.0 and 1.1, a target
// that is not origin-form (or absolute-form, or "*" for OPTIONS) or holds a
// byte outside printable ASCII, a bare CR or LF, obsolete line folding,
// whitespace before a colon, a field name that is not a token, a control
// character in a field value, invalid UTF-8 in a field Tessera reads, a
// repeated Host, Content-Length, Authorization or Content-Type, a missing
// Host in HTTP/1.1, a Content-Length that is not a decimal number. 411 for
// Transfer-Encoding (bodies must declare their length: that rules out
// request smuggling through conflicting framing). 414 and 431 past `limits`.
std::variant<RequestHead, HeadError> parse_request_head(std::string_view head,
                                                        const HeadLimits& limits = {});

}  // namespace tessera::http
