#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::domain {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as its IPv4-mapped IPv6 form,
// ::ffff:a.b.c.d, so that both families compare and mask alike).
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  // Dotted IPv4 or RFC 4291 IPv6 text (no brackets, no zone, no port).
  static std::optional<IpAddress> parse(std::string_view text);
  bool is_v4() const;
  bool operator==(const IpAddress& other) const { return bytes == other.bytes; }
};

// An address block, such as 10.0.0.0/8 or 2001:db8::/32 ("10.0.0.1" alone
// is 10.0.0.1/32).
struct Cidr {
  IpAddress network;
  int prefix = 128;  // in bits of the 16-byte form

  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const IpAddress& address) const;
};

// An address on the public internet: not loopback, unspecified, private
// (RFC 1918, RFC 4193), shared (RFC 6598), link-local, multicast,
// documentation or otherwise reserved (IANA special-purpose registries), in
// either family or IPv4-mapped. What the server may fetch a client's
// jwks_uri from: never its own host or internal network.
bool is_public_address(const IpAddress& address);

// Comma-separated CIDRs (TESSERA_TRUSTED_PROXIES); nullopt when one is bad.
std::optional<std::vector<Cidr>> parse_cidr_list(std::string_view text);

// The key under which failures from `address` count (SPEC §6): an IPv4
// address itself, an IPv6 address by its /64, since one host commonly holds
// a whole /64 and could otherwise try from 2^64 addresses. Text that is no
// address is its own key.
std::string source_key(std::string_view address);

// The client's address for a request that came from `peer` (SPEC §2,
// TESSERA_TRUSTED_PROXIES): `peer` itself, unless `peer` is a trusted proxy
// and the request carries X-Forwarded-For; then the right-most address of
// that list that is not itself a trusted proxy. An entry that is not an
// address ends the walk: the hop that wrote it is the client as far as
// anything trustworthy says. `forwarded_for` holds the values of every
// X-Forwarded-For header, in order.
std::string client_address(const std::string& peer, const std::vector<std::string>& forwarded_for,
                           const std::vector<Cidr>& trusted);

}  // namespace tessera::domain
