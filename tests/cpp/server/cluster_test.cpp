// Members of one room on two nodes (docs/cluster.md, "Members on other nodes"): two in-process
// huddle-servers share a real redis-server. A member whose socket reached the node that does not
// hold its room is handed to the one that does: it joins, relays and signals as if both were on
// one server. Its gateway's loss makes it away at the owner; the owner's loss ends its socket, and
// when it comes back the room comes back where it landed, with its places and host.
#include <gtest/gtest.h>

#include "redis_process.hpp"
#include "redis_test_support.hpp"
#include "server_fixture.hpp"

namespace huddle::test {
namespace {

class ClusterTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (auto* node : {&a_, &b_})
      if (*node) (*node)->stop();
  }
  std::unique_ptr<server::Server> start(const std::string& nodeId) {
    auto node = std::make_unique<server::Server>(nodeConfig(redis_.port(), nodeId));
    auto ec = node->start();
    EXPECT_FALSE(ec) << ec.message();
    return node;
  }
  void SetUp() override {
    a_ = start("node-a");
    b_ = start("node-b");
    ann_ = std::make_unique<WsClient>(a_->port());
    ann_->hello();
    code_ = ann_->create("Ann")["code"].get<std::string>();
    bob_ = std::make_unique<WsClient>(b_->port());
    Json welcome = bob_->hello();
    bobToken_ = welcome["token"].get<std::string>();
  }

  RedisProcess redis_;
  std::unique_ptr<server::Server> a_, b_;
  std::unique_ptr<WsClient> ann_, bob_;
  std::string code_, bobToken_;
};

TEST_F(ClusterTest, AMemberOnTheOtherNodeJoinsRelaysAndSignalsAsIfOnOne) {
  Json room = bob_->join(code_, "Bob");
  EXPECT_EQ(room["host"], ann_->id());
  ASSERT_EQ(room["peers"].size(), 2u);
  EXPECT_EQ(ann_->expect("peer_joined")["peer"]["id"], bob_->id());
  EXPECT_EQ(a_->stats().hub.rooms, 1u);
  EXPECT_EQ(b_->stats().hub.rooms, 0u);  // node-b holds no room: it pipes

  for (int seq = 1; seq <= 20; ++seq) bob_->send({{"t", "relay"}, {"to", ann_->id()}, {"seq", seq}, {"data", seq}});
  for (int seq = 1; seq <= 20; ++seq) {
    Json got = ann_->expect("relay");
    EXPECT_EQ(got["from"], bob_->id());
    EXPECT_EQ(got["data"], seq);  // every one, in order
  }
  ann_->send({{"t", "relay"}, {"seq", 1}, {"data", {{"to", "everyone"}}}});
  EXPECT_EQ(bob_->expect("relay")["data"]["to"], "everyone");
  ann_->send(frames::offer(bob_->id(), "v=0 offer"));
  Json signal = bob_->expect("signal");
  EXPECT_EQ(signal["from"], ann_->id());
  EXPECT_EQ(signal["data"]["sdp"], "v=0 offer");
  // Counted on /metrics: node-b sent the attach, the join and bob's frames; node-a got them.
  EXPECT_GE(b_->stats().directory.nodeFramesSent, 22u);
  EXPECT_GE(a_->stats().directory.nodeFramesReceived, 22u);
}

// Two members on two nodes create the same named room at once: one node holds it, and both are in it.
TEST_F(ClusterTest, TwoNodesRacingToCreateOneNamedRoomEndWithOne) {
  WsClient cy(a_->port());
  cy.hello();
  for (int round = 0; round < 5; ++round) {
    const std::string name = "race-" + std::to_string(round);
    bob_->send({{"t", "join"}, {"code", name}, {"name", "Bob"}, {"create", true}});
    cy.send({{"t", "join"}, {"code", name}, {"name", "Cy"}, {"create", true}});
    Json forBob = bob_->expect("room_joined");
    Json forCy = cy.expect("room_joined");
    EXPECT_EQ(forBob["code"], name);
    // Whoever came second is in the first one's room, with it: two members, not two rooms.
    EXPECT_EQ(std::max(forBob["peers"].size(), forCy["peers"].size()), 2u) << "round " << round;
    EXPECT_EQ(a_->stats().hub.rooms + b_->stats().hub.rooms, 2u);  // Ann's, and the one raced for
    bob_->send(frames::leave());
    cy.send(frames::leave());
    ASSERT_TRUE(eventually([&] { return a_->stats().hub.rooms + b_->stats().hub.rooms == 1u; }));
    while (bob_->next(50ms)) {
    }
    while (cy.next(50ms)) {
    }
  }
}

// The last place of a room, asked for from both nodes at once: exactly one gets it.
TEST_F(ClusterTest, TheLastPlaceGoesToOneMemberWhicheverNodeItCameThrough) {
  WsClient dee(a_->port());
  dee.hello();
  ann_->send(frames::leave());
  std::string code = ann_->create("Ann", 2)["code"].get<std::string>();
  bob_->send(frames::join(code, "Bob"));
  dee.send(frames::join(code, "Dee"));
  int seated = 0, full = 0;
  for (WsClient* c : {bob_.get(), &dee}) {
    Json answer = *c->next(3000ms);
    if (answer["t"] == "room_joined") ++seated;
    if (answer["t"] == "error" && answer["code"] == "room_full") ++full;
  }
  EXPECT_EQ(seated, 1);
  EXPECT_EQ(full, 1);
}

TEST_F(ClusterTest, AMemberWhoseGatewayDiesIsAwayAtTheOwner) {
  bob_->join(code_, "Bob");
  ann_->expect("peer_joined");
  b_->stop();  // node-b goes, and bob's socket with it
  EXPECT_EQ(ann_->expect("peer_away", 4000ms)["id"], bob_->id());
}

TEST_F(ClusterTest, WhenTheOwnerDiesTheRoomComesBackWhereItsMembersLand) {
  const std::string bobId = bob_->id();
  bob_->join(code_, "Bob");
  ann_->expect("peer_joined");
  a_->stop();  // node-a holds the room and goes for good: node-b ends bob's socket
  ASSERT_TRUE(bob_->waitClosed(5000ms)) << "node-b kept the socket of a member whose room's node died";
  EXPECT_TRUE(eventually([&] {  // counted when the server's side of the close is done
    return b_->stats().transport.connectionsClosed[static_cast<std::size_t>(server::ConnectionEnd::NodeLost)] == 1;
  }));

  WsClient back(b_->port());
  back.send({{"t", "hello"}, {"v", 1}, {"id", bobId}, {"token", bobToken_}});
  back.expect("welcome");
  back.send({{"t", "join"}, {"code", code_}, {"name", "Bob"}, {"create", true}, {"rank", 2}});
  Json room = back.expect("room_joined");
  EXPECT_EQ(room["host"], ann_->id());  // node-b restored the room: Ann away, still host
  EXPECT_EQ(room["peers"].size(), 2u);
  EXPECT_EQ(b_->stats().hub.rooms, 1u);
}

TEST_F(ClusterTest, WhenRedisDiesPipedMembersAreEndedAndAwayAtTheOwner) {
  bob_->join(code_, "Bob");
  ann_->expect("peer_joined");
  redis_.kill();  // no frame can go between the nodes now
  // Until node-b notices (within a second) and ends him, what Bob sends is lost, and counted.
  bob_->send({{"t", "relay"}, {"to", ann_->id()}, {"seq", 1}, {"data", 1}});
  EXPECT_TRUE(eventually([&] { return b_->stats().directory.nodeFramesDropped >= 1; }))
      << "a frame Redis never took was not counted";
  EXPECT_TRUE(bob_->waitClosed(4000ms)) << "node-b kept piping into the void";
  EXPECT_EQ(ann_->expect("peer_away", 4000ms)["id"], bob_->id());
}

// Every node restarts (a deployment's rolling restart gone wrong, or a new version): the room comes
// back with its members in their places, and its host stays host, whichever member comes back
// first and through whichever node.
TEST_F(ClusterTest, RestartingEveryNodeKeepsTheRoomItsPlacesAndItsHost) {
  WsClient dee(a_->port());
  const std::string deeToken = dee.hello()["token"].get<std::string>();
  const std::string code = dee.create("Dee")["code"].get<std::string>();
  WsClient eve(b_->port());
  const std::string eveToken = eve.hello()["token"].get<std::string>();
  eve.join(code, "Eve");  // piped to node-a
  dee.expect("peer_joined");
  std::string error;
  auto redis = server::RedisSyncClient::connect(localUrl(redis_.port()), 2000ms, error);
  ASSERT_TRUE(redis) << error;
  ASSERT_TRUE(eventually([&] {  // the record holds both
    auto text = redis->command({"GET", "huddle:room:" + code});
    return text.ok() && text.reply->text.find(eve.id()) != std::string::npos;
  }));
  a_->stop();
  b_->stop();
  a_ = start("node-a");
  b_ = start("node-b");

  // Eve comes back first, through node-b: her place, and Dee, away, still host.
  WsClient eveBack(b_->port());
  eveBack.send({{"t", "hello"}, {"v", 1}, {"id", eve.id()}, {"token", eveToken}});
  eveBack.expect("welcome");
  eveBack.send({{"t", "join"}, {"code", code}, {"name", "Eve"}, {"create", true}, {"rank", 2}});
  Json room = eveBack.expect("room_joined", 3000ms);
  EXPECT_EQ(room["host"], dee.id());
  ASSERT_EQ(room["peers"].size(), 2u);
  EXPECT_EQ(room["peers"][1]["id"], eve.id());
  // Dee, through node-a: host as before, and Eve sees her back.
  WsClient deeBack(a_->port());
  deeBack.send({{"t", "hello"}, {"v", 1}, {"id", dee.id()}, {"token", deeToken}});
  deeBack.expect("welcome");
  deeBack.send({{"t", "join"}, {"code", code}, {"name", "Dee"}, {"create", true}, {"rank", 1}});
  EXPECT_EQ(deeBack.expect("room_joined", 3000ms)["host"], dee.id());
  EXPECT_EQ(eveBack.expect("peer_back", 3000ms)["id"], dee.id());
  EXPECT_EQ(a_->stats().hub.rooms + b_->stats().hub.rooms, 2u);  // this one and Ann's, each once
}

// A member piped to the room's node that leaves is handed back to its own node with the join it
// sends next (for a room its own node holds), and the frames it sent right behind that join, which
// reached the room's node before the hand-back reached its own, come back to be answered there,
// in order: nothing ends its connection (SharedState::handBack).
TEST_F(ClusterTest, AMemberThatLeftIsHandedBackWithWhatItSentMeanwhile) {
  WsClient cy(b_->port());
  cy.hello();
  const std::string local = cy.create("Cy")["code"].get<std::string>();  // node-b holds it
  bob_->join(code_, "Bob");  // piped to node-a
  ann_->expect("peer_joined");
  bob_->send(frames::leave());
  bob_->send(frames::join(local, "Bob"));
  for (std::uint64_t id = 1; id <= 3; ++id) bob_->send(frames::ping(id));
  Json room = bob_->expect("room_joined", 3000ms);
  EXPECT_EQ(room["host"], cy.id());
  for (std::uint64_t id = 1; id <= 3; ++id) EXPECT_EQ(bob_->expect("pong")["id"], id);
  EXPECT_EQ(cy.expect("peer_joined")["peer"]["id"], bob_->id());
  EXPECT_EQ(ann_->expect("peer_left")["id"], bob_->id());
  EXPECT_EQ(a_->stats().hub.members, 1u);  // node-a forgot him
  EXPECT_EQ(b_->stats().hub.members, 2u);
}

// A join that finds no room anywhere, and may not create one, is room_not_found and claims nothing:
// a claim would hold the name for 30 s against the node that created that room a moment ago and
// has not written it yet (its write would be refused: another node owns the room).
TEST_F(ClusterTest, AJoinThatFindsNoRoomClaimsNothing) {
  for (const std::string name : {"nobody-here", "ZZZZZZ"}) {
    bob_->send(frames::join(name, "Bob"));
    bob_->expectError("room_not_found");
  }
  std::string error;
  auto redis = server::RedisSyncClient::connect(localUrl(redis_.port()), 2000ms, error);
  ASSERT_TRUE(redis) << error;
  auto owners = redis->command({"KEYS", "huddle:owner:*"});
  ASSERT_TRUE(owners.ok());
  for (const auto& key : owners.reply->elements) EXPECT_EQ(key.text, "huddle:owner:" + code_);
  // node-a can still create and store a room under either name, and node-b find it there.
  WsClient cy(a_->port());
  cy.hello();
  cy.send({{"t", "join"}, {"code", "nobody-here"}, {"name", "Cy"}, {"create", true}});
  cy.expect("room_joined");
  ASSERT_TRUE(eventually([&] { return redis->command({"EXISTS", "huddle:room:nobody-here"}).reply->integer == 1; }));
  EXPECT_EQ(bob_->join("nobody-here", "Bob")["host"], cy.id());
}

TEST_F(ClusterTest, AJoinWhileRedisIsDownIsServiceUnavailable) {
  redis_.kill();
  ASSERT_TRUE(eventually([&] { return !b_->stats().directory.up; }));
  bob_->send(frames::join(code_, "Bob"));
  bob_->expectError("service_unavailable");
  // A member coming back (a join with its old join order) is not refused, which would make its
  // client give up: its connection ends, and its client tries again later.
  WsClient back(b_->port());
  back.hello();
  back.send({{"t", "join"}, {"code", code_}, {"name", "Bo"}, {"create", true}, {"rank", 2}});
  EXPECT_EQ(back.waitClosed(3000ms), 1013);
  // A room node-b holds itself still takes members: it needs nobody else.
  WsClient cy(b_->port());
  cy.hello();
  std::string local = cy.create("Cy")["code"].get<std::string>();
  bob_->join(local, "Bob");
}

}  // namespace
}  // namespace huddle::test
