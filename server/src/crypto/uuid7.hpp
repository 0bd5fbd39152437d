#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "domain/types.hpp"

namespace tessera::crypto {

using Uuid = std::array<unsigned char, 16>;

// RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then 74 random bits. Token
// ids are time-ordered, so the tokens table's primary key grows at its right
// edge and partitions by issue time (migrations/0001_init.sql).
Uuid uuid7(domain::Timestamp now);

// "0190f3a4-…" lower-case, and back.
std::string uuid_text(const Uuid& uuid);
std::optional<Uuid> parse_uuid(std::string_view text);

}  // namespace tessera::crypto
