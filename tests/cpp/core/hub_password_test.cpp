// Room passwords in the Hub (docs/protocol.md "Room passwords", issue 13): a room created with one
// keeps a salted hash, a join must bring it (wrong_password otherwise, a failed join of its
// address like room_not_found), and members coming back, or vouched for by a join token, need
// none. The hasher is a fake here that records what it was asked (huddle-server's PBKDF2 is
// tested in tests/cpp/server/room_password_test.cpp).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::HubHarness;
using testing::onlyFrame;

const std::string kAnnAddress = "198.51.100.2";
const std::string kGuesser = "203.0.113.7";

struct HashCall {
  std::string password;
  std::string salt;
};

// A fake hash that is plainly not the password: "H(" + salt + "|" + password + ")" reversed.
std::string fakeHash(std::string_view password, std::string_view salt) {
  std::string h = "H(" + std::string(salt) + "|" + std::string(password) + ")";
  return {h.rbegin(), h.rend()};
}

HubConfig withHasher(std::shared_ptr<std::vector<HashCall>> calls) {
  HubConfig config;
  config.hashPassword = [calls](std::string_view password, std::string_view salt) {
    calls->push_back({std::string(password), std::string(salt)});
    return fakeHash(password, salt);
  };
  return config;
}

Create createWith(const std::string& name, const std::string& password) {
  Create m{name};
  m.password = password;
  return m;
}

Join joinWith(const std::string& code, const std::string& name, const std::string& password, bool create = false) {
  Join m{code, name, create};
  m.password = password;
  return m;
}

class HubPassword : public ::testing::Test {
 protected:
  void SetUp() override {
    h.greetFrom(1, kAnnAddress);
    RoomJoined r = onlyFrame<RoomJoined>(h.send(1, createWith("Ann", "open sesame")), 1);
    code = r.code;
    EXPECT_TRUE(r.password);
  }
  // A fresh connection from `address` joining with `password`; returns the one frame it got.
  std::vector<Outgoing> joinFrom(ConnId conn, const std::string& address, const std::string& password,
                                 bool create = false) {
    h.greetFrom(conn, address);
    return h.send(conn, joinWith(code, "Eve" + std::to_string(conn), password, create));
  }
  std::shared_ptr<std::vector<HashCall>> calls = std::make_shared<std::vector<HashCall>>();
  HubHarness h{withHasher(calls)};
  std::string code;
};

TEST_F(HubPassword, TheRightPasswordJoinsAndEveryoneSeesTheRoomIsProtected) {
  h.greetFrom(2, "192.0.2.9");
  RoomJoined r = onlyFrame<RoomJoined>(h.send(2, joinWith(code, "Bob", "open sesame")), 2);
  EXPECT_TRUE(r.password);
  EXPECT_EQ(r.peers.size(), 2u);
  EXPECT_EQ(h.hub.stats().wrongPasswords, 0u);
}

TEST_F(HubPassword, NoPasswordOrAWrongOneIsWrongPasswordWithoutEnteringTheRoom) {
  h.greetFrom(2, "192.0.2.9");
  ErrorFrame none = onlyFrame<ErrorFrame>(h.send(2, Join{code, "Bob"}), 2);
  EXPECT_EQ(none.code, ErrorCode::WrongPassword);
  EXPECT_EQ(none.message, "room " + code + " needs a password");
  EXPECT_EQ(none.ref, "join");
  ErrorFrame wrong = onlyFrame<ErrorFrame>(h.send(2, joinWith(code, "Bob", "open sesame!")), 2);
  EXPECT_EQ(wrong.code, ErrorCode::WrongPassword);
  EXPECT_EQ(wrong.message, "wrong password for room " + code);
  EXPECT_EQ(h.hub.stats().wrongPasswords, 2u);
  EXPECT_EQ(h.hub.stats().members, 1u);  // nobody but Ann, and Ann heard nothing (onlyFrame above)
  // The same connection can still get in with the right one.
  onlyFrame<RoomJoined>(h.send(2, joinWith(code, "Bob", "open sesame")), 2);
}

TEST_F(HubPassword, OnlyASaltedHashIsKeptEachRoomWithItsOwnSalt) {
  h.greetFrom(2, "192.0.2.9");
  onlyFrame<RoomJoined>(h.send(2, createWith("Bob", "open sesame")), 2);
  ASSERT_EQ(calls->size(), 2u);  // one hash per room created, none kept in the clear
  EXPECT_EQ((*calls)[0].salt.size(), limits::kRoomPasswordSaltBytes);
  EXPECT_NE((*calls)[0].salt, (*calls)[1].salt);
  // A join hashes what it brings with its room's salt.
  h.greetFrom(3, "192.0.2.10");
  onlyFrame<RoomJoined>(h.send(3, joinWith(code, "Cy", "open sesame")), 3);
  ASSERT_EQ(calls->size(), 3u);
  EXPECT_EQ((*calls)[2].salt, (*calls)[0].salt);
}

TEST_F(HubPassword, WrongPasswordsAreFailedJoinsOfTheAddressSoGuessingMeetsTheBackoff) {
  int wrongBeforeRefusal = 0;
  ErrorFrame refusal;
  for (ConnId conn = 100; conn < 1100; ++conn) {
    ErrorFrame e = onlyFrame<ErrorFrame>(joinFrom(conn, kGuesser, "guess" + std::to_string(conn)), conn);
    h.hub.disconnect(conn, LeaveReason::Disconnected);
    if (e.code != ErrorCode::WrongPassword) {
      refusal = e;
      break;
    }
    ++wrongBeforeRefusal;
  }
  EXPECT_EQ(wrongBeforeRefusal, limits::kDefaultFailedJoinBurst);
  EXPECT_EQ(refusal.code, ErrorCode::RateLimited);
  // In backoff, the right password is refused the same way: a guesser cannot tell it hit.
  EXPECT_EQ(onlyFrame<ErrorFrame>(joinFrom(2000, kGuesser, "open sesame"), 2000).code, ErrorCode::RateLimited);
  // Another address is not held up.
  onlyFrame<RoomJoined>(joinFrom(2001, "192.0.2.9", "open sesame"), 2001);
}

TEST_F(HubPassword, AJoinWithCreateCannotSkipTheBackoffOrThePassword) {
  // join with create never waits for room_not_found (it cannot fail that way), but it can meet a
  // room's password: without this, guessing through create would go at the frame rate.
  ErrorFrame e = onlyFrame<ErrorFrame>(joinFrom(100, kGuesser, "guess", true), 100);
  EXPECT_EQ(e.code, ErrorCode::WrongPassword);
  int wrong = 1;
  for (ConnId conn = 101; conn < 1100; ++conn) {
    ErrorFrame f = onlyFrame<ErrorFrame>(joinFrom(conn, kGuesser, "guess" + std::to_string(conn), true), conn);
    h.hub.disconnect(conn, LeaveReason::Disconnected);
    if (f.code != ErrorCode::WrongPassword) {
      EXPECT_EQ(f.code, ErrorCode::RateLimited);
      break;
    }
    ++wrong;
  }
  EXPECT_EQ(wrong, limits::kDefaultFailedJoinBurst);
}

TEST_F(HubPassword, PasswordChecksPerAddressAreBoundedEvenWithTheRightPassword) {
  // Each check is a key derivation (under a millisecond in huddle-server) under the Hub's
  // lock: join, leave, join, ... with the right password must not let one address make the
  // server hash at its frame rate.
  h.greetFrom(2, kGuesser);
  std::size_t before = calls->size();
  int joined = 0;
  ErrorFrame refusal;
  for (int i = 0; i < 100; ++i) {
    auto out = h.send(2, joinWith(code, "Bob", "open sesame"));
    if (testing::framesTo(out, 2).size() == 1 && std::holds_alternative<ErrorFrame>(testing::framesTo(out, 2)[0])) {
      refusal = onlyFrame<ErrorFrame>(out, 2);
      break;
    }
    ++joined;
    h.send(2, Leave{});
  }
  EXPECT_EQ(joined, limits::kDefaultPasswordCheckBurst);
  EXPECT_EQ(calls->size() - before, static_cast<std::size_t>(limits::kDefaultPasswordCheckBurst));
  EXPECT_EQ(refusal.code, ErrorCode::RateLimited);
  EXPECT_EQ(refusal.retryMs, 100u);  // 10 a second
  EXPECT_EQ(h.hub.stats().refusedByAddressLimit[static_cast<int>(AddressLimit::PasswordChecks)], 1u);
  h.now += 100;
  onlyFrame<RoomJoined>(h.send(2, joinWith(code, "Bob", "open sesame")), 2);
  // Another address is not held up.
  h.greetFrom(3, "192.0.2.9");
  onlyFrame<RoomJoined>(h.send(3, joinWith(code, "Cy", "open sesame")), 3);
}

TEST_F(HubPassword, AMemberComingBackNeedsNoPassword) {
  h.hub.connect(3, "192.0.2.9");
  Welcome w = onlyFrame<Welcome>(h.send(3, Hello{limits::kProtocolVersion, "", "", false}), 3);
  onlyFrame<RoomJoined>(h.send(3, joinWith(code, "Bob", "open sesame")), 3);
  // A dropped connection resumes with its resume token, and its join gets the room as it is.
  h.hub.disconnect(3, LeaveReason::Disconnected);
  h.hub.connect(4, "192.0.2.9");
  EXPECT_TRUE(onlyFrame<Welcome>(h.send(4, Hello{limits::kProtocolVersion, w.id, w.token, false}), 4).resumed);
  EXPECT_TRUE(onlyFrame<RoomJoined>(h.send(4, Join{code, "Bob"}), 4).password);
  // A reloaded page (fresh) taking the live connection over: the same.
  h.hub.connect(5, "192.0.2.9");
  auto out = h.send(5, Hello{limits::kProtocolVersion, w.id, w.token, true});
  EXPECT_TRUE(onlyFrame<Welcome>(out, 5).resumed);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(5, Join{code, "Bob"}), 5).you, w.id);
  EXPECT_EQ(h.hub.stats().wrongPasswords, 0u);
}

TEST_F(HubPassword, ARoomRecreatedAfterARestartKeepsThePasswordItsMembersBring) {
  // What a client sends when it comes back to a server that forgot its room: join with create.
  HubHarness fresh{withHasher(calls)};
  fresh.greetFrom(1, kAnnAddress);
  EXPECT_TRUE(onlyFrame<RoomJoined>(fresh.send(1, joinWith(code, "Ann", "open sesame", true)), 1).password);
  fresh.greetFrom(2, "192.0.2.9");
  EXPECT_EQ(onlyFrame<ErrorFrame>(fresh.send(2, Join{code, "Eve", true}), 2).code, ErrorCode::WrongPassword);
  onlyFrame<RoomJoined>(fresh.send(2, joinWith(code, "Bob", "open sesame", true)), 2);
}

TEST_F(HubPassword, APasswordForARoomWithoutOneIsIgnoredAndTheRoomSaysSo) {
  h.greetFrom(2, "192.0.2.9");
  std::string open = h.create(2, "Bob");
  h.greetFrom(3, "192.0.2.10");
  EXPECT_FALSE(onlyFrame<RoomJoined>(h.send(3, joinWith(open, "Cy", "whatever")), 3).password);
}

Result<JoinClaims> tokenForRoom(std::string_view token) {
  std::string room(token);
  return JoinClaims{room, "user_7", "Dee", 0, 0, false};
}

TEST(HubPasswordTokens, AJoinTokenForTheRoomNeedsNoPassword) {
  auto calls = std::make_shared<std::vector<HashCall>>();
  HubConfig config = withHasher(calls);
  config.verifyToken = tokenForRoom;  // the token's text is the room it admits to
  HubHarness h{config};
  h.greetFrom(1, kAnnAddress);
  std::string code = onlyFrame<RoomJoined>(h.send(1, createWith("Ann", "open sesame")), 1).code;
  h.hub.connect(2, "192.0.2.9");
  Hello hello{limits::kProtocolVersion};
  hello.joinToken = code;
  EXPECT_EQ(onlyFrame<Welcome>(h.send(2, hello), 2).id, "user_7");
  RoomJoined r = onlyFrame<RoomJoined>(h.send(2, Join{code, "ignored"}), 2);
  EXPECT_TRUE(r.password);
  EXPECT_EQ(r.you, "user_7");
  // Without a token, the password is needed as ever.
  h.greetFrom(3, "192.0.2.10");
  EXPECT_EQ(onlyFrame<ErrorFrame>(h.send(3, Join{code, "Eve"}), 3).code, ErrorCode::WrongPassword);
}

TEST(HubPasswordNoHasher, APasswordIsRefusedRatherThanKeptInTheClear) {
  HubHarness h;
  h.greetFrom(1, kAnnAddress);
  ErrorFrame e = onlyFrame<ErrorFrame>(h.send(1, createWith("Ann", "open sesame")), 1);
  EXPECT_EQ(e.code, ErrorCode::Internal);
  EXPECT_EQ(e.message, "this server cannot keep room passwords");
  EXPECT_EQ(h.hub.stats().rooms, 0u);
}

}  // namespace
}  // namespace huddle
