// Limits per source address (issue 13): what one address does counts against it whichever of its
// connections does it, and nothing one address does locks the others out.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::framesTo;
using testing::HubHarness;
using testing::onlyFrame;

const std::string kAttacker = "203.0.113.7";
const std::string kOther = "198.51.100.2";

// connect, hello, `frame`, drop: repeated from `address`, each time on a new connection (ids from
// `next` on), while `answered(frames)` holds for what the frame got back. Returns how many times
// it held before the first other answer (or `attempts`); that answer goes to `refusal` when it is
// one error frame.
template <class Frame, class Answered>
int answeredBeforeRefusal(HubHarness& h, ConnId& next, int attempts, const std::string& address, const Frame& frame,
                          Answered answered, ErrorFrame* refusal) {
  for (int i = 0; i < attempts; ++i) {
    ConnId conn = next++;
    h.greetFrom(conn, address);
    auto frames = framesTo(h.send(conn, frame), conn);
    h.hub.disconnect(conn, LeaveReason::Disconnected);
    if (!answered(frames)) {
      if (refusal && frames.size() == 1 && std::holds_alternative<ErrorFrame>(frames[0])) {
        *refusal = std::get<ErrorFrame>(frames[0]);
      }
      return i;
    }
  }
  return attempts;
}

// Rooms created by connect, hello, create, drop from one address before the first refusal.
int roomsCreatedByChurn(HubHarness& h, ConnId& next, int attempts, ErrorFrame* refusal = nullptr) {
  return answeredBeforeRefusal(h, next, attempts, kAttacker, Create{"Eve"}, [](const auto& frames) {
    return frames.size() == 1 && std::holds_alternative<RoomJoined>(frames[0]);
  }, refusal);
}

TEST(HubAddressLimits, OneAddressCreatingRoomsOnNewConnectionsIsHeldToItsBurst) {
  HubHarness h;
  ConnId next = 100;
  ErrorFrame refusal;
  EXPECT_EQ(roomsCreatedByChurn(h, next, 1000, &refusal), limits::kDefaultRoomBurst);
  EXPECT_EQ(refusal.code, ErrorCode::RateLimited);
  EXPECT_EQ(refusal.ref, "create");
  // Another address is not held up by it.
  h.greetFrom(1, kOther);
  onlyFrame<RoomJoined>(h.send(1, Create{"Ann"}), 1);
}

// Two Hubs (two nodes) passing each other what they charged: one address creating rooms on both
// gets one burst in all, not one on each.
TEST(HubAddressLimits, ChargesSharedBetweenTwoHubsHoldTheAddressToOneBurst) {
  HubHarness a, b;
  a.hub.shareAddressCharges();
  b.hub.shareAddressCharges();
  ConnId next = 100;
  int created = 0;
  for (int i = 0; i < 2 * static_cast<int>(limits::kDefaultRoomBurst); ++i) {
    HubHarness& node = i % 2 == 0 ? a : b;
    HubHarness& other = i % 2 == 0 ? b : a;
    created += roomsCreatedByChurn(node, next, 1);
    other.hub.applyAddressCharges(node.hub.takeAddressCharges(100));
  }
  EXPECT_EQ(created, limits::kDefaultRoomBurst);
  EXPECT_EQ(a.hub.stats().remoteCharges + b.hub.stats().remoteCharges, limits::kDefaultRoomBurst);
  EXPECT_EQ(a.hub.stats().remoteChargesDropped, 0u);
}

TEST(HubAddressLimits, ARefusedCreateSaysWhenToTryAgainAndThenSucceeds) {
  HubHarness h;
  ConnId next = 100;
  ErrorFrame refusal;
  roomsCreatedByChurn(h, next, 1000, &refusal);
  EXPECT_EQ(refusal.retryMs, 1000u);  // one room a second
  EXPECT_THAT(refusal.message, ::testing::HasSubstr("rooms created per minute"));
  h.now += 999;
  EXPECT_EQ(roomsCreatedByChurn(h, next, 1), 0);
  h.now += 1;
  EXPECT_EQ(roomsCreatedByChurn(h, next, 1), 1);
  EXPECT_EQ(h.hub.stats().refusedByAddressLimit[static_cast<int>(AddressLimit::Rooms)], 2u);
}

TEST(HubAddressLimits, ARoomOnlyItsCreatorEverJoinedIsGoneSoonAfterItsCreatorDrops) {
  HubHarness h;
  h.greetFrom(1, kAttacker);
  h.create(1, "Eve");
  h.hub.disconnect(1, LeaveReason::Disconnected);
  h.now += limits::kDefaultLoneRoomGraceMs;
  h.hub.expireAway();
  EXPECT_EQ(h.hub.stats().rooms, 0u);
  EXPECT_EQ(h.hub.stats().members, 0u);
}

TEST(HubAddressLimits, ARoomSomeoneElseJoinedKeepsTheFullGrace) {
  HubHarness h;
  h.greetFrom(1, kOther);
  h.greetFrom(2, kOther);
  std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  h.send(2, Leave{});
  h.hub.disconnect(1, LeaveReason::Disconnected);  // alone again, but Bob was there
  h.now += limits::kDefaultServerMemberGraceMs - 1;
  h.hub.expireAway();
  EXPECT_EQ(h.hub.stats().rooms, 1u);
}

// join of a code nobody holds, from one address, each time on a new connection. Returns how many
// were answered room_not_found before the first other answer (or `attempts`).
int failedJoinsBeforeRefusal(HubHarness& h, ConnId& next, int attempts, const std::string& address,
                             ErrorFrame* refusal = nullptr) {
  return answeredBeforeRefusal(h, next, attempts, address, Join{"ABCDEF", "Eve"}, [](const auto& frames) {
    return frames.size() == 1 && std::holds_alternative<ErrorFrame>(frames[0]) &&
           std::get<ErrorFrame>(frames[0]).code == ErrorCode::RoomNotFound;
  }, refusal);
}

TEST(HubAddressLimits, GuessingCodesFromOneAddressIsSlowedToABackoff) {
  HubHarness h;
  ConnId next = 100;
  ErrorFrame refusal;
  EXPECT_EQ(failedJoinsBeforeRefusal(h, next, 1000, kAttacker, &refusal), limits::kDefaultFailedJoinBurst);
  EXPECT_EQ(refusal.code, ErrorCode::RateLimited);
  EXPECT_EQ(refusal.ref, "join");
}

TEST(HubAddressLimits, InBackoffEveryJoinIsRefusedSoAHitCannotBeTold) {
  HubHarness h;
  h.greetFrom(1, kOther);
  std::string code = h.create(1, "Ann");
  ConnId next = 100;
  failedJoinsBeforeRefusal(h, next, 1000, kAttacker);
  h.greetFrom(2, kAttacker);
  ErrorFrame e = onlyFrame<ErrorFrame>(h.send(2, Join{code, "Eve"}), 2);
  EXPECT_EQ(e.code, ErrorCode::RateLimited);
  EXPECT_EQ(e.retryMs, 2000u);  // 30 a minute
  h.now += 2000;
  onlyFrame<RoomJoined>(h.send(2, Join{code, "Eve"}), 2);
  // Others, and joins that create, never waited.
  h.greetFrom(3, kOther);
  EXPECT_EQ(failedJoinsBeforeRefusal(h, next, 1, kOther), 1);
}

TEST(HubAddressLimits, AJoinThatCreatesIsNotHeldUpByFailedJoins) {
  HubHarness h;
  ConnId next = 100;
  failedJoinsBeforeRefusal(h, next, 1000, kAttacker);
  h.greetFrom(1, kAttacker);
  onlyFrame<RoomJoined>(h.send(1, Join{"my-room", "Eve", true}), 1);
}

// A room of `members` (conn 1 from kAttacker, the others each from an address of their own).
std::string roomOf(HubHarness& h, int members) {
  h.greetFrom(1, kAttacker);
  std::string code = h.create(1, "Eve", members);
  for (int i = 2; i <= members; ++i) {
    h.greetFrom(i, "192.0.2." + std::to_string(i));
    h.join(i, code, "M" + std::to_string(i));
  }
  return code;
}

// A broadcast relay frame of about `bytes`.
std::string bigBroadcast(std::size_t bytes) {
  return R"({"t":"relay","seq":1,"data":")" + std::string(bytes, 'x') + "\"}";
}

TEST(HubAddressLimits, RelayBytesCountEveryRecipient) {
  HubHarness h;
  roomOf(h, 8);
  const std::string frame = bigBroadcast(60000);
  std::size_t sentOut = 0;
  int accepted = 0;
  for (int i = 0; i < 100; ++i) {
    auto out = h.send(1, frame);
    if (out.size() == 1 && out[0].to == 1) break;  // refused
    ++accepted;
    for (const auto& o : out) sentOut += o.frame.size();
  }
  // 8 MiB of burst at 7 copies of ~60 KB: 19 frames, not 100 (42 MB).
  EXPECT_EQ(accepted, 19);
  EXPECT_LE(sentOut, static_cast<std::size_t>(limits::kDefaultRelayBytesPerSecond));
}

TEST(HubAddressLimits, ARefusedRelayFrameSendsNothingAndSaysWhy) {
  HubHarness h;
  roomOf(h, 8);
  const std::string frame = bigBroadcast(60000);
  while (h.send(1, frame).size() > 1) {
  }
  ErrorFrame e = h.refused(1, frame);
  EXPECT_EQ(e.code, ErrorCode::RateLimited);
  EXPECT_EQ(e.ref, "relay");
  EXPECT_GT(e.retryMs, 0u);
  EXPECT_THAT(e.message, ::testing::HasSubstr("relayed bytes per second"));
  h.now += static_cast<double>(e.retryMs);
  EXPECT_EQ(h.send(1, frame).size(), 7u);
}

TEST(HubAddressLimits, TheRelayBudgetIsSharedByEveryConnectionOfAnAddress) {
  HubHarness h;
  h.greetFrom(1, kAttacker);
  h.greetFrom(2, kAttacker);
  h.greetFrom(3, kOther);
  std::string code = h.create(1, "Eve");
  h.join(2, code, "Eve2");
  h.join(3, code, "Ann");
  const std::string frame = bigBroadcast(60000);
  std::size_t copyBytes = h.send(3, frame)[0].frame.size();  // (from Ann: costs Eve nothing)
  int accepted = 0;
  for (int i = 0; i < 200; ++i) {
    ConnId from = 1 + i % 2;  // taking turns does not double the budget
    auto out = h.send(from, frame);
    if (out.size() == 1 && out[0].to == from) break;  // refused
    ++accepted;
  }
  EXPECT_EQ(accepted, static_cast<int>(limits::kDefaultRelayBytesPerSecond / (2.0 * copyBytes)));
}

TEST(HubAddressLimits, AnAddressIsForgottenOnceItsConnectionsAreGoneAndItOwesNothing) {
  HubHarness h;
  Welcome w = h.greetFrom(1, kOther);
  h.hub.connect(2, kOther);
  onlyFrame<Welcome>(h.send(2, Hello{limits::kProtocolVersion, w.id, w.token, false}), 2);  // takes over
  h.hub.expireAway();
  EXPECT_EQ(h.hub.stats().addresses, 1u);
  h.hub.disconnect(1, LeaveReason::Disconnected);  // the replaced connection still came from kOther
  h.hub.disconnect(2, LeaveReason::Disconnected);
  h.hub.expireAway();
  EXPECT_EQ(h.hub.stats().addresses, 0u);
}

TEST(HubAddressLimits, WelcomeAnnouncesTheRelayBudget) {
  HubHarness h;
  Welcome w = h.greetFrom(1, kOther);
  EXPECT_EQ(w.rate.relayBytesPerSecond, limits::kDefaultRelayBytesPerSecond);
  EXPECT_EQ(w.rate.relayByteBurst, limits::kDefaultRelayBytesPerSecond * limits::kRelayByteBurstSeconds);
}

}  // namespace
}  // namespace huddle
