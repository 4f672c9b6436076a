// huddle-server --redis (room_directory.hpp, docs/cluster.md) with a real redis-server: a restarted
// server has every room back, with its members' places, host and password; while Redis is dead or
// hung the rooms go on and /healthz says degraded; afterwards the directory is written again; a
// server that started while Redis hung reads the rooms once it answers; records it cannot read,
// and rooms that closed, are deleted.
#include <gtest/gtest.h>

#include "redis_process.hpp"
#include "redis_test_support.hpp"
#include "server/metrics.hpp"
#include "server/redis_client.hpp"
#include "server/room_records.hpp"
#include "server_fixture.hpp"

namespace huddle::test {
namespace {

struct Member {
  std::string id;
  std::string token;
};

class RoomDirectoryTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (server_) server_->stop();
    if (other_) other_->stop();
  }

  server::ServerConfig config(const std::string& nodeId) const { return nodeConfig(redis_.port(), nodeId, kLeaseMs); }
  // (Re)starts the server under test: node "node-a" unless told otherwise, a fresh process each
  // time (so a restart of the same node).
  void startServer(const std::string& nodeId = "node-a") {
    if (server_) server_->stop();
    server_ = std::make_unique<server::Server>(config(nodeId));
    auto ec = server_->start();
    ASSERT_FALSE(ec) << ec.message();
    port_ = server_->port();
  }
  static constexpr double kLeaseMs = 600;
  server::DirectoryStats directory() const { return server_->stats().directory; }

  // A client that said hello, and who it is.
  std::pair<std::unique_ptr<WsClient>, Member> member() {
    auto client = std::make_unique<WsClient>(port_);
    Json welcome = client->hello();
    return {std::move(client), Member{welcome["id"].get<std::string>(), welcome["token"].get<std::string>()}};
  }
  // `m` comes back to the (restarted) server: hello with its id and token, then its join.
  std::unique_ptr<WsClient> comeBack(const Member& m, const std::string& name) {
    auto client = std::make_unique<WsClient>(port_);
    client->send({{"t", "hello"}, {"v", 1}, {"id", m.id}, {"token", m.token}});
    Json welcome = client->expect("welcome");
    EXPECT_TRUE(welcome.value("resumed", false)) << welcome.dump();
    client->send({{"t", "join"}, {"code", code_}, {"name", name}});
    return client;
  }
  // The room's record in Redis; null when there is none (discarded when it is not JSON).
  Json record(const std::string& key) const {
    std::string text = redis_.cli({"GET", "huddle:room:" + key});
    return text.empty() ? Json() : Json::parse(text, nullptr, /*allow_exceptions=*/false);
  }
  bool recordHasMembers(const std::string& key, std::size_t n) const {
    Json r = record(key);
    return r.is_object() && r["members"].size() == n;
  }

  // Ann creates a room with a password; Bob and Cy join it; its record says so.
  void threeMembers() {
    std::tie(ann_, annId_) = member();
    ann_->send({{"t", "create"}, {"name", "Ann"}, {"maxMembers", 4}, {"password", "sesame"}});
    code_ = ann_->expect("room_joined")["code"].get<std::string>();
    for (auto [who, name] : {std::pair{&bob_, "Bob"}, {&cy_, "Cy"}}) {
      Member m;
      std::tie(*who, m) = member();
      (who == &bob_ ? bobId_ : cyId_) = m;
      (*who)->send({{"t", "join"}, {"code", code_}, {"name", name}, {"password", "sesame"}});
      (*who)->expect("room_joined");
    }
    ASSERT_TRUE(eventually([&] { return recordHasMembers(code_, 3); })) << record(code_).dump();
  }

  RedisProcess redis_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<server::Server> other_;  // a second node on the same Redis
  unsigned short port_ = 0;
  std::unique_ptr<WsClient> ann_, bob_, cy_;
  Member annId_, bobId_, cyId_;
  std::string code_;
};

TEST_F(RoomDirectoryTest, ARestartedServerHasTheRoomItsPlacesItsHostAndItsPassword) {
  startServer();
  threeMembers();
  startServer();  // a new process: nothing in memory
  EXPECT_EQ(directory().restored, 1u);
  EXPECT_EQ(server_->stats().hub.awayMembers, 3u);

  auto cy = comeBack(cyId_, "Cy");  // not the host, and first back
  Json room = cy->expect("room_joined");
  EXPECT_EQ(room["host"], annId_.id);
  EXPECT_EQ(room["maxMembers"], 4);
  EXPECT_EQ(room["password"], true);
  ASSERT_EQ(room["peers"].size(), 3u);
  EXPECT_EQ(room["peers"][0]["id"], annId_.id);
  EXPECT_EQ(room["peers"][1]["id"], bobId_.id);

  auto bob = comeBack(bobId_, "Bob");
  bob->expect("room_joined");
  EXPECT_EQ(cy->expect("peer_back")["id"], bobId_.id);

  auto [dee, deeId] = member();
  dee->send({{"t", "join"}, {"code", code_}, {"name", "Dee"}});
  dee->expectError("wrong_password");
  dee->send({{"t", "join"}, {"code", code_}, {"name", "Dee"}, {"password", "sesame"}});
  EXPECT_EQ(dee->expect("room_joined")["peers"].back()["joinOrder"], 4);
}

TEST_F(RoomDirectoryTest, WhileRedisIsDownRoomsGoOnAndAfterwardsTheDirectoryIsWrittenAgain) {
  startServer();
  threeMembers();
  redis_.kill();
  ASSERT_TRUE(eventually([&] { return !directory().up; }));
  const std::string health = server::healthzJson(server_->stats());
  EXPECT_NE(health.find(R"("status":"degraded")"), std::string::npos) << health;
  EXPECT_NE(health.find(R"("redis":{"status":"down")"), std::string::npos) << health;

  // The room is the server's memory: a new member gets in, and the others hear of it.
  auto [dee, deeId] = member();
  dee->send({{"t", "join"}, {"code", code_}, {"name", "Dee"}, {"password", "sesame"}});
  dee->expect("room_joined");
  ann_->expect("peer_joined");

  redis_.restart();  // empty: it lost everything
  ASSERT_TRUE(eventually([&] { return directory().up && directory().reconciles >= 1; }, 5000ms));
  ASSERT_TRUE(eventually([&] { return recordHasMembers(code_, 4); })) << record(code_).dump();
  EXPECT_EQ(server::healthzJson(server_->stats()).find("degraded"), std::string::npos);
}

TEST_F(RoomDirectoryTest, AServerStartedWhileRedisHangsReadsTheRoomsOnceItAnswers) {
  startServer();
  threeMembers();
  server_->stop();
  redis_.pause();
  startServer();  // its read at start gives up after 2 s
  EXPECT_FALSE(directory().loaded);
  EXPECT_EQ(server_->stats().hub.rooms, 0u);
  redis_.resume();
  ASSERT_TRUE(eventually([&] { return directory().loaded; }, 6000ms)) << directory().reason;
  EXPECT_EQ(directory().restored, 1u);
  auto bob = comeBack(bobId_, "Bob");
  EXPECT_EQ(bob->expect("room_joined")["host"], annId_.id);
}

TEST_F(RoomDirectoryTest, ARecordThisServerCannotReadIsSkippedAndDeletedAndAClosedRoomsRecordGoes) {
  redis_.cli({"SET", "huddle:room:JUNK42", "not a record"});
  startServer();
  EXPECT_EQ(directory().restored, 0u);
  ASSERT_TRUE(eventually([&] { return record("JUNK42").is_null(); })) << "the reconcile deletes it";

  auto [ann, annId] = member();
  std::string code = ann->create("Ann")["code"].get<std::string>();
  ASSERT_TRUE(eventually([&] { return recordHasMembers(code, 1); }));
  ann->send({{"t", "leave"}});
  EXPECT_TRUE(eventually([&] { return record(code).is_null(); }));
}

TEST_F(RoomDirectoryTest, NodesSharingARedisKeepToTheirOwnRooms) {
  other_ = std::make_unique<server::Server>(config("node-b"));
  ASSERT_FALSE(other_->start());
  WsClient bob(other_->port());
  bob.hello();
  const std::string bobsRoom = bob.create("Bob")["code"].get<std::string>();
  ASSERT_TRUE(eventually([&] { return recordHasMembers(bobsRoom, 1); }));
  EXPECT_EQ(redis_.cli({"GET", "huddle:owner:" + bobsRoom}), "node-b");

  startServer();
  auto [ann, annId] = member();
  const std::string annsRoom = ann->create("Ann")["code"].get<std::string>();
  ASSERT_TRUE(eventually([&] { return recordHasMembers(annsRoom, 1); }));
  EXPECT_EQ(redis_.cli({"GET", "huddle:owner:" + annsRoom}), "node-a");

  startServer();  // node-a again: its own room back, not node-b's (whose lease is live)
  EXPECT_EQ(directory().restored, 1u);
  EXPECT_EQ(server_->stats().hub.rooms, 1u);
  EXPECT_EQ(other_->stats().hub.rooms, 1u);
  ASSERT_TRUE(eventually([&] { return directory().reconciles == 1; }));  // its first, after the start
  redis_.kill();  // and both write their rooms again, each its own
  redis_.restart();
  ASSERT_TRUE(eventually([&] { return directory().reconciles >= 2 && other_->stats().directory.reconciles >= 2; },
                         5000ms))
      << "node-a: " << directory().reconciles << " " << directory().up << " " << directory().reason
      << "; node-b: " << other_->stats().directory.reconciles << " " << other_->stats().directory.up;
  EXPECT_TRUE(eventually([&] { return recordHasMembers(annsRoom, 1) && recordHasMembers(bobsRoom, 1); }));
  EXPECT_EQ(redis_.cli({"GET", "huddle:owner:" + bobsRoom}), "node-b");
}

TEST_F(RoomDirectoryTest, ANodeStartedAfterAnotherDiedTakesItsRoomsOver) {
  other_ = std::make_unique<server::Server>(config("node-b"));
  ASSERT_FALSE(other_->start());
  auto bob = std::make_unique<WsClient>(other_->port());
  Json welcome = bob->hello();
  code_ = bob->create("Bob")["code"].get<std::string>();
  ASSERT_TRUE(eventually([&] { return recordHasMembers(code_, 1); }));
  other_->stop();  // node-b is gone for good; its lease lapses
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(kLeaseMs) + 200));

  startServer();
  EXPECT_EQ(directory().restored, 1u);
  EXPECT_EQ(redis_.cli({"GET", "huddle:owner:" + code_}), "node-a");
  auto back = comeBack({welcome["id"].get<std::string>(), welcome["token"].get<std::string>()}, "Bob");
  EXPECT_EQ(back->expect("room_joined")["host"], welcome["id"]);
}

// Hundreds of rooms, read back at start and once Redis answers.
TEST_F(RoomDirectoryTest, HundredsOfStoredRoomsAllComeBack) {
  std::string error;
  auto sync = server::RedisSyncClient::connect(localUrl(redis_.port()), 2000ms, error);
  ASSERT_TRUE(sync) << error;
  constexpr int kRooms = 450;
  for (int i = 0; i < kRooms; ++i) {
    const std::string n = std::to_string(1000 + i);
    RoomRecord r{.key = "room-" + n, .maxMembers = 6, .creator = "m" + n, .nextJoinOrder = 2};
    r.members.push_back({"m" + n, "M", 1, "token-of-m" + n + "-0123456789"});
    ASSERT_TRUE(sync->command({"SET", "huddle:room:" + r.key, server::encodeRoomRecord(r, 0)}).ok());
  }
  startServer();
  EXPECT_EQ(directory().restored, static_cast<std::uint64_t>(kRooms));
  EXPECT_EQ(server_->stats().hub.rooms, static_cast<std::uint64_t>(kRooms));

  server_->stop();
  redis_.pause();
  startServer();
  EXPECT_EQ(server_->stats().hub.rooms, 0u);
  redis_.resume();
  ASSERT_TRUE(eventually([&] { return directory().loaded; }, 6000ms)) << directory().reason;
  EXPECT_EQ(directory().restored, static_cast<std::uint64_t>(kRooms));
}

}  // namespace
}  // namespace huddle::test
