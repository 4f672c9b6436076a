// Room flows over real WebSockets: hello, create, join, leave, disconnect, host changes, limits.
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace huddle::test {
namespace {

bool isRoomCode(const std::string& code) {
  static const std::regex kCode("^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$");
  return std::regex_match(code, kCode);
}

std::string toLower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class ServerRooms : public ServerFixture {
 protected:
  void SetUp() override { startServer(); }
};

TEST_F(ServerRooms, HelloGetsWelcomeWithPeerIdAndIceServers) {
  auto config = testConfig();
  config.iceServers = nlohmann::json::parse(R"([{"urls":"stun:stun.example.org:3478"}])");
  stopServer();
  startServer(config);

  WsClient client(port());
  auto welcome = client.hello();
  EXPECT_EQ(welcome["v"], 1);
  EXPECT_EQ(welcome["id"].get<std::string>().size(), limits::kPeerIdLength);
  EXPECT_EQ(welcome["iceServers"], config.iceServers);
  EXPECT_EQ(welcome["maxFrameBytes"], limits::kMaxFrameBytes);

  WsClient other(port());
  EXPECT_NE(other.hello()["id"], welcome["id"]);
}

TEST_F(ServerRooms, CreateAnswersRoomJoinedWithASixCharacterCode) {
  auto ann = greeted();
  auto joined = ann->create("Ann");
  EXPECT_TRUE(isRoomCode(joined["code"].get<std::string>())) << joined.dump();
  EXPECT_EQ(joined["you"], ann->id());
  EXPECT_EQ(joined["host"], ann->id());
  EXPECT_EQ(joined["maxMembers"], 6);
  ASSERT_EQ(joined["peers"].size(), 1u);
  EXPECT_EQ(joined["peers"][0]["name"], "Ann");
  EXPECT_EQ(server().stats().hub.roomsCreated, 1u);
}

TEST_F(ServerRooms, JoinByCodeAnyCaseTellsEveryone) {
  auto ann = greeted();
  const std::string code = ann->create("Ann")["code"].get<std::string>();
  auto bob = greeted();
  auto joined = bob->join(toLower(code), "Bob");
  EXPECT_EQ(joined["code"], code);
  EXPECT_EQ(joined["you"], bob->id());
  EXPECT_EQ(joined["host"], ann->id());
  ASSERT_EQ(joined["peers"].size(), 2u);
  EXPECT_EQ(joined["peers"][0]["id"], ann->id());
  EXPECT_EQ(joined["peers"][1]["id"], bob->id());

  auto seen = ann->expect("peer_joined");
  EXPECT_EQ(seen["peer"]["id"], bob->id());
  EXPECT_EQ(seen["peer"]["name"], "Bob");

  auto cat = greeted();
  cat->join(code, "Cat");
  EXPECT_EQ(ann->expect("peer_joined")["peer"]["name"], "Cat");
  EXPECT_EQ(bob->expect("peer_joined")["peer"]["name"], "Cat");
}

TEST_F(ServerRooms, LeaveTellsTheOthersWithReasonLeft) {
  auto [ann, bob, code] = annAndBob();

  bob->send(frames::leave());
  auto left = ann->expect("peer_left");
  EXPECT_EQ(left["id"], bob->id());
  EXPECT_EQ(left["reason"], "left");
  // Bob is out of the room but still connected: he can create another.
  EXPECT_NE(bob->create("Bob")["code"], code);
}

TEST_F(ServerRooms, ClosingTheSocketTellsTheOthersWithReasonDisconnected) {
  auto [ann, bob, code] = annAndBob();
  const std::string bobId = bob->id();

  bob->close();
  bob.reset();
  auto left = ann->expect("peer_left");
  EXPECT_EQ(left["id"], bobId);
  EXPECT_EQ(left["reason"], "disconnected");
}

TEST_F(ServerRooms, DroppedTcpWithoutCloseFrameIsADisconnect) {
  auto [ann, bob, code] = annAndBob();
  bob.reset();  // socket closed without a WebSocket close frame
  EXPECT_EQ(ann->expect("peer_left")["reason"], "disconnected");
}

TEST_F(ServerRooms, HostPassesToTheNextOldestWhenTheHostLeaves) {
  auto ann = greeted();
  const std::string code = ann->create("Ann")["code"].get<std::string>();
  auto bob = greeted();
  bob->join(code, "Bob");
  auto cat = greeted();
  cat->join(code, "Cat");
  ann->expect("peer_joined");
  ann->expect("peer_joined");
  bob->expect("peer_joined");

  ann->send(frames::leave());
  for (auto* member : {bob.get(), cat.get()}) {
    EXPECT_EQ(member->expect("peer_left")["id"], ann->id());
    EXPECT_EQ(member->expect("host_changed")["host"], bob->id());
  }
  // Not the host leaving: no host change.
  cat->send(frames::leave());
  EXPECT_EQ(bob->expect("peer_left")["id"], cat->id());
  EXPECT_TRUE(bob->quietFor(std::chrono::milliseconds(100)));
}

TEST_F(ServerRooms, DefaultRoomHoldsSixThenRoomFull) {
  auto host = greeted();
  const std::string code = host->create("P0")["code"].get<std::string>();
  std::vector<std::unique_ptr<WsClient>> members;
  for (int i = 1; i < 6; ++i) {
    members.push_back(greeted());
    members.back()->join(code, "P" + std::to_string(i));
  }
  auto late = greeted();
  late->send(frames::join(code, "Late"));
  late->expectError("room_full");
  EXPECT_EQ(server().stats().hub.members, 6u);
}

TEST_F(ServerRooms, CustomMaxMembersIsEnforced) {
  auto ann = greeted();
  auto joined = ann->create("Ann", 2);
  EXPECT_EQ(joined["maxMembers"], 2);
  const std::string code = joined["code"].get<std::string>();
  auto bob = greeted();
  bob->join(code, "Bob");
  auto cat = greeted();
  cat->send(frames::join(code, "Cat"));
  cat->expectError("room_full");
  // Too large for this server: the cap is 8.
  cat->send(frames::create("Cat", 9));
  cat->expectError("invalid_room_size");
}

TEST_F(ServerRooms, ConfiguredRoomSizes) {
  auto config = testConfig();
  config.defaultRoomSize = 3;
  config.maxRoomSize = 4;
  stopServer();
  startServer(config);
  auto ann = greeted();
  EXPECT_EQ(ann->create("Ann")["maxMembers"], 3);
  auto bob = greeted();
  bob->send(frames::create("Bob", 5));
  bob->expectError("invalid_room_size");
  EXPECT_EQ(bob->create("Bob", 4)["maxMembers"], 4);
}

TEST_F(ServerRooms, UnknownRoomAndBadCodesAndNames) {
  auto ann = greeted();
  ann->send(frames::join("ABCDEF", "Ann"));
  EXPECT_EQ(ann->expectError("room_not_found")["ref"], "join");
  ann->send(frames::join("ABC", "Ann"));  // a room name nobody created
  ann->expectError("room_not_found");
  ann->send(frames::join("AB C!", "Ann"));
  ann->expectError("invalid_code");
  const std::string code = ann->create("Ann")["code"].get<std::string>();
  auto bob = greeted();
  bob->send(frames::join(code, "ann"));
  bob->expectError("name_taken");
  bob->send(frames::join(code, ""));
  bob->expectError("invalid_name");
  bob->join(code, "Bob");
}

}  // namespace
}  // namespace huddle::test
