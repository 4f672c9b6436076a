// Every kind of bad input is answered with its error code, and the session keeps working.
#include <string>

#include <gtest/gtest.h>

#include "huddle/limits.hpp"
#include "server/websocket_session.hpp"
#include "server_fixture.hpp"

namespace huddle::test {
namespace {

class ServerBadInput : public ServerFixture {
 protected:
  void SetUp() override { startServer(); }

  // The session still answers: a ping gets its pong.
  static void stillWorks(WsClient& client, std::uint64_t id) {
    client.send(frames::ping(id));
    EXPECT_EQ(client.expect("pong")["id"], id);
  }
};

TEST_F(ServerBadInput, FrameBeforeHelloIsHelloRequired) {
  WsClient client(port());
  client.send(frames::create("Ann"));
  client.expectError("hello_required");
  client.hello();
  client.create("Ann");
}

TEST_F(ServerBadInput, NotJsonIsBadJson) {
  auto client = greeted();
  client->sendText("this is not json");
  client->expectError("bad_json");
  client->sendText("{\"t\":\"ping\"");
  client->expectError("bad_json");
  stillWorks(*client, 1);
}

TEST_F(ServerBadInput, InvalidUtf8IsBadJsonAndTheSocketSurvives) {
  // RFC 6455 lets an endpoint close with 1007 here, and Beast did while it read our frames. The
  // project's rule is that every bad frame is answered and the connection stays usable; the JSON
  // decoder refuses invalid UTF-8 (in a string or not) like any other bad JSON.
  auto client = greeted();
  client->sendText("{\"t\":\"ping\",\"id\":1,\"x\":\"\xff\xfe\"}");
  client->expectError("bad_json");
  client->sendText("\xc3\x28");
  client->expectError("bad_json");
  stillWorks(*client, 7);
}

TEST_F(ServerBadInput, WrongTypesAndMissingFieldsAreBadFrame) {
  auto client = greeted();
  for (const char* text : {R"({"t":"create","name":5})", R"({"t":"join"})", R"({"t":"join","code":"ABCDEF"})",
                           R"({"t":"create","name":"Ann","maxMembers":"six"})", R"([1,2,3])", R"({"type":"hello"})",
                           R"({"t":7})"}) {
    client->sendText(text);
    client->expectError("bad_frame");
  }
  stillWorks(*client, 2);
}

TEST_F(ServerBadInput, UnknownTypeIsUnknownType) {
  auto client = greeted();
  client->sendText(R"({"t":"teleport"})");
  client->expectError("unknown_type");
  stillWorks(*client, 3);
}

TEST_F(ServerBadInput, FrameOverTheProtocolLimitIsFrameTooLargeAndTheSocketSurvives) {
  auto client = greeted();
  // Valid JSON, one byte over the limit.
  std::string text = R"({"t":"ping","pad":")";
  text.append(limits::kMaxFrameBytes + 1 - text.size() - 2, 'x');
  text += "\"}";
  ASSERT_EQ(text.size(), limits::kMaxFrameBytes + 1);
  client->sendText(text);
  client->expectError("frame_too_large");
  stillWorks(*client, 4);
  // Exactly at the limit is fine.
  text.erase(text.size() - 3, 1);
  client->sendText(text);
  client->expect("pong");
}

TEST_F(ServerBadInput, MessageOverTheTransportCapClosesTheConnection) {
  auto client = greeted();
  // Fragments up to exactly the cap, then one byte more: the server notices at the last frame's
  // header, once everything is written, so the close frame reliably reaches the client.
  client->sendFragmented(std::string(server::kTransportMaxMessageBytes + 1, 'x'), 64 * 1024);
  auto code = client->waitClosed();
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1009);  // too big
}

TEST_F(ServerBadInput, BinaryFrameIsBadFrame) {
  auto client = greeted();
  client->sendBinary(std::string("\x01\x02\x03", 3));
  client->expectError("bad_frame");
  stillWorks(*client, 5);
  EXPECT_EQ(server().stats().transport.binaryFramesRejected, 1u);
}

TEST_F(ServerBadInput, RoomOrderMistakes) {
  auto ann = greeted();
  ann->send(frames::offer("SOMEONEELS", "v=0"));
  ann->expectError("not_in_room");
  ann->send(frames::leave());
  ann->expectError("not_in_room");
  const std::string code = ann->create("Ann")["code"].get<std::string>();
  ann->send(frames::join("another-room", "Ann2"));
  ann->expectError("already_in_room");
  ann->send(frames::create("Ann"));
  ann->expectError("already_in_room");
  ann->send(frames::hello());
  ann->expectError("bad_frame");
  stillWorks(*ann, 6);
  // Still a working member of the room.
  auto bob = greeted();
  bob->join(code, "Bob");
  EXPECT_EQ(ann->expect("peer_joined")["peer"]["name"], "Bob");
}

TEST_F(ServerBadInput, WrongProtocolVersionIsRefused) {
  WsClient client(port());
  client.send(frames::hello(99));
  client.expectError("unsupported_version");
  client.hello();
}

TEST_F(ServerBadInput, RejectionsAreCounted) {
  auto client = greeted();
  client->sendText("nope");
  client->expectError("bad_json");
  client->sendBinary("b");
  client->expectError("bad_frame");
  auto stats = server().stats();
  EXPECT_EQ(stats.hub.framesRejected, 1u);
  EXPECT_EQ(stats.transport.binaryFramesRejected, 1u);
}

}  // namespace
}  // namespace huddle::test
