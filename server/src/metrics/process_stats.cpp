#include "metrics/process_stats.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

namespace tessera::metrics {
namespace {

std::string read_text(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

double boot_time() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

double count_open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count - 1;  // the descriptor this listing held
}

}  // namespace

std::optional<ProcessStats> parse_proc_stat(const std::string& stat, double ticks_per_second,
                                            double page_bytes, double boot_time) {
  // Field 2, the command name, is in parentheses and may hold anything:
  // the fields from 3 on follow its last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 1));
  std::vector<std::string> fields;  // fields[0] is field 3 (state)
  for (std::string field; rest >> field;) fields.push_back(field);
  if (fields.size() < 22) return std::nullopt;
  try {
    ProcessStats stats;
    const double utime = std::stod(fields[11]), stime = std::stod(fields[12]);
    stats.cpu_seconds = (utime + stime) / ticks_per_second;
    stats.start_time_seconds = boot_time + std::stod(fields[19]) / ticks_per_second;
    stats.virtual_bytes = std::stod(fields[20]);
    stats.resident_bytes = std::stod(fields[21]) * page_bytes;
    return stats;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

ProcessStats read_process_stats() {
  auto stats =
      parse_proc_stat(read_text("/proc/self/stat"), static_cast<double>(::sysconf(_SC_CLK_TCK)),
                      static_cast<double>(::sysconf(_SC_PAGESIZE)), boot_time())
          .value_or(ProcessStats{});
  stats.open_fds = count_open_fds();
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) stats.max_fds = static_cast<double>(limit.rlim_cur);
  return stats;
}

}  // namespace tessera::metrics
