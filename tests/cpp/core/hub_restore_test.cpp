// A room recreated after a server restart: its members come back one by one (in whatever order
// their reconnects land) and take their old join order back (Join::rank), so the host is who it
// was, not whoever reconnected first. Only for the grace period, and only for free places.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::HubHarness;
using testing::onlyFrame;

constexpr double kGrace = 30000;

class HubRestore : public ::testing::Test {
 protected:
  // A fresh server (nothing known): `conn` says hello with `id` and joins `code` as a member
  // coming back with `rank`.
  std::vector<Outgoing> comeBack(ConnId conn, const std::string& id, const std::string& name, std::uint64_t rank) {
    h.hub.connect(conn);
    h.send(conn, Hello{limits::kProtocolVersion, id, "token-" + id + "-0123456789", false});
    return h.send(conn, Join{"ABC234", name, true, 0, false, rank});
  }
  HubHarness h;
};

TEST_F(HubRestore, TheOldHostIsHostAgainWhenItComesBackSecond) {
  RoomJoined ben = onlyFrame<RoomJoined>(comeBack(2, "ben", "Ben", 2), 2);
  EXPECT_EQ(ben.host, "ben");  // alone for now
  auto out = comeBack(1, "ann", "Ann", 1);
  RoomJoined ann = onlyFrame<RoomJoined>(out, 1);
  EXPECT_EQ(ann.host, "ann");
  ASSERT_EQ(ann.peers.size(), 2u);
  EXPECT_EQ(ann.peers[0].id, "ann");  // in join order
  EXPECT_EQ(ann.peers[0].joinOrder, 1u);
  EXPECT_EQ(ann.peers[1].joinOrder, 2u);
  // Ben hears of Ann, then that she is host again.
  auto toBen = testing::framesTo(out, 2);
  ASSERT_EQ(toBen.size(), 2u);
  EXPECT_EQ(std::get<PeerJoined>(toBen[0]).peer.id, "ann");
  EXPECT_EQ(std::get<HostChanged>(toBen[1]).host, "ann");
  // A newcomer joins after them, whatever it claims.
  h.hub.connect(3);
  h.send(3, Hello{limits::kProtocolVersion, "", "", false});
  RoomJoined cy = onlyFrame<RoomJoined>(h.send(3, Join{"ABC234", "Cy"}), 3);
  EXPECT_EQ(cy.peers.back().joinOrder, 3u);
  EXPECT_EQ(cy.host, "ann");
}

TEST_F(HubRestore, ATakenRankOrOneAfterTheGracePeriodJoinsAtTheEnd) {
  comeBack(1, "ann", "Ann", 4);
  RoomJoined twin = onlyFrame<RoomJoined>(comeBack(2, "ben", "Ben", 4), 2);
  EXPECT_EQ(twin.peers.back().id, "ben");
  EXPECT_EQ(twin.peers.back().joinOrder, 5u);  // 4 is Ann's: the next free one
  h.now += kGrace;
  RoomJoined late = onlyFrame<RoomJoined>(comeBack(3, "cy", "Cy", 1), 3);
  EXPECT_EQ(late.host, "ann");  // too late to claim the first place
  EXPECT_EQ(late.peers.back().id, "cy");
}

TEST_F(HubRestore, ARankInAnOrdinaryRoomIsIgnored) {
  h.hub.connect(1);
  h.send(1, Hello{limits::kProtocolVersion, "", "", false});
  std::string code = h.create(1, "Ann");
  h.hub.connect(2);
  h.send(2, Hello{limits::kProtocolVersion, "", "", false});
  RoomJoined r = onlyFrame<RoomJoined>(h.send(2, Join{code, "Mallory", false, 0, false, 1}), 2);
  EXPECT_EQ(r.host, r.peers.front().id);
  EXPECT_EQ(r.peers.back().name, "Mallory");  // not first: the room was never restored
}

}  // namespace
}  // namespace huddle
