// Roster on its own: the room's facts from room_joined, who offers on a link, and what leaving
// the room forgets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/roster.hpp"
#include "fakes/printers.hpp"

namespace huddle::client {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

RoomJoined joined() {
  return RoomJoined{"ABC234", "ME", "P1", 6, {{"P1", "Ann", 1}, {"ME", "Me", 4}, {"P9", "Zed", 7}}, true};
}

TEST(Roster, TakesTheRoomsFactsAndOurJoinOrderButNotItsMembers) {
  Roster roster;
  roster.self = "ME";
  roster.take(joined());
  EXPECT_EQ(roster.code, "ABC234");
  EXPECT_EQ(roster.maxMembers, 6);
  EXPECT_TRUE(roster.relayOnly);
  EXPECT_EQ(roster.selfJoinOrder, 4u);
  EXPECT_THAT(roster.members, IsEmpty());  // Membership decides who is listed
}

TEST(Roster, TheNewerMemberOfEachPairOffers) {
  Roster roster;
  roster.self = "ME";
  roster.take(joined());
  EXPECT_TRUE(roster.offersTo({"P1", "Ann", 1}));
  EXPECT_FALSE(roster.offersTo({"P9", "Zed", 7}));
}

TEST(Roster, InsertKeepsJoinOrderAndReplacesAnEntryWithTheSameId) {
  // After a server restart, a member restoring an older place arrives after younger ones.
  Roster roster;
  roster.insert({"P9", "Zed", 7});
  roster.insert({"ME", "Me", 4});
  roster.insert({"P1", "Ann", 1});
  roster.insert({"ME", "Me", 5});  // listed again (refreshed): moved, not doubled
  ASSERT_EQ(roster.members.size(), 3u);
  EXPECT_EQ(roster.members[0].id, "P1");
  EXPECT_EQ(roster.members[1].id, "ME");
  EXPECT_EQ(roster.members[1].joinOrder, 5u);
  EXPECT_EQ(roster.members[2].id, "P9");
}

TEST(Roster, FindsRemovesAndListsTheOthersInJoinOrder) {
  Roster roster;
  roster.self = "ME";
  roster.members = {{"P1", "Ann", 1}, {"ME", "Me", 4}, {"P9", "Zed", 7}};
  EXPECT_THAT(roster.others(), ElementsAre("P1", "P9"));
  ASSERT_NE(roster.find("P9"), nullptr);
  EXPECT_EQ(roster.find("P9")->name, "Zed");
  EXPECT_EQ(roster.find("P2"), nullptr);
  EXPECT_TRUE(roster.remove("P1"));
  EXPECT_FALSE(roster.remove("P1"));
  EXPECT_THAT(roster.others(), ElementsAre("P9"));
}

TEST(Roster, LeavingForgetsTheRoomButNotWhoWeAre) {
  Roster roster;
  roster.self = "ME";
  roster.selfName = "Me";
  roster.take(joined());
  roster.host = "P1";
  roster.members = {{"ME", "Me", 4}};
  roster.clear();
  EXPECT_EQ(roster.self, "ME");
  EXPECT_EQ(roster.selfName, "Me");
  EXPECT_EQ(roster.code, "");
  EXPECT_EQ(roster.host, "");
  EXPECT_EQ(roster.selfJoinOrder, 0u);
  EXPECT_FALSE(roster.relayOnly);
  EXPECT_THAT(roster.members, IsEmpty());
}

}  // namespace
}  // namespace huddle::client
