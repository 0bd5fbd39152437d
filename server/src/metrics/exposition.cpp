#include "metrics/exposition.hpp"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <mutex>

#include "metrics/process_stats.hpp"
#include "metrics/registry.hpp"

namespace tessera::metrics {
namespace {

std::mutex hook_mutex;
std::function<void()> hook;

prometheus::MetricFamily family(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return {name, help, type, {metric}};
}

// The names and meanings every Prometheus client library gives them.
std::vector<prometheus::MetricFamily> process_families() {
  using prometheus::MetricType;
  const auto stats = read_process_stats();
  return {
      family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
             MetricType::Counter, stats.cpu_seconds),
      family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
             stats.resident_bytes),
      family("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
             stats.virtual_bytes),
      family("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
             MetricType::Gauge, stats.start_time_seconds),
      family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
             stats.open_fds),
      family("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
             stats.max_fds),
  };
}

}  // namespace

std::string render_metrics() {
  {
    std::lock_guard lock(hook_mutex);
    if (hook) hook();
  }
  auto families = registry().registry->Collect();
  for (auto& process : process_families()) families.push_back(std::move(process));
  return prometheus::TextSerializer().Serialize(families);
}

ScrapeHook::ScrapeHook(std::function<void()> refresh) {
  std::lock_guard lock(hook_mutex);
  hook = std::move(refresh);
}

ScrapeHook::~ScrapeHook() {
  std::lock_guard lock(hook_mutex);
  hook = nullptr;
}

}  // namespace tessera::metrics
