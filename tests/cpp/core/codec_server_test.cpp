// Server -> client frames, the signal payload shared by both directions, and error code names
// (docs/protocol.md "Server frames").
#include <set>
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
T roundTrip(const ServerMessage& message) {
  return testing::roundTripWith<T>(decodeServerMessage, message);
}

Error refusal(std::string_view text) { return testing::refusalWith(decodeServerMessage, text); }

// ---- round trips -------------------------------------------------------------------------------

TEST(ServerCodec, WelcomeRoundTripsIdIceServersAndFrameLimit) {
  json ice = json::array({{{"urls", "stun:stun.example.org:3478"}},
                          {{"urls", {"turn:t.example.org"}}, {"username", "u"}, {"credential", "c"}}});
  Welcome w = roundTrip<Welcome>(Welcome{1, "ABCDEFGHJK", ice.dump(), 4096, "", false});
  EXPECT_EQ(w.version, 1);
  EXPECT_EQ(w.id, "ABCDEFGHJK");
  EXPECT_EQ(json::parse(w.iceServers), ice);
  EXPECT_EQ(w.maxFrameBytes, 4096u);
}

TEST(ServerCodec, WelcomeWithoutFrameLimitMeansTheDefault) {
  auto d = decodeServerMessage(R"({"t":"welcome","v":1,"id":"P","iceServers":[]})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<Welcome>(d.value()).maxFrameBytes, limits::kMaxFrameBytes);
  EXPECT_EQ(std::get<Welcome>(d.value()).rate, RateLimits{});  // an older server: the defaults
}

TEST(ServerCodec, WelcomeRoundTripsTheRateLimits) {
  RateLimits rate{30, 120, 100000, 250000};
  Welcome w = roundTrip<Welcome>(Welcome{1, "P", "[]", 4096, "", false, rate});
  EXPECT_EQ(w.rate, rate);
}

TEST(ServerCodec, WelcomeRefusesRateLimitsNoClientCouldKeep) {
  EXPECT_EQ(refusal(R"({"t":"welcome","v":1,"id":"P","iceServers":[],"rate":[]})").code, ErrorCode::BadFrame);
  for (const char* rate : {R"({"frames":0,"frameBurst":4,"bytes":1000,"byteBurst":70000})",
                           R"({"frames":1,"frameBurst":4,"bytes":-5,"byteBurst":70000})",
                           R"({"frames":1,"frameBurst":4,"bytes":1000})",
                           R"({"frames":1,"frameBurst":4,"bytes":1000,"byteBurst":1000})"}) {  // under a frame
    Error e = refusal(std::string(R"({"t":"welcome","v":1,"id":"P","iceServers":[],"rate":)") + rate + "}");
    EXPECT_EQ(e.code, ErrorCode::BadFrame) << rate;
    EXPECT_NE(e.message.find("welcome.rate"), std::string::npos) << e.message;
  }
}

TEST(ServerCodec, RoomJoinedRoundTripsPeersInOrder) {
  std::vector<PeerInfo> peers{{"P1", "Ann", 1}, {"P3", "Cy", 3}, {"P4", "Dee", 4}};
  RoomJoined r = roundTrip<RoomJoined>(RoomJoined{"ABC234", "P4", "P1", 6, peers});
  EXPECT_EQ(r.code, "ABC234");
  EXPECT_EQ(r.you, "P4");
  EXPECT_EQ(r.host, "P1");
  EXPECT_EQ(r.maxMembers, 6);
  ASSERT_EQ(r.peers.size(), 3u);
  for (std::size_t i = 0; i < peers.size(); ++i) {
    EXPECT_EQ(r.peers[i].id, peers[i].id);
    EXPECT_EQ(r.peers[i].name, peers[i].name);
    EXPECT_EQ(r.peers[i].joinOrder, peers[i].joinOrder);
  }
}

TEST(ServerCodec, RoomJoinedSaysWhenTheRoomIsRelayOnly) {
  std::vector<PeerInfo> peers{{"P1", "Ann", 1}};
  EXPECT_TRUE(roundTrip<RoomJoined>(RoomJoined{"ABC234", "P1", "P1", 6, peers, true}).relayOnly);
  json wire = json::parse(encode(ServerMessage{RoomJoined{"ABC234", "P1", "P1", 6, peers}}));
  EXPECT_FALSE(wire.contains("relayOnly"));
}

TEST(ServerCodec, RoomJoinedSaysWhenTheRoomNeedsAPassword) {
  std::vector<PeerInfo> peers{{"P1", "Ann", 1}};
  EXPECT_TRUE(roundTrip<RoomJoined>(RoomJoined{"ABC234", "P1", "P1", 6, peers, false, true}).password);
  json wire = json::parse(encode(ServerMessage{RoomJoined{"ABC234", "P1", "P1", 6, peers}}));
  EXPECT_FALSE(wire.contains("password"));
}

TEST(ServerCodec, PeerJoinedRoundTrips) {
  PeerJoined p = roundTrip<PeerJoined>(PeerJoined{{"P2", "Bob", 2}});
  EXPECT_EQ(p.peer.id, "P2");
  EXPECT_EQ(p.peer.name, "Bob");
  EXPECT_EQ(p.peer.joinOrder, 2u);
}

TEST(ServerCodec, PeerLeftRoundTripsEveryReason) {
  for (LeaveReason reason : {LeaveReason::Left, LeaveReason::Disconnected, LeaveReason::TimedOut}) {
    PeerLeft p = roundTrip<PeerLeft>(PeerLeft{"P2", reason});
    EXPECT_EQ(p.id, "P2");
    EXPECT_EQ(p.reason, reason);
  }
  EXPECT_EQ(json::parse(encode(ServerMessage{PeerLeft{"P2", LeaveReason::TimedOut}}))["reason"], "timed_out");
}

TEST(ServerCodec, HostChangedRoundTrips) { EXPECT_EQ(roundTrip<HostChanged>(HostChanged{"P3"}).host, "P3"); }

TEST(ServerCodec, SignalRoundTripsEveryKind) {
  SignalIn offer = roundTrip<SignalIn>(SignalIn{"P1", testing::offer("sdp-offer")});
  EXPECT_EQ(offer.from, "P1");
  EXPECT_EQ(offer.data.kind, SignalKind::Offer);
  EXPECT_EQ(offer.data.sdp, "sdp-offer");
  EXPECT_EQ(roundTrip<SignalIn>(SignalIn{"P1", testing::answer("sdp-answer")}).data.kind, SignalKind::Answer);
  SignalIn ice = roundTrip<SignalIn>(SignalIn{"P1", testing::candidate("candidate:9", "audio", 2)});
  EXPECT_EQ(ice.data.candidate, "candidate:9");
  EXPECT_EQ(ice.data.sdpMid, "audio");
  EXPECT_EQ(ice.data.sdpMLineIndex, 2);
}

TEST(ServerCodec, RelayRoundTripsBroadcastFlagAndData) {
  RelayIn all = roundTrip<RelayIn>(RelayIn{"P1", 3, true, R"({"a":1})"});
  EXPECT_EQ(all.from, "P1");
  EXPECT_EQ(all.seq, 3u);
  EXPECT_TRUE(all.broadcast);
  EXPECT_EQ(all.data, R"({"a":1})");
  EXPECT_FALSE(roundTrip<RelayIn>(RelayIn{"P1", 4, false, "1"}).broadcast);
  EXPECT_EQ(encode(ServerMessage{RelayIn{"P1", 5, false, "[1E14]"}}),
            R"({"t":"relay","from":"P1","seq":5,"broadcast":false,"data":[1E14]})");
}

TEST(ServerCodec, ErrorRoundTripsCodeMessageAndRef) {
  ErrorFrame e = roundTrip<ErrorFrame>(ErrorFrame{ErrorCode::RoomFull, "room ABC234 is full", "join"});
  EXPECT_EQ(e.code, ErrorCode::RoomFull);
  EXPECT_EQ(e.message, "room ABC234 is full");
  EXPECT_EQ(e.ref, "join");
  json wire = json::parse(encode(ServerMessage{ErrorFrame{ErrorCode::HelloRequired, "m", ""}}));
  EXPECT_EQ(wire["code"], "hello_required");
  EXPECT_FALSE(wire.contains("ref"));
}

TEST(ServerCodec, PongRoundTripsItsId) { EXPECT_EQ(roundTrip<Pong>(Pong{99}).id, 99u); }

// ---- refusals ------------------------------------------------------------------------------------

TEST(ServerCodec, FrameLevelRefusalsMatchTheClientSide) {
  EXPECT_EQ(refusal("nope").code, ErrorCode::BadJson);
  EXPECT_EQ(refusal("[1]").code, ErrorCode::BadFrame);
  EXPECT_EQ(refusal(R"({"id":"P"})").code, ErrorCode::BadFrame);
  EXPECT_EQ(refusal(R"({"t":"surprise"})").code, ErrorCode::UnknownType);
  EXPECT_EQ(refusal(R"({"t":"hello","v":1})").code, ErrorCode::UnknownType);  // client frame type
  EXPECT_EQ(refusal(std::string(limits::kMaxFrameBytes + 1, ' ')).code, ErrorCode::FrameTooLarge);
}

struct FieldCase {
  const char* frame;
  const char* names;
};

class ServerCodecFieldRefusal : public ::testing::TestWithParam<FieldCase> {};

TEST_P(ServerCodecFieldRefusal, IsBadFrameNamingTheField) {
  Error e = refusal(GetParam().frame);
  EXPECT_EQ(e.code, ErrorCode::BadFrame) << GetParam().frame;
  EXPECT_THAT(e.message, HasSubstr(GetParam().names)) << GetParam().frame;
}

INSTANTIATE_TEST_SUITE_P(
    EveryRequiredField, ServerCodecFieldRefusal,
    ::testing::Values(
        FieldCase{R"({"t":"welcome","id":"P","iceServers":[]})", "welcome.v"},
        FieldCase{R"({"t":"welcome","v":1,"iceServers":[]})", "welcome.id"},
        FieldCase{R"({"t":"welcome","v":1,"id":"P"})", "welcome.iceServers"},
        FieldCase{R"({"t":"welcome","v":1,"id":"P","iceServers":{}})", "welcome.iceServers"},
        FieldCase{R"({"t":"welcome","v":1,"id":"P","iceServers":[],"maxFrameBytes":-1})", "welcome.maxFrameBytes"},
        FieldCase{R"({"t":"room_joined","you":"P","host":"P","maxMembers":2,"peers":[]})", "room_joined.code"},
        FieldCase{R"({"t":"room_joined","code":"C","host":"P","maxMembers":2,"peers":[]})", "room_joined.you"},
        FieldCase{R"({"t":"room_joined","code":"C","you":"P","maxMembers":2,"peers":[]})", "room_joined.host"},
        FieldCase{R"({"t":"room_joined","code":"C","you":"P","host":"P","maxMembers":0,"peers":[]})", "room_joined.maxMembers"},
        FieldCase{R"({"t":"room_joined","code":"C","you":"P","host":"P","maxMembers":2})", "room_joined.peers"},
        FieldCase{R"({"t":"room_joined","code":"C","you":"P","host":"P","maxMembers":2,"peers":["P"]})", "room_joined.peers"},
        FieldCase{R"({"t":"room_joined","code":"C","you":"P","host":"P","maxMembers":2,"peers":[{"id":"P","name":"A"}]})", "joinOrder"},
        FieldCase{R"({"t":"peer_joined"})", "peer_joined.peer"},
        FieldCase{R"({"t":"peer_joined","peer":[]})", "peer_joined.peer"},
        FieldCase{R"({"t":"peer_joined","peer":{"id":"P","joinOrder":1}})", "name"},
        FieldCase{R"({"t":"peer_left","reason":"left"})", "peer_left.id"},
        FieldCase{R"({"t":"peer_left","id":"P"})", "peer_left.reason"},
        FieldCase{R"({"t":"peer_left","id":"P","reason":"vanished"})", "peer_left.reason"},
        FieldCase{R"({"t":"host_changed"})", "host_changed.host"},
        FieldCase{R"({"t":"signal","data":{"kind":"offer","sdp":"x"}})", "signal.from"},
        FieldCase{R"({"t":"signal","from":"P","data":{"kind":"answer"}})", "sdp"},
        FieldCase{R"({"t":"relay","seq":1,"data":1})", "relay.from"},
        FieldCase{R"({"t":"relay","from":"P","data":1})", "relay.seq"},
        FieldCase{R"({"t":"relay","from":"P","seq":1,"data":1,"broadcast":"yes"})", "relay.broadcast"},
        FieldCase{R"({"t":"error","message":"m"})", "error.code"},
        FieldCase{R"({"t":"error","code":"room_full"})", "error.message"},
        FieldCase{R"({"t":"error","code":7,"message":"m"})", "error.code"},
        FieldCase{R"({"t":"pong","id":1.5})", "pong.id"}));

TEST(ServerCodec, UnknownErrorCodeFromANewerServerDecodesAsInternal) {
  auto d = decodeServerMessage(R"({"t":"error","code":"quota_exceeded","message":"try later","ref":"join"})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  const auto& e = std::get<ErrorFrame>(d.value());
  EXPECT_EQ(e.code, ErrorCode::Internal);
  EXPECT_EQ(e.message, "try later");
  EXPECT_EQ(e.ref, "join");
}

TEST(ServerCodec, UnknownExtraFieldsAreIgnored) {
  auto d = decodeServerMessage(R"({"t":"host_changed","host":"P","epoch":7,"why":{"x":[]}})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<HostChanged>(d.value()).host, "P");
}

TEST(ServerCodec, InvalidUtf8InNamesAndMessagesIsReplacedNotThrown) {
  std::string text;
  ASSERT_NO_THROW(text = encode(ServerMessage{PeerJoined{{"P", "B\xffob", 1}}}));
  EXPECT_TRUE(decodeServerMessage(text).ok());
  EXPECT_NO_THROW(encode(ServerMessage{RoomJoined{"C", "P", "P", 2, {{"P", "\xc3", 1}}}}));
  EXPECT_NO_THROW(encode(ServerMessage{ErrorFrame{ErrorCode::NameTaken, "the name \"\xfe\" is taken", "join"}}));
}

// ---- signal payloads ------------------------------------------------------------------------------

std::string signal(const json& data) { return json{{"t", "signal"}, {"to", "P"}, {"data", data}}.dump(); }

TEST(SignalPayload, UnknownKindIsBadFrameNamingKind) {
  Error e = decodeClientMessage(signal({{"kind", "renegotiate"}, {"sdp", "x"}})).error();
  EXPECT_EQ(e.code, ErrorCode::BadFrame);
  EXPECT_THAT(e.message, HasSubstr("kind"));
  EXPECT_EQ(decodeClientMessage(signal({{"sdp", "x"}})).error().code, ErrorCode::BadFrame);
  EXPECT_EQ(decodeClientMessage(signal({{"kind", 1}, {"sdp", "x"}})).error().code, ErrorCode::BadFrame);
}

TEST(SignalPayload, SdpUpToTheLimitIsAcceptedAndOneByteMoreIsRefused) {
  EXPECT_TRUE(decodeClientMessage(signal({{"kind", "offer"}, {"sdp", std::string(limits::kMaxSdpBytes, 'a')}})).ok());
  auto d = decodeClientMessage(signal({{"kind", "answer"}, {"sdp", std::string(limits::kMaxSdpBytes + 1, 'a')}}));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::BadFrame);
  EXPECT_THAT(d.error().message, HasSubstr("sdp"));
}

TEST(SignalPayload, CandidateFieldsAreChecked) {
  auto tooLong = decodeClientMessage(
      signal({{"kind", "ice_candidate"}, {"candidate", std::string(limits::kMaxCandidateBytes + 1, 'c')}}));
  ASSERT_FALSE(tooLong.ok());
  EXPECT_THAT(tooLong.error().message, HasSubstr("candidate"));
  for (const json& data : {json{{"kind", "ice_candidate"}},
                           json{{"kind", "ice_candidate"}, {"candidate", "c"}, {"sdpMLineIndex", "0"}},
                           json{{"kind", "ice_candidate"}, {"candidate", "c"}, {"sdpMLineIndex", -1}},
                           json{{"kind", "ice_candidate"}, {"candidate", "c"}, {"sdpMid", 3}}}) {
    auto d = decodeClientMessage(signal(data));
    ASSERT_FALSE(d.ok()) << data;
    EXPECT_EQ(d.error().code, ErrorCode::BadFrame) << data;
    EXPECT_THAT(d.error().message, HasSubstr("signal.data")) << data;
  }
}

TEST(SignalPayload, NullOptionalCandidateFieldsMeanAbsent) {
  auto d = decodeClientMessage(
      signal({{"kind", "ice_candidate"}, {"candidate", "c"}, {"sdpMid", nullptr}, {"sdpMLineIndex", nullptr}}));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<SignalOut>(d.value()).data.sdpMLineIndex, -1);
}

// ---- error code names -------------------------------------------------------------------------------

TEST(ErrorCodeNames, EveryCodeHasAUniqueNameThatMapsBack) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::Internal); ++i) {
    auto code = static_cast<ErrorCode>(i);
    std::string_view name = errorCodeName(code);
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    ErrorCode back = ErrorCode::Internal;
    ASSERT_TRUE(errorCodeFromName(name, back)) << name;
    EXPECT_EQ(back, code) << name;
  }
  EXPECT_EQ(names.size(), 23u);
  ErrorCode unchanged = ErrorCode::RoomFull;
  EXPECT_FALSE(errorCodeFromName("no_such_code", unchanged));
  EXPECT_EQ(unchanged, ErrorCode::RoomFull);
}

TEST(ErrorCodeNames, WireNamesAreStable) {
  EXPECT_EQ(errorCodeName(ErrorCode::BadJson), "bad_json");
  EXPECT_EQ(errorCodeName(ErrorCode::RoomNotFound), "room_not_found");
  EXPECT_EQ(errorCodeName(ErrorCode::PeerNotInRoom), "peer_not_in_room");
  EXPECT_EQ(errorCodeName(ErrorCode::SendQueueFull), "send_queue_full");
  EXPECT_EQ(errorCodeName(ErrorCode::FileTooLarge), "file_too_large");
  EXPECT_EQ(errorCodeName(ErrorCode::FileCancelled), "file_cancelled");
  EXPECT_EQ(errorCodeName(ErrorCode::FileCorrupt), "file_corrupt");
  EXPECT_EQ(errorCodeName(ErrorCode::FileStalled), "file_stalled");
  EXPECT_EQ(errorCodeName(ErrorCode::Internal), "internal");
}

}  // namespace
}  // namespace huddle
