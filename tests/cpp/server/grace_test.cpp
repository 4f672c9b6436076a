// huddle-server keeps a member whose connection dropped as away for --member-grace-ms: the others
// see peer_away, then peer_back when it resumes with its token, or peer_left when time is up.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace huddle::test {
namespace {

using namespace std::chrono_literals;

class ServerGrace : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    config.memberGraceMs = 1500;
    startServer(config);
    ann = greeted();
    code = ann->create("Ann")["code"].get<std::string>();
    bob = std::make_unique<WsClient>(port());
    Json welcome = bob->hello();
    bobToken = welcome["token"].get<std::string>();
    bob->join(code, "Bob");
    ann->expect("peer_joined");
  }
  std::unique_ptr<WsClient> ann;
  std::unique_ptr<WsClient> bob;
  std::string code;
  std::string bobToken;
};

TEST_F(ServerGrace, ADroppedMemberIsAwayAndComesBackWithItsIdAndPlace) {
  const std::string bobId = bob->id();
  bob.reset();  // the socket dies without a close frame
  EXPECT_EQ(ann->expect("peer_away")["id"], bobId);
  EXPECT_EQ(server().stats().hub.awayMembers, 1u);

  WsClient back(port());
  back.send({{"t", "hello"}, {"v", 1}, {"id", bobId}, {"token", bobToken}});
  Json welcome = back.expect("welcome");
  EXPECT_EQ(welcome["id"], bobId);
  EXPECT_EQ(welcome["resumed"], true);
  EXPECT_EQ(ann->expect("peer_back")["id"], bobId);
  back.send({{"t", "join"}, {"code", code}, {"name", "Bob"}, {"create", true}});
  Json joined = back.expect("room_joined");
  EXPECT_EQ(joined["peers"].size(), 2u);
  EXPECT_EQ(joined["peers"][1]["joinOrder"], 2);
  EXPECT_TRUE(ann->quietFor(2500ms));  // no peer_left once the grace period would have ended
}

TEST_F(ServerGrace, AnAwayHostStaysHostUntilItsGraceEndsThenTheNextOldestTakesOver) {
  const std::string annId = ann->id();
  ann.reset();
  EXPECT_EQ(bob->expect("peer_away")["id"], annId);
  Json left = bob->expect("peer_left", 4000ms);
  EXPECT_EQ(left["id"], annId);
  EXPECT_EQ(left["reason"], "disconnected");
  EXPECT_EQ(bob->expect("host_changed")["host"], bob->id());
  EXPECT_EQ(server().stats().hub.awayMembers, 0u);
}

TEST_F(ServerGrace, AWrongTokenDoesNotResumeSomeoneElse) {
  const std::string bobId = bob->id();
  bob.reset();
  ann->expect("peer_away");
  WsClient thief(port());
  thief.send({{"t", "hello"}, {"v", 1}, {"id", bobId}, {"token", "not-the-token-at-all"}});
  EXPECT_EQ(thief.expectError("peer_id_taken")["ref"], "hello");
}

}  // namespace
}  // namespace huddle::test
