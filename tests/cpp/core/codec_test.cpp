// Client -> server frames: round trips, and every way a frame can be refused with the code the
// sender is told (docs/protocol.md "Client frames").
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/codec_checks.hpp"
#include "fakes/printers.hpp"
#include "fakes/signals.hpp"
#include "huddle/codec.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

template <typename T>
T roundTrip(const ClientMessage& message) {
  return testing::roundTripWith<T>(decodeClientMessage, message);
}

Error refusal(std::string_view text) { return testing::refusalWith(decodeClientMessage, text); }

// ---- round trips -------------------------------------------------------------------------------

TEST(ClientCodec, HelloRoundTripsWithItsVersionOnTheWire) {
  EXPECT_EQ(json::parse(encode(ClientMessage{Hello{1, "", "", false}})), json({{"t", "hello"}, {"v", 1}}));
  EXPECT_EQ(roundTrip<Hello>(Hello{1, "", "", false}).version, 1);
}

TEST(ClientCodec, CreateRoundTripsNameAndSize) {
  Create c = roundTrip<Create>(Create{"Ann", 4});
  EXPECT_EQ(c.name, "Ann");
  EXPECT_EQ(c.maxMembers, 4);
}

TEST(ClientCodec, CreateWithDefaultSizeOmitsMaxMembers) {
  json wire = json::parse(encode(ClientMessage{Create{"Ann", 0}}));
  EXPECT_FALSE(wire.contains("maxMembers"));
  EXPECT_EQ(roundTrip<Create>(Create{"Ann", 0}).maxMembers, 0);
}

TEST(ClientCodec, JoinRoundTripsCodeAndName) {
  Join j = roundTrip<Join>(Join{"ABC234", "Bob"});
  EXPECT_EQ(j.code, "ABC234");
  EXPECT_EQ(j.name, "Bob");
}

TEST(ClientCodec, LeaveRoundTrips) {
  EXPECT_EQ(json::parse(encode(ClientMessage{Leave{}})), json({{"t", "leave"}}));
  roundTrip<Leave>(Leave{});
}

TEST(ClientCodec, SignalOfferAndAnswerRoundTrip) {
  for (SignalKind kind : {SignalKind::Offer, SignalKind::Answer}) {
    std::string sdp = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n";
    SignalOut s = roundTrip<SignalOut>(SignalOut{"PEER000001", testing::description(kind, sdp)});
    EXPECT_EQ(s.to, "PEER000001");
    EXPECT_EQ(s.data.kind, kind);
    EXPECT_EQ(s.data.sdp, sdp);
  }
}

TEST(ClientCodec, SignalIceCandidateRoundTripsMidAndLineIndex) {
  SignalPayload p = testing::candidate("candidate:1 1 udp 2 10.0.0.1 5000 typ host", "0", 0);
  SignalOut s = roundTrip<SignalOut>(SignalOut{"PEER000001", p});
  EXPECT_EQ(s.data.kind, SignalKind::IceCandidate);
  EXPECT_EQ(s.data.candidate, p.candidate);
  EXPECT_EQ(s.data.sdpMid, "0");
  EXPECT_EQ(s.data.sdpMLineIndex, 0);
}

TEST(ClientCodec, EndOfCandidatesRoundTripsWithoutOptionalFields) {
  SignalPayload p = testing::candidate("");
  SignalOut s = roundTrip<SignalOut>(SignalOut{"PEER000001", p});
  EXPECT_EQ(s.data.candidate, "");
  EXPECT_EQ(s.data.sdpMid, "");
  EXPECT_EQ(s.data.sdpMLineIndex, -1);
}

TEST(ClientCodec, RelayBroadcastAndTargetedRoundTrip) {
  std::string data = R"({"x":1,"list":[1,"two",null]})";
  RelayOut all = roundTrip<RelayOut>(RelayOut{"", 7, data});
  EXPECT_EQ(all.to, "");
  EXPECT_EQ(all.seq, 7u);
  EXPECT_EQ(json::parse(all.data), json::parse(data));
  EXPECT_FALSE(json::parse(encode(ClientMessage{RelayOut{"", 7, data}})).contains("to"));

  RelayOut one = roundTrip<RelayOut>(RelayOut{"PEER000001", 8, R"("text")"});
  EXPECT_EQ(one.to, "PEER000001");
  EXPECT_EQ(one.data, R"("text")");
}

TEST(ClientCodec, RelayDataIsSplicedInAsWritten) {
  // Numbers keep their spelling: 1E14 would become 100000000000000.0 through a tree.
  std::string wire = encode(ClientMessage{RelayOut{"", 1, R"([1E14, "é"])"}});
  EXPECT_EQ(wire, R"({"t":"relay","seq":1,"data":[1E14, "é"]})");
  RelayOut parts;
  parts.seq = 2;
  parts.parts = {{"P\"1", "0.10"}};
  EXPECT_EQ(encode(ClientMessage{parts}), R"({"t":"relay","seq":2,"parts":[{"to":"P\"1","data":0.10}]})");
}

TEST(ClientCodec, RelayPartsRoundTripEachWithItsRecipient) {
  RelayOut batch;
  batch.seq = 3;
  batch.parts = {{"PEER000001", R"([{"t":"ack","seq":2}])"}, {"PEER000002", R"("x")"}};
  json wire = json::parse(encode(ClientMessage{batch}));
  EXPECT_FALSE(wire.contains("data"));
  EXPECT_FALSE(wire.contains("to"));
  RelayOut back = roundTrip<RelayOut>(batch);
  ASSERT_EQ(back.parts.size(), 2u);
  EXPECT_EQ(back.parts[0].to, "PEER000001");
  EXPECT_EQ(json::parse(back.parts[0].data), json::parse(batch.parts[0].data));
  EXPECT_EQ(back.parts[1].to, "PEER000002");
  EXPECT_EQ(back.parts[1].data, R"("x")");
  EXPECT_EQ(back.seq, 3u);
}

TEST(ClientCodec, CreateAndJoinCarryRelayOnly) {
  EXPECT_TRUE(roundTrip<Create>(Create{"Ann", 0, true}).relayOnly);
  EXPECT_FALSE(json::parse(encode(ClientMessage{Create{"Ann", 0}})).contains("relayOnly"));
  EXPECT_TRUE(roundTrip<Join>(Join{"room", "Ann", true, 0, true}).relayOnly);
  EXPECT_FALSE(roundTrip<Join>(Join{"room", "Ann"}).relayOnly);
  EXPECT_EQ(roundTrip<Join>(Join{"room", "Ann", true, 0, false, 7}).rank, 7u);
  EXPECT_EQ(roundTrip<Join>(Join{"room", "Ann"}).rank, 0u);
}

TEST(ClientCodec, CreateAndJoinCarryAPasswordOfUpToItsByteCap) {
  Create create{"Ann"};
  create.password = "open sesame";
  EXPECT_EQ(roundTrip<Create>(create).password, "open sesame");
  EXPECT_FALSE(json::parse(encode(ClientMessage{Create{"Ann", 0}})).contains("password"));
  Join join{"ABC234", "Bob"};
  join.password = std::string(limits::kMaxRoomPasswordBytes, 'p');
  EXPECT_EQ(roundTrip<Join>(join).password, join.password);
  for (const char* type : {"create", "join"}) {
    json frame = {{"t", type}, {"code", "ABC234"}, {"name", "A"},
                  {"password", std::string(limits::kMaxRoomPasswordBytes + 1, 'p')}};
    Error e = refusal(frame.dump());
    EXPECT_EQ(e.code, ErrorCode::BadFrame) << type;
    EXPECT_THAT(e.message, HasSubstr(std::string(type) + ".password")) << type;
    EXPECT_THAT(e.message, HasSubstr("128 bytes")) << type;
  }
}

TEST(ClientCodec, RelayCarriesNullData) {
  EXPECT_EQ(roundTrip<RelayOut>(RelayOut{"", 1, "null"}).data, "null");
}

TEST(ClientCodec, StatsRoundTripEachPathWithWhatWasMeasured) {
  Stats stats;
  stats.links = {{Transport::Direct, 312.5, 1.25}, {Transport::Relay, 5004, -1}, {Transport::None, -1, -1}};
  std::string wire = encode(ClientMessage{stats});
  EXPECT_EQ(wire, R"({"t":"stats","links":[{"transport":"direct","settleMs":312.5,"rttMs":1.25},)"
                  R"({"transport":"relay","settleMs":5004},{"transport":"none"}]})");
  auto back = roundTrip<Stats>(stats);
  ASSERT_EQ(back.links.size(), 3u);
  EXPECT_EQ(back.links[0].transport, Transport::Direct);
  EXPECT_DOUBLE_EQ(back.links[0].settleMs, 312.5);
  EXPECT_DOUBLE_EQ(back.links[0].rttMs, 1.25);
  EXPECT_EQ(back.links[1].transport, Transport::Relay);
  EXPECT_DOUBLE_EQ(back.links[1].rttMs, -1);  // not measured
  EXPECT_EQ(back.links[2].transport, Transport::None);
  EXPECT_DOUBLE_EQ(back.links[2].settleMs, -1);
}

TEST(ClientCodec, StatsTakeSevenPathsAndTheBoundsThemselves) {
  std::string seven = R"({"t":"stats","links":[)";
  for (int i = 0; i < 7; ++i) seven += std::string(i ? "," : "") + R"({"transport":"relay","settleMs":600000,"rttMs":60000})";
  auto d = decodeClientMessage(seven + "]}");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<Stats>(d.value()).links.size(), 7u);
}

TEST(ClientCodec, PingRoundTripsItsId) { EXPECT_EQ(roundTrip<Ping>(Ping{42}).id, 42u); }

TEST(ClientCodec, PingWithoutIdMeansZero) {
  auto d = decodeClientMessage(R"({"t":"ping"})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(std::get<Ping>(d.value()).id, 0u);
}

// ---- frame-level refusals -----------------------------------------------------------------------

TEST(ClientCodec, TextThatIsNotJsonIsBadJson) {
  for (const char* text : {"", "hello", "{", R"({"t":"ping",})", "{'t':'ping'}"}) {
    EXPECT_EQ(refusal(text).code, ErrorCode::BadJson) << text;
  }
}

TEST(ClientCodec, JsonThatIsNotAnObjectIsBadFrame) {
  for (const char* text : {"[]", "42", R"("hello")", "null", "true"}) {
    EXPECT_EQ(refusal(text).code, ErrorCode::BadFrame) << text;
  }
}

TEST(ClientCodec, ObjectWithoutStringTypeIsBadFrame) {
  for (const char* text : {"{}", R"({"t":5})", R"({"t":null})", R"({"t":["hello"]})", R"({"type":"hello"})"}) {
    Error e = refusal(text);
    EXPECT_EQ(e.code, ErrorCode::BadFrame) << text;
    EXPECT_THAT(e.message, HasSubstr("\"t\"")) << text;
  }
}

TEST(ClientCodec, UnknownTypeIsUnknownTypeNamingIt) {
  Error e = refusal(R"({"t":"dance","v":1})");
  EXPECT_EQ(e.code, ErrorCode::UnknownType);
  EXPECT_THAT(e.message, HasSubstr("dance"));
  // Server frame types are not client frame types.
  EXPECT_EQ(refusal(R"({"t":"welcome","v":1,"id":"X","iceServers":[]})").code, ErrorCode::UnknownType);
}

TEST(ClientCodec, FrameOverTheLimitIsFrameTooLargeAndTheLimitItselfIsAccepted) {
  std::string head = R"({"t":"ping","pad":")";
  std::string tail = R"("})";
  std::string exact = head + std::string(limits::kMaxFrameBytes - head.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(exact.size(), limits::kMaxFrameBytes);
  EXPECT_TRUE(decodeClientMessage(exact).ok());

  std::string over = head + std::string(limits::kMaxFrameBytes - head.size() - tail.size() + 1, 'x') + tail;
  EXPECT_EQ(refusal(over).code, ErrorCode::FrameTooLarge);
  // Checked before parsing: oversized garbage is too large, not bad JSON.
  EXPECT_EQ(refusal(std::string(limits::kMaxFrameBytes + 1, '[')).code, ErrorCode::FrameTooLarge);
}

std::string relayNestedArrays(int depth) {
  return R"({"t":"relay","seq":1,"data":)" + std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']') + "}";
}

TEST(ClientCodec, NestingOf64LevelsIsAcceptedAnd65IsBadFrame) {
  EXPECT_TRUE(decodeClientMessage(relayNestedArrays(63)).ok());  // the frame object is level 1
  Error e = refusal(relayNestedArrays(64));
  EXPECT_EQ(e.code, ErrorCode::BadFrame);
  EXPECT_THAT(e.message, HasSubstr("nested"));
  EXPECT_EQ(refusal(std::string(10000, '[') + std::string(10000, ']')).code, ErrorCode::BadFrame);
}

TEST(ClientCodec, BracketsInsideStringsDoNotCountAsNesting) {
  std::string text = R"({"t":"relay","seq":1,"data":")" + std::string(200, '[') + R"(\"{{"})";
  auto d = decodeClientMessage(text);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(json::parse(std::get<RelayOut>(d.value()).data), std::string(200, '[') + "\"{{");
}

TEST(ClientCodec, UnknownExtraFieldsAreIgnored) {
  auto d = decodeClientMessage(R"({"t":"join","code":"ABC234","name":"Bob","password":null,"x":{"y":[1]}})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<Join>(d.value()).code, "ABC234");
}

// ---- field refusals: BadFrame naming the field ---------------------------------------------------

struct FieldCase {
  const char* frame;
  const char* names;  // what the message must mention, "type.field"
};

class ClientCodecFieldRefusal : public ::testing::TestWithParam<FieldCase> {};

TEST_P(ClientCodecFieldRefusal, IsBadFrameNamingTheField) {
  Error e = refusal(GetParam().frame);
  EXPECT_EQ(e.code, ErrorCode::BadFrame) << GetParam().frame;
  EXPECT_THAT(e.message, HasSubstr(GetParam().names)) << GetParam().frame;
}

INSTANTIATE_TEST_SUITE_P(
    EveryRequiredField, ClientCodecFieldRefusal,
    ::testing::Values(
        FieldCase{R"({"t":"hello"})", "hello.v"}, FieldCase{R"({"t":"hello","v":"1"})", "hello.v"},
        FieldCase{R"({"t":"hello","v":-1})", "hello.v"}, FieldCase{R"({"t":"hello","v":1.5})", "hello.v"},
        FieldCase{R"({"t":"hello","v":null})", "hello.v"},
        FieldCase{R"({"t":"create"})", "create.name"}, FieldCase{R"({"t":"create","name":5})", "create.name"},
        FieldCase{R"({"t":"create","name":"A","maxMembers":"4"})", "create.maxMembers"},
        FieldCase{R"({"t":"create","name":"A","maxMembers":2.5})", "create.maxMembers"},
        FieldCase{R"({"t":"create","name":"A","maxMembers":-1})", "create.maxMembers"},
        FieldCase{R"({"t":"join","name":"A"})", "join.code"},
        FieldCase{R"({"t":"join","code":123456,"name":"A"})", "join.code"},
        FieldCase{R"({"t":"join","code":"ABC234"})", "join.name"},
        FieldCase{R"({"t":"join","code":"ABC234","name":null})", "join.name"},
        FieldCase{R"({"t":"join","code":"ABC234","name":["A"]})", "join.name"},
        FieldCase{R"({"t":"signal","data":{"kind":"offer","sdp":"x"}})", "signal.to"},
        FieldCase{R"({"t":"signal","to":5,"data":{"kind":"offer","sdp":"x"}})", "signal.to"},
        FieldCase{R"({"t":"signal","to":"P"})", "signal.data"},
        FieldCase{R"({"t":"signal","to":"P","data":"offer"})", "signal.data"},
        FieldCase{R"({"t":"relay","data":1})", "relay.seq"},
        FieldCase{R"({"t":"relay","seq":"1","data":1})", "relay.seq"},
        FieldCase{R"({"t":"relay","seq":1})", "relay.data"},
        FieldCase{R"({"t":"relay","seq":1,"data":1,"to":5})", "relay.to"},
        FieldCase{R"({"t":"relay","seq":1,"parts":[]})", "relay.parts"},
        FieldCase{R"({"t":"relay","seq":1,"parts":{}})", "relay.parts"},
        FieldCase{R"({"t":"relay","seq":1,"parts":[1]})", "relay.parts"},
        FieldCase{R"({"t":"relay","seq":1,"parts":[{"data":1}]})", "relay.parts"},
        FieldCase{R"({"t":"relay","seq":1,"parts":[{"to":"P","data":1}],"data":1})", "relay.parts"},
        FieldCase{R"({"t":"relay","seq":1,"parts":[{"to":"P","data":1},{"to":"P","data":1},{"to":"P","data":1},)"
                  R"({"to":"P","data":1},{"to":"P","data":1},{"to":"P","data":1},{"to":"P","data":1},)"
                  R"({"to":"P","data":1}]})", "relay.parts"},
        FieldCase{R"({"t":"create","name":"A","relayOnly":1})", "create.relayOnly"},
        FieldCase{R"({"t":"create","name":"A","password":1})", "create.password"},
        FieldCase{R"({"t":"join","code":"ABC234","name":"A","password":["p"]})", "join.password"},
        FieldCase{R"({"t":"ping","id":"x"})", "ping.id"},
        FieldCase{R"({"t":"stats"})", "stats.links"}, FieldCase{R"({"t":"stats","links":[]})", "stats.links"},
        FieldCase{R"({"t":"stats","links":{}})", "stats.links"},
        FieldCase{R"({"t":"stats","links":[1]})", "stats.links"},
        FieldCase{R"({"t":"stats","links":[{"settleMs":5}]})", "link.transport"},
        FieldCase{R"({"t":"stats","links":[{"transport":"carrier pigeon","settleMs":5}]})", "link.transport"},
        FieldCase{R"({"t":"stats","links":[{"transport":"direct"}]})", "link.settleMs"},
        FieldCase{R"({"t":"stats","links":[{"transport":"direct","settleMs":-1}]})", "link.settleMs"},
        FieldCase{R"({"t":"stats","links":[{"transport":"direct","settleMs":"5"}]})", "link.settleMs"},
        FieldCase{R"({"t":"stats","links":[{"transport":"relay","settleMs":600001}]})", "link.settleMs"},
        FieldCase{R"({"t":"stats","links":[{"transport":"none","settleMs":5}]})", "link.settleMs"},
        FieldCase{R"({"t":"stats","links":[{"transport":"direct","settleMs":5,"rttMs":60001}]})", "link.rttMs"},
        FieldCase{R"({"t":"stats","links":[{"transport":"direct","settleMs":5,"rttMs":-0.5}]})", "link.rttMs"},
        FieldCase{R"({"t":"stats","links":[{"transport":"none"},{"transport":"none"},{"transport":"none"},)"
                  R"({"transport":"none"},{"transport":"none"},{"transport":"none"},{"transport":"none"},)"
                  R"({"transport":"none"}]})", "stats.links"}));

// ---- integers ------------------------------------------------------------------------------------

TEST(ClientCodec, IntegersUpTo2Pow53Minus1AreAccepted) {
  auto d = decodeClientMessage(R"({"t":"relay","seq":9007199254740991,"data":0})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<RelayOut>(d.value()).seq, 9007199254740991u);
}

TEST(ClientCodec, IntegersThatJavaScriptCannotHoldAreRefused) {
  for (const char* seq : {"9007199254740992", "18446744073709551615", "-1", "1.5", "1e3", "true"}) {
    std::string text = std::string(R"({"t":"relay","data":0,"seq":)") + seq + "}";
    Error e = refusal(text);
    EXPECT_EQ(e.code, ErrorCode::BadFrame) << seq;
    EXPECT_THAT(e.message, HasSubstr("relay.seq")) << seq;
  }
  EXPECT_EQ(refusal(R"({"t":"ping","id":-5})").code, ErrorCode::BadFrame);
  EXPECT_EQ(refusal(R"({"t":"hello","v":18446744073709551615})").code, ErrorCode::BadFrame);
}

TEST(ClientCodec, NameLongerThanTheByteBoundIsBadFrame) {
  json frame = {{"t", "create"}, {"name", std::string(limits::kMaxNameChars * 4 + 65, 'a')}};
  Error e = refusal(frame.dump());
  EXPECT_EQ(e.code, ErrorCode::BadFrame);
  EXPECT_THAT(e.message, HasSubstr("create.name"));
}

// ---- encoding never throws -----------------------------------------------------------------------

TEST(ClientCodec, InvalidUtf8InNamesIsReplacedNotThrown) {
  std::string text;
  ASSERT_NO_THROW(text = encode(ClientMessage{Create{"\xff\xfe" "Ann\xc3", 0}}));
  auto d = decodeClientMessage(text);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_THAT(std::get<Create>(d.value()).name, HasSubstr("Ann"));
  EXPECT_NO_THROW(encode(ClientMessage{Join{"\x80\x80", "\xed\xa0\x80"}}));
  EXPECT_NO_THROW(encode(ClientMessage{RelayOut{"", 1, "\"\xc0\xaf\""}}));
}

TEST(FrameType, NamesTheTypeOfAnyWellFormedFrame) {
  EXPECT_EQ(frameType(R"({"t":"join","code":5})"), "join");
  EXPECT_EQ(frameType(R"({"t":"whatever"})"), "whatever");
  EXPECT_EQ(frameType("not json"), "");
  EXPECT_EQ(frameType(R"({"t":1})"), "");
  EXPECT_EQ(frameType(std::string(limits::kMaxFrameBytes + 1, ' ')), "");
}

}  // namespace
}  // namespace huddle
