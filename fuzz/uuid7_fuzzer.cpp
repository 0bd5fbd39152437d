// Fuzzes UUID parsing (crypto/uuid7: parse_uuid), which reads token ids from
// admin paths, cursors and JWT `jti` claims, and the UUIDv7 layout for any
// clock value.

#include <sodium.h>

#include <cstring>
#include <string>

#include "crypto/uuid7.hpp"
#include "fuzz_check.hpp"

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void check_parse(std::string_view text) {
  const auto uuid = tessera::crypto::parse_uuid(text);
  if (!uuid) return;
  // What parses is 36 characters and reads back as its lower-case self.
  FUZZ_CHECK(text.size() == 36);
  FUZZ_CHECK(tessera::crypto::uuid_text(*uuid) == lower(text));
}

void check_uuid7(const std::uint8_t* data, std::size_t size) {
  if (size < sizeof(std::int64_t)) return;
  std::int64_t nanos;
  std::memcpy(&nanos, data, sizeof nanos);
  const tessera::domain::Timestamp now{tessera::domain::Timestamp::duration(nanos)};
  const auto id = tessera::crypto::uuid7(now);
  FUZZ_CHECK((id[6] >> 4) == 7);       // version 7
  FUZZ_CHECK((id[8] & 0xc0) == 0x80);  // RFC 9562 variant
  const auto again = tessera::crypto::parse_uuid(tessera::crypto::uuid_text(id));
  FUZZ_CHECK(again && *again == id);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FUZZ_CHECK(sodium_init() >= 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_parse(tessera::fuzz::text_of(data, size));
  check_uuid7(data, size);
  return 0;
}
