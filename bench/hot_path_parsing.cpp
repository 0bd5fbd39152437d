// tessera_hot_path cases (bench/hot_path.cpp): framing and parsing what a
// peer sends, the usual request and the largest and worst a peer may send.
#include "hot_path_fixture.hpp"

namespace tessera::bench {
namespace {

std::string wire_request() {
  const auto& f = fixture();
  return "POST /t/acme/oauth/token HTTP/1.1\r\nHost: acme.test:8080\r\n"
         "User-Agent: bench/1.0\r\nAccept: */*\r\nContent-Type: "
         "application/x-www-form-urlencoded\r\nAuthorization: " +
         f.request.header("authorization").value() +
         "\r\nContent-Length: " + std::to_string(f.request.body.size()) + "\r\n\r\n" +
         f.request.body;
}

void frame_request(benchmark::State& state) {
  const std::string wire = wire_request();
  for (auto _ : state) {
    http::RequestFramer framer({});
    framer.append(wire);
    DoNotOptimize(framer.next().request.body.size());
  }
}
BENCHMARK(frame_request);

void parse_form_and_basic(benchmark::State& state) {
  for (auto _ : state) DoNotOptimize(parse(fixture().request).client_id.size());
}
BENCHMARK(parse_form_and_basic);

// SPEC §6: no request costs more than linear time before authentication.
// 64 KiB of ~4,000 distinct resource values, de-duplicated.
void parse_64k_distinct_resources(benchmark::State& state) {
  http::Request resources = fixture().request;
  resources.body = "grant_type=client_credentials";
  for (int i = 0; resources.body.size() < 64 * 1024 - 24; ++i) {
    resources.body += "&resource=https://r" + std::to_string(i) + ".t";
  }
  for (auto _ : state) DoNotOptimize(parse(resources).distinct_resources.size());
}
BENCHMARK(parse_64k_distinct_resources);

// The largest heads a peer may send, and the worst way to send them.
void frame_31k_head_bytewise(benchmark::State& state) {
  std::string big_head = "POST /t/acme/oauth/token HTTP/1.1\r\nHost: acme.test\r\n";
  for (int i = 0; i < 98; ++i) {
    big_head += "X-Fill-" + std::to_string(i) + ": " + std::string(310, 'v') + "\r\n";
  }
  big_head += "Content-Length: 0\r\n\r\n";
  const auto frame_bytewise = [&] {
    http::RequestFramer framer({});
    http::RequestFramer::Step step;
    for (char c : big_head) {
      framer.append(std::string_view(&c, 1));
      step = framer.next();
    }
    return step.outcome;
  };
  if (frame_bytewise() != http::RequestFramer::Outcome::request) {
    state.SkipWithError("the head was not framed as a request");
    return;
  }
  for (auto _ : state) DoNotOptimize(frame_bytewise());
}
BENCHMARK(frame_31k_head_bytewise);

void frame_8k_request_line(benchmark::State& state) {
  const std::string long_line = "POST /t/acme/oauth/token?" + std::string(8'000, 'q') +
                                " HTTP/1.1\r\nHost: acme.test\r\nContent-Length: 0\r\n\r\n";
  for (auto _ : state) {
    http::RequestFramer framer({});
    framer.append(long_line);
    DoNotOptimize(framer.next().outcome);
  }
}
BENCHMARK(frame_8k_request_line);

// ~3,500 members, each checked for duplicates.
void parse_64k_json_body(benchmark::State& state) {
  std::string json_members = "{";
  for (int i = 0; json_members.size() < 64 * 1024 - 32; ++i) {
    json_members += "\"field" + std::to_string(i) + "\":\"value\",";
  }
  json_members += "\"last\":1}";
  for (auto _ : state) {
    std::string error;
    DoNotOptimize(http::parse_json_strict(json_members, error)->size());
  }
}
BENCHMARK(parse_64k_json_body);

}  // namespace
}  // namespace tessera::bench
