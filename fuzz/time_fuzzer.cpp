// Fuzzes RFC 3339 parsing (domain/time: parse_rfc3339), which reads the
// admin API's `since` parameters.

#include <string>

#include "domain/time.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  const auto time = tessera::domain::parse_rfc3339(text);
  if (!time) return 0;
  // "2026-11-23T20:15:00Z" at the shortest.
  FUZZ_CHECK(text.size() >= 20);
  // The canonical form (UTC, microseconds) parses back to the same instant.
  const auto written = tessera::domain::to_rfc3339(*time);
  FUZZ_CHECK(written.size() == 27);
  const auto again = tessera::domain::parse_rfc3339(written);
  FUZZ_CHECK(again && *again == *time);
  FUZZ_CHECK(tessera::domain::from_unix_micros(tessera::domain::to_unix_micros(*time)) == *time);
  return 0;
}
