#pragma once

#include <functional>
#include <string>

namespace tessera::metrics {

// The text of GET /metrics (Prometheus text format 0.0.4): every tessera_
// series, then the process_ ones, read from /proc/self now.
std::string render_metrics();

// Runs `refresh` before every rendering, while it lives: it sets the gauges
// that are read from objects rather than counted (cache entries, limited
// keys). One at a time; a later one replaces an earlier.
class ScrapeHook {
 public:
  explicit ScrapeHook(std::function<void()> refresh);
  ~ScrapeHook();
  ScrapeHook(const ScrapeHook&) = delete;
  ScrapeHook& operator=(const ScrapeHook&) = delete;
};

}  // namespace tessera::metrics
