// Frames between two members over a data channel (docs/protocol.md "Peer frames").
#include <cstring>
#include <memory>

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
  std::string data = R"({"move":"e4","n":1.5,"tags":["a",null]})";
  AppMessage m = roundTrip<AppMessage>(AppMessage{3, 17, 1700000000123.5, false, data});
  EXPECT_EQ(m.seq, 3u);
  EXPECT_EQ(m.id, 17u);
  EXPECT_DOUBLE_EQ(m.ts, 1700000000123.5);
  EXPECT_FALSE(m.broadcast);
  EXPECT_EQ(m.data, data);
  UnreliableMessage u = roundTrip<UnreliableMessage>(UnreliableMessage{4, 2, 18, 1700000000124, true, data});
  EXPECT_EQ(u.epoch, 4u);
  EXPECT_EQ(u.n, 2u);
  EXPECT_EQ(u.id, 18u);
  EXPECT_DOUBLE_EQ(u.ts, 1700000000124);
  EXPECT_EQ(u.data, data);
}

TEST(PeerMessage, DataTravelsExactlyAsWritten) {
  // Through a tree, 1E14 would come out as 100000000000000.0 and \u00e9 as two raw bytes.
  std::string data = R"( [1E14, -0.0, "\u00e9\n", {"a" : []}] )";
  std::string wire = encode(PeerMessage{AppMessage{1, 2, 3, true, data}});
  EXPECT_EQ(wire, R"({"t":"msg","seq":1,"id":2,"ts":3,"data": [1E14, -0.0, "\u00e9\n", {"a" : []}] })");
  // Received as the value's text: the spaces around it are the frame's.
  EXPECT_EQ(roundTrip<AppMessage>(AppMessage{1, 2, 3, true, data}).data, R"([1E14, -0.0, "\u00e9\n", {"a" : []}])");
}

TEST(PeerMessage, TimestampsAreWrittenAsJavaScriptReadsThem) {
  auto tsOf = [](double ts) { return json::parse(encode(PeerMessage{LinkPing{ts}}))["ts"]; };
  EXPECT_EQ(tsOf(1700000000123).dump(), "1700000000123");
  EXPECT_DOUBLE_EQ(tsOf(1700000000123.25).get<double>(), 1700000000123.25);
  EXPECT_DOUBLE_EQ(tsOf(0.1).get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(tsOf(-2.5).get<double>(), -2.5);
  EXPECT_DOUBLE_EQ(roundTrip<LinkPong>(LinkPong{1e300}).ts, 1e300);
}

TEST(PeerMessage, BroadcastIsTheDefaultAndIsLeftOffTheWire) {
  json wire = json::parse(encode(PeerMessage{AppMessage{1, 1, 0, true, R"("hi")"}}));
  EXPECT_EQ(wire["t"], "msg");
  EXPECT_FALSE(wire.contains("broadcast"));
  EXPECT_TRUE(roundTrip<AppMessage>(AppMessage{1, 1, 0, true, R"("hi")"}).broadcast);
}

TEST(PeerMessage, FieldsAreReadAsATreeWouldReadThem) {
  // In any order, with spaces; a repeated field counts last; null is absent for optional ones.
  auto d = decodePeerMessage(R"( { "data" : 5 , "ts":1, "id":2, "seq":9, "seq":3, "broadcast":null, "t":"msg" } )");
  ASSERT_TRUE(d.ok()) << d.error().message;
  const auto& m = std::get<AppMessage>(d.value());
  EXPECT_EQ(m.seq, 3u);
  EXPECT_TRUE(m.broadcast);
  EXPECT_EQ(m.data, "5");
  // More members than the validator records on its way.
  std::string many = R"({"t":"ack")";
  for (int i = 0; i < 20; ++i) many += ",\"x" + std::to_string(i) + "\":" + std::to_string(i);
  auto wide = decodePeerMessage(many + R"(,"seq":7})");
  ASSERT_TRUE(wide.ok()) << wide.error().message;
  EXPECT_EQ(std::get<Ack>(wide.value()).seq, 7u);
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

  std::string batch = " [" + encode(PeerMessage{Ack{4}}) + "," + encode(PeerMessage{AppMessage{1, 9, 0, true, R"("hi")"}}) +
                      "," + encode(PeerMessage{LinkPong{2.5}}) + "]";
  auto three = decodeLinkMessage(batch);
  ASSERT_TRUE(three.ok()) << three.error().message;
  ASSERT_EQ(three.value().size(), 3u);
  EXPECT_EQ(std::get<Ack>(three.value()[0]).seq, 4u);
  EXPECT_EQ(std::get<AppMessage>(three.value()[1]).data, R"("hi")");
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

// Found by tests/fuzz (peer_message): an element that was no object was read as one, past the end
// of the text: `[""]` read beyond its last byte (a heap overflow under ASan; in the browser's Wasm,
// whatever lay behind). A peer's data channel or the relay can send this to any member.
TEST(LinkMessage, ABatchElementThatIsNoObjectIsRefusedWithoutReadingPastTheText) {
  for (std::string text : {R"([""])", R"(["t"])", "[1]", "[null]", "[true]", R"([{"t":"ack","seq":1},"x"])"}) {
    // Exactly the text's bytes on the heap, so a read past them is an overflow ASan reports.
    auto bytes = std::make_unique<char[]>(text.size());
    std::memcpy(bytes.get(), text.data(), text.size());
    auto decoded = decodeLinkMessage(std::string_view(bytes.get(), text.size()));
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.error().code, ErrorCode::BadFrame) << text;
    EXPECT_THAT(decoded.error().message, HasSubstr("object")) << text;
  }
}

TEST(PeerMessage, InvalidUtf8OrATypeThatIsNoStringIsRefused) {
  EXPECT_EQ(refusal("{\"t\":\"msg\",\"seq\":1,\"id\":1,\"ts\":0,\"data\":\"bad \xff byte\"}").code, ErrorCode::BadJson);
  EXPECT_EQ(refusal(R"({"t":7,"seq":1})").code, ErrorCode::BadFrame);
}

TEST(PeerMessage, EscapedKeysAndTypesReadAsAParserWouldReadThem) {
  auto decoded = decodePeerMessage(R"({"\u0074":"\u0061ck","s\u0065q":4})");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<Ack>(decoded.value()).seq, 4u);
}

}  // namespace
}  // namespace huddle
