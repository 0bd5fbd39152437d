#include "domain/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace tessera::domain {
namespace {

constexpr std::array<std::uint8_t, 12> kV4Mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  // inet_pton wants a terminated string, and stops at the first NUL: only
  // the characters of an address may reach it. One is never longer than 45.
  if (text.empty() || text.size() > 45) return std::nullopt;
  const bool address_characters = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
           c == ':';
  });
  if (!address_characters) return std::nullopt;
  char buffer[46];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  IpAddress address;
  in_addr v4{};
  if (inet_pton(AF_INET, buffer, &v4) == 1) {
    std::copy(kV4Mapped.begin(), kV4Mapped.end(), address.bytes.begin());
    std::memcpy(address.bytes.data() + 12, &v4, 4);
    return address;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buffer, &v6) == 1) {
    std::memcpy(address.bytes.data(), &v6, 16);
    return address;
  }
  return std::nullopt;
}

bool IpAddress::is_v4() const {
  return std::equal(kV4Mapped.begin(), kV4Mapped.end(), bytes.begin());
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  text = trim(text);
  const auto slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int width = address->is_v4() ? 32 : 128;
  int prefix = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > width) return std::nullopt;
  }
  Cidr cidr{*address, prefix + (128 - width)};
  // The network's host bits are cleared, so contains() compares whole bytes.
  for (auto bit = static_cast<unsigned>(cidr.prefix); bit < 128; ++bit) {
    cidr.network.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
  return cidr;
}

bool Cidr::contains(const IpAddress& address) const {
  const auto whole = static_cast<std::size_t>(prefix / 8);
  if (!std::equal(network.bytes.begin(), network.bytes.begin() + prefix / 8,
                  address.bytes.begin())) {
    return false;
  }
  const auto rest = static_cast<unsigned>(prefix % 8);
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff00u >> rest);
  return (address.bytes[whole] & mask) == network.bytes[whole];
}

bool is_public_address(const IpAddress& address) {
  static const std::vector<Cidr> kNotPublic = [] {
    std::vector<Cidr> blocks;
    for (const char* text :
         {// IPv4 (as ::ffff:a.b.c.d): this network, private, shared, loopback,
          // link-local, IETF, documentation, benchmarking, multicast, reserved.
          "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
          "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
          "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",
          // IPv6: unspecified, loopback, IPv4-compatible and NAT64 (they lead
          // to IPv4 addresses), discard, documentation, 6to4, unique local,
          // link-local, site-local, multicast.
          "::/128", "::1/128", "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23",
          "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"}) {
      blocks.push_back(*Cidr::parse(text));
    }
    return blocks;
  }();
  for (const auto& block : kNotPublic) {
    if (block.contains(address)) return false;
  }
  return true;
}

std::optional<std::vector<Cidr>> parse_cidr_list(std::string_view text) {
  std::vector<Cidr> list;
  while (!trim(text).empty()) {
    const auto comma = text.find(',');
    auto cidr = Cidr::parse(text.substr(0, comma));
    if (!cidr) return std::nullopt;
    list.push_back(*cidr);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (trim(text).empty()) return std::nullopt;  // a trailing comma
  }
  return list;
}

std::string source_key(std::string_view text) {
  auto address = IpAddress::parse(text);
  if (!address) return std::string(text);
  char buffer[INET6_ADDRSTRLEN];
  if (address->is_v4()) {
    inet_ntop(AF_INET, address->bytes.data() + 12, buffer, sizeof buffer);
    return buffer;
  }
  std::fill(address->bytes.begin() + 8, address->bytes.end(), 0);
  inet_ntop(AF_INET6, address->bytes.data(), buffer, sizeof buffer);
  return std::string(buffer) + "/64";
}

std::string client_address(const std::string& peer, const std::vector<std::string>& forwarded_for,
                           const std::vector<Cidr>& trusted) {
  const auto is_trusted = [&trusted](const IpAddress& address) {
    return std::any_of(trusted.begin(), trusted.end(),
                       [&address](const Cidr& cidr) { return cidr.contains(address); });
  };
  const auto peer_address = IpAddress::parse(peer);
  if (trusted.empty() || !peer_address || !is_trusted(*peer_address)) return peer;
  std::string client = peer;
  // Right to left: each hop appends the address it received from.
  for (auto header = forwarded_for.rbegin(); header != forwarded_for.rend(); ++header) {
    std::string_view rest(*header);
    while (true) {
      const auto comma = rest.rfind(',');
      const auto entry = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
      if (!entry.empty()) {
        const auto address = IpAddress::parse(entry);
        if (!address) return client;
        client = std::string(entry);
        if (!is_trusted(*address)) return client;
      }
      if (comma == std::string_view::npos) break;
      rest = rest.substr(0, comma);
    }
  }
  return client;
}

}  // namespace tessera::domain
