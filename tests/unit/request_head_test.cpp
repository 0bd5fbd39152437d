#include "http/request_head.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::http {
namespace {

const RequestHead* head_of(const std::variant<RequestHead, HeadError>& parsed) {
  return std::get_if<RequestHead>(&parsed);
}

int status_of(const std::variant<RequestHead, HeadError>& parsed) {
  if (const auto* error = std::get_if<HeadError>(&parsed)) return error->status;
  return 0;
}

TEST(ParseRequestHeadTest, ReadsTheRequestLineAndFields) {
  const auto parsed = parse_request_head(
      "POST /t/acme/oauth/token?x=1&y HTTP/1.1\r\n"
      "Host: acme.test:8080\r\n"
      "Content-Type:  application/x-www-form-urlencoded \t\r\n"
      "Content-Length: 29\r\n"
      "X-Custom: caf\xc3\xa9\r\n"
      "\r\n");
  const auto* head = head_of(parsed);
  ASSERT_NE(head, nullptr) << std::get<HeadError>(parsed).message;
  EXPECT_EQ(head->method, "POST");
  EXPECT_EQ(head->path, "/t/acme/oauth/token");
  EXPECT_EQ(head->query, "x=1&y");
  EXPECT_EQ(head->minor_version, 1);
  EXPECT_EQ(head->content_length, 29u);
  EXPECT_TRUE(head->keep_alive);
  EXPECT_FALSE(head->expects_continue);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"host", "acme.test:8080"},
      {"content-type", "application/x-www-form-urlencoded"},
      {"content-length", "29"},
      {"x-custom", "caf\xc3\xa9"}};
  EXPECT_EQ(head->headers, expected);
}

TEST(ParseRequestHeadTest, DecidesKeepAliveByVersionAndConnection) {
  struct Case {
    std::string head;
    bool keep_alive;
  };
  const std::vector<Case> cases = {
      {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", true},
      {"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false},
      {"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n", false},
      {"GET / HTTP/1.0\r\n\r\n", false},
      {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true},
      {"GET / HTTP/1.0\r\nConnection: Keep-Alive, close\r\n\r\n", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.head);
    const auto parsed = parse_request_head(c.head);
    ASSERT_NE(head_of(parsed), nullptr);
    EXPECT_EQ(head_of(parsed)->keep_alive, c.keep_alive);
  }
}

TEST(ParseRequestHeadTest, AcceptsAbsoluteFormAndAsteriskForOptions) {
  const auto absolute =
      parse_request_head("GET http://acme.test/healthz?a=b HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(head_of(absolute), nullptr);
  EXPECT_EQ(head_of(absolute)->path, "/healthz");
  EXPECT_EQ(head_of(absolute)->query, "a=b");
  const auto bare = parse_request_head("GET HTTPS://acme.test HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(head_of(bare), nullptr);
  EXPECT_EQ(head_of(bare)->path, "/");
  const auto asterisk = parse_request_head("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(head_of(asterisk), nullptr);
  EXPECT_EQ(head_of(asterisk)->path, "*");
}

TEST(ParseRequestHeadTest, SeesExpect100ContinueOnlyInHttp11) {
  const auto v11 = parse_request_head("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n\r\n");
  ASSERT_NE(head_of(v11), nullptr);
  EXPECT_TRUE(head_of(v11)->expects_continue);
  const auto v10 = parse_request_head("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_NE(head_of(v10), nullptr);
  EXPECT_FALSE(head_of(v10)->expects_continue);
}

TEST(ParseRequestHeadTest, RefusesMalformedHeadsWithTheRightStatus) {
  struct Case {
    std::string name;
    std::string head;
    int status;
  };
  const std::string host = "Host: a\r\n";
  const std::vector<Case> cases = {
      {"method only", "GET\r\n\r\n", 400},
      {"no version", "GET /\r\n\r\n", 400},
      {"two spaces", "GET  / HTTP/1.1\r\n" + host + "\r\n", 400},
      {"trailing word", "GET / HTTP/1.1 x\r\n" + host + "\r\n", 400},
      {"unknown version", "GET / HTTP/2.0\r\n" + host + "\r\n", 400},
      {"lower-case version", "GET / http/1.1\r\n" + host + "\r\n", 400},
      {"method with a paren", "GE(T / HTTP/1.1\r\n" + host + "\r\n", 400},
      {"NUL in the method", std::string("G\0T / HTTP/1.1\r\n", 16) + host + "\r\n", 400},
      {"control in the target", "GET /\x01 HTTP/1.1\r\n" + host + "\r\n", 400},
      {"tab in the request line", "GET\t/ HTTP/1.1\r\n" + host + "\r\n", 400},
      {"invalid UTF-8 in the target", "GET /t/\xff\xfe/oauth/token HTTP/1.1\r\n" + host + "\r\n",
       400},
      {"relative target", "GET t/acme HTTP/1.1\r\n" + host + "\r\n", 400},
      {"fragment", "GET /#x HTTP/1.1\r\n" + host + "\r\n", 400},
      {"asterisk for GET", "GET * HTTP/1.1\r\n" + host + "\r\n", 400},
      {"absolute form without a host", "GET http:///x HTTP/1.1\r\n" + host + "\r\n", 400},
      {"header without colon", "GET / HTTP/1.1\r\n" + host + "Bad line\r\n\r\n", 400},
      {"space before colon", "GET / HTTP/1.1\r\n" + host + "X-A : b\r\n\r\n", 400},
      {"empty field name", "GET / HTTP/1.1\r\n" + host + ": b\r\n\r\n", 400},
      {"non-token field name", "GET / HTTP/1.1\r\n" + host + "X(A): b\r\n\r\n", 400},
      {"folded line", "GET / HTTP/1.1\r\n" + host + "X-A: b\r\n c\r\n\r\n", 400},
      {"folded with tab", "GET / HTTP/1.1\r\n" + host + "X-A: b\r\n\tc\r\n\r\n", 400},
      {"NUL in a value", std::string("GET / HTTP/1.1\r\nX-A: a\0b\r\n", 27) + host + "\r\n", 400},
      {"bare LF in a value", "GET / HTTP/1.1\r\n" + host + "X-A: a\nb\r\n\r\n", 400},
      {"bare CR in a value", "GET / HTTP/1.1\r\n" + host + "X-A: a\rb\r\n\r\n", 400},
      {"DEL in a value", "GET / HTTP/1.1\r\n" + host + "X-A: a\x7f\r\n\r\n", 400},
      {"invalid UTF-8 in Authorization",
       "GET / HTTP/1.1\r\n" + host + "Authorization: Basic \xff\r\n\r\n", 400},
      {"invalid UTF-8 in DPoP", "GET / HTTP/1.1\r\n" + host + "DPoP: a\xff\xfe\r\n\r\n", 400},
      {"C1 control in Content-Type",
       "GET / HTTP/1.1\r\n" + host + "Content-Type: a\xc2\x85\r\n\r\n", 400},
      {"missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400},
      {"two Hosts", "GET / HTTP/1.1\r\n" + host + host + "\r\n", 400},
      {"two Authorizations",
       "GET / HTTP/1.1\r\n" + host + "Authorization: a\r\nauthorization: a\r\n\r\n", 400},
      {"two Content-Types",
       "GET / HTTP/1.1\r\n" + host + "Content-Type: a\r\nContent-Type: a\r\n\r\n", 400},
      {"two equal Content-Lengths",
       "POST / HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 1\r\n\r\n", 400},
      {"two Content-Lengths",
       "POST / HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
      {"list Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: 1, 1\r\n\r\n", 400},
      {"signed Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: +1\r\n\r\n", 400},
      {"negative Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n", 400},
      {"hex Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: 0x10\r\n\r\n", 400},
      {"empty Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length:\r\n\r\n", 400},
      {"huge Content-Length",
       "POST / HTTP/1.1\r\n" + host + "Content-Length: 99999999999999999999\r\n\r\n", 400},
      {"chunked", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n", 411},
      {"chunked and length",
       "POST / HTTP/1.1\r\n" + host + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
       411},
      {"identity", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: identity\r\n\r\n", 411},
      {"chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 411},
      {"text after the end", "GET / HTTP/1.1\r\n" + host + "\r\nx", 400},
      {"not terminated", "GET / HTTP/1.1\r\n" + host, 400},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(status_of(parse_request_head(c.head)), c.status) << c.name;
  }
}

TEST(ParseRequestHeadTest, AnswersSizeLimitsWith414And431) {
  HeadLimits limits;
  limits.max_request_line = 64;
  limits.max_head = 256;
  limits.max_header_count = 3;
  EXPECT_EQ(status_of(parse_request_head(
                "GET /" + std::string(70, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", limits)),
            414);
  EXPECT_EQ(status_of(parse_request_head(
                "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(300, 'a') + "\r\n\r\n", limits)),
            431);
  EXPECT_EQ(status_of(parse_request_head(
                "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits)),
            431);
  EXPECT_EQ(
      status_of(parse_request_head("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits)),
      0);
}

TEST(ParseRequestHeadTest, KeepsObsTextInFieldsTesseraDoesNotRead) {
  // RFC 9110 §5.5 allows obs-text; only the fields Tessera reads must be UTF-8.
  const auto parsed =
      parse_request_head("GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: \xff\xfe\r\n\r\n");
  ASSERT_NE(head_of(parsed), nullptr);
  EXPECT_EQ(head_of(parsed)->headers.back().second, "\xff\xfe");
}

// A request may carry several DPoP proofs: each is kept, and the token
// endpoint refuses them (RFC 9449 §4.3: one proof).
TEST(ParseRequestHeadTest, KeepsEveryDpopField) {
  const auto parsed =
      parse_request_head("POST / HTTP/1.1\r\nHost: a\r\nDPoP: a.b.c\r\nDPoP: d.e.f\r\n\r\n");
  ASSERT_NE(head_of(parsed), nullptr);
  EXPECT_EQ(head_of(parsed)->headers.size(), 3u);
}

}  // namespace
}  // namespace tessera::http
