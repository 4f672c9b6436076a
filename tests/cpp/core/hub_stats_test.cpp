// What the Hub counts for an operator (issue 15, docs/metrics.md): joins by outcome and refusals
// by code, rooms closed by reason with their peak members and lifetime, host changes and
// host-away episodes, relayed bytes. Each test makes the event happen and reads the number back.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"
#include "huddle/histogram.hpp"

namespace huddle {
namespace {

using testing::HubHarness;
using testing::onlyFrame;

std::uint64_t joins(const Hub& hub, JoinOutcome outcome) {
  return hub.stats().joins[static_cast<std::size_t>(outcome)];
}

std::uint64_t refusals(const Hub& hub, ErrorCode code) {
  auto it = hub.stats().joinRefusals.find(code);
  return it == hub.stats().joinRefusals.end() ? 0 : it->second;
}

// Every bucket's cumulative count, finite bounds first, then +Inf.
std::vector<std::uint64_t> buckets(const Histogram& h) {
  std::vector<std::uint64_t> counts;
  for (std::size_t i = 0; i < h.upperBounds().size(); ++i) counts.push_back(h.countAtOrBelow(i));
  counts.push_back(h.count());
  return counts;
}

HubConfig withGrace(double graceMs) {
  HubConfig config;
  config.memberGraceMs = graceMs;
  config.loneRoomGraceMs = graceMs;
  return config;
}

// ---- the histogram itself ------------------------------------------------------------------

TEST(Histogram, CountsEachObservationAtOrBelowEveryBoundItFits) {
  Histogram h{1, 5, 10};
  for (double v : {0.5, 1.0, 3.0, 5.0, 10.0, 11.0, 500.0}) h.observe(v);
  EXPECT_EQ(buckets(h), (std::vector<std::uint64_t>{2, 4, 5, 7}));  // a value equal to a bound is in it
  EXPECT_EQ(h.count(), 7u);
  EXPECT_DOUBLE_EQ(h.sum(), 530.5);
}

TEST(Histogram, StartsEmpty) {
  Histogram h{1, 2};
  EXPECT_EQ(buckets(h), (std::vector<std::uint64_t>{0, 0, 0}));
  EXPECT_EQ(h.sum(), 0);
}

// ---- joins ----------------------------------------------------------------------------------

TEST(HubStats, CreateAndJoinAreCountedApart) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  h.greet(3);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.join(3, code, "Cy");
  EXPECT_EQ(joins(h.hub, JoinOutcome::Created), 1u);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Joined), 2u);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Refused), 0u);
  EXPECT_EQ(h.hub.stats().roomsCreated, 1u);
}

TEST(HubStats, AJoinThatCreatesItsRoomCountsAsCreated) {
  HubHarness h;
  h.greet(1);
  onlyFrame<RoomJoined>(h.send(1, Join{"lobby", "Ann", true}), 1);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Created), 1u);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Joined), 0u);
}

TEST(HubStats, RefusedJoinsAreCountedByTheirErrorCode) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  h.greet(3);
  h.greet(4);
  const std::string code = h.create(1, "Ann", 2);
  EXPECT_EQ(h.refused(2, Join{"ZZZZZZ", "Bob"}).code, ErrorCode::RoomNotFound);
  EXPECT_EQ(h.refused(2, Join{code, "ann"}).code, ErrorCode::NameTaken);
  EXPECT_EQ(h.refused(2, Join{"no way", "Bob"}).code, ErrorCode::InvalidCode);
  h.join(2, code, "Bob");
  EXPECT_EQ(h.refused(3, Join{code, "Cy"}).code, ErrorCode::RoomFull);
  EXPECT_EQ(h.refused(4, Create{"Dee", 99}).code, ErrorCode::InvalidRoomSize);
  EXPECT_EQ(h.refused(2, Create{"Bob"}).code, ErrorCode::AlreadyInRoom);
  h.hub.connect(5);  // never says hello
  EXPECT_EQ(h.refused(5, Join{code, "Eve"}).code, ErrorCode::HelloRequired);

  EXPECT_EQ(joins(h.hub, JoinOutcome::Refused), 7u);
  for (ErrorCode code : {ErrorCode::RoomNotFound, ErrorCode::NameTaken, ErrorCode::InvalidCode, ErrorCode::RoomFull,
                         ErrorCode::InvalidRoomSize, ErrorCode::AlreadyInRoom, ErrorCode::HelloRequired})
    EXPECT_EQ(refusals(h.hub, code), 1u) << errorCodeName(code);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Joined), 1u);
}

TEST(HubStats, WrongPasswordIsARefusalByItsCode) {
  HubConfig config;
  config.hashPassword = [](std::string_view password, std::string_view salt) {
    return "h:" + std::string(salt) + ":" + std::string(password);
  };
  HubHarness h{config};
  h.greet(1);
  h.greet(2);
  Create create{"Ann"};
  create.password = "open sesame";
  const std::string code = onlyFrame<RoomJoined>(h.send(1, create), 1).code;
  Join join{code, "Bob"};
  join.password = "guess";
  EXPECT_EQ(h.refused(2, join).code, ErrorCode::WrongPassword);
  EXPECT_EQ(refusals(h.hub, ErrorCode::WrongPassword), 1u);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Refused), 1u);
}

// Frames that are not joins, refused or not, are no join refusals.
TEST(HubStats, OtherRefusedFramesAreNoJoinRefusals) {
  HubHarness h;
  h.greet(1);
  h.refused(1, Leave{});
  h.refused(1, R"({"t":"relay","seq":1,"data":1})");
  EXPECT_EQ(joins(h.hub, JoinOutcome::Refused), 0u);
  EXPECT_TRUE(h.hub.stats().joinRefusals.empty());
}

TEST(HubStats, AMemberRejoiningItsKeptPlaceCountsAsResumed) {
  HubHarness h{withGrace(30000)};
  h.greet(1);
  h.hub.connect(2);
  Welcome bob = onlyFrame<Welcome>(h.send(2, Hello{limits::kProtocolVersion, "", "", false}), 2);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.hub.disconnect(2, LeaveReason::Disconnected);
  h.hub.connect(7);
  onlyFrame<Welcome>(h.send(7, Hello{limits::kProtocolVersion, bob.id, bob.token, false}), 7);
  onlyFrame<RoomJoined>(h.send(7, Join{code, "Bob"}), 7);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Resumed), 1u);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Joined), 1u);  // only the first time
}

// ---- rooms closed ---------------------------------------------------------------------------

TEST(HubStats, ARoomEmptiedIsObservedWithItsPeakMembersAndLifetime) {
  HubHarness h;
  h.now = 1000;
  for (ConnId c = 1; c <= 3; ++c) h.greet(c);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.join(3, code, "Cy");
  h.send(3, Leave{});
  h.now += 90'000;
  h.send(2, Leave{});
  EXPECT_EQ(h.hub.stats().roomsEmptied, 0u);  // Ann is still in
  h.send(1, Leave{});

  const HubStats& s = h.hub.stats();
  EXPECT_EQ(s.roomsEmptied, 1u);
  EXPECT_EQ(s.roomsExpired, 0u);
  EXPECT_EQ(s.rooms, 0u);
  // Three at once at most: in the bucket le=3 and above, not le=2.
  EXPECT_EQ(buckets(s.roomPeakMembers), (std::vector<std::uint64_t>{0, 0, 1, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(s.roomPeakMembers.sum(), 3);
  // 90 s: above 60, within 300.
  EXPECT_EQ(buckets(s.roomLifetimeSeconds), (std::vector<std::uint64_t>{0, 0, 1, 1, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(s.roomLifetimeSeconds.sum(), 90);
}

TEST(HubStats, ARoomThatExpiresIsClosedAsExpiredAndObserved) {
  HubConfig config;
  config.roomIdleMs = 60'000;
  HubHarness h{config};
  h.greet(1);
  h.greet(2);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.now += 60'000;
  h.hub.expireAway();
  const HubStats& s = h.hub.stats();
  EXPECT_EQ(s.roomsExpired, 1u);
  EXPECT_EQ(s.roomsEmptied, 0u);
  EXPECT_EQ(s.roomPeakMembers.count(), 1u);
  EXPECT_EQ(s.roomPeakMembers.countAtOrBelow(0), 0u);
  EXPECT_EQ(s.roomPeakMembers.countAtOrBelow(1), 1u);  // le=2
  EXPECT_DOUBLE_EQ(s.roomLifetimeSeconds.sum(), 60);
}

TEST(HubStats, ALiveRoomIsNotObserved) {
  HubHarness h;
  h.greet(1);
  h.create(1, "Ann");
  EXPECT_EQ(h.hub.stats().roomPeakMembers.count(), 0u);
  EXPECT_EQ(h.hub.stats().roomLifetimeSeconds.count(), 0u);
}

// ---- the host -------------------------------------------------------------------------------

TEST(HubStats, TheHostLeavingChangesTheHostAMemberLeavingDoesNot) {
  HubHarness h;
  for (ConnId c = 1; c <= 3; ++c) h.greet(c);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.join(3, code, "Cy");
  h.send(3, Leave{});
  EXPECT_EQ(h.hub.stats().hostChanges, 0u);
  h.send(1, Leave{});
  EXPECT_EQ(h.hub.stats().hostChanges, 1u);
  h.send(2, Leave{});  // the room is gone: no host to change to
  EXPECT_EQ(h.hub.stats().hostChanges, 1u);
}

// After a restart of a server without a directory, members recreate their room (Join::rank): the
// old host coming back second takes the host role back, which is a change for the room.
TEST(HubStats, AMemberRestoringAnOlderPlaceChangesTheHost) {
  HubHarness h;
  auto comeBack = [&](ConnId conn, const std::string& id, const std::string& name, std::uint64_t rank) {
    h.hub.connect(conn);
    h.send(conn, Hello{limits::kProtocolVersion, id, "token-" + id + "-0123456789", false});
    return h.send(conn, Join{"ABC234", name, true, 0, false, rank});
  };
  comeBack(2, "ben", "Ben", 2);
  EXPECT_EQ(h.hub.stats().hostChanges, 0u);
  comeBack(1, "ann", "Ann", 1);
  EXPECT_EQ(h.hub.stats().hostChanges, 1u);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Created), 1u);
  EXPECT_EQ(joins(h.hub, JoinOutcome::Joined), 1u);
}

class HubHostAway : public ::testing::Test {
 protected:
  void SetUp() override {
    for (ConnId c = 1; c <= 2; ++c) {
      h.hub.connect(c);
      welcomes.push_back(onlyFrame<Welcome>(h.send(c, Hello{limits::kProtocolVersion, "", "", false}), c));
    }
    code = h.create(1, "Ann");
    h.join(2, code, "Bob");
  }
  void comeBack(ConnId conn, std::size_t who) {
    h.hub.connect(conn);
    onlyFrame<Welcome>(h.send(conn, Hello{limits::kProtocolVersion, welcomes[who].id, welcomes[who].token, false}),
                       conn);
  }
  static constexpr double kGrace = 30'000;
  HubHarness h{withGrace(kGrace)};
  std::vector<Welcome> welcomes;
  std::string code;
};

TEST_F(HubHostAway, TheHostAwayAndBackIsOneEpisodeThatEndedBack) {
  h.hub.disconnect(1, LeaveReason::Disconnected);
  EXPECT_EQ(h.hub.stats().hostAway, 1u);
  EXPECT_EQ(h.hub.stats().hostBack, 0u);
  comeBack(7, 0);
  EXPECT_EQ(h.hub.stats().hostBack, 1u);
  EXPECT_EQ(h.hub.stats().hostAwayLeft, 0u);
  EXPECT_EQ(h.hub.stats().hostChanges, 0u);
}

TEST_F(HubHostAway, TheHostWhoseGraceRunsOutLeftAndTheHostChanges) {
  h.hub.disconnect(1, LeaveReason::Disconnected);
  h.now += kGrace;
  h.hub.expireAway();
  EXPECT_EQ(h.hub.stats().hostAway, 1u);
  EXPECT_EQ(h.hub.stats().hostAwayLeft, 1u);
  EXPECT_EQ(h.hub.stats().hostBack, 0u);
  EXPECT_EQ(h.hub.stats().hostChanges, 1u);
}

TEST_F(HubHostAway, AMemberAwayIsNoHostAway) {
  h.hub.disconnect(2, LeaveReason::Disconnected);
  comeBack(7, 1);
  EXPECT_EQ(h.hub.stats().hostAway, 0u);
  EXPECT_EQ(h.hub.stats().hostBack, 0u);
}

TEST(HubStats, AHostAwayWhenItsRoomExpiresLeft) {
  HubConfig config = withGrace(120'000);
  config.roomIdleMs = 60'000;
  HubHarness h{config};
  h.greet(1);
  h.greet(2);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.hub.disconnect(1, LeaveReason::Disconnected);
  h.now += 60'000;
  h.hub.expireAway();
  EXPECT_EQ(h.hub.stats().roomsExpired, 1u);
  EXPECT_EQ(h.hub.stats().hostAway, 1u);
  EXPECT_EQ(h.hub.stats().hostAwayLeft, 1u);
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
}

// ---- relay ----------------------------------------------------------------------------------

TEST(HubStats, RelayedBytesAreTheBytesOfEveryFrameSent) {
  HubHarness h;
  for (ConnId c = 1; c <= 3; ++c) h.greet(c);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.join(3, code, "Cy");
  std::uint64_t sent = 0;
  for (const auto& o : h.send(1, R"({"t":"relay","seq":1,"data":"to everyone"})")) sent += o.frame.size();
  ASSERT_GT(sent, 0u);
  EXPECT_EQ(h.hub.stats().relayedBytes, sent);  // two copies
  EXPECT_EQ(h.hub.stats().relayedMessages, 1u);
  h.refused(1, R"({"t":"relay","to":"nobody","seq":2,"data":1})");
  EXPECT_EQ(h.hub.stats().relayedBytes, sent);  // nothing went
}

// ---- what members report of their paths (stats frames) ---------------------------------------

Stats report(std::vector<LinkStats> links) {
  Stats s;
  s.links = std::move(links);
  return s;
}

TEST(HubStats, AMembersReportCountsEachPathByTransportWithItsSettleTimeAndRoundTrip) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  h.join(2, h.create(1, "Ann"), "Bob");
  auto out = h.send(2, report({{Transport::Direct, 300, 2}, {Transport::Relay, 5100, 40}, {Transport::None, -1, -1}}));
  EXPECT_TRUE(out.empty());  // nothing is answered
  const HubStats& s = h.hub.stats();
  EXPECT_EQ(s.statsReports, 1u);
  EXPECT_EQ(s.reportedPaths[static_cast<std::size_t>(Transport::Direct)], 1u);
  EXPECT_EQ(s.reportedPaths[static_cast<std::size_t>(Transport::Relay)], 1u);
  EXPECT_EQ(s.reportedPaths[static_cast<std::size_t>(Transport::None)], 1u);
  // direct: settled within 0.5 s, round trip within 2.5 ms; relay: within 10 s and 50 ms
  EXPECT_EQ(buckets(s.pathSettleSeconds[0]), (std::vector<std::uint64_t>{0, 0, 1, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(buckets(s.pathSettleSeconds[1]), (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(s.pathSettleSeconds[1].sum(), 5.1);
  EXPECT_EQ(buckets(s.pathRttSeconds[0]), (std::vector<std::uint64_t>{0, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(buckets(s.pathRttSeconds[1]), (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}));
  EXPECT_EQ(s.framesRejected, 0u);
}

TEST(HubStats, APathWithoutARoundTripIsCountedButNotObservedAsOne) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  h.join(2, h.create(1, "Ann"), "Bob");
  h.send(2, report({{Transport::Direct, 300, -1}}));
  EXPECT_EQ(h.hub.stats().pathSettleSeconds[0].count(), 1u);
  EXPECT_EQ(h.hub.stats().pathRttSeconds[0].count(), 0u);
}

TEST(HubStats, OneReportIsTakenPerRoomEnteredAndOnlyInARoom) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  EXPECT_EQ(h.refused(2, report({{Transport::Direct, 300, 2}})).code, ErrorCode::NotInRoom);
  const std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.send(2, report({{Transport::Direct, 300, 2}}));
  ErrorFrame again = h.refused(2, report({{Transport::Direct, 300, 2}}));
  EXPECT_EQ(again.code, ErrorCode::BadFrame);
  EXPECT_EQ(again.ref, "stats");
  EXPECT_EQ(h.hub.stats().statsReports, 1u);
  EXPECT_EQ(h.hub.stats().reportedPaths[static_cast<std::size_t>(Transport::Direct)], 1u);
  // Out and in again: a new room entry may report again.
  h.send(2, Leave{});
  h.join(2, code, "Bob");
  h.send(2, report({{Transport::Relay, 900, 30}}));
  EXPECT_EQ(h.hub.stats().statsReports, 2u);
}

}  // namespace
}  // namespace huddle
