#include "http/request_framer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace tessera::http {
namespace {

using Outcome = RequestFramer::Outcome;

RequestFramer::Limits limits(std::size_t max_body = 64) {
  RequestFramer::Limits out;
  out.max_body = max_body;
  out.head.max_request_line = 128;
  out.head.max_head = 512;
  return out;
}

const std::string kPost =
    "POST /t/acme/oauth/token HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";

TEST(RequestFramerTest, FramesARequestThatArrivesAtOnce) {
  RequestFramer framer(limits());
  framer.append(kPost);
  auto step = framer.next();
  ASSERT_EQ(step.outcome, Outcome::request);
  EXPECT_EQ(step.request.head.path, "/t/acme/oauth/token");
  EXPECT_EQ(step.request.body, "hello");
  EXPECT_FALSE(step.request.body_too_large);
  EXPECT_EQ(framer.next().outcome, Outcome::need_more);
  EXPECT_FALSE(framer.mid_request());
}

TEST(RequestFramerTest, FramesARequestThatArrivesByteByByte) {
  RequestFramer framer(limits());
  for (std::size_t i = 0; i + 1 < kPost.size(); ++i) {
    framer.append(kPost.substr(i, 1));
    ASSERT_EQ(framer.next().outcome, Outcome::need_more) << i;
    EXPECT_TRUE(framer.mid_request());
  }
  framer.append(kPost.substr(kPost.size() - 1));
  const auto step = framer.next();
  ASSERT_EQ(step.outcome, Outcome::request);
  EXPECT_EQ(step.request.body, "hello");
}

TEST(RequestFramerTest, SplitsPipelinedRequestsInOrder) {
  RequestFramer framer(limits());
  framer.append("\r\n" + kPost + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /rea");
  auto first = framer.next();
  ASSERT_EQ(first.outcome, Outcome::request);
  EXPECT_EQ(first.request.head.method, "POST");
  auto second = framer.next();
  ASSERT_EQ(second.outcome, Outcome::request);
  EXPECT_EQ(second.request.head.path, "/healthz");
  EXPECT_TRUE(second.request.body.empty());
  EXPECT_EQ(framer.next().outcome, Outcome::need_more);
  EXPECT_TRUE(framer.mid_request());
  framer.append("dyz HTTP/1.1\r\nHost: a\r\n\r\n");
  auto third = framer.next();
  ASSERT_EQ(third.outcome, Outcome::request);
  EXPECT_EQ(third.request.head.path, "/readyz");
}

// SPEC §6: what a peer sends costs time linear in its size. Requests that
// arrive pipelined in one piece must not each move every byte behind them.
TEST(RequestFramerTest, FramesPipelinedRequestsInTimeLinearInTheirBytes) {
  const std::string one = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
  std::string many;
  while (many.size() < 2 * 1024 * 1024) many += one;
  const std::size_t count = many.size() / one.size();
  const auto frame = [&](bool at_once) {
    RequestFramer framer(limits());
    std::size_t framed = 0;
    const auto started = std::chrono::steady_clock::now();
    if (at_once) framer.append(many);
    for (std::size_t i = 0; i < count; ++i) {
      if (!at_once) framer.append(one);
      while (framer.next().outcome == Outcome::request) ++framed;
    }
    EXPECT_EQ(framed, count);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  };
  // The same requests one per append, where nothing is left behind to move,
  // are the yardstick; the margin absorbs a noisy machine.
  const auto piecewise = frame(false);
  const auto at_once = frame(true);
  EXPECT_LT(at_once, 3 * piecewise + 50) << "milliseconds";
}

TEST(RequestFramerTest, ClosesOnBytesThatAreNotHttp) {
  for (const std::string& bytes :
       {std::string("\x16\x03\x01\x02\x00", 5), std::string("\0\0\0", 3), std::string("\xff\xfe"),
        std::string("/healthz"), std::string(" GET")}) {
    RequestFramer framer(limits());
    framer.append(bytes);
    EXPECT_EQ(framer.next().outcome, Outcome::not_http);
    EXPECT_TRUE(framer.closed());
    framer.append(kPost);
    EXPECT_EQ(framer.next().outcome, Outcome::need_more);
  }
}

TEST(RequestFramerTest, RefusesAMalformedHeadAndDiscardsTheRest) {
  RequestFramer framer(limits());
  framer.append("GET / HTTP/1.1\r\nHost: a\r\nNo colon\r\n\r\n" + kPost);
  const auto step = framer.next();
  ASSERT_EQ(step.outcome, Outcome::refused);
  EXPECT_EQ(step.error.status, 400);
  EXPECT_EQ(framer.next().outcome, Outcome::need_more);
  EXPECT_FALSE(framer.mid_request());
}

TEST(RequestFramerTest, RefusesABareLineFeedAtOnce) {
  // Such a head never ends in CRLF CRLF: waiting for it would only hold
  // the connection until its deadline.
  for (const std::string bytes : {"GET / HTTP/1.1\n", "GET / HTTP/1.1\r\nHost: a\nX: b"}) {
    RequestFramer framer(limits());
    framer.append(bytes);
    const auto step = framer.next();
    ASSERT_EQ(step.outcome, Outcome::refused) << bytes;
    EXPECT_EQ(step.error.status, 400);
  }
}

TEST(RequestFramerTest, RefusesAHeadThatGrowsPastTheLimitsBeforeItEnds) {
  RequestFramer line(limits());
  line.append("GET /" + std::string(200, 'a'));
  auto step = line.next();
  ASSERT_EQ(step.outcome, Outcome::refused);
  EXPECT_EQ(step.error.status, 414);

  RequestFramer head(limits());
  head.append("GET / HTTP/1.1\r\nHost: a\r\n");
  step = head.next();
  for (int i = 0; i < 100 && step.outcome == Outcome::need_more; ++i) {
    head.append("X-Filler: " + std::string(20, 'x') + "\r\n");
    step = head.next();
  }
  ASSERT_EQ(step.outcome, Outcome::refused);
  EXPECT_EQ(step.error.status, 431);
  EXPECT_TRUE(head.closed());
}

// Found by fuzz/request_framer_fuzzer: the answer to a request line must not
// depend on where TCP cut the bytes.
TEST(RequestFramerTest, RefusesAnOverlongRequestLineOnceItEndsThoughTheHeadHasNot) {
  RequestFramer framer(limits());  // request lines up to 128 bytes
  framer.append("GET /" + std::string(200, 'a') + " HTTP/1.1\r\nHost: a\r\n");
  const auto step = framer.next();
  ASSERT_EQ(step.outcome, Outcome::refused);
  EXPECT_EQ(step.error.status, 414);
  EXPECT_TRUE(framer.closed());
}

TEST(RequestFramerTest, ServesARequestLineOfExactlyTheLimitWhereverThePacketsEnd) {
  const std::string line = "GET /" + std::string(128 - 14, 'a') + " HTTP/1.1";
  ASSERT_EQ(line.size(), 128u);
  const std::string bytes = line + "\r\nHost: a\r\n\r\n";
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    SCOPED_TRACE(cut);
    RequestFramer framer(limits());
    framer.append(bytes.substr(0, cut));
    ASSERT_EQ(framer.next().outcome, Outcome::need_more);
    framer.append(bytes.substr(cut));
    const auto step = framer.next();
    ASSERT_EQ(step.outcome, Outcome::request);
    EXPECT_EQ(step.request.head.path, "/" + std::string(128 - 14, 'a'));
  }
}

TEST(RequestFramerTest, HandsOnADeclaredBodyOverTheLimitWithoutReadingIt) {
  RequestFramer framer(limits(4));
  framer.append(kPost);
  const auto step = framer.next();
  ASSERT_EQ(step.outcome, Outcome::request);
  EXPECT_TRUE(step.request.body_too_large);
  EXPECT_TRUE(step.request.body.empty());
  EXPECT_TRUE(framer.closed());
}

TEST(RequestFramerTest, AsksFor100ContinueOncePerRequest) {
  RequestFramer framer(limits());
  framer.append("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  auto step = framer.next();
  EXPECT_EQ(step.outcome, Outcome::need_more);
  EXPECT_TRUE(step.send_continue);
  framer.append("he");
  step = framer.next();
  EXPECT_EQ(step.outcome, Outcome::need_more);
  EXPECT_FALSE(step.send_continue);
  framer.append("llo");
  step = framer.next();
  ASSERT_EQ(step.outcome, Outcome::request);
  EXPECT_EQ(step.request.body, "hello");
}

}  // namespace
}  // namespace tessera::http
