#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>

#include "http/answer_drop.hpp"
#include "http/listener_kind.hpp"
#include "metrics/probes.hpp"
#include "metrics/route.hpp"

// Every tessera_ metric, defined in one place (registry.cpp). Series are
// made once, when the registry is first used, and kept by reference: the
// code that counts indexes an array, it never looks a label up by string.
// Every series of a bounded label set exists from the start, zeros too: a
// rate over a series that appears only at its first event misses that event.
namespace tessera::metrics {

inline constexpr std::size_t kStatusClasses = 3;  // 2xx (below 400), 4xx, 5xx
inline constexpr std::size_t kTokenOutcomes = 14;

struct Registry {
  Registry();

  std::shared_ptr<prometheus::Registry> registry;

  // [listener][route][status class]; nullptr where a listener has no such
  // route (counted under `other`).
  std::array<std::array<std::array<prometheus::Histogram*, kStatusClasses>, kRoutes>,
             http::kListenerKinds>
      request_seconds{};
  std::array<std::array<prometheus::Counter*, static_cast<std::size_t>(http::kDropReasons)>,
             http::kListenerKinds>
      answers_dropped{};

  // [outcome]: 0 issued, then one per domain::OAuthErrorCode (registry.cpp).
  std::array<prometheus::Counter*, kTokenOutcomes> token_requests{};
  std::array<prometheus::Counter*, 2> tokens_issued{};  // [domain::TokenFormat]

  prometheus::Histogram* batch_rows = nullptr;
  prometheus::Histogram* batch_commit_seconds = nullptr;
  prometheus::Counter* batches_failed = nullptr;

  prometheus::Gauge* pool_connections = nullptr;
  prometheus::Gauge* pool_in_use = nullptr;
  prometheus::Gauge* pool_waiting = nullptr;
  prometheus::Histogram* pool_wait_seconds = nullptr;

  std::array<prometheus::Counter*, kCaches> cache_hits{};
  std::array<prometheus::Counter*, kCaches> cache_misses{};
  std::array<prometheus::Gauge*, kCaches> cache_entries{};

  prometheus::Counter* invalidations = nullptr;
  prometheus::Histogram* invalidation_lag_seconds = nullptr;

  std::array<prometheus::Gauge*, 2> rate_limited_keys{};  // [Limiter]
};

// The process's one registry, made on first use.
Registry& registry();

}  // namespace tessera::metrics
