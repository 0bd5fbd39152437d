#include "crypto/uuid7.hpp"

#include <sodium.h>

#include <atomic>
#include <chrono>

#include "crypto/hex.hpp"

namespace tessera::crypto {

namespace {

// Milliseconds << 12 | a sequence number, for RFC 9562 §6.2 method 1: ids
// made in the same millisecond by this process still sort in issue order
// (the admin token list is newest first). After 4096 ids in one millisecond
// the timestamp runs a little ahead, as the RFC allows.
std::atomic<std::uint64_t> g_last{0};

std::uint64_t next_stamp(std::uint64_t ms) {
  std::uint64_t last = g_last.load(std::memory_order_relaxed);
  while (true) {
    // Continue the sequence only near the last stamp: a clock set back by
    // more than a second (or a caller passing another time) starts afresh.
    const std::uint64_t base = ms << 12;
    const std::uint64_t next = last >= base && (last >> 12) - ms < 1000 ? last + 1 : base;
    if (g_last.compare_exchange_weak(last, next, std::memory_order_relaxed)) return next;
  }
}

}  // namespace

Uuid uuid7(domain::Timestamp now) {
  Uuid id{};
  randombytes_buf(id.data(), id.size());
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  const std::uint64_t stamp = next_stamp(ms);
  const std::uint64_t stamp_ms = stamp >> 12;
  const auto sequence = static_cast<unsigned>(stamp & 0xfff);
  for (int i = 0; i < 6; ++i) {
    id[static_cast<std::size_t>(i)] = static_cast<unsigned char>(stamp_ms >> (40 - 8 * i));
  }
  id[6] = static_cast<unsigned char>(0x70 | (sequence >> 8));  // version 7, rand_a = sequence
  id[7] = static_cast<unsigned char>(sequence & 0xff);
  id[8] = static_cast<unsigned char>(0x80 | (id[8] & 0x3f));  // RFC 9562 variant
  return id;
}

std::string uuid_text(const Uuid& uuid) {
  const std::string_view bytes(reinterpret_cast<const char*>(uuid.data()), uuid.size());
  std::string out;
  out.reserve(37);
  // 8-4-4-4-12 hexadecimal digits (RFC 9562 §4).
  append_hex(out, bytes.substr(0, 4));
  for (const std::size_t at : {std::size_t{4}, std::size_t{6}, std::size_t{8}}) {
    out += '-';
    append_hex(out, bytes.substr(at, 2));
  }
  out += '-';
  append_hex(out, bytes.substr(10));
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
