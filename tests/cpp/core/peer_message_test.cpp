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

TEST(PeerMessage, SyncSaysWhetherTheSenderReadsBatches) {
  StreamSync ours = roundTrip<StreamSync>(StreamSync{7, 3});
  EXPECT_EQ(ours.epoch, 7u);
  EXPECT_EQ(ours.seq, 3u);
  EXPECT_TRUE(ours.batches);
  EXPECT_EQ(json::parse(encode(PeerMessage{StreamSync{7, 3}}))["batch"], true);
  // A version before batching leaves the field out.
  auto older = decodePeerMessage(R"({"t":"sync","e":7,"seq":3})");
  ASSERT_TRUE(older.ok()) << older.error().message;
  EXPECT_FALSE(std::get<StreamSync>(older.value()).batches);
  EXPECT_FALSE(json::parse(encode(PeerMessage{StreamSync{7, 3, false}})).contains("batch"));
}

TEST(LinkMessage, IsOneFrameOrABatchOfThemInOrder) {
  auto one = decodeLinkMessage(encode(PeerMessage{Ack{4}}));
  ASSERT_TRUE(one.ok()) << one.error().message;
  ASSERT_EQ(one.value().size(), 1u);
  EXPECT_EQ(std::get<Ack>(one.value()[0]).seq, 4u);

  std::string batch = " [" + encode(PeerMessage{Ack{4}}) + "," + encode(PeerMessage{AppMessage{1, 9, 0, true, "hi"}}) +
                      "," + encode(PeerMessage{LinkPong{2.5}}) + "]";
  auto three = decodeLinkMessage(batch);
  ASSERT_TRUE(three.ok()) << three.error().message;
  ASSERT_EQ(three.value().size(), 3u);
  EXPECT_EQ(std::get<Ack>(three.value()[0]).seq, 4u);
  EXPECT_EQ(std::get<AppMessage>(three.value()[1]).data, "hi");
  EXPECT_DOUBLE_EQ(std::get<LinkPong>(three.value()[2]).ts, 2.5);
}

TEST(LinkMessage, ABatchIsRefusedWholeWhenEmptyTooLongOrHoldingABadFrame) {
  auto refused = [](const std::string& text) {
    auto d = decodeLinkMessage(text);
    return d.ok() ? Error{ErrorCode::Internal, "decoded"} : d.error();
  };
  EXPECT_EQ(refused("[]").code, ErrorCode::BadFrame);
  EXPECT_EQ(refused("[{}").code, ErrorCode::BadJson);
  EXPECT_EQ(refused(R"([{"t":"ack","seq":1},{"t":"ack"}])").code, ErrorCode::BadFrame);
  EXPECT_EQ(refused(R"([{"t":"ack","seq":1},[]])").code, ErrorCode::BadFrame);
  EXPECT_EQ(refused(R"([{"t":"nope"}])").code, ErrorCode::UnknownType);
  std::string many = "[";
  for (std::size_t i = 0; i <= kMaxFramesPerBatch; ++i) many += std::string(i ? "," : "") + R"({"t":"ack","seq":1})";
  Error tooMany = refused(many + "]");
  EXPECT_EQ(tooMany.code, ErrorCode::BadFrame);
  EXPECT_THAT(tooMany.message, HasSubstr(std::to_string(kMaxFramesPerBatch)));
  EXPECT_EQ(refused("[" + std::string(limits::kMaxFrameBytes, ' ') + "]").code, ErrorCode::FrameTooLarge);
  EXPECT_EQ(refused(std::string(70, '[') + std::string(70, ']')).code, ErrorCode::BadFrame);
}

TEST(PeerMessage, InvalidUtf8InDataIsReplacedNotThrown) {
  std::string text;
  ASSERT_NO_THROW(text = encode(PeerMessage{AppMessage{1, 1, 0, true, json("bad \xff byte")}}));
  EXPECT_TRUE(decodePeerMessage(text).ok());
}

}  // namespace
}  // namespace huddle
