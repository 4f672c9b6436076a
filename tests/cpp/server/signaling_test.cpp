// Signaling is forwarded between members of one room only, and counted on /healthz.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace huddle::test {
namespace {

class ServerSignaling : public ServerFixture {
 protected:
  void SetUp() override { startServer(); }
};

TEST_F(ServerSignaling, OfferAnswerAndCandidatesReachTheAddressee) {
  auto [ann, bob, code] = annAndBob();

  ann->send(frames::offer(bob->id(), "v=0 offer"));
  auto offer = bob->expect("signal");
  EXPECT_EQ(offer["from"], ann->id());
  EXPECT_EQ(offer["data"]["kind"], "offer");
  EXPECT_EQ(offer["data"]["sdp"], "v=0 offer");

  bob->send(frames::answer(ann->id(), "v=0 answer"));
  auto answer = ann->expect("signal");
  EXPECT_EQ(answer["from"], bob->id());
  EXPECT_EQ(answer["data"]["kind"], "answer");

  bob->send(frames::candidate(ann->id(), "candidate:1 1 udp 1 10.0.0.1 5000 typ host"));
  auto candidate = ann->expect("signal");
  EXPECT_EQ(candidate["data"]["kind"], "ice_candidate");
  EXPECT_EQ(candidate["data"]["candidate"], "candidate:1 1 udp 1 10.0.0.1 5000 typ host");
  EXPECT_EQ(candidate["data"]["sdpMid"], "0");
  EXPECT_EQ(candidate["data"]["sdpMLineIndex"], 0);
}

TEST_F(ServerSignaling, NothingCrossesIntoAnotherRoom) {
  auto [ann, bob, code] = annAndBob();
  auto eve = greeted();
  eve->create("Eve");

  ann->send(frames::offer(eve->id(), "v=0"));
  auto error = ann->expectError("peer_not_in_room");
  EXPECT_EQ(error["ref"], "signal");
  eve->send(frames::offer(ann->id(), "v=0"));
  eve->expectError("peer_not_in_room");
  EXPECT_TRUE(eve->quietFor(std::chrono::milliseconds(150)));
  EXPECT_TRUE(bob->quietFor(std::chrono::milliseconds(50)));

  // Not to yourself, nor to someone unknown.
  ann->send(frames::offer(ann->id(), "v=0"));
  ann->expectError("peer_not_in_room");
  ann->send(frames::offer("NOSUCHPEER", "v=0"));
  ann->expectError("peer_not_in_room");
}

TEST_F(ServerSignaling, HealthzCountsSignalsAndNoRelay) {
  auto [ann, bob, code] = annAndBob();
  ann->send(frames::offer(bob->id(), "v=0"));
  bob->expect("signal");
  bob->send(frames::answer(ann->id(), "v=0"));
  ann->expect("signal");
  ann->send(frames::candidate(bob->id(), "candidate:x"));
  bob->expect("signal");
  ann->send(frames::offer("NOSUCHPEER", "v=0"));
  ann->expectError("peer_not_in_room");

  auto res = httpGet(port(), "/healthz");
  ASSERT_EQ(res.status, 200);
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["signalsForwarded"], 3);
  EXPECT_EQ(j["relayedMessages"], 0);
  EXPECT_EQ(j["connections"], 2);
  EXPECT_EQ(j["rooms"], 1);
  EXPECT_EQ(j["members"], 2);
  EXPECT_EQ(j["roomsCreated"], 1);
  EXPECT_EQ(j["framesIn"], 8);  // 2 hello, create, join, 4 signals
  EXPECT_EQ(j["framesRejected"], 1);
}

TEST_F(ServerSignaling, RelayCarriesAppDataWithinTheRoomOnly) {
  auto [ann, bob, code] = annAndBob();
  auto eve = greeted();
  eve->create("Eve");

  ann->send({{"t", "relay"}, {"seq", 1}, {"data", {{"hello", "room"}}}});
  auto broadcast = bob->expect("relay");
  EXPECT_EQ(broadcast["from"], ann->id());
  EXPECT_EQ(broadcast["seq"], 1);
  EXPECT_EQ(broadcast["broadcast"], true);
  EXPECT_EQ(broadcast["data"]["hello"], "room");

  bob->send({{"t", "relay"}, {"to", ann->id()}, {"seq", 1}, {"data", 42}});
  auto direct = ann->expect("relay");
  EXPECT_EQ(direct["broadcast"], false);
  EXPECT_EQ(direct["data"], 42);

  ann->send({{"t", "relay"}, {"to", eve->id()}, {"seq", 2}, {"data", "psst"}});
  ann->expectError("peer_not_in_room");
  EXPECT_TRUE(eve->quietFor(std::chrono::milliseconds(100)));
  EXPECT_EQ(server().stats().hub.relayedMessages, 2u);
}

}  // namespace
}  // namespace huddle::test
