// Membership, join order and host (DESIGN.md "Rooms, codes, host").
#include <gtest/gtest.h>

#include "fakes/printers.hpp"
#include "huddle/room.hpp"

namespace huddle {
namespace {

std::vector<PeerId> ids(const Room& room) {
  std::vector<PeerId> out;
  for (const auto& m : room.members()) out.push_back(m.id);
  return out;
}

TEST(Room, MembersAreKeptInJoinOrderWithIncreasingJoinOrders) {
  Room room("ABC234", 4);
  auto a = room.add("A", "Ann");
  auto b = room.add("B", "Bob");
  auto c = room.add("C", "Cy");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a.value().joinOrder, 1u);
  EXPECT_EQ(b.value().joinOrder, 2u);
  EXPECT_EQ(c.value().joinOrder, 3u);
  EXPECT_EQ(ids(room), (std::vector<PeerId>{"A", "B", "C"}));
  EXPECT_EQ(room.size(), 3u);
  EXPECT_TRUE(room.contains("B"));
  EXPECT_FALSE(room.contains("Z"));
}

TEST(Room, HostIsTheMemberWithTheLowestJoinOrder) {
  Room room("ABC234", 4);
  EXPECT_EQ(room.host(), "");
  room.add("B", "Bob");
  room.add("A", "Ann");
  EXPECT_EQ(room.host(), "B");
}

TEST(Room, HostMovesToTheNextOldestWhenTheHostLeaves) {
  Room room("ABC234", 4);
  room.add("A", "Ann");
  room.add("B", "Bob");
  room.add("C", "Cy");
  EXPECT_TRUE(room.remove("A"));
  EXPECT_EQ(room.host(), "B");
  EXPECT_TRUE(room.remove("C"));  // a non-host leaving changes nothing
  EXPECT_EQ(room.host(), "B");
  EXPECT_TRUE(room.remove("B"));
  EXPECT_TRUE(room.empty());
  EXPECT_EQ(room.host(), "");
}

TEST(Room, RemovingSomeoneAbsentReportsFalse) {
  Room room("ABC234", 4);
  room.add("A", "Ann");
  EXPECT_FALSE(room.remove("B"));
  EXPECT_EQ(room.size(), 1u);
}

TEST(Room, FullRoomRefusesWithRoomFull) {
  Room room("ABC234", 2);
  room.add("A", "Ann");
  EXPECT_FALSE(room.full());
  room.add("B", "Bob");
  EXPECT_TRUE(room.full());
  auto c = room.add("C", "Cy");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::RoomFull);
  EXPECT_EQ(room.size(), 2u);
  room.remove("A");
  EXPECT_TRUE(room.add("C", "Cy").ok());  // a freed seat can be taken
}

TEST(Room, NameTakenComparesCaseInsensitively) {
  Room room("ABC234", 6);
  room.add("A", "Ann");
  for (const char* name : {"Ann", "ann", "ANN", "aNn"}) {
    auto r = room.add("X", name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().code, ErrorCode::NameTaken) << name;
  }
  EXPECT_TRUE(room.add("B", "Anna").ok());
  EXPECT_TRUE(room.add("C", "An").ok());
}

TEST(Room, ANameIsFreeAgainOnceItsOwnerLeaves) {
  Room room("ABC234", 6);
  room.add("A", "Ann");
  room.remove("A");
  EXPECT_TRUE(room.add("B", "ann").ok());
}

TEST(Room, JoinOrdersAreNeverReused) {
  Room room("ABC234", 3);
  room.add("A", "Ann");
  room.add("B", "Bob");
  room.remove("B");
  room.remove("A");
  auto c = room.add("C", "Cy");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value().joinOrder, 3u);
  auto a = room.add("A", "Ann");  // rejoining gets a new, later place
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value().joinOrder, 4u);
  EXPECT_EQ(room.host(), "C");
}

TEST(Room, RefusedAddsDoNotConsumeJoinOrders) {
  Room room("ABC234", 3);
  room.add("A", "Ann");
  EXPECT_FALSE(room.add("X", "ANN").ok());
  EXPECT_EQ(room.add("B", "Bob").value().joinOrder, 2u);
}

TEST(Room, PeakSizeIsTheMostMembersAtOnceAndOnlyGrows) {
  Room room("ABCDEF", 8);
  EXPECT_EQ(room.peakSize(), 0u);
  room.add("A", "Ann");
  room.add("B", "Bob");
  room.add("C", "Cy");
  room.remove("B");
  room.add("D", "Dee");
  EXPECT_EQ(room.peakSize(), 3u);
  room.add("E", "Eve");
  EXPECT_EQ(room.peakSize(), 4u);
  for (const char* id : {"A", "C", "D", "E"}) room.remove(id);
  EXPECT_EQ(room.peakSize(), 4u);
}

TEST(Room, ARefusedMemberDoesNotCountTowardsThePeak) {
  Room room("ABC234", 2);
  room.add("A", "Ann");
  EXPECT_FALSE(room.add("B", "ann").ok());  // name taken
  EXPECT_EQ(room.peakSize(), 1u);
  room.add("B", "Bob");
  EXPECT_FALSE(room.add("C", "Cy").ok());  // full
  EXPECT_EQ(room.peakSize(), 2u);
}

}  // namespace
}  // namespace huddle
