#pragma once

#include <string>

namespace tessera::test {

// What a sanitized child process (tessera, tessctl) reported on stderr:
// everything from the first line of an AddressSanitizer, LeakSanitizer,
// UndefinedBehaviorSanitizer or ThreadSanitizer report on (at most 16 KiB),
// or "" when there is none. An uninstrumented build never prints one, so
// the check costs nothing there.
std::string sanitizer_report(const std::string& stderr_text);

// Fails the running test (or test suite) when `stderr_text`, what the child
// process `process` wrote to stderr, holds a sanitizer report, and shows it.
void expect_no_sanitizer_report(const std::string& process, const std::string& stderr_text);

}  // namespace tessera::test
