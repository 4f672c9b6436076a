// Client's unreliable sends: at most once, never older than one already delivered from the
// same sender, nothing queued or resent; on the link's unordered channel, or a few of the newest in
// the next relay frame.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::ClientHarness;
using testing::kDefaults;
using testing::dataOf;
using testing::framesOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000003";

std::vector<UnreliableMessage> unreliableTo(const ClientHarness& c, const PeerId& peer) {
  return framesOf<UnreliableMessage>(c.sentUnreliableToPeer(peer));
}

std::vector<json> relayedUnreliableData(const ClientHarness& c, const PeerId& peer) {
  return dataOf(framesOf<UnreliableMessage>(c.relayedTo(peer)));
}

UnreliableMessage datagram(std::uint64_t epoch, std::uint64_t n, json data) {
  return UnreliableMessage{epoch, n, 100 + n, 5.0, true, data.dump()};
}

class ClientUnreliable : public ::testing::Test {
 protected:
  void SetUp() override { c.enterRoom(kSelf, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}); }
  ClientHarness c;
};

TEST_F(ClientUnreliable, GoesOnTheUnorderedChannelNumberedAndIsNeverResent) {
  c.client.onLinkOpen("P1");
  c.client.onLinkOpen("P2");
  auto first = c.client.send(R"({"x":1})", Delivery::Unreliable);
  auto second = c.client.sendTo("P1", R"({"x":2})", Delivery::Unreliable);
  ASSERT_TRUE(first.ok() && second.ok());
  auto toAnn = unreliableTo(c, "P1");
  ASSERT_EQ(toAnn.size(), 2u);
  EXPECT_EQ(toAnn[0].n, 1u);
  EXPECT_EQ(toAnn[1].n, 2u);
  EXPECT_EQ(toAnn[0].id, first.value());
  EXPECT_TRUE(toAnn[0].broadcast);
  EXPECT_FALSE(toAnn[1].broadcast);
  EXPECT_EQ(json::parse(toAnn[1].data), json({{"x", 2}}));
  EXPECT_EQ(unreliableTo(c, "P2").size(), 1u);
  EXPECT_THAT(c.messagesTo("P1"), IsEmpty());  // nothing on the reliable stream
  // A new link resends the reliable stream only.
  c.client.onLinkClosed("P1");
  c.signalFrom("P1", SignalPayload{SignalKind::Answer, "x", "", "", -1});
  c.client.onLinkOpen("P1");
  EXPECT_EQ(unreliableTo(c, "P1").size(), 2u);
}

TEST_F(ClientUnreliable, AFullReliableQueueDoesNotStopUnreliableSends) {
  c.client.onLinkOpen("P1");
  for (std::size_t i = 0; i < limits::kMaxUnackedPerPeer; ++i) ASSERT_TRUE(c.client.sendTo("P1", "1").ok());
  EXPECT_EQ(c.client.sendTo("P1", "1").error().code, ErrorCode::SendQueueFull);
  EXPECT_TRUE(c.client.sendTo("P1", "1", Delivery::Unreliable).ok());
  EXPECT_EQ(c.client.send("[1e400]", Delivery::Unreliable).error().code, ErrorCode::DataInvalid);
}

TEST_F(ClientUnreliable, WithoutAnyPathYetItIsDropped) {
  ASSERT_TRUE(c.client.send("1", Delivery::Unreliable).ok());
  c.client.onLinkOpen("P1");
  EXPECT_THAT(unreliableTo(c, "P1"), IsEmpty());
  c.advance(kDefaults.linkOpenTimeoutMs + testing::kRelayIntervalMs);  // Bob now on relay
  EXPECT_THAT(relayedUnreliableData(c, "P2"), IsEmpty());
}

TEST_F(ClientUnreliable, OnTheRelayOnlyTheNewestFewWaitForTheNextFrame) {
  c.advance(kDefaults.linkOpenTimeoutMs);
  ASSERT_EQ(c.transportOf("P2"), Transport::Relay);
  c.advance(1000);
  ASSERT_TRUE(c.client.sendTo("P2", "0", Delivery::Unreliable).ok());  // goes at once
  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(c.client.sendTo("P2", std::to_string(i), Delivery::Unreliable).ok());
  c.advance(testing::kRelayIntervalMs);
  std::vector<json> expected{0};
  for (int i = 20 - static_cast<int>(limits::kMaxUnreliableQueuedPerPeer) + 1; i <= 20; ++i) expected.push_back(i);
  EXPECT_EQ(relayedUnreliableData(c, "P2"), expected);
  c.advance(kDefaults.relayResendMs * 2);  // and nothing comes again
  EXPECT_EQ(relayedUnreliableData(c, "P2"), expected);
}

TEST_F(ClientUnreliable, AnOlderOneArrivingAfterANewerOneIsDropped) {
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", datagram(9, 2, "two"));
  c.fromPeer("P1", datagram(9, 1, "one (late)"));
  c.fromPeer("P1", datagram(9, 2, "two (duplicate)"));
  c.fromPeer("P1", datagram(9, 5, "five"));
  ASSERT_EQ(c.observer.messages.size(), 2u);
  EXPECT_EQ(c.observer.messages[0].data, "two");
  EXPECT_EQ(c.observer.messages[1].data, "five");
  EXPECT_FALSE(c.observer.messages[0].meta.reliable);
  EXPECT_EQ(c.observer.messages[0].meta.id, 102u);
  // Through the relay too, in the same numbering.
  c.fromRelay("P1", {datagram(9, 4, "four (late)"), datagram(9, 6, "six")});
  ASSERT_EQ(c.observer.messages.size(), 3u);
  EXPECT_EQ(c.observer.messages[2].data, "six");
  // A reloaded page starts a new epoch at 1.
  c.fromPeer("P1", datagram(10, 1, "fresh start"));
  ASSERT_EQ(c.observer.messages.size(), 4u);
  EXPECT_EQ(c.observer.messages[3].data, "fresh start");
  EXPECT_THAT(c.acksTo("P1"), IsEmpty());
}

TEST(PeerMessage, UnreliableRoundTripsAndRefusesZeroNumbers) {
  auto d = decodePeerMessage(encode(datagram(3, 4, json{{"a", 1}})));
  ASSERT_TRUE(d.ok());
  const auto& u = std::get<UnreliableMessage>(d.value());
  EXPECT_EQ(u.epoch, 3u);
  EXPECT_EQ(u.n, 4u);
  EXPECT_EQ(u.data, R"({"a":1})");
  EXPECT_FALSE(decodePeerMessage(R"({"t":"umsg","e":0,"n":1,"id":1,"ts":0,"data":1})").ok());
  EXPECT_FALSE(decodePeerMessage(R"({"t":"umsg","e":1,"n":0,"id":1,"ts":0,"data":1})").ok());
  EXPECT_FALSE(decodePeerMessage(R"({"t":"umsg","e":1,"n":1,"id":1,"ts":0})").ok());
}

}  // namespace
}  // namespace huddle
