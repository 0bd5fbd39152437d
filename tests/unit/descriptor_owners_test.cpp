#include "http/descriptor_owners.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace tessera::http {
namespace {

TEST(DescriptorOwnersTest, GivesEachConnectionANewSerial) {
  DescriptorOwners owners(64);
  const auto first = owners.claim(7);
  const auto second = owners.claim(8);
  const auto third = owners.claim(7);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_NE(first, 0u);
}

TEST(DescriptorOwnersTest, ReportsANumberReusedByANewerConnection) {
  DescriptorOwners owners(64);
  const auto old_connection = owners.claim(7);
  const auto neighbour = owners.claim(8);
  EXPECT_FALSE(owners.reused(7, old_connection));

  const auto new_connection = owners.claim(7);
  EXPECT_TRUE(owners.reused(7, old_connection));
  EXPECT_FALSE(owners.reused(7, new_connection));
  EXPECT_FALSE(owners.reused(8, neighbour));
}

TEST(DescriptorOwnersTest, NeverReportsNumbersItDoesNotTrack) {
  DescriptorOwners owners(16);
  const auto high = owners.claim(16);
  owners.claim(16);
  EXPECT_FALSE(owners.reused(16, high));
  EXPECT_FALSE(owners.reused(1000, high));
  EXPECT_FALSE(owners.reused(-1, high));
}

TEST(DescriptorOwnersTest, TracksUpToTheOpenFileLimit) {
  EXPECT_GE(DescriptorOwners::default_capacity(), 1024u);
  EXPECT_LE(DescriptorOwners::default_capacity(), std::size_t{1} << 18);
}

}  // namespace
}  // namespace tessera::http
