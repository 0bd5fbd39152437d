#include "domain/ip_address.hpp"

#include <gtest/gtest.h>

namespace tessera::domain {
namespace {

std::vector<Cidr> cidrs(const std::string& text) {
  auto list = parse_cidr_list(text);
  EXPECT_TRUE(list) << text;
  return list.value_or(std::vector<Cidr>{});
}

TEST(IpAddressTest, ParsesBothFamiliesAndRefusesEverythingElse) {
  EXPECT_TRUE(IpAddress::parse("192.0.2.1"));
  EXPECT_TRUE(IpAddress::parse("2001:db8::1"));
  EXPECT_TRUE(IpAddress::parse("::ffff:192.0.2.1"));
  EXPECT_EQ(*IpAddress::parse("::ffff:192.0.2.1"), *IpAddress::parse("192.0.2.1"));
  const std::string too_long(100, '1');
  for (const char* bad : {"", "192.0.2", "192.0.2.256", "[::1]", "::1%lo", "example.com",
                          "192.0.2.1:80", "1.2.3.4 ", too_long.c_str()}) {
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;
  }
}

TEST(IpAddressTest, RefusesTextWithANulOrAnythingAfterIt) {
  // Found by fuzz/ip_address_fuzzer: inet_pton stops at a NUL, so what
  // followed it was ignored and "10.0.0.1\0junk" parsed as 10.0.0.1.
  using namespace std::string_literals;
  EXPECT_FALSE(IpAddress::parse("10.0.0.1\0junk"s));
  EXPECT_FALSE(IpAddress::parse("2001:db8::1\0"s));
  EXPECT_FALSE(Cidr::parse("0.0.0.0\0\0/13"s));
  EXPECT_EQ(source_key("10.0.0.1\0junk"s), "10.0.0.1\0junk"s);
}

TEST(IpAddressTest, CidrsContainTheirAddressesOnly) {
  const auto list = cidrs("10.0.0.0/8, 192.0.2.7,2001:db8:1::/48 ,::1");
  ASSERT_EQ(list.size(), 4u);
  EXPECT_TRUE(list[0].contains(*IpAddress::parse("10.255.1.2")));
  EXPECT_FALSE(list[0].contains(*IpAddress::parse("11.0.0.1")));
  EXPECT_TRUE(list[1].contains(*IpAddress::parse("192.0.2.7")));
  EXPECT_FALSE(list[1].contains(*IpAddress::parse("192.0.2.8")));
  EXPECT_TRUE(list[2].contains(*IpAddress::parse("2001:db8:1:ffff::9")));
  EXPECT_FALSE(list[2].contains(*IpAddress::parse("2001:db8:2::9")));
  EXPECT_TRUE(list[3].contains(*IpAddress::parse("::1")));
  // An IPv4 block never takes in IPv6 addresses, nor the reverse.
  EXPECT_FALSE(list[0].contains(*IpAddress::parse("a00::1")));
  const auto odd = Cidr::parse("192.0.2.128/25");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->contains(*IpAddress::parse("192.0.2.200")));
  EXPECT_FALSE(odd->contains(*IpAddress::parse("192.0.2.127")));
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0")->contains(*IpAddress::parse("203.0.113.9")));
}

TEST(IpAddressTest, BadCidrListsAreRefusedWhole) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "2001:db8::/129", "10.0.0.0/8,",
                          ",10.0.0.0/8", "10.0.0.0/8,,::1", "proxy.internal", "10.0.0.0/-1"}) {
    EXPECT_FALSE(parse_cidr_list(bad)) << bad;
  }
  EXPECT_EQ(parse_cidr_list("")->size(), 0u);
}

TEST(IpAddressTest, SourceKeysGroupIpv6ByItsSlash64) {
  EXPECT_EQ(source_key("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(source_key("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(source_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(source_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), source_key("2001:db8:1:2::7"));
  EXPECT_NE(source_key("2001:db8:1:2::1"), source_key("2001:db8:1:3::1"));
  EXPECT_EQ(source_key("not an address"), "not an address");
}

TEST(IpAddressTest, ForwardedForIsReadOnlyFromTrustedProxies) {
  const auto trusted = cidrs("10.0.0.0/8,2001:db8:ff::/48");
  // An untrusted peer's header is ignored: anyone can write one.
  EXPECT_EQ(client_address("203.0.113.5", {"198.51.100.1"}, trusted), "203.0.113.5");
  // No trusted proxies configured: the peer, always.
  EXPECT_EQ(client_address("10.0.0.1", {"198.51.100.1"}, {}), "10.0.0.1");
  // A trusted peer without the header: the peer.
  EXPECT_EQ(client_address("10.0.0.1", {}, trusted), "10.0.0.1");
  // The right-most address not itself a trusted proxy; what the client
  // wrote to the left of it is not believed.
  EXPECT_EQ(client_address("10.0.0.1", {"1.1.1.1, 198.51.100.1, 10.0.0.2"}, trusted),
            "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.1", {"1.1.1.1", "198.51.100.1,10.9.9.9"}, trusted),
            "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.1", {"2001:db8:1::5, 2001:db8:ff::1"}, trusted),
            "2001:db8:1::5");
  // Only trusted hops: the left-most of them.
  EXPECT_EQ(client_address("10.0.0.1", {"10.0.0.3, 10.0.0.2"}, trusted), "10.0.0.3");
  // Garbage ends the walk at the last hop that is believed.
  EXPECT_EQ(client_address("10.0.0.1", {"198.51.100.1, bogus, 10.0.0.2"}, trusted), "10.0.0.2");
  EXPECT_EQ(client_address("10.0.0.1", {"unknown"}, trusted), "10.0.0.1");
  EXPECT_EQ(client_address("10.0.0.1", {"198.51.100.1,,"}, trusted), "198.51.100.1");
}

}  // namespace
}  // namespace tessera::domain
