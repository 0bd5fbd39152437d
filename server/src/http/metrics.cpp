#include "http/metrics.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace tessera::http {
namespace {

constexpr std::size_t kListeners = 2;
constexpr int kCodes = 600;

struct Counters {
  std::array<std::array<std::atomic<std::uint64_t>, std::size_t{kCodes}>, kListeners> by_code{};
  std::array<std::atomic<std::uint64_t>, kListeners> micros_sum{};
  std::array<std::array<std::atomic<std::uint64_t>, std::size_t{kDropReasons}>, kListeners>
      dropped{};
};

Counters& counters() {
  static Counters instance;
  return instance;
}

const char* name_of(std::size_t listener) {
  return listener == 0 ? "public" : "admin";
}

}  // namespace

void count_request(ListenerKind listener, int status, double seconds) {
  const auto l = static_cast<std::size_t>(listener);
  if (status < 100 || status >= kCodes) status = 500;
  counters().by_code[l][static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  counters().micros_sum[l].fetch_add(static_cast<std::uint64_t>(seconds * 1e6),
                                     std::memory_order_relaxed);
}

void count_dropped_answer(ListenerKind listener, DropReason reason) {
  counters()
      .dropped[static_cast<std::size_t>(listener)][static_cast<std::size_t>(reason)]
      .fetch_add(1, std::memory_order_relaxed);
}

std::string render_metrics() {
  std::string out =
      "# HELP tessera_http_requests_total HTTP requests answered, by listener and status.\n"
      "# TYPE tessera_http_requests_total counter\n";
  std::array<std::uint64_t, kListeners> totals{};
  for (std::size_t l = 0; l < kListeners; ++l) {
    for (std::size_t code = 100; code < kCodes; ++code) {
      const auto n = counters().by_code[l][code].load(std::memory_order_relaxed);
      if (n == 0) continue;
      totals[l] += n;
      out += "tessera_http_requests_total{listener=\"" + std::string(name_of(l)) + "\",code=\"" +
             std::to_string(code) + "\"} " + std::to_string(n) + "\n";
    }
  }
  out +=
      "# HELP tessera_http_request_duration_seconds Time from request parsed to answer queued.\n"
      "# TYPE tessera_http_request_duration_seconds summary\n";
  for (std::size_t l = 0; l < kListeners; ++l) {
    const double sum = static_cast<double>(counters().micros_sum[l].load()) / 1e6;
    out += "tessera_http_request_duration_seconds_sum{listener=\"" + std::string(name_of(l)) +
           "\"} " + std::to_string(sum) + "\n";
    out += "tessera_http_request_duration_seconds_count{listener=\"" + std::string(name_of(l)) +
           "\"} " + std::to_string(totals[l]) + "\n";
  }
  // Every series, zeros too: a rate over a series that appears only at its
  // first drop misses that drop.
  out +=
      "# HELP tessera_http_answers_dropped_total Answers made but not written: their connection "
      "had closed (descriptor_reused: its descriptor number already belonged to a newer "
      "connection), or they were too old to be sure it had not.\n"
      "# TYPE tessera_http_answers_dropped_total counter\n";
  for (std::size_t l = 0; l < kListeners; ++l) {
    for (std::size_t r = 0; r < kDropReasons; ++r) {
      out += "tessera_http_answers_dropped_total{listener=\"" + std::string(name_of(l)) +
             "\",reason=\"" + to_string(static_cast<DropReason>(r)) + "\"} " +
             std::to_string(counters().dropped[l][r].load(std::memory_order_relaxed)) + "\n";
    }
  }
  return out;
}

}  // namespace tessera::http
