#include "config/cpu_quota.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tessera::config {
namespace {

TEST(QuotaCoresTest, ReadsQuotaOverPeriodRoundedUp) {
  struct Case {
    std::string cpu_max;
    std::optional<unsigned> cores;
  };
  const std::vector<Case> cases = {
      {"max 100000\n", std::nullopt},
      {"max 100000", std::nullopt},
      {"200000 100000\n", 2},
      {"100000 100000\n", 1},
      {"150000 100000\n", 2},
      {"50000 100000\n", 1},
      {"1000 100000\n", 1},
      {"250000 100000\n", 3},
      {"400000 50000\n", 8},
      {"", std::nullopt},
      {"max", std::nullopt},
      {"200000\n", std::nullopt},
      {"0 100000\n", std::nullopt},
      {"200000 0\n", std::nullopt},
      {"-1 100000\n", std::nullopt},
      {"2e5 100000\n", std::nullopt},
      {"200000 100000 extra\n", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cpu_max);
    EXPECT_EQ(quota_cores(c.cpu_max), c.cores);
  }
}

TEST(EffectiveCoresTest, TakesTheLeastOfAffinityAndEveryQuota) {
  struct Case {
    std::string name;
    std::vector<std::string> cpu_max_files;
    unsigned affinity;
    unsigned cores;
  };
  const std::vector<Case> cases = {
      {"no cgroup v2", {}, 8, 8},
      {"no quota", {"max 100000\n"}, 8, 8},
      {"two CPUs of eight", {"200000 100000\n"}, 8, 2},
      {"half a CPU rounds up to one", {"50000 100000\n"}, 8, 1},
      {"a CPU and a half rounds up to two", {"150000 100000\n"}, 8, 2},
      {"affinity below the quota", {"400000 100000\n"}, 2, 2},
      {"a parent's quota is lower", {"max 100000\n", "300000 100000\n"}, 16, 3},
      {"the own quota is lower", {"100000 100000\n", "300000 100000\n"}, 16, 1},
      {"unknown affinity counts as one", {}, 0, 1},
      {"unreadable quota is ignored", {"garbage"}, 4, 4},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(effective_cores(c.cpu_max_files, c.affinity), c.cores);
  }
}

TEST(AvailableCoresTest, IsAtLeastOneAndAtMostTheMachinesCores) {
  const unsigned cores = available_cores();
  EXPECT_GE(cores, 1u);
  const unsigned machine = std::thread::hardware_concurrency();
  if (machine > 0) {
    EXPECT_LE(cores, machine);
  }
}

}  // namespace
}  // namespace tessera::config
