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
