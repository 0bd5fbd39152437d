#pragma once

#include <optional>
#include <string>

namespace tessera::metrics {

// The standard process_ metrics (Prometheus client conventions), read from
// /proc when /metrics is scraped.
struct ProcessStats {
  double cpu_seconds = 0;  // user + system
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
  double open_fds = 0;
  double max_fds = 0;
};

// From the text of /proc/self/stat (proc(5)): the fields after the command
// name, which may itself hold spaces and parentheses. `boot_time` is
// /proc/stat's btime. nullopt if the text is not of that shape.
std::optional<ProcessStats> parse_proc_stat(const std::string& stat, double ticks_per_second,
                                            double page_bytes, double boot_time);

// This process's figures now; what cannot be read stays 0.
ProcessStats read_process_stats();

}  // namespace tessera::metrics
