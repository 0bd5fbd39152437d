// A client's jwks_uri is fetched as a URL a stranger gave (outbound/
// jwks_fetcher): never from the server's own host or internal networks,
// never over plain http, and the addresses are judged before any
// connection is made.
#include "outbound/jwks_fetcher.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "domain/ip_address.hpp"

namespace tessera::outbound {
namespace {

TEST(PublicAddressTest, OnlyAddressesOnThePublicInternetArePublic) {
  for (const char* text : {"8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111",
                           "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(domain::is_public_address(*domain::IpAddress::parse(text))) << text;
  }
  for (const char* text : {"127.0.0.1",
                           "127.8.9.10",
                           "0.0.0.0",
                           "10.1.2.3",
                           "172.16.0.1",
                           "172.31.255.255",
                           "192.168.1.1",
                           "169.254.169.254",
                           "100.64.0.1",
                           "192.0.2.1",
                           "198.51.100.7",
                           "203.0.113.9",
                           "224.0.0.1",
                           "255.255.255.255",
                           "::1",
                           "::",
                           "fe80::1",
                           "fc00::1",
                           "fd12:3456::1",
                           "ff02::1",
                           "2001:db8::1",
                           "::ffff:127.0.0.1",
                           "::ffff:10.0.0.1",
                           "::ffff:169.254.169.254",
                           "64:ff9b::a00:1",
                           "2002:a00:1::1",
                           "::127.0.0.1"}) {
    EXPECT_FALSE(domain::is_public_address(*domain::IpAddress::parse(text))) << text;
  }
}

// A listening socket on 127.0.0.1: whether anyone connected to it.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(fd_, 4);
    socklen_t size = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { close(fd_); }
  int port() const { return port_; }
  bool connected() const {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 100) > 0;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(JwksFetcherTest, NeverConnectsToTheServersOwnHost) {
  Listener listener;
  const auto port = std::to_string(listener.port());
  for (const std::string& uri :
       {"https://127.0.0.1:" + port + "/jwks.json", "https://localhost:" + port + "/jwks.json",
        "https://[::ffff:127.0.0.1]:" + port + "/jwks.json"}) {
    EXPECT_EQ(fetch_jwks(uri, {}), std::nullopt) << uri;
  }
  EXPECT_FALSE(listener.connected()) << "a refused address was connected to";
}

TEST(JwksFetcherTest, RefusesPlainHttpAndWhatIsNoUrl) {
  Listener listener;
  const auto port = std::to_string(listener.port());
  EXPECT_EQ(fetch_jwks("http://127.0.0.1:" + port + "/jwks.json", {}), std::nullopt);
  EXPECT_EQ(fetch_jwks("ftp://example.com/jwks.json", {}), std::nullopt);
  EXPECT_EQ(fetch_jwks("not a url", {}), std::nullopt);
  EXPECT_FALSE(listener.connected());
}

TEST(JwksFetcherTest, AllowedInsecurelyItConnectsToTheLocalHost) {
  // TESSERA_ALLOW_INSECURE_JWKS_URI=1 (tests): the same URI is fetched. The
  // listener never answers, so the fetch times out, after connecting.
  Listener listener;
  JwksFetchOptions options;
  options.allow_insecure = true;
  options.timeout = std::chrono::milliseconds(300);
  EXPECT_EQ(
      fetch_jwks("http://127.0.0.1:" + std::to_string(listener.port()) + "/jwks.json", options),
      std::nullopt);
  EXPECT_TRUE(listener.connected());
}

TEST(JwksFetcherTest, NeverGoesThroughAProxyFromTheEnvironment) {
  // A proxy resolves the name itself, past the address checks: libcurl
  // would use http_proxy / https_proxy / ALL_PROXY unless told not to.
  Listener target;
  Listener proxy;
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  for (const char* name : {"http_proxy", "https_proxy", "ALL_PROXY"}) {
    setenv(name, proxy_url.c_str(), 1);
  }
  JwksFetchOptions options;
  options.allow_insecure = true;
  options.timeout = std::chrono::milliseconds(300);
  fetch_jwks("http://127.0.0.1:" + std::to_string(target.port()) + "/jwks.json", options);
  for (const char* name : {"http_proxy", "https_proxy", "ALL_PROXY"}) unsetenv(name);
  EXPECT_TRUE(target.connected());
  EXPECT_FALSE(proxy.connected()) << "the fetch went through the environment's proxy";
}

}  // namespace
}  // namespace tessera::outbound
