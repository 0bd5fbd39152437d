// Fuzzes HTTP request framing (http/request_framer, http/request_head): the
// bytes a peer sends on one connection. The first four bytes of an input
// give the sizes of the chunks the rest arrives in (each byte + 1, in turn),
// as TCP may cut it anywhere; the rest is what the peer sent. Every input
// is framed twice, in those chunks and all at once, and both must give the
// same requests: framing cannot depend on where packets end.

#include <string>
#include <vector>

#include "domain/text.hpp"
#include "fuzz_check.hpp"
#include "http/request_framer.hpp"

namespace {

using tessera::http::HeadError;
using tessera::http::RequestFramer;
using tessera::http::RequestHead;
using Outcome = RequestFramer::Outcome;

constexpr std::size_t kScheduleBytes = 4;

RequestFramer::Limits default_limits() {
  return {};
}

// Small enough that the fuzzer reaches every limit with short inputs.
RequestFramer::Limits small_limits() {
  RequestFramer::Limits limits;
  limits.head.max_request_line = 64;
  limits.head.max_head = 256;
  limits.head.max_header_count = 4;
  limits.max_body = 32;
  return limits;
}

bool is_lower_token(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if ((c >= 'A' && c <= 'Z') || c <= ' ' || c >= 0x7f || c == ':') return false;
  }
  return true;
}

// The head written back as a peer would send it, never longer than it came
// (no space after the colons), so that it stays within the same limits.
std::string serialize(const RequestHead& head) {
  std::string out = head.method + " " + head.path;
  if (!head.query.empty()) out += "?" + head.query;
  out += head.minor_version == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n";
  for (const auto& [name, value] : head.headers) out += name + ":" + value + "\r\n";
  return out + "\r\n";
}

bool same_head(const RequestHead& a, const RequestHead& b) {
  return a.method == b.method && a.path == b.path && a.query == b.query &&
         a.minor_version == b.minor_version && a.headers == b.headers &&
         a.content_length == b.content_length && a.keep_alive == b.keep_alive &&
         a.expects_continue == b.expects_continue;
}

void check_head(const RequestHead& head, const RequestFramer::Limits& limits) {
  FUZZ_CHECK(head.path == "*" ? head.method == "OPTIONS" : head.path.rfind('/', 0) == 0);
  FUZZ_CHECK(head.minor_version == 0 || head.minor_version == 1);
  FUZZ_CHECK(head.headers.size() <= limits.head.max_header_count);
  for (const auto& [name, value] : head.headers) FUZZ_CHECK(is_lower_token(name));
  // A head that parsed, written again, parses to the same head.
  const auto again = tessera::http::parse_request_head(serialize(head), limits.head);
  const auto* reparsed = std::get_if<RequestHead>(&again);
  FUZZ_CHECK(reparsed != nullptr && same_head(*reparsed, head));
}

struct Framing {
  std::vector<RequestFramer::Framed> requests;
  // How the connection's input ended: need_more (still open), refused,
  // not_http, or request (a body too large to read).
  Outcome last = Outcome::need_more;
  bool mid_request = false;
};

// Frames `stream` arriving in chunks of the given sizes (empty: all at once).
Framing frame(std::string_view stream, const std::vector<std::size_t>& chunks,
              const RequestFramer::Limits& limits) {
  RequestFramer framer(limits);
  Framing out;
  std::size_t at = 0, turn = 0, continues = 0;
  while (at < stream.size()) {
    const auto size = chunks.empty() ? stream.size() : chunks[turn++ % chunks.size()];
    framer.append(stream.substr(at, size));
    at += std::min(size, stream.size() - at);
    while (true) {
      auto step = framer.next();
      if (step.outcome == Outcome::need_more) {
        if (step.send_continue) ++continues;
        FUZZ_CHECK(continues <= 1);
        break;
      }
      FUZZ_CHECK(out.last == Outcome::need_more);  // nothing comes after the end
      if (step.outcome == Outcome::request) {
        const auto& framed = step.request;
        check_head(framed.head, limits);
        if (framed.body_too_large) {
          FUZZ_CHECK(framed.body.empty() && framed.head.content_length > limits.max_body);
          FUZZ_CHECK(framer.closed());
          out.last = Outcome::request;
        } else {
          FUZZ_CHECK(framed.body.size() == framed.head.content_length);
          FUZZ_CHECK(continues == 0 || framed.head.expects_continue);
        }
        continues = 0;
        out.requests.push_back(std::move(step.request));
      } else {
        FUZZ_CHECK(framer.closed() && !framer.mid_request());
        if (step.outcome == Outcome::refused) {
          const int status = step.error.status;
          FUZZ_CHECK(status == 400 || status == 411 || status == 414 || status == 431);
          FUZZ_CHECK(!step.error.message.empty());
          FUZZ_CHECK(tessera::domain::is_clean_text(step.error.message));
        }
        out.last = step.outcome;
      }
    }
  }
  if (framer.closed()) {
    // Once closed, every byte is discarded.
    framer.append("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    FUZZ_CHECK(framer.next().outcome == Outcome::need_more && !framer.mid_request());
  }
  out.mid_request = framer.mid_request();
  std::size_t framed_bytes = 0;
  for (const auto& request : out.requests) framed_bytes += request.body.size();
  FUZZ_CHECK(framed_bytes <= stream.size());
  return out;
}

void check_same(const Framing& chunked, const Framing& whole) {
  FUZZ_CHECK(chunked.requests.size() == whole.requests.size());
  for (std::size_t i = 0; i < chunked.requests.size(); ++i) {
    const auto& a = chunked.requests[i];
    const auto& b = whole.requests[i];
    FUZZ_CHECK(same_head(a.head, b.head));
    FUZZ_CHECK(a.body == b.body && a.body_too_large == b.body_too_large);
  }
  FUZZ_CHECK(chunked.last == whole.last);
  FUZZ_CHECK(chunked.mid_request == whole.mid_request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < kScheduleBytes) return 0;
  std::vector<std::size_t> chunks;
  for (std::size_t i = 0; i < kScheduleBytes; ++i) chunks.push_back(std::size_t{data[i]} + 1);
  const auto stream = tessera::fuzz::text_of(data + kScheduleBytes, size - kScheduleBytes);

  // The head parser on its own: never throws, refuses with a known status.
  const auto parsed = tessera::http::parse_request_head(stream);
  if (const auto* error = std::get_if<HeadError>(&parsed)) {
    FUZZ_CHECK(error->status == 400 || error->status == 411 || error->status == 414 ||
               error->status == 431);
  }

  for (const auto& limits : {default_limits(), small_limits()}) {
    check_same(frame(stream, chunks, limits), frame(stream, {}, limits));
  }
  return 0;
}
