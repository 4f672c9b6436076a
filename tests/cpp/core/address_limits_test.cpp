// The table of addresses behind the limits per address: bounded, and what happens at its cap.
#include <gtest/gtest.h>

#include "huddle/address_limits.hpp"

namespace huddle {
namespace {

AddressLimitConfig smallTable(std::size_t maxAddresses) {
  AddressLimitConfig c;
  c.maxAddresses = maxAddresses;
  return c;
}

TEST(AddressLimits, AnAddressWithNoConnectionThatOwesNothingIsForgotten) {
  AddressLimits a(smallTable(10));
  a.open("10.0.0.1", 0);
  a.take("10.0.0.1", AddressLimit::Rooms, 1, 0);
  a.close("10.0.0.1");
  a.sweep(0);
  EXPECT_EQ(a.size(), 1u);  // still owes a room: forgetting it would hand it a fresh burst
  a.sweep(60000.0 / limits::kDefaultRoomsPerMinute);
  EXPECT_EQ(a.size(), 0u);
}

TEST(AddressLimits, AnAddressWithAConnectionIsKept) {
  AddressLimits a(smallTable(10));
  a.open("10.0.0.1", 0);
  a.sweep(1e9);
  EXPECT_EQ(a.size(), 1u);
}

TEST(AddressLimits, AtTheCapTheLeastRecentlySeenIdleAddressIsForgotten) {
  AddressLimits a(smallTable(2));
  a.open("10.0.0.1", 0);
  a.take("10.0.0.1", AddressLimit::FailedJoins, 1, 0);
  a.close("10.0.0.1");
  a.open("10.0.0.2", 5);
  a.take("10.0.0.2", AddressLimit::FailedJoins, 1, 5);
  a.close("10.0.0.2");
  EXPECT_EQ(a.open("10.0.0.3", 10), "10.0.0.3");
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.evictedAtCap(), 1u);
  // 10.0.0.2 (seen later) is still known: its debt stands.
  EXPECT_GT(a.waitMs("10.0.0.2", AddressLimit::FailedJoins, limits::kDefaultFailedJoinBurst, 10), 0);
}

TEST(AddressLimits, WhenEveryAddressHasAConnectionNewcomersShareOneEntry) {
  AddressLimits a(smallTable(2));
  a.open("10.0.0.1", 0);
  a.open("10.0.0.2", 0);
  EXPECT_EQ(a.open("10.0.0.3", 0), limits::kOverflowAddress);
  EXPECT_EQ(a.open("10.0.0.4", 0), limits::kOverflowAddress);
  // ...and its limits: what one newcomer spends, the other has not.
  a.take(limits::kOverflowAddress, AddressLimit::Rooms, limits::kDefaultRoomBurst, 0);
  EXPECT_GT(a.waitMs(limits::kOverflowAddress, AddressLimit::Rooms, 1, 0), 0);
  EXPECT_EQ(a.waitMs("10.0.0.1", AddressLimit::Rooms, 1, 0), 0);
}

TEST(AddressLimits, EachLimitIsItsOwnBucket) {
  AddressLimits a(smallTable(10));
  a.open("10.0.0.1", 0);
  a.take("10.0.0.1", AddressLimit::RelayBytes, limits::kDefaultRelayBytesPerSecond, 0);
  EXPECT_GT(a.waitMs("10.0.0.1", AddressLimit::RelayBytes, 1000, 0), 0);
  EXPECT_EQ(a.waitMs("10.0.0.1", AddressLimit::Rooms, 1, 0), 0);
  EXPECT_EQ(a.waitMs("10.0.0.1", AddressLimit::FailedJoins, 1, 0), 0);
  // 1000 bytes come back in 1000 / rate seconds.
  EXPECT_NEAR(a.waitMs("10.0.0.1", AddressLimit::RelayBytes, 1000, 0),
              1000 * 1000.0 / limits::kDefaultRelayBytesPerSecond, 1e-6);
}

}  // namespace
}  // namespace huddle
