#include "crypto/uuid7.hpp"

#include <sodium.h>

#include <chrono>

namespace tessera::crypto {

Uuid uuid7(domain::Timestamp now) {
  Uuid id{};
  randombytes_buf(id.data(), id.size());
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  for (int i = 0; i < 6; ++i) id[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  id[6] = static_cast<unsigned char>(0x70 | (id[6] & 0x0f));  // version 7
  id[8] = static_cast<unsigned char>(0x80 | (id[8] & 0x3f));  // RFC 9562 variant
  return id;
}

std::string uuid_text(const Uuid& uuid) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[uuid[i] >> 4];
    out += hex[uuid[i] & 0xf];
  }
  return out;
}

std::optional<Uuid> parse_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid out{};
  std::size_t byte = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int high = nibble(text[i]), low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[byte++] = static_cast<unsigned char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace tessera::crypto
