// Frames between two members over a data channel (docs/protocol.md "Peer frames").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/codec_checks.hpp"
#include "fakes/printers.hpp"
#include "huddle/limits.hpp"
#include "huddle/peer_message.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

template <typename T>
T roundTrip(const PeerMessage& message) {
  return testing::roundTripWith<T>(decodePeerMessage, message);
}

Error refusal(std::string_view text) { return testing::refusalWith(decodePeerMessage, text); }

TEST(PeerMessage, AppMessageRoundTripsEveryField) {
  json data = {{"move", "e4"}, {"n", 1.5}, {"tags", {"a", nullptr}}};
  AppMessage m = roundTrip<AppMessage>(AppMessage{3, 17, 1700000000123.5, false, data});
  EXPECT_EQ(m.seq, 3u);
  EXPECT_EQ(m.id, 17u);
  EXPECT_DOUBLE_EQ(m.ts, 1700000000123.5);
  EXPECT_FALSE(m.broadcast);
  EXPECT_EQ(m.data, data);
}

TEST(PeerMessage, BroadcastIsTheDefaultAndIsLeftOffTheWire) {
  json wire = json::parse(encode(PeerMessage{AppMessage{1, 1, 0, true, "hi"}}));
  EXPECT_EQ(wire["t"], "msg");
  EXPECT_FALSE(wire.contains("broadcast"));
  EXPECT_TRUE(roundTrip<AppMessage>(AppMessage{1, 1, 0, true, "hi"}).broadcast);
}

TEST(PeerMessage, AckPingAndPongRoundTrip) {
  EXPECT_EQ(roundTrip<Ack>(Ack{41}).seq, 41u);
  EXPECT_EQ(roundTrip<Ack>(Ack{0}).seq, 0u);  // "nothing delivered yet" is a valid ack
  EXPECT_DOUBLE_EQ(roundTrip<LinkPing>(LinkPing{12.25}).ts, 12.25);
  EXPECT_DOUBLE_EQ(roundTrip<LinkPong>(LinkPong{12.25}).ts, 12.25);
  EXPECT_EQ(json::parse(encode(PeerMessage{Ack{2}})), json({{"t", "ack"}, {"seq", 2}}));
}

TEST(PeerMessage, MessageSeqZeroIsRefused) {
  Error e = refusal(R"({"t":"msg","seq":0,"id":1,"ts":0,"data":1})");
  EXPECT_EQ(e.code, ErrorCode::BadFrame);
  EXPECT_THAT(e.message, HasSubstr("msg.seq"));
}

TEST(PeerMessage, EachRequiredFieldIsChecked) {
  struct Case {
    const char* frame;
    const char* names;
  };
  for (const Case& c : {Case{R"({"t":"msg","id":1,"ts":0,"data":1})", "msg.seq"},
                        Case{R"({"t":"msg","seq":-1,"id":1,"ts":0,"data":1})", "msg.seq"},
                        Case{R"({"t":"msg","seq":1.5,"id":1,"ts":0,"data":1})", "msg.seq"},
                        Case{R"({"t":"msg","seq":9007199254740992,"id":1,"ts":0,"data":1})", "msg.seq"},
                        Case{R"({"t":"msg","seq":1,"ts":0,"data":1})", "msg.id"},
                        Case{R"({"t":"msg","seq":1,"id":1,"data":1})", "msg.ts"},
                        Case{R"({"t":"msg","seq":1,"id":1,"ts":"now","data":1})", "msg.ts"},
                        Case{R"({"t":"msg","seq":1,"id":1,"ts":0})", "msg.data"},
                        Case{R"({"t":"msg","seq":1,"id":1,"ts":0,"data":1,"broadcast":0})", "msg.broadcast"},
                        Case{R"({"t":"ack"})", "ack.seq"}, Case{R"({"t":"ack","seq":"1"})", "ack.seq"},
                        Case{R"({"t":"ping"})", "ping.ts"}, Case{R"({"t":"pong","ts":[]})", "pong.ts"}}) {
    Error e = refusal(c.frame);
    EXPECT_EQ(e.code, ErrorCode::BadFrame) << c.frame;
    EXPECT_THAT(e.message, HasSubstr(c.names)) << c.frame;
  }
}

TEST(PeerMessage, FrameLevelRefusalsUseTheSharedCodes) {
  EXPECT_EQ(refusal("{{").code, ErrorCode::BadJson);
  EXPECT_EQ(refusal("[]").code, ErrorCode::BadFrame);
  EXPECT_EQ(refusal(R"({"seq":1})").code, ErrorCode::BadFrame);
  Error unknown = refusal(R"({"t":"hello","v":1})");
  EXPECT_EQ(unknown.code, ErrorCode::UnknownType);
  EXPECT_THAT(unknown.message, HasSubstr("hello"));
  EXPECT_EQ(refusal(std::string(limits::kMaxFrameBytes + 1, ' ')).code, ErrorCode::FrameTooLarge);
  std::string deep = R"({"t":"msg","seq":1,"id":1,"ts":0,"data":)" + std::string(64, '[') + std::string(64, ']') + "}";
  EXPECT_EQ(refusal(deep).code, ErrorCode::BadFrame);
}

TEST(PeerMessage, UnknownExtraFieldsAreIgnored) {
  auto d = decodePeerMessage(R"({"t":"ack","seq":4,"window":128})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<Ack>(d.value()).seq, 4u);
}

TEST(PeerMessage, InvalidUtf8InDataIsReplacedNotThrown) {
  std::string text;
  ASSERT_NO_THROW(text = encode(PeerMessage{AppMessage{1, 1, 0, true, json("bad \xff byte")}}));
  EXPECT_TRUE(decodePeerMessage(text).ok());
}

}  // namespace
}  // namespace huddle
