// The JOSE names of the signing algorithms (RFC 7518 §3.1, RFC 8037 §3.1):
// what domain/types.hpp prints and parses, for the admin API and JWS headers.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "domain/types.hpp"

namespace tessera::domain {
namespace {

TEST(SigningAlg, NamesRoundTrip) {
  const std::vector<std::pair<SigningAlg, std::string>> names = {
      {SigningAlg::eddsa, "EdDSA"}, {SigningAlg::es256, "ES256"}, {SigningAlg::rs256, "RS256"}};
  for (const auto& [alg, name] : names) {
    EXPECT_EQ(to_string(alg), name);
    EXPECT_EQ(parse_signing_alg(name), alg) << name;
  }
}

TEST(SigningAlg, ParsesOnlyTheExactCaseSensitiveName) {
  for (const char* name : {"es256", "Es256", "EDDSA", "eddsa", "rs256", "ES256 ", " ES256", "ES384",
                           "PS256", "none", ""}) {
    EXPECT_FALSE(parse_signing_alg(name)) << '"' << name << '"';
  }
}

}  // namespace
}  // namespace tessera::domain
