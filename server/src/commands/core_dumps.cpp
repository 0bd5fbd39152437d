#include "commands/core_dumps.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <system_error>

namespace tessera::commands {

void disable_core_dumps() {
  const rlimit none{0, 0};
  if (setrlimit(RLIMIT_CORE, &none) != 0) {
    throw std::system_error(errno, std::generic_category(), "setrlimit(RLIMIT_CORE, 0)");
  }
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    throw std::system_error(errno, std::generic_category(), "prctl(PR_SET_DUMPABLE, 0)");
  }
}

}  // namespace tessera::commands
