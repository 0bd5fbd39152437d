// The malformed traffic of tests/e2e/malformed_traffic_e2etest.cpp: what
// each probe sends, what it must get back, and the check of an answer.
#pragma once

#include <cctype>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "e2e/token_fixture.hpp"
#include "support/raw_http.hpp"

namespace tessera::test {

// What a probe must get back.
enum class Expect {
  refusal,  // exactly `status`, a JSON error, Connection: close, then the server closes
  error,    // exactly `status`, a JSON error (from an endpoint; the connection may stay)
  closed,   // no answer: the bytes are not an HTTP request line
  any,      // a random mutation: any answer but a 5xx; JSON whenever it is an error
};

struct Probe {
  std::string name;
  int port = 0;
  std::string bytes;
  Expect expect = Expect::any;
  long status = 0;
};

// A JSON error of the spec's shape: a JSON object with a string `error`.
inline ::testing::AssertionResult IsJsonError(const HttpResult& r) {
  if (r.header("content-type").rfind("application/json", 0) != 0) {
    return ::testing::AssertionFailure() << "Content-Type is '" << r.header("content-type") << "'";
  }
  const auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_string()) {
    return ::testing::AssertionFailure() << "not a JSON error: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

inline bool starts_like_a_request_line(const std::string& bytes) {
  std::size_t i = 0;
  while (bytes.compare(i, 2, "\r\n") == 0) i += 2;
  return i < bytes.size() && std::isalpha(static_cast<unsigned char>(bytes[i]));
}

// Empty when the answer is what the probe expects, else why not.
inline std::string check(const Probe& probe, const RawAnswer& answer) {
  const auto& r = answer.response;
  auto fail = [&](const std::string& why) { return why + "; got " + answer.raw.substr(0, 300); };
  switch (answer.kind) {
    case RawAnswer::Kind::timed_out:
      return fail("no answer (hang)");
    case RawAnswer::Kind::garbled:
      return fail("not an HTTP answer");
    case RawAnswer::Kind::closed:
      if (probe.expect == Expect::closed) return "";
      if (probe.expect == Expect::any && !starts_like_a_request_line(probe.bytes)) return "";
      return fail("closed without an answer");
    case RawAnswer::Kind::answered:
      break;
  }
  if (probe.expect == Expect::closed) return fail("answered bytes that are not HTTP");
  if (r.status >= 500) return fail("a 5xx");
  if (probe.status != 0 && r.status != probe.status)
    return fail("expected " + std::to_string(probe.status));
  if (r.status >= 400) {
    if (auto json = IsJsonError(r); !json) return fail(json.message());
  }
  if (probe.expect == Expect::refusal) {
    std::string connection = r.header("connection");
    for (auto& c : connection) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (connection != "close") return fail("no Connection: close");
    if (!answer.closed_after) return fail("the server did not close the connection");
  }
  return "";
}

// --- The probes ---------------------------------------------------------------

struct Target {
  int port;
  std::string method;
  std::string path;
  std::string auth;  // a header line with CRLF, or ""
};

inline std::string head(const std::string& line, const std::string& fields) {
  return line + "\r\n" + fields + "\r\n";
}

// Malformed heads (request line, fields, framing, sizes) for one target.
inline std::vector<Probe> malformed_heads(const Target& t) {
  const std::string line = t.method + " " + t.path + " HTTP/1.1";
  const std::string host = "Host: localhost\r\n";
  const std::string ok = host + t.auth;
  std::vector<Probe> out;
  auto refuse = [&](std::string name, std::string bytes, long status = 400) {
    out.push_back({std::move(name), t.port, std::move(bytes), Expect::refusal, status});
  };
  // Request lines.
  refuse("method alone", t.method + "\r\n\r\n");
  refuse("no version", t.method + " " + t.path + "\r\n" + ok + "\r\n");
  refuse("double space", t.method + "  " + t.path + " HTTP/1.1\r\n" + ok + "\r\n");
  refuse("extra word", line + " extra\r\n" + ok + "\r\n");
  refuse("HTTP/2.0", t.method + " " + t.path + " HTTP/2.0\r\n" + ok + "\r\n");
  refuse("HTTP/1.2", t.method + " " + t.path + " HTTP/1.2\r\n" + ok + "\r\n");
  refuse("lower-case version", t.method + " " + t.path + " http/1.1\r\n" + ok + "\r\n");
  refuse("bare LF line ends", t.method + " " + t.path + " HTTP/1.1\n" + host + "\n");
  refuse("NUL in the method", t.method.substr(0, 1) + std::string(1, '\0') + t.method.substr(1) +
                                  " " + t.path + " HTTP/1.1\r\n" + ok + "\r\n");
  refuse("control in the target", t.method + " " + t.path + "\x01 HTTP/1.1\r\n" + ok + "\r\n");
  refuse("DEL in the target", t.method + " " + t.path + "\x7f HTTP/1.1\r\n" + ok + "\r\n");
  refuse("invalid UTF-8 in the target",
         t.method + " " + t.path + "\xff\xfe HTTP/1.1\r\n" + ok + "\r\n");
  refuse("UTF-8 in the target", t.method + " " + t.path + "\xc3\xa9 HTTP/1.1\r\n" + ok + "\r\n");
  refuse("relative target", t.method + " " + t.path.substr(1) + " HTTP/1.1\r\n" + ok + "\r\n");
  refuse("tab separator", t.method + "\t" + t.path + " HTTP/1.1\r\n" + ok + "\r\n");
  refuse("fragment", t.method + " " + t.path + "#x HTTP/1.1\r\n" + ok + "\r\n");
  refuse("method with a slash", "GE/T " + t.path + " HTTP/1.1\r\n" + ok + "\r\n");
  // Header fields.
  refuse("line without a colon", head(line, ok + "Bad line\r\n"));
  refuse("space before the colon", head(line, ok + "X-Test : 1\r\n"));
  refuse("tab before the colon", head(line, ok + "X-Test\t: 1\r\n"));
  refuse("empty field name", head(line, ok + ": 1\r\n"));
  refuse("non-token field name", head(line, ok + "X[Test]: 1\r\n"));
  refuse("folded line", head(line, ok + "X-Test: 1\r\n 2\r\n"));
  refuse("folded with a tab", head(line, ok + "X-Test: 1\r\n\t2\r\n"));
  refuse("folded first field", head(line, " X-Test: 1\r\n" + ok));
  refuse("NUL in a value", head(line, ok + std::string("X-Test: a\0b\r\n", 13)));
  refuse("DEL in a value", head(line, ok + "X-Test: a\x7f\r\n"));
  refuse("bare CR in a value", head(line, ok + "X-Test: a\rb\r\n"));
  refuse("bare LF in a value", head(line, ok + "X-Test: a\nb\r\n"));
  refuse("escape in a value", head(line, ok + "X-Test: \x1b[31m\r\n"));
  refuse("missing Host", head(line, t.auth));
  refuse("two Hosts", head(line, ok + host));
  refuse("two Authorizations",
         head(line, ok + "Authorization: Basic eDp5\r\nAuthorization: Basic eDp5\r\n"));
  refuse("two Content-Types", head(line, ok + "Content-Type: a/b\r\nContent-Type: a/b\r\n"));
  refuse("invalid UTF-8 in Authorization", head(line, host + "Authorization: Basic \xff\xfe\r\n"));
  refuse("C1 control in Authorization", head(line, host + "Authorization: Bearer a\xc2\x85\r\n"));
  refuse("invalid UTF-8 in Host", head(line, "Host: \xff.example\r\n" + t.auth));
  refuse("invalid UTF-8 in Content-Type",
         head(line, ok + "Content-Type: application/json\xff\r\n"));
  refuse("invalid UTF-8 in X-Request-Id", head(line, ok + "X-Request-Id: \xc0\xaf\r\n"));
  // Framing: duplicate Content-Length, Transfer-Encoding tricks.
  refuse("two equal Content-Lengths",
         head(line, ok + "Content-Length: 2\r\nContent-Length: 2\r\n") + "{}");
  refuse("two Content-Lengths",
         head(line, ok + "Content-Length: 2\r\nContent-Length: 3\r\n") + "{}");
  refuse("Content-Length list", head(line, ok + "Content-Length: 2, 2\r\n") + "{}");
  refuse("signed Content-Length", head(line, ok + "Content-Length: +2\r\n") + "{}");
  refuse("negative Content-Length", head(line, ok + "Content-Length: -1\r\n"));
  refuse("hex Content-Length", head(line, ok + "Content-Length: 0x2\r\n") + "{}");
  refuse("Content-Length with a space inside", head(line, ok + "Content-Length: 1 0\r\n"));
  refuse("overflowing Content-Length", head(line, ok + "Content-Length: 18446744073709551617\r\n"));
  refuse("chunked", head(line, ok + "Transfer-Encoding: chunked\r\n") + "2\r\n{}\r\n0\r\n\r\n",
         411);
  refuse("chunked with a length",
         head(line, ok + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n") + "{}", 411);
  refuse("length after chunked",
         head(line, ok + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n") + "{}", 411);
  refuse("chunked, identity", head(line, ok + "Transfer-Encoding: chunked, identity\r\n"), 411);
  refuse("xchunked", head(line, ok + "Transfer-Encoding: xchunked\r\n"), 411);
  refuse("lower-case transfer-encoding", head(line, ok + "transfer-encoding: chunked\r\n"), 411);
  refuse("Transfer-Encoding before a colon space",
         head(line, ok + "Transfer-Encoding : chunked\r\n"));
  refuse("folded Transfer-Encoding", head(line, ok + "Transfer-Encoding:\r\n chunked\r\n"), 411);
  refuse("chunked in HTTP/1.0",
         t.method + " " + t.path + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 411);
  // Sizes.
  refuse("body over the limit",
         head(line, ok + "Content-Type: application/json\r\nContent-Length: 70000\r\n"), 413);
  refuse("request line over 8 KiB",
         t.method + " " + t.path + "?" + std::string(9000, 'a') + " HTTP/1.1\r\n" + ok + "\r\n",
         414);
  refuse("one header of 40 KiB", head(line, ok + "X-Big: " + std::string(40 * 1024, 'b') + "\r\n"),
         431);
  std::string many;
  for (int i = 0; i < 120; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  refuse("120 header fields", head(line, ok + many), 431);
  // Not HTTP at all: the connection is closed.
  for (const std::string& bytes :
       {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), std::string("\0\0\0\0", 4),
        std::string("\xff\xfe\xfd"), std::string(" GET / HTTP/1.1\r\n\r\n"),
        std::string("/healthz\r\n\r\n"), std::string("\r\n\r\n\x80")}) {
    out.push_back({"not HTTP", t.port, bytes, Expect::closed, 0});
  }
  return out;
}

// Malformed bodies at the token endpoint: answered by the endpoint (400).
inline std::vector<Probe> malformed_bodies(int port, const TokenClient& client) {
  std::vector<Probe> out;
  auto post = [&](std::string name, const std::string& path, const std::string& type,
                  const std::string& body, const std::string& auth) {
    out.push_back({std::move(name), port,
                   "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type +
                       "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + auth +
                       "\r\n" + body,
                   Expect::error, 400});
  };
  const std::string form = "application/x-www-form-urlencoded";
  const auto auth = basic_auth(client) + "\r\n";
  for (const std::string path :
       {"/t/acme/oauth/token", "/t/acme/oauth/introspect", "/t/acme/oauth/revoke", "/t/acme/token",
        "/t/acme/oauth2/token/"}) {
    post("two media types", path, form + ", application/json", "grant_type=client_credentials",
         auth);
    post("jsonx", path, "application/jsonx", "{}", auth);
    post("empty media type", path, ";;;", "grant_type=client_credentials", auth);
    post("text/plain", path, "text/plain", "grant_type=client_credentials", auth);
    post("NUL in a form value", path, form, "grant_type=client_credentials&token=a%00b", auth);
    post("invalid UTF-8 in a form value", path, form, "grant_type=client_credentials&token=%ff",
         auth);
    post("broken percent-encoding", path, form, "grant_type=client_credentials&token=%zz", auth);
    post("raw NUL in a form body", path, form, std::string("grant_type=client_credentials\0", 30),
         auth);
    post("JSON then NUL", path, "application/json", std::string("{\"token\":\"x\"}\0", 14), auth);
    post("escaped NUL in JSON", path, "application/json", R"({"token":"a\u0000b"})", auth);
    post("JSON with a number token", path, "application/json", R"({"token":1})", auth);
    post("duplicate JSON member", path, "application/json", R"({"token":"a","token":"b"})", auth);
    post("truncated JSON", path, "application/json", R"({"token":)", auth);
    post("Basic that is not UTF-8", path, form, "grant_type=client_credentials&token=x",
         "Authorization: Basic //46/Q==\r\n");
    post("Basic without a colon", path, form, "grant_type=client_credentials&token=x",
         "Authorization: Basic " + base64("nocolon") + "\r\n");
  }
  return out;
}

// Random byte-level damage to a valid request's head, reproducibly.
inline std::string mutate(std::string request, std::mt19937& rng) {
  static const std::string specials = std::string("\0\r\n\x01\x7f\xff \t:,;\"\\", 14);
  const auto head_end = request.find("\r\n\r\n");
  const int changes = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < changes; ++i) {
    const auto limit = std::min(head_end, request.size() - 1);
    const auto at = static_cast<std::size_t>(rng() % limit);
    switch (rng() % 5) {
      case 0:
        request.insert(at, 1, specials[rng() % specials.size()]);
        break;
      case 1:
        request.erase(at, 1);
        break;
      case 2:
        request[at] = static_cast<char>(rng() % 256);
        break;
      case 3: {  // repeat the line that holds `at`
        const auto start = request.rfind("\r\n", at);
        const auto from = start == std::string::npos ? 0 : start + 2;
        const auto end = request.find("\r\n", at);
        if (end != std::string::npos) request.insert(from, request.substr(from, end + 2 - from));
        break;
      }
      default:
        request.insert(at, "\r\nX-Junk" + std::string(1, specials[rng() % specials.size()]));
    }
  }
  return request;
}

inline std::vector<Probe> mutations(const std::vector<std::pair<int, std::string>>& valid,
                                    int count) {
  std::mt19937 rng(20261204);
  std::vector<Probe> out;
  for (int i = 0; i < count; ++i) {
    const auto& [port, request] = valid[static_cast<std::size_t>(i) % valid.size()];
    out.push_back({"mutation " + std::to_string(i), port, mutate(request, rng), Expect::any, 0});
  }
  return out;
}

}  // namespace tessera::test
