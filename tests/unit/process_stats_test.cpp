#include "metrics/process_stats.hpp"

#include <gtest/gtest.h>

namespace tessera::metrics {
namespace {

// proc(5): pid (comm) state ppid ... utime(14) stime(15) ... starttime(22)
// vsize(23) rss(24) ...
const std::string kStat =
    "4242 (tess (a) ra) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 1000 "
    "104857600 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

TEST(ProcessStatsTest, ReadsCpuMemoryAndStartFromProcStat) {
  const auto stats = parse_proc_stat(kStat, 100, 4096, 1'700'000'000);
  ASSERT_TRUE(stats);
  EXPECT_DOUBLE_EQ(stats->cpu_seconds, 3.0);
  EXPECT_DOUBLE_EQ(stats->start_time_seconds, 1'700'000'010.0);
  EXPECT_DOUBLE_EQ(stats->virtual_bytes, 104857600.0);
  EXPECT_DOUBLE_EQ(stats->resident_bytes, 2048.0 * 4096);
}

TEST(ProcessStatsTest, RefusesTextOfAnotherShape) {
  EXPECT_FALSE(parse_proc_stat("", 100, 4096, 0));
  EXPECT_FALSE(parse_proc_stat("1 (x) S 1 2 3", 100, 4096, 0));
  EXPECT_FALSE(
      parse_proc_stat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 u s 0 0 20 0 1 0 1 1 1 1", 100, 4096, 0));
}

}  // namespace
}  // namespace tessera::metrics
