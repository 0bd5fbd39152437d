// commands::disable_core_dumps changes the whole process, so each check runs
// in a child (a death test) and the test process keeps its own limits.
#include "commands/core_dumps.hpp"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstdlib>

namespace tessera::commands {
namespace {

TEST(DisableCoreDumpsDeathTest, LeavesNoCoreLimitAndMakesTheProcessNotDumpable) {
  EXPECT_EXIT(
      {
        disable_core_dumps();
        rlimit limit{};
        getrlimit(RLIMIT_CORE, &limit);
        const bool hardened =
            limit.rlim_cur == 0 && limit.rlim_max == 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
        std::_Exit(hardened ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace tessera::commands
