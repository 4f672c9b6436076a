// The Hub with signed join tokens required (HubConfig::verifyToken, huddle-server --auth-secret):
// ids and named rooms are no longer first come, first served (issue 13, hole 6). The verifier is
// a fake here (the HMAC is huddle-server's, tests/cpp/server/join_token_test.cpp): a token reads
// "ok|ROOM|PEER|NAME|MAX|RELAY" or "expired".
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::framesTo;
using testing::HubHarness;
using testing::onlyFrame;
using testing::recipients;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

Result<JoinClaims> fakeVerify(std::string_view token) {
  if (token == "expired") return Error{ErrorCode::TokenExpired, "join token expired"};
  std::vector<std::string> parts;
  std::string part;
  for (char ch : std::string(token) + "|") {
    if (ch == '|') parts.push_back(std::exchange(part, {}));
    else part += ch;
  }
  if (parts.size() != 6 || parts[0] != "ok") return Error{ErrorCode::InvalidToken, "bad signature"};
  return JoinClaims{parts[1], parts[2], parts[3], 0, std::stoi(parts[4]), parts[5] == "1"};
}

std::string tokenFor(const std::string& room, const std::string& peer, const std::string& name = "Ann",
                     int maxMembers = 0, bool relayOnly = false) {
  return "ok|" + room + "|" + peer + "|" + name + "|" + std::to_string(maxMembers) + "|" + (relayOnly ? "1" : "0");
}

HubConfig withTokens(bool forCodes = false) {
  HubConfig config;
  config.verifyToken = fakeVerify;
  config.tokensForCodes = forCodes;
  return config;
}

constexpr double kGrace = limits::kDefaultServerMemberGraceMs;

class HubTokens : public ::testing::Test {
 protected:
  Hello helloWith(const std::string& joinToken, const std::string& id = "", const std::string& resume = "",
                  bool fresh = true) {
    Hello m{limits::kProtocolVersion, id, resume, fresh};
    m.joinToken = joinToken;
    return m;
  }
  // Connects `conn` with a token for user_42 in "standup" and joins; returns the welcome.
  Welcome enter(ConnId conn, const std::string& token) {
    h.hub.connect(conn);
    Welcome w = onlyFrame<Welcome>(h.send(conn, helloWith(token)), conn);
    onlyFrame<RoomJoined>(h.send(conn, Join{"standup", "ignored"}), conn);
    return w;
  }
  HubHarness h{withTokens()};
  const std::string ann = tokenFor("standup", "user_42", "Ann");
};

TEST_F(HubTokens, TheTokenNamesTheIdAndTheDisplayName) {
  h.hub.connect(1);
  Welcome w = onlyFrame<Welcome>(h.send(1, helloWith(ann)), 1);
  EXPECT_EQ(w.id, "user_42");
  EXPECT_FALSE(w.resumed);
  RoomJoined joined = onlyFrame<RoomJoined>(h.send(1, Join{"standup", "Mallory"}), 1);
  EXPECT_EQ(joined.you, "user_42");
  ASSERT_EQ(joined.peers.size(), 1u);
  EXPECT_EQ(joined.peers[0].name, "Ann");
}

TEST_F(HubTokens, ASecondTabWithATokenTakesTheLivePlaceOver) {
  // The person opens the page again in a new tab while the first one is still connected: no
  // resume token (it lived in the other tab), but the site's token says who this is.
  Welcome first = enter(1, ann);
  h.hub.connect(2);
  auto out = h.send(2, helloWith(ann));
  EXPECT_EQ(onlyFrame<ErrorFrame>(out, 1).code, ErrorCode::SessionReplaced);
  Welcome second = onlyFrame<Welcome>(out, 2);
  EXPECT_EQ(second.id, "user_42");
  EXPECT_TRUE(second.resumed);
  EXPECT_NE(second.token, first.token);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(2, Join{"standup", "Ann"}), 2).you, "user_42");
  // The first tab's resume token no longer wins the id back.
  h.hub.connect(4);
  EXPECT_EQ(h.refused(4, helloWith("", "user_42", first.token)).code, ErrorCode::TokenRequired);
}

TEST_F(HubTokens, ATokenTakesTheAwayPlaceOverAndTheOthersSeeItBack) {
  enter(1, ann);
  const std::string bobToken = tokenFor("standup", "bob", "Bob");
  enter(2, bobToken);
  h.hub.disconnect(1, LeaveReason::Disconnected);  // the tab closed; Ann is away
  h.now += kGrace / 2;
  h.hub.connect(3);
  auto out = h.send(3, helloWith(ann));
  EXPECT_TRUE(onlyFrame<Welcome>(out, 3).resumed);
  out = h.send(3, Join{"standup", "Ann"});
  EXPECT_EQ(onlyFrame<RoomJoined>(out, 3).host, "user_42");  // still host: the place was kept
  EXPECT_TRUE(onlyFrame<PeerBack>(out, 2).fresh);
}

TEST_F(HubTokens, WithoutATokenAnIdCannotBeHadAndTheAnswerDoesNotSayWhetherItIsLive) {
  h.hub.connect(9);
  const std::string free = h.refused(9, helloWith("", "user_42")).message;
  enter(1, ann);
  const ErrorFrame live = h.refused(9, helloWith("", "user_42"));
  h.hub.disconnect(1, LeaveReason::Disconnected);
  const ErrorFrame away = h.refused(9, helloWith("", "user_42", "a-guessed-resume-token"));
  h.now += kGrace + 1;
  h.hub.expireAway();
  const ErrorFrame afterGrace = h.refused(9, helloWith("", "user_42"));
  for (const ErrorFrame& e : {live, away, afterGrace}) {
    EXPECT_EQ(e.code, ErrorCode::TokenRequired);
    EXPECT_EQ(e.message, free);
    EXPECT_EQ(e.ref, "hello");
  }
  // A hello without an id is still welcome (with a server-picked id), for rooms joined by code.
  EXPECT_EQ(h.greet(10).size(), limits::kPeerIdLength);
}

TEST_F(HubTokens, AResumeTokenStillResumesItsOwnId) {
  Welcome first = enter(1, ann);
  h.hub.disconnect(1, LeaveReason::Disconnected);
  h.hub.connect(2);
  EXPECT_TRUE(onlyFrame<Welcome>(h.send(2, helloWith("", "user_42", first.token, false)), 2).resumed);
}

TEST_F(HubTokens, AMemberWhoseTokenExpiredStillComesBackWithItsResumeToken) {
  // The client sends its (now expired) join token in every hello; its resume token still holds.
  Welcome first = enter(1, ann);
  h.hub.disconnect(1, LeaveReason::Disconnected);
  h.hub.connect(2);
  Welcome back = onlyFrame<Welcome>(h.send(2, helloWith("expired", "user_42", first.token, false)), 2);
  EXPECT_TRUE(back.resumed);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(2, Join{"standup", "Ann"}), 2).you, "user_42");
  // Without the resume token, the expired token gets nothing.
  h.hub.connect(3);
  EXPECT_EQ(h.refused(3, helloWith("expired", "user_42")).code, ErrorCode::TokenExpired);
}

TEST_F(HubTokens, NamedRoomsNeedATokenForThemCodesDoNot) {
  h.greet(1);
  ErrorFrame none = h.refused(1, Join{"standup", "Mallory", true, 2, true});
  EXPECT_EQ(none.code, ErrorCode::TokenRequired);
  EXPECT_EQ(none.ref, "join");
  h.hub.connect(2);
  onlyFrame<Welcome>(h.send(2, helloWith(tokenFor("other-room", "eve", "Eve"))), 2);
  EXPECT_EQ(h.refused(2, Join{"standup", "Eve", true}).code, ErrorCode::InvalidToken);
  EXPECT_EQ(h.hub.stats().rooms, 0u);
  // Codes stay open to anyone with the code unless tokensForCodes.
  std::string code = h.create(1, "Mallory");
  h.join(2, code, "Eve");
}

TEST_F(HubTokens, TheTokensRulesAreTheRoomsRulesNotTheJoins) {
  // The attacker of hole 6 pre-created a victim's room as relay-only for 2; now it cannot create
  // it at all (above), and the first token holder's join makes the room with the site's rules.
  h.hub.connect(1);
  h.send(1, helloWith(tokenFor("standup", "user_42", "Ann", 4, true)));
  RoomJoined joined = onlyFrame<RoomJoined>(h.send(1, Join{"standup", "Ann", true, 2, false}), 1);
  EXPECT_EQ(joined.maxMembers, 4);
  EXPECT_TRUE(joined.relayOnly);
}

TEST_F(HubTokens, ATokenInTheJoinAdmitsToItsRoomForTheSameId) {
  h.hub.connect(1);
  h.send(1, helloWith(tokenFor("lobby", "user_42")));
  Join join{"standup", "Ann"};
  join.joinToken = ann;
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(1, join), 1).code, "standup");
  h.hub.connect(2);
  h.send(2, helloWith(tokenFor("lobby", "bob", "Bob")));
  EXPECT_EQ(h.refused(2, join).code, ErrorCode::InvalidToken);  // Ann's token, Bob's connection
}

TEST_F(HubTokens, BadAndExpiredTokensAreRefusedWithTheirCode) {
  h.hub.connect(1);
  EXPECT_EQ(h.refused(1, helloWith("forged")).code, ErrorCode::InvalidToken);
  EXPECT_EQ(h.refused(1, helloWith("expired")).code, ErrorCode::TokenExpired);
  EXPECT_EQ(h.refused(1, helloWith(ann, "someone_else")).code, ErrorCode::InvalidToken);
  EXPECT_EQ(onlyFrame<Welcome>(h.send(1, helloWith(ann, "user_42")), 1).id, "user_42");
  EXPECT_EQ(h.hub.stats().tokensRefused, 3u);
  EXPECT_EQ(h.hub.stats().tokensAccepted, 1u);
  h.greet(2);
  h.refused(2, Join{"standup", "Eve", true});
  EXPECT_EQ(h.hub.stats().tokenRequired, 1u);
}

TEST(HubTokensConfig, CodesNeedATokenWhenConfigured) {
  HubHarness h{withTokens(/*forCodes=*/true)};
  h.greet(1);
  EXPECT_EQ(h.refused(1, Create{"Ann"}).code, ErrorCode::TokenRequired);
  EXPECT_EQ(h.refused(1, Join{"ABCDEF", "Ann"}).code, ErrorCode::TokenRequired);
  h.hub.connect(2);
  Hello hello{limits::kProtocolVersion, "", "", false};
  hello.joinToken = tokenFor("ABCDEF", "user_42");
  h.send(2, hello);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(2, Join{"abcdef", "Ann", true}), 2).code, "ABCDEF");
}

TEST(HubTokensConfig, AServerWithoutTokensRefusesOneAndKeepsFirstComeIds) {
  HubHarness h;
  h.hub.connect(1);
  Hello hello{limits::kProtocolVersion, "user_42", "", false};
  hello.joinToken = tokenFor("standup", "user_42");
  EXPECT_EQ(h.refused(1, hello).code, ErrorCode::InvalidToken);
  hello.joinToken.clear();
  EXPECT_EQ(onlyFrame<Welcome>(h.send(1, hello), 1).id, "user_42");
}

}  // namespace
}  // namespace huddle
