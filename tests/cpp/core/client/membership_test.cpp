// Client and members the server reports away (their connection dropped; they keep their
// place for the server's grace period) and back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using testing::ClientHarness;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000002";

// With Ann (P1, host; we are newer and offered to her, and that link is open) and Cy (P3, newer;
// she offers to us, not open yet).
class ClientAway : public ::testing::Test {
 protected:
  void SetUp() override {
    c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 2}, {"P3", "Cy", 3}});
    c.client.onLinkOpen("P1");
  }
  bool isAway(const PeerId& id) const { return c.isAway(id); }
  ClientHarness c;
};

TEST_F(ClientAway, PeerAwayMarksTheMemberAndKeepsEverythingElse) {
  c.fromServer(PeerAway{"P1"});
  EXPECT_TRUE(isAway("P1"));
  EXPECT_THAT(c.observer.away, ElementsAre("P1"));
  EXPECT_EQ(c.client.host(), "P1");  // an away host is still host
  EXPECT_EQ(c.client.peers().size(), 3u);
  EXPECT_THAT(c.port.closedLinks, IsEmpty());
  ASSERT_TRUE(c.client.sendTo("P1", "\"still reachable directly\"").ok());
  EXPECT_EQ(c.messagesTo("P1").size(), 1u);
  c.fromServer(PeerAway{"P1"});  // a repeat says nothing new
  EXPECT_EQ(c.observer.away.size(), 1u);
}

TEST_F(ClientAway, PeerBackOverAnOpenLinkChangesNothingButTheMark) {
  c.fromServer(PeerAway{"P1"});
  c.fromServer(PeerBack{"P1", false});
  EXPECT_FALSE(isAway("P1"));
  EXPECT_THAT(c.observer.back, ElementsAre("P1"));
  EXPECT_EQ(c.port.openLinks.size(), 2u);
}

TEST_F(ClientAway, PeerBackWithoutAnOpenLinkMakesAFreshOneTheNewerSideOffers) {
  c.fromServer(PeerAway{"P3"});
  c.fromServer(PeerBack{"P3", false});
  ASSERT_EQ(c.port.openLinks.size(), 3u);
  EXPECT_EQ(c.port.openLinks[2].peer, "P3");
  EXPECT_FALSE(c.port.openLinks[2].offerer);  // Cy (3) is newer than us (2): she offers
  c.client.onLinkFailed("P1", "gone");
  c.fromServer(PeerAway{"P1"});
  c.fromServer(PeerBack{"P1", false});
  ASSERT_EQ(c.port.openLinks.size(), 4u);
  EXPECT_TRUE(c.port.openLinks[3].offerer);  // we are newer than Ann: we offer
}

TEST_F(ClientAway, AFreshReturnRemakesEvenALinkThatLooksOpen) {
  // Ann's page reloaded: our end of the old link may not have noticed yet.
  c.fromServer(PeerBack{"P1", true});
  ASSERT_EQ(c.port.openLinks.size(), 3u);
  EXPECT_EQ(c.port.openLinks[2].peer, "P1");
  EXPECT_TRUE(c.port.openLinks[2].offerer);
  EXPECT_EQ(c.linkOf("P1"), LinkState::Connecting);
  EXPECT_THAT(c.observer.back, IsEmpty());  // she was never away to us
}

TEST_F(ClientAway, AnAwayMemberWhoseGraceEndsLeaves) {
  c.fromServer(PeerAway{"P1"});
  c.fromServer(PeerLeft{"P1", LeaveReason::Disconnected});
  c.fromServer(HostChanged{kSelf});
  EXPECT_EQ(c.client.peers().size(), 2u);
  ASSERT_EQ(c.observer.peersLeft.size(), 1u);
  EXPECT_EQ(c.observer.peersLeft[0].second, LeaveReason::Disconnected);
  EXPECT_EQ(c.client.host(), kSelf);
}

TEST_F(ClientAway, AwayAndBackForStrangersAreIgnored) {
  c.fromServer(PeerAway{"NOBODY0000"});
  c.fromServer(PeerBack{kSelf, false});
  EXPECT_THAT(c.observer.away, IsEmpty());
  EXPECT_THAT(c.observer.back, IsEmpty());
}

}  // namespace
}  // namespace huddle
