// Requests between members: a request and its answer are reliable messages of a kind ("k"), on
// the member's stream over whichever path is up; each request ends exactly once, with its answer
// or one distinct failure (timeout, the member left, refused, no handler, too many).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::ClientHarness;
using testing::framesOf;
using testing::kDefaults;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000003";

AppMessage request(std::uint64_t seq, std::uint64_t id, json data) {
  AppMessage m{seq, id, 1, false, data.dump()};
  m.kind = MessageKind::Request;
  return m;
}

AppMessage answer(std::uint64_t seq, std::uint64_t re, json data, std::string refusal = "") {
  AppMessage m{seq, 500 + seq, 1, false, data.dump()};
  m.kind = MessageKind::Response;
  m.re = re;
  m.refusal = std::move(refusal);
  return m;
}

// In a room with Ann (P1) and Bob (P2); Ann's link is open.
class ClientRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    c.enterRoom(kSelf, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}});
    c.client.onLinkOpen("P1");
  }
  std::uint64_t ask(const PeerId& peer, json data, double timeoutMs = limits::kDefaultRequestTimeoutMs) {
    auto id = c.client.request(peer, data.dump(), timeoutMs);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return id.ok() ? id.value() : 0;
  }
  std::vector<ErrorCode> failedCodes() const {
    std::vector<ErrorCode> out;
    for (const auto& [id, e] : c.observer.requestsFailed) out.push_back(e.code);
    return out;
  }
  ClientHarness c;
};

// ---- the wire ----------------------------------------------------------------------------------

TEST(RequestFrames, AppMessagesCarryNoKindSoTheirFramesAreUnchanged) {
  EXPECT_EQ(encode(AppMessage{3, 7, 1.5, false, R"({"a":1})"}),
            R"({"t":"msg","seq":3,"id":7,"ts":1.5,"broadcast":false,"data":{"a":1}})");
}

TEST(RequestFrames, RequestsAndAnswersRoundTripWithTheirKindAndReference) {
  auto req = decodePeerMessage(encode(request(4, 9, {{"q", 1}})));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(std::get<AppMessage>(req.value()).kind, MessageKind::Request);
  EXPECT_EQ(encode(answer(2, 9, "no", "request_failed")),
            R"({"t":"msg","seq":2,"k":"res","re":9,"err":"request_failed","id":502,"ts":1,"broadcast":false,"data":"no"})");
  auto res = decodePeerMessage(encode(answer(2, 9, "no", "request_failed")));
  ASSERT_TRUE(res.ok());
  const auto& m = std::get<AppMessage>(res.value());
  EXPECT_EQ(m.kind, MessageKind::Response);
  EXPECT_EQ(m.re, 9u);
  EXPECT_EQ(m.refusal, "request_failed");
}

TEST(RequestFrames, ARefusalCodeOfAnyTextReEncodesToAFrameThatDecodes) {
  auto odd = decodePeerMessage(R"({"t":"msg","seq":1,"k":"res","re":2,"err":"a\"b\\c\u0001","id":1,"ts":0,"data":1})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(std::get<AppMessage>(odd.value()).refusal, "a\"b\\c\x01");
  auto again = decodePeerMessage(encode(odd.value()));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::get<AppMessage>(again.value()).refusal, "a\"b\\c\x01");
}

TEST(RequestFrames, AnAnswerWithoutAReferenceIsABadFrameAndAnUnknownKindIsKeptAsUnknown) {
  EXPECT_EQ(decodePeerMessage(R"({"t":"msg","seq":1,"k":"res","id":1,"ts":0,"data":1})").error().code,
            ErrorCode::BadFrame);
  EXPECT_EQ(decodePeerMessage(R"({"t":"msg","seq":1,"k":"res","re":0,"id":1,"ts":0,"data":1})").error().code,
            ErrorCode::BadFrame);
  auto unknown = decodePeerMessage(R"({"t":"msg","seq":1,"k":"someday","id":1,"ts":0,"data":1})");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(std::get<AppMessage>(unknown.value()).kind, MessageKind::Unknown);
}

TEST(RequestFrames, ARoomStateMessageIsAKindOfItsOwnBothWays) {
  AppMessage m;
  m.seq = 3;
  m.id = 9;
  m.kind = MessageKind::State;
  m.data = R"({"t":"sf","e":1,"h":"a","s":2,"x":"00000000000000ff"})";
  std::string text = encode(PeerMessage{m});
  EXPECT_NE(text.find(R"("k":"state")"), std::string::npos) << text;
  auto back = decodePeerMessage(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<AppMessage>(back.value()).kind, MessageKind::State);
  EXPECT_EQ(std::get<AppMessage>(back.value()).data, m.data);
}

// ---- asking ------------------------------------------------------------------------------------

TEST_F(ClientRequests, ARequestGoesOnTheStreamAndItsAnswerComesBackByItsId) {
  std::uint64_t id = ask("P1", {{"q", "score?"}});
  auto sent = c.messagesTo("P1");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, MessageKind::Request);
  EXPECT_EQ(sent[0].id, id);
  EXPECT_FALSE(sent[0].broadcast);
  EXPECT_EQ(json::parse(sent[0].data), json({{"q", "score?"}}));
  c.fromPeer("P1", answer(1, id, 42));
  ASSERT_EQ(c.observer.responses.size(), 1u);
  EXPECT_EQ(c.observer.responses[0], std::make_pair(id, json(42)));
  EXPECT_THAT(c.observer.requestsFailed, IsEmpty());
  EXPECT_THAT(c.observer.messages, IsEmpty());  // an answer is not an app message
  EXPECT_THAT(c.acksTo("P1"), ElementsAre(1));  // it is acknowledged like one
  c.advance(limits::kDefaultRequestTimeoutMs * 2);
  EXPECT_THAT(c.observer.requestsFailed, IsEmpty());  // answered: its timeout is gone
}

TEST_F(ClientRequests, AnswersToSeveralRequestsAreMatchedByIdInWhateverOrderTheyCome) {
  std::uint64_t first = ask("P1", 1);
  std::uint64_t second = ask("P1", 2);
  c.fromPeer("P1", answer(1, second, "two"));
  c.fromPeer("P1", answer(2, first, "one"));
  EXPECT_THAT(c.observer.responses,
              ElementsAre(std::make_pair(second, json("two")), std::make_pair(first, json("one"))));
}

TEST_F(ClientRequests, NoAnswerWithinTheTimeoutFailsWithRequestTimeoutAndALateAnswerIsDropped) {
  std::uint64_t id = ask("P1", 1, 1000);
  c.advanceAlive(999, {"P1"});
  EXPECT_THAT(c.observer.requestsFailed, IsEmpty());
  c.advanceAlive(1, {"P1"});
  ASSERT_EQ(c.observer.requestsFailed.size(), 1u);
  EXPECT_EQ(c.observer.requestsFailed[0].first, id);
  EXPECT_EQ(c.observer.requestsFailed[0].second.code, ErrorCode::RequestTimeout);
  c.fromPeer("P1", answer(1, id, "late"));
  EXPECT_THAT(c.observer.responses, IsEmpty());
  EXPECT_EQ(c.observer.requestsFailed.size(), 1u);
}

TEST_F(ClientRequests, TheMemberLeavingFailsWhatWeAskedItAtOnceWithPeerNotInRoom) {
  std::uint64_t toAnn = ask("P1", 1);
  std::uint64_t toBob = ask("P2", 2);
  c.fromServer(PeerLeft{"P1", LeaveReason::Left});
  ASSERT_EQ(c.observer.requestsFailed.size(), 1u);
  EXPECT_EQ(c.observer.requestsFailed[0].first, toAnn);
  EXPECT_EQ(c.observer.requestsFailed[0].second.code, ErrorCode::PeerNotInRoom);
  c.advance(limits::kDefaultRequestTimeoutMs);
  EXPECT_THAT(failedCodes(), ElementsAre(ErrorCode::PeerNotInRoom, ErrorCode::RequestTimeout));
  EXPECT_EQ(c.observer.requestsFailed[1].first, toBob);
}

TEST_F(ClientRequests, LeavingTheRoomFailsEveryRequestWithNotInRoom) {
  ask("P1", 1);
  ask("P2", 2);
  c.client.leave();
  EXPECT_THAT(failedCodes(), ElementsAre(ErrorCode::NotInRoom, ErrorCode::NotInRoom));
  EXPECT_EQ(c.client.request("P1", "1").error().code, ErrorCode::NotInRoom);
}

TEST_F(ClientRequests, ARefusalFailsTheRequestWithTheRefusalsCodeAndMessage) {
  std::uint64_t threw = ask("P1", 1);
  std::uint64_t noHandler = ask("P1", 2);
  std::uint64_t unknown = ask("P1", 3);
  c.fromPeer("P1", answer(1, threw, "boom", "request_failed"));
  c.fromPeer("P1", answer(2, noHandler, "no handler here", "no_handler"));
  c.fromPeer("P1", answer(3, unknown, "from the future", "some_newer_code"));
  EXPECT_THAT(failedCodes(), ElementsAre(ErrorCode::RequestFailed, ErrorCode::NoHandler, ErrorCode::RequestFailed));
  EXPECT_EQ(c.observer.requestsFailed[0].second.message, "boom");
  EXPECT_EQ(c.observer.requestsFailed[1].first, noHandler);
  EXPECT_THAT(c.observer.responses, IsEmpty());
}

TEST_F(ClientRequests, OnlyTheMemberAskedMayAnswer) {
  std::uint64_t id = ask("P1", 1);
  c.client.onLinkOpen("P2");
  c.fromPeer("P2", answer(1, id, "not yours"));
  EXPECT_THAT(c.observer.responses, IsEmpty());
  c.fromPeer("P1", answer(1, id, "mine"));
  EXPECT_THAT(c.observer.responses, ElementsAre(std::make_pair(id, json("mine"))));
}

TEST_F(ClientRequests, BadRequestsAreRefusedAtOnceWithClearErrors) {
  EXPECT_EQ(c.client.request("NOBODY0000", "1").error().code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(c.client.request(kSelf, "1").error().code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(c.client.request("P1", "{oops").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(c.client.request("P1", "1", 0).error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(c.client.request("P1", "1", limits::kMaxRequestTimeoutMs + 1).error().code, ErrorCode::DataInvalid);
  EXPECT_TRUE(c.client.request("P1", "1", limits::kMaxRequestTimeoutMs).ok());
  EXPECT_EQ(c.messagesTo("P1").size(), 1u);
}

TEST_F(ClientRequests, AtMostMaxPendingRequestsAwaitAnswersAtOnce) {
  for (std::size_t i = 0; i < limits::kMaxPendingRequests; ++i) ASSERT_TRUE(c.client.request("P1", "1").ok());
  auto more = c.client.request("P2", "1");
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().code, ErrorCode::TooManyRequests);
  c.fromPeer("P1", answer(1, c.messagesTo("P1")[0].id, "done"));
  EXPECT_TRUE(c.client.request("P2", "1").ok());  // one answered: room for one more
}

// ---- answering ---------------------------------------------------------------------------------

TEST_F(ClientRequests, ARequestReachesTheAppAndItsAnswerGoesBackReferringToTheSendersId) {
  c.fromPeer("P1", request(1, 77, {{"q", 1}}));
  ASSERT_EQ(c.observer.requests.size(), 1u);
  EXPECT_EQ(c.observer.requests[0].from, "P1");
  EXPECT_EQ(c.observer.requests[0].data, json({{"q", 1}}));
  EXPECT_THAT(c.observer.messages, IsEmpty());
  ASSERT_TRUE(c.client.respond(c.observer.requests[0].id, R"({"a":2})").ok());
  auto sent = c.messagesTo("P1");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, MessageKind::Response);
  EXPECT_EQ(sent[0].re, 77u);
  EXPECT_EQ(sent[0].refusal, "");
  EXPECT_EQ(json::parse(sent[0].data), json({{"a", 2}}));
  // Once only.
  EXPECT_EQ(c.client.respond(c.observer.requests[0].id, "3").error().code, ErrorCode::PeerNotInRoom);
}

TEST_F(ClientRequests, RequestsFromTwoMembersWithTheSameIdAreTwoRequests) {
  c.client.onLinkOpen("P2");
  c.fromPeer("P1", request(1, 5, "ann"));
  c.fromPeer("P2", request(1, 5, "bob"));
  ASSERT_EQ(c.observer.requests.size(), 2u);
  EXPECT_NE(c.observer.requests[0].id, c.observer.requests[1].id);
  ASSERT_TRUE(c.client.respond(c.observer.requests[1].id, R"("to bob")").ok());
  EXPECT_THAT(c.messagesTo("P1"), IsEmpty());
  ASSERT_EQ(c.messagesTo("P2").size(), 1u);
  EXPECT_EQ(c.messagesTo("P2")[0].re, 5u);
}

TEST_F(ClientRequests, ARefusalCarriesItsCodeAndTheMessageCutToTheLimitAtACharacterBoundary) {
  c.fromPeer("P1", request(1, 8, 1));
  c.fromPeer("P1", request(2, 9, 2));
  std::string longWhy;
  for (std::size_t i = 0; i < limits::kMaxRequestErrorBytes; ++i) longWhy += "\xC3\xA9";  // é: 2 bytes
  ASSERT_TRUE(c.client.refuse(c.observer.requests[0].id, ErrorCode::RequestFailed, longWhy).ok());
  ASSERT_TRUE(c.client.refuse(c.observer.requests[1].id, ErrorCode::NoHandler, "no handler").ok());
  auto sent = c.messagesTo("P1");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].refusal, "request_failed");
  EXPECT_EQ(sent[0].re, 8u);
  std::string why = json::parse(sent[0].data).get<std::string>();
  EXPECT_LE(why.size(), limits::kMaxRequestErrorBytes);
  EXPECT_GE(why.size(), limits::kMaxRequestErrorBytes - 1);
  EXPECT_EQ(why.size() % 2, 0u);  // whole characters only
  EXPECT_EQ(sent[1].refusal, "no_handler");
  EXPECT_EQ(json::parse(sent[1].data), json("no handler"));
  EXPECT_EQ(c.client.refuse(12345, ErrorCode::RequestFailed, "x").error().code, ErrorCode::PeerNotInRoom);
}

TEST_F(ClientRequests, OnlyRefusalCodesRefuse) {
  c.fromPeer("P1", request(1, 8, 1));
  EXPECT_EQ(c.client.refuse(c.observer.requests[0].id, ErrorCode::Internal, "x").error().code, ErrorCode::DataInvalid);
  EXPECT_TRUE(c.client.respond(c.observer.requests[0].id, "1").ok());  // still awaits its answer
}

TEST_F(ClientRequests, AnAnswerThatIsNotJsonIsRefusedToTheAskerAsRequestFailed) {
  c.fromPeer("P1", request(1, 8, 1));
  EXPECT_EQ(c.client.respond(c.observer.requests[0].id, "{oops").error().code, ErrorCode::DataInvalid);
  auto sent = c.messagesTo("P1");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].refusal, "request_failed");
}

TEST_F(ClientRequests, BeyondMaxIncomingUnansweredRequestsTheMemberIsRefusedWithTooManyRequests) {
  std::uint64_t seq = 1;
  for (; seq <= limits::kMaxIncomingRequests; ++seq) c.fromPeer("P1", request(seq, seq, 0));
  EXPECT_EQ(c.observer.requests.size(), limits::kMaxIncomingRequests);
  EXPECT_THAT(c.messagesTo("P1"), IsEmpty());
  c.fromPeer("P1", request(seq, seq, 0));
  EXPECT_EQ(c.observer.requests.size(), limits::kMaxIncomingRequests);
  auto sent = c.messagesTo("P1");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].refusal, "too_many_requests");
  EXPECT_EQ(sent[0].re, seq);
  ASSERT_TRUE(c.client.respond(c.observer.requests[0].id, "0").ok());
  c.fromPeer("P1", request(seq + 1, seq + 1, 0));  // one answered: room for one more
  EXPECT_EQ(c.observer.requests.size(), limits::kMaxIncomingRequests + 1);
}

TEST_F(ClientRequests, WhatAMemberThatLeftAskedNeedsNoAnswer) {
  c.fromPeer("P1", request(1, 8, 1));
  c.fromServer(PeerLeft{"P1", LeaveReason::Left});
  EXPECT_EQ(c.client.respond(c.observer.requests[0].id, "1").error().code, ErrorCode::PeerNotInRoom);
}

TEST_F(ClientRequests, AMessageOfAnUnknownKindIsAcknowledgedButNeverHandedToTheAppAsAMessage) {
  c.client.onLinkFrame("P1", R"({"t":"msg","seq":1,"k":"someday","id":1,"ts":0,"data":{"x":1}})");
  EXPECT_THAT(c.observer.messages, IsEmpty());
  EXPECT_THAT(c.observer.requests, IsEmpty());
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ProtocolViolation));
  EXPECT_THAT(c.acksTo("P1"), ElementsAre(1));  // the stream goes on: exactly once holds
  c.fromPeer("P1", AppMessage{2, 2, 0, true, "2"});
  ASSERT_EQ(c.observer.messages.size(), 1u);
}

// ---- paths -------------------------------------------------------------------------------------

TEST_F(ClientRequests, ARequestAndItsAnswerTravelTheRelayWhenTheMemberIsReachedThroughTheServer) {
  c.advanceAlive(kDefaults.linkOpenTimeoutMs, {"P1"});  // Bob's link never opens: relay
  ASSERT_EQ(c.transportOf("P2"), Transport::Relay);
  std::uint64_t id = ask("P2", "via the server?");
  c.advance(testing::kRelayIntervalMs);
  auto relayed = c.messagesRelayedTo("P2");
  ASSERT_EQ(relayed.size(), 1u);
  EXPECT_EQ(relayed[0].kind, MessageKind::Request);
  c.fromRelay("P2", {StreamSync{42, 1}, answer(1, id, "yes"), request(2, 3, "and you?")});
  EXPECT_THAT(c.observer.responses, ElementsAre(std::make_pair(id, json("yes"))));
  ASSERT_EQ(c.observer.requests.size(), 1u);
  ASSERT_TRUE(c.client.respond(c.observer.requests[0].id, R"("me too")").ok());
  c.advance(testing::kRelayIntervalMs);
  auto answers = c.messagesRelayedTo("P2");
  ASSERT_EQ(answers.size(), 2u);  // (the request again, unacknowledged, then the answer)
  EXPECT_EQ(answers.back().kind, MessageKind::Response);
  EXPECT_EQ(answers.back().re, 3u);
}

TEST_F(ClientRequests, ARequestSentOnALinkThatFailsIsResentThroughTheServerAndAnsweredOnce) {
  std::uint64_t id = ask("P1", "over the link");
  ASSERT_EQ(c.messagesTo("P1").size(), 1u);
  c.client.onLinkFailed("P1", "ice failed");
  ASSERT_EQ(c.transportOf("P1"), Transport::Relay);
  c.advance(testing::kRelayIntervalMs);
  auto relayed = c.messagesRelayedTo("P1");
  ASSERT_EQ(relayed.size(), 1u);  // unacknowledged, so sent again by the new path
  EXPECT_EQ(relayed[0].id, id);
  // Ann got it both ways, and answers once (its receiver drops the copy); we see one answer.
  c.fromRelay("P1", {StreamSync{7, 1}, answer(1, id, "once")});
  c.fromRelay("P1", {answer(1, id, "once")});
  EXPECT_THAT(c.observer.responses, ElementsAre(std::make_pair(id, json("once"))));
}

}  // namespace
}  // namespace huddle
