#include "config/cpu_quota.hpp"

#include <sched.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace tessera::config {
namespace {

std::optional<unsigned long long> whole_number(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  unsigned long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned long long>(c - '0');
  }
  return value;
}

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// This process's cgroup v2 path ("0::/system.slice/tessera.service"), or
// nullopt without cgroup v2.
std::optional<std::string> own_cgroup() {
  auto text = read_text("/proc/self/cgroup");
  if (!text) return std::nullopt;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return std::nullopt;
}

// The cpu.max files from this process's cgroup up to the root (the root
// itself has none). In a container with its own cgroup namespace the path
// is "/" and /sys/fs/cgroup is the container's cgroup.
std::vector<std::string> cpu_max_files() {
  std::vector<std::string> files;
  const auto cgroup = own_cgroup();
  if (!cgroup) return files;
  const std::filesystem::path root = "/sys/fs/cgroup";
  std::filesystem::path relative = std::filesystem::path(*cgroup).relative_path();
  while (true) {
    if (auto text = read_text(root / relative / "cpu.max")) files.push_back(*text);
    if (relative.empty()) break;
    relative = relative.parent_path();
  }
  return files;
}

unsigned affinity_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int count = CPU_COUNT(&set);
    if (count > 0) return static_cast<unsigned>(count);
  }
  return std::thread::hardware_concurrency();
}

}  // namespace

std::optional<unsigned> quota_cores(const std::string& cpu_max) {
  std::istringstream fields(cpu_max);
  std::string quota_text, period_text, rest;
  if (!(fields >> quota_text >> period_text) || (fields >> rest)) return std::nullopt;
  const auto quota = whole_number(quota_text);  // "max": no quota
  const auto period = whole_number(period_text);
  if (!quota || !period || *quota == 0 || *period == 0) return std::nullopt;
  const auto cores = (*quota + *period - 1) / *period;
  return static_cast<unsigned>(std::min<unsigned long long>(cores, 1u << 16));
}

unsigned effective_cores(const std::vector<std::string>& cpu_max_files, unsigned affinity) {
  unsigned cores = std::max(affinity, 1u);
  for (const auto& file : cpu_max_files) {
    if (auto quota = quota_cores(file)) cores = std::min(cores, *quota);
  }
  return std::max(cores, 1u);
}

unsigned available_cores() {
  return effective_cores(cpu_max_files(), affinity_cores());
}

}  // namespace tessera::config
