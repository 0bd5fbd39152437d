#pragma once

// What the fuzz targets share: an invariant check that survives NDEBUG, and
// the input as text.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace tessera::fuzz {

[[noreturn]] inline void check_failed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, condition);
  std::abort();  // libFuzzer reports the abort as a crash and saves the input
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace tessera::fuzz

// An invariant of the parser under test. A plain assert would vanish under
// NDEBUG; this one never does.
#define FUZZ_CHECK(condition)         \
  ((condition) ? static_cast<void>(0) \
               : ::tessera::fuzz::check_failed(#condition, __FILE__, __LINE__))
