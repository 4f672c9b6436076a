// The room directory's side of the Hub (hub_directory.cpp): which rooms changed and their
// records, and a second Hub (a restarted server) that gets the rooms back from those records with
// every member's place, id, resume token, the host role and the password.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::HubHarness;
using testing::onlyFrame;

constexpr double kGrace = 30000;

std::string fakeHash(std::string_view password, std::string_view salt) {
  return "hash(" + std::string(salt) + "|" + std::string(password) + ")";
}

HubConfig config() {
  HubConfig c;
  c.memberGraceMs = kGrace;
  c.loneRoomGraceMs = 5000;
  c.roomIdleMs = 600000;
  c.hashPassword = fakeHash;
  return c;
}

Hello helloAs(const PeerId& id, const std::string& token) { return Hello{limits::kProtocolVersion, id, token, false}; }

class HubDirectory : public ::testing::Test {
 protected:
  HubDirectory() : before(config()), after(config(), testing::seededRandom(2)) { before.hub.recordRoomChanges(); }

  // A greeted connection on `h`; its welcome.
  static Welcome greet(HubHarness& h, ConnId conn) {
    h.hub.connect(conn);
    return onlyFrame<Welcome>(h.send(conn, Hello{limits::kProtocolVersion, "", "", false}), conn);
  }
  std::vector<RoomChange> changes() { return before.hub.takeRoomChanges(); }

  // Ann creates a room of 4 with a password, Ben and Cy join: the room `before` records.
  void threeMembers() {
    ann = greet(before, 1);
    Create create{"Ann", 4};
    create.password = "sesame";
    code = onlyFrame<RoomJoined>(before.send(1, create), 1).code;
    ben = greet(before, 2);
    Join join{code, "Ben"};
    join.password = "sesame";
    onlyFrame<RoomJoined>(before.send(2, join), 2);
    cy = greet(before, 3);
    join.name = "Cy";
    before.send(3, join);
  }
  // The records of `before`, restored into `after`; what was skipped must be nothing.
  void restart() {
    std::vector<std::string> skipped;
    EXPECT_EQ(after.hub.restoreRooms(before.hub.roomRecords(), skipped), 1u);
    EXPECT_THAT(skipped, ::testing::IsEmpty());
  }
  // `who` comes back to `after` on `conn` (hello with its id and token, then its join): the
  // frames of the join.
  std::vector<Outgoing> comeBack(ConnId conn, const Welcome& who, const std::string& name) {
    after.hub.connect(conn);
    Welcome w = onlyFrame<Welcome>(after.send(conn, helloAs(who.id, who.token)), conn);
    EXPECT_TRUE(w.resumed);
    EXPECT_EQ(w.token, who.token);
    return after.send(conn, Join{code, name});
  }

  HubHarness before;  // the server before its restart
  HubHarness after;   // the same server, restarted with an empty memory
  Welcome ann, ben, cy;
  std::string code;
};

TEST_F(HubDirectory, NothingIsNotedUnlessAsked) {
  HubHarness plain(config());
  greet(plain, 1);
  plain.create(1, "Ann");
  EXPECT_FALSE(plain.hub.hasRoomChanges());
  EXPECT_THAT(plain.hub.takeRoomChanges(), ::testing::IsEmpty());
}

TEST_F(HubDirectory, EachJoinAndLeaveIsAChangeOfItsRoomWithTheRecordAsItIsNow) {
  ann = greet(before, 1);
  code = before.create(1, "Ann", 3);
  auto first = changes();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].key, code);
  ASSERT_TRUE(first[0].record);
  const RoomRecord& r = *first[0].record;
  EXPECT_EQ(r.maxMembers, 3);
  EXPECT_EQ(r.creator, ann.id);
  EXPECT_FALSE(r.othersJoined);
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_EQ(r.members[0].id, ann.id);
  EXPECT_EQ(r.members[0].name, "Ann");
  EXPECT_EQ(r.members[0].token, ann.token);
  EXPECT_THAT(changes(), ::testing::IsEmpty());  // taken once

  ben = greet(before, 2);
  before.join(2, code, "Ben");
  before.send(2, Leave{});
  auto two = changes();
  ASSERT_EQ(two.size(), 1u);  // one room, noted once however often it changed
  ASSERT_TRUE(two[0].record);
  EXPECT_TRUE(two[0].record->othersJoined);
  EXPECT_EQ(two[0].record->members.size(), 1u);
  EXPECT_EQ(two[0].record->nextJoinOrder, 3u);

  before.send(1, Leave{});
  auto gone = changes();
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].key, code);
  EXPECT_FALSE(gone[0].record);  // the room is gone
}

TEST_F(HubDirectory, AwayIsNoChangeButItsEndIs) {
  threeMembers();
  changes();
  before.hub.disconnect(2, LeaveReason::Disconnected);
  EXPECT_THAT(changes(), ::testing::IsEmpty());  // the place and token are kept as they were
  before.now += kGrace;
  before.hub.expireAway();
  auto left = changes();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].record->members.size(), 2u);
}

TEST_F(HubDirectory, AnActivityPingIsAChangeAndTheRecordSaysHowLongTheRoomWasIdle) {
  threeMembers();
  changes();
  before.now += 4000;
  EXPECT_EQ(before.hub.roomRecords().at(0).idleMs, 4000);
  before.send(2, Ping{});
  auto pinged = changes();
  ASSERT_EQ(pinged.size(), 1u);
  EXPECT_EQ(pinged[0].record->idleMs, 0);
}

TEST_F(HubDirectory, AfterARestartTheHostIsHostWhoeverComesBackFirst) {
  threeMembers();
  restart();
  EXPECT_EQ(after.hub.stats().rooms, 1u);
  EXPECT_EQ(after.hub.stats().members, 3u);
  EXPECT_EQ(after.hub.stats().awayMembers, 3u);

  RoomJoined back = onlyFrame<RoomJoined>(comeBack(12, cy, "Cy"), 12);
  EXPECT_EQ(back.code, code);
  EXPECT_EQ(back.host, ann.id);  // away, and still host
  EXPECT_TRUE(back.password);
  EXPECT_EQ(back.maxMembers, 4);
  ASSERT_EQ(back.peers.size(), 3u);
  EXPECT_EQ(back.peers[0].id, ann.id);
  EXPECT_EQ(back.peers[1].id, ben.id);
  EXPECT_EQ(back.peers[2].id, cy.id);
  EXPECT_EQ(back.peers[2].joinOrder, 3u);

  auto out = comeBack(10, ann, "Ann");
  EXPECT_EQ(onlyFrame<RoomJoined>(out, 10).host, ann.id);
  EXPECT_EQ(after.hub.stats().awayMembers, 1u);
}

TEST_F(HubDirectory, APlaceIsHeldForItsOwnerOnly) {
  threeMembers();
  restart();
  after.hub.connect(20);
  ErrorFrame e = onlyFrame<ErrorFrame>(after.send(20, helloAs(ben.id, "not-bens-token-0123456789")), 20);
  EXPECT_EQ(e.code, ErrorCode::PeerIdTaken);
}

TEST_F(HubDirectory, AMemberThatNeverComesBackLeavesAfterTheGraceAndTheNextIsHost) {
  threeMembers();
  restart();
  comeBack(11, ben, "Ben");
  comeBack(12, cy, "Cy");
  after.now += kGrace;
  auto out = after.hub.expireAway();
  auto toBen = testing::framesTo(out, 11);
  ASSERT_EQ(toBen.size(), 2u);
  EXPECT_EQ(std::get<PeerLeft>(toBen[0]).id, ann.id);
  EXPECT_EQ(std::get<HostChanged>(toBen[1]).host, ben.id);
}

TEST_F(HubDirectory, ARestoredRoomKeepsItsPasswordAndItsFreePlace) {
  threeMembers();
  greet(before, 4);  // Dot comes and goes: join order 4 was handed out
  Join dot{code, "Dot"};
  dot.password = "sesame";
  onlyFrame<RoomJoined>(before.send(4, dot), 4);
  before.send(4, Leave{});
  restart();
  greet(after, 30);
  EXPECT_EQ(onlyFrame<ErrorFrame>(after.send(30, Join{code, "Dee"}), 30).code, ErrorCode::WrongPassword);
  Join right{code, "Dee"};
  right.password = "sesame";
  RoomJoined dee = onlyFrame<RoomJoined>(after.send(30, right), 30);
  EXPECT_EQ(dee.peers.back().joinOrder, 5u);  // after every join order handed out before
  greet(after, 31);
  right.name = "Eve";
  EXPECT_EQ(onlyFrame<ErrorFrame>(after.send(31, right), 31).code, ErrorCode::RoomFull);
}

TEST_F(HubDirectory, AnIdleRoomStaysAsIdleAsItWas) {
  threeMembers();
  before.now += 590000;
  restart();
  after.now += 10000;
  after.hub.expireAway();
  EXPECT_EQ(after.hub.stats().rooms, 0u);  // 600 s without activity, across the restart
}

TEST_F(HubDirectory, RecordsThatDoNotCheckOutAreSkippedWithAReason) {
  threeMembers();
  RoomRecord good = before.hub.roomRecords().at(0);
  auto broken = [&](auto change) {
    RoomRecord r = good;
    change(r);
    return r;
  };
  std::vector<RoomRecord> records{
      broken([](RoomRecord& r) { r.key = "no spaces allowed"; }),
      broken([](RoomRecord& r) { r.maxMembers = 9; }),
      broken([](RoomRecord& r) { r.maxMembers = 2; }),  // three members
      broken([](RoomRecord& r) { r.members.clear(); }),
      broken([](RoomRecord& r) { r.passwordSalt.clear(); }),
      broken([](RoomRecord& r) { r.members[1].token = "short"; }),
      broken([](RoomRecord& r) { r.members[1].name = " Ben"; }),
      broken([](RoomRecord& r) { r.members[1].name = "ann"; }),  // Ann's name, in another case
      broken([](RoomRecord& r) { r.members[1].joinOrder = 1; }),
      broken([](RoomRecord& r) { r.nextJoinOrder = 3; }),  // Cy's join order was handed out
  };
  std::vector<std::string> skipped;
  EXPECT_EQ(after.hub.restoreRooms(records, skipped), 0u);
  EXPECT_EQ(skipped.size(), records.size());
  EXPECT_EQ(after.hub.stats().rooms, 0u);
  EXPECT_EQ(after.hub.stats().awayMembers, 0u);

  // A key, or an id, live here already.
  greet(after, 40);
  Join live{code, "Zed", true};
  onlyFrame<RoomJoined>(after.send(40, live), 40);
  skipped.clear();
  EXPECT_EQ(after.hub.restoreRooms({good}, skipped), 0u);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_THAT(skipped[0], ::testing::HasSubstr("live"));
}

}  // namespace
}  // namespace huddle
