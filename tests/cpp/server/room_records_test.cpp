// Room records as the directory stores them (room_records.hpp): what is written reads back the
// same, the time since writing counts as idle time, and text this server did not write is refused
// with a reason, never half read.
#include <gtest/gtest.h>

#include "server/room_records.hpp"

namespace huddle::server {
namespace {

RoomRecord sample() {
  RoomRecord r;
  r.key = "ABC234";
  r.maxMembers = 4;
  r.relayOnly = true;
  r.passwordSalt = std::string("\0\x01\xff salt", 8);
  r.passwordHash = std::string("hash\0\x80", 6);
  r.creator = "ann";
  r.othersJoined = true;
  r.nextJoinOrder = 5;
  r.idleMs = 1500;
  r.members = {{"ann", "Ann", 1, "token-of-ann-0123456789"}, {"cy", "Cy ✓", 4, "token-of-cy-0123456789"}};
  return r;
}

TEST(RoomRecords, WhatIsWrittenReadsBackWithTheTimeSinceAsIdleTime) {
  const RoomRecord r = sample();
  std::string error;
  auto back = decodeRoomRecord(encodeRoomRecord(r, 1'000'000), 1'004'000, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->key, r.key);
  EXPECT_EQ(back->maxMembers, 4);
  EXPECT_TRUE(back->relayOnly);
  EXPECT_EQ(back->passwordSalt, r.passwordSalt);  // binary, through hex
  EXPECT_EQ(back->passwordHash, r.passwordHash);
  EXPECT_EQ(back->creator, "ann");
  EXPECT_TRUE(back->othersJoined);
  EXPECT_EQ(back->nextJoinOrder, 5u);
  EXPECT_EQ(back->idleMs, 1500 + 4000);
  ASSERT_EQ(back->members.size(), 2u);
  EXPECT_EQ(back->members[1].id, "cy");
  EXPECT_EQ(back->members[1].name, "Cy ✓");
  EXPECT_EQ(back->members[1].joinOrder, 4u);
  EXPECT_EQ(back->members[1].token, "token-of-cy-0123456789");
}

TEST(RoomRecords, AClockThatWentBackAddsNoIdleTime) {
  std::string error;
  auto back = decodeRoomRecord(encodeRoomRecord(sample(), 1'000'000), 900'000, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->idleMs, 1500);
}

TEST(RoomRecords, TextThisServerDidNotWriteIsRefusedWithAReason) {
  const std::string good = encodeRoomRecord(sample(), 0);
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
  };
  for (const std::string& text : {
           std::string("not json"),
           std::string("[1,2]"),
           edited("\"v\":1", "\"v\":2"),
           edited("\"v\":1", "\"v\":\"1\""),
           edited("\"key\":\"ABC234\"", "\"key\":7"),
           edited("\"maxMembers\":4", "\"maxMembers\":-4"),
           edited("\"maxMembers\":4", "\"maxMembers\":4000000000"),
           edited("\"relayOnly\":true", "\"relayOnly\":1"),
           edited("\"salt\":\"", "\"salt\":\"zz"),
           edited("\"salt\":\"", "\"salt\":\"0"),
           edited("\"nextJoinOrder\":5", "\"nextJoinOrder\":-5"),
           edited("\"order\":4", "\"order\":-4"),
           edited("\"order\":4", "\"order\":4.5"),
           edited(",\"token\":\"token-of-cy-0123456789\"", ""),
           edited("\"members\":[", "\"members\":[5,"),
           edited("\"writtenAt\":0", "\"writtenAt\":null"),
       }) {
    std::string error;
    EXPECT_FALSE(decodeRoomRecord(text, 0, error)) << text;
    EXPECT_FALSE(error.empty()) << text;
  }
}

}  // namespace
}  // namespace huddle::server
