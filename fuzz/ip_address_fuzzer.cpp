// Fuzzes the client-address parsing (domain/ip_address): X-Forwarded-For
// values arrive from any peer that claims to be behind a trusted proxy, and
// TESSERA_TRUSTED_PROXIES is parsed with the same code.

#include <string>
#include <vector>

#include "domain/ip_address.hpp"
#include "fuzz_check.hpp"

namespace {

using tessera::domain::Cidr;
using tessera::domain::IpAddress;

const std::vector<Cidr>& trusted() {
  static const auto list = *tessera::domain::parse_cidr_list("127.0.0.0/8,10.0.0.0/8,::1,fd00::/8");
  return list;
}

void check_address(std::string_view text) {
  const auto address = IpAddress::parse(text);
  const auto key = tessera::domain::source_key(text);
  if (!address) {
    FUZZ_CHECK(key == text);  // no address: its own key
    return;
  }
  // An address is in its own /128 (or /32 for IPv4), and in ::/0.
  FUZZ_CHECK(Cidr::parse(text) && Cidr::parse(text)->contains(*address));
  FUZZ_CHECK(Cidr::parse("::/0")->contains(*address));
  // Its key is an address (IPv4) or a /64 that contains it (IPv6).
  if (address->is_v4()) {
    FUZZ_CHECK(IpAddress::parse(key) == address);
  } else {
    const auto block = Cidr::parse(key);
    FUZZ_CHECK(block && block->prefix == 64 && block->contains(*address));
  }
}

void check_forwarded(std::string_view text) {
  // The input as X-Forwarded-For from a trusted peer and from a stranger.
  const std::vector<std::string> values = {std::string(text)};
  const auto via_proxy = tessera::domain::client_address("127.0.0.1", values, trusted());
  // The answer is the peer or one of the addresses the header lists.
  FUZZ_CHECK(via_proxy == "127.0.0.1" || text.find(via_proxy) != std::string_view::npos);
  FUZZ_CHECK(via_proxy.size() <= text.size() || via_proxy == "127.0.0.1");
  const auto direct = tessera::domain::client_address("203.0.113.7", values, trusted());
  FUZZ_CHECK(direct == "203.0.113.7");  // a stranger's header means nothing
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  check_address(text);
  check_forwarded(text);
  if (const auto list = tessera::domain::parse_cidr_list(text)) {
    for (const auto& cidr : *list) FUZZ_CHECK(cidr.prefix >= 0 && cidr.prefix <= 128);
  }
  return 0;
}
