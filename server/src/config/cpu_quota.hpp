#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tessera::config {

// How many processors this process may use: the default of TESSERA_THREADS
// (and through it of the worker pools and TESSERA_DB_POOL). In a container
// the machine's core count overstates it: a CPU quota (cgroup v2 `cpu.max`,
// Kubernetes' CPU limit, systemd's CPUQuota=) or an affinity mask (cpuset,
// taskset) allows fewer.

// One `cpu.max` file's processors: "200000 100000" (quota and period in
// microseconds) is 2, rounded up ("150000 100000" is 2, "50000 100000" 1);
// "max 100000" (no quota) or anything unreadable is nullopt.
std::optional<unsigned> quota_cores(const std::string& cpu_max);

// The processors allowed by `affinity` (0: unknown, counts as 1) and every
// `cpu.max` on the way from this process's cgroup to the root: the least of
// them, at least 1.
unsigned effective_cores(const std::vector<std::string>& cpu_max_files, unsigned affinity);

// Reads them: /proc/self/cgroup names this process's cgroup (v2), whose
// `cpu.max` and its ancestors' are read under /sys/fs/cgroup;
// sched_getaffinity gives the affinity (else hardware_concurrency). The one
// place that reads them.
unsigned available_cores();

}  // namespace tessera::config
