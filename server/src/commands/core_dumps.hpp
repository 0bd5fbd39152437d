#pragma once

namespace tessera::commands {

// Memory holds the master key, its sub-keys, opened signing keys and
// presented secrets, so by default (TESSERA_ALLOW_CORE_DUMPS=0) a crash
// leaves no core file: RLIMIT_CORE goes to 0 (soft and hard, so it cannot be
// raised again), and the process is made non-dumpable (PR_SET_DUMPABLE 0),
// which also keeps other processes of the same user from attaching with
// ptrace or reading /proc/<pid>/mem and /proc/<pid>/environ.
// Throws std::system_error if the kernel refuses.
void disable_core_dumps();

}  // namespace tessera::commands
