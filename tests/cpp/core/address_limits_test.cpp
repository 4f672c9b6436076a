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

// ---- across nodes (docs/cluster.md, "Limits across nodes") ---------------------------------------

TEST(AddressLimits, ChargesAreNotedOnlyWhenRecording) {
  AddressLimits a(smallTable(10));
  a.take("10.0.0.1", AddressLimit::Rooms, 1, 0);
  EXPECT_TRUE(a.takeCharges(100).empty());
  a.recordCharges();
  a.take("10.0.0.1", AddressLimit::Rooms, 1, 0);
  EXPECT_EQ(a.takeCharges(100).size(), 1u);
}

TEST(AddressLimits, TakenChargesAreSummedPerAddressAndLimitAndGoneOnceTaken) {
  AddressLimits a(smallTable(10));
  a.recordCharges();
  a.take("10.0.0.1", AddressLimit::RelayBytes, 300, 0);
  a.take("10.0.0.2", AddressLimit::Rooms, 1, 0);
  a.take("10.0.0.1", AddressLimit::RelayBytes, 200, 1);
  a.take("10.0.0.1", AddressLimit::FailedJoins, 1, 2);
  auto charges = a.takeCharges(100);
  ASSERT_EQ(charges.size(), 3u);
  // In the order each address was first charged; per address in AddressLimit's order.
  EXPECT_EQ(charges[0].address, "10.0.0.1");
  EXPECT_EQ(charges[0].limit, AddressLimit::FailedJoins);
  EXPECT_EQ(charges[0].cost, 1);
  EXPECT_EQ(charges[1].limit, AddressLimit::RelayBytes);
  EXPECT_EQ(charges[1].cost, 500);
  EXPECT_EQ(charges[2].address, "10.0.0.2");
  EXPECT_TRUE(a.takeCharges(100).empty());
  a.take("10.0.0.2", AddressLimit::Rooms, 1, 3);
  charges = a.takeCharges(100);
  ASSERT_EQ(charges.size(), 1u);
  EXPECT_EQ(charges[0].cost, 1);  // only what came since
}

TEST(AddressLimits, TakeChargesHandsOutAtMostSoManyAddressesAndKeepsTheRest) {
  AddressLimits a(smallTable(10));
  a.recordCharges();
  for (int i = 0; i < 5; ++i) a.take("10.0.0." + std::to_string(i), AddressLimit::Rooms, 1, 0);
  EXPECT_EQ(a.takeCharges(2).size(), 2u);
  EXPECT_EQ(a.takeCharges(2).size(), 2u);
  auto last = a.takeCharges(2);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].address, "10.0.0.4");
  EXPECT_TRUE(a.takeCharges(2).empty());
}

TEST(AddressLimits, ARemoteChargeIsTakenFromTheBucketAndNotNotedAgain) {
  AddressLimits a(smallTable(10));
  a.recordCharges();
  const double burst = limits::kDefaultRoomBurst;
  EXPECT_TRUE(a.applyRemote({"10.0.0.1", AddressLimit::Rooms, burst - 1}, 0));
  EXPECT_EQ(a.waitMs("10.0.0.1", AddressLimit::Rooms, 1, 0), 0);
  a.take("10.0.0.1", AddressLimit::Rooms, 1, 0);  // the last one, charged here
  EXPECT_GT(a.waitMs("10.0.0.1", AddressLimit::Rooms, 1, 0), 0);
  auto charges = a.takeCharges(100);
  ASSERT_EQ(charges.size(), 1u);  // only this node's own: echoing would charge the other twice
  EXPECT_EQ(charges[0].cost, 1);
  EXPECT_EQ(a.waitMs("10.0.0.2", AddressLimit::Rooms, 1, 0), 0);  // other addresses untouched
}

TEST(AddressLimits, ARemoteDebtIsAtMostOneBurst) {
  AddressLimits a(smallTable(10));
  const double burst = limits::kDefaultRoomBurst;
  a.applyRemote({"10.0.0.1", AddressLimit::Rooms, 1e12}, 0);
  // From -burst, one room is there after (burst + 1) rooms' refill.
  const double perRoomMs = 60000.0 / limits::kDefaultRoomsPerMinute;
  EXPECT_NEAR(a.waitMs("10.0.0.1", AddressLimit::Rooms, 1, 0), (burst + 1) * perRoomMs, 1e-3);
}

TEST(AddressLimits, RemoteChargesNeverGrowTheTablePastItsCap) {
  AddressLimits a(smallTable(2));
  a.open("10.0.0.1", 0);
  EXPECT_TRUE(a.applyRemote({"10.0.0.2", AddressLimit::Rooms, 1}, 0));
  EXPECT_FALSE(a.applyRemote({"10.0.0.3", AddressLimit::Rooms, 1}, 0));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.evictedAtCap(), 0u);  // and they push nobody out
  EXPECT_FALSE(a.applyRemote({"10.0.0.1", AddressLimit::Rooms, 0}, 0));  // nothing to charge
  EXPECT_FALSE(a.applyRemote({"10.0.0.1", AddressLimit::Rooms, -5}, 0));
}

}  // namespace
}  // namespace huddle
