// The room state's document: last-writer-wins whatever the order, tombstones, the caps, the hash.
#include "state/document.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "huddle/limits.hpp"

namespace huddle::state {
namespace {

struct Write {
  std::string writer;
  std::uint64_t n;
  std::string key;
  std::optional<std::string> value;
  std::uint64_t lamport;
};

TEST(StateDocument, TheSameWritesInAnyOrderGiveTheSameDocumentAndHash) {
  std::vector<Write> writes = {
      {"a", 1, "k", "1", 1}, {"b", 1, "k", "2", 1}, {"a", 2, "k", std::nullopt, 3}, {"c", 1, "k", "4", 2},
      {"b", 2, "j", "5", 2}, {"c", 2, "j", "6", 2}, {"a", 3, "j", "7", 1},
  };
  Document reference;
  for (const auto& w : writes) reference.apply(w.writer, w.n, w.key, w.value, w.lamport);
  ASSERT_NE(reference.find("k"), nullptr);
  EXPECT_EQ(reference.find("k")->value, std::nullopt);  // the delete at clock 3 wins
  EXPECT_EQ(reference.find("j")->value, std::optional<std::string>("6"));  // clock 2, "c" > "b"
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(writes.begin(), writes.end(), rng);
    Document d;
    for (const auto& w : writes) d.apply(w.writer, w.n, w.key, w.value, w.lamport);
    // (Each writer's count is its last write in this order; the host takes a writer's in order.)
    for (const auto& [writer, n] : reference.applied()) d.setApplied(writer, n);
    EXPECT_EQ(d.find("k")->value, reference.find("k")->value);
    EXPECT_EQ(d.find("j")->value, reference.find("j")->value);
    EXPECT_EQ(d.hash(), reference.hash());
    EXPECT_EQ(d.recomputeHash(), d.hash());
  }
}

TEST(StateDocument, AnOlderWriteLosesButStillCountsAsSequenced) {
  Document d;
  EXPECT_EQ(d.apply("a", 1, "k", "1", 5), Applied::Changed);
  EXPECT_EQ(d.apply("b", 1, "k", "2", 4), Applied::Older);
  EXPECT_EQ(d.find("k")->value, std::optional<std::string>("1"));
  EXPECT_EQ(d.appliedFor("b"), 1u);
  EXPECT_EQ(d.apply("b", 2, "k", "3", 5), Applied::Changed);  // tie on the clock: "b" > "a"
}

TEST(StateDocument, TheHashSeesEveryPartAndTheRunningHashMissesCorruption) {
  Document a, b;
  a.apply("a", 1, "k", "1", 1);
  b.apply("a", 1, "k", "1", 1);
  EXPECT_EQ(a.hash(), b.hash());
  b.setApplied("a", 2);
  EXPECT_NE(a.hash(), b.hash());
  b.setApplied("a", 1);
  EXPECT_EQ(a.hash(), b.hash());
  Document c;
  c.apply("a", 1, "k", "1", 2);  // another stamp
  EXPECT_NE(a.hash(), c.hash());
  a.corruptForTesting("k", "2");
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_NE(a.recomputeHash(), b.recomputeHash());
}

TEST(StateDocument, TheCapsRefuseAWriteTheSameWayEverywhere) {
  Document d;
  std::string big(limits::kMaxStateValueBytes, 'x');
  std::size_t i = 0;
  while (d.apply("a", i + 1, "k" + std::to_string(i), big, i + 1) == Applied::Changed) ++i;
  EXPECT_LE(d.bytes(), limits::kMaxStateBytes);
  EXPECT_EQ(d.find("k" + std::to_string(i)), nullptr);
  EXPECT_EQ(d.appliedFor("a"), i + 1);
  // Replacing a value by a smaller one fits.
  EXPECT_EQ(d.apply("a", i + 2, "k0", "1", 1000), Applied::Changed);

  Document keys;
  for (std::size_t k = 0; k < limits::kMaxStateKeys; ++k) {
    ASSERT_EQ(keys.apply("a", k + 1, std::to_string(k), std::nullopt, k + 1), Applied::Changed);
  }
  EXPECT_EQ(keys.apply("a", limits::kMaxStateKeys + 1, "one more", "1", 99999), Applied::TooLarge);
  EXPECT_EQ(keys.keys(), limits::kMaxStateKeys);
}

TEST(StateDocument, CollectingDropsOldTombstonesAndTheFloorStandsInForThem) {
  Document d;
  d.apply("a", 1, "gone", "1", 1);
  d.apply("a", 2, "gone", std::nullopt, 2);   // a tombstone at 2
  d.apply("a", 3, "late", std::nullopt, 6);   // a tombstone at 6
  d.apply("a", 4, "live", "1", 3);
  std::uint64_t before = d.hash();
  std::size_t bytesBefore = d.bytes();
  EXPECT_EQ(d.tombstonesAtOrBelow(5), 1u);
  EXPECT_EQ(d.collect(5), 1u);
  EXPECT_EQ(d.find("gone"), nullptr);
  ASSERT_NE(d.find("late"), nullptr);  // above the floor: kept
  ASSERT_NE(d.find("live"), nullptr);  // live entries are never collected
  EXPECT_EQ(d.floor(), 5u);
  EXPECT_LT(d.bytes(), bytesBefore);
  EXPECT_NE(d.hash(), before);
  EXPECT_EQ(d.hash(), d.recomputeHash());  // the floor is part of the hash
  EXPECT_EQ(d.collect(4), 0u);            // a floor never goes down
  EXPECT_EQ(d.floor(), 5u);
  // A write to a key without an entry, stamped at or below the floor, may be older than a
  // collected delete: it loses (its writer's count still moves on). Above it, it applies.
  EXPECT_EQ(d.apply("b", 1, "gone", "old", 5), Applied::Older);
  EXPECT_EQ(d.appliedFor("b"), 1u);
  EXPECT_EQ(d.find("gone"), nullptr);
  EXPECT_EQ(d.apply("b", 2, "gone", "new", 7), Applied::Changed);
  // A key with an entry compares stamps as always.
  EXPECT_EQ(d.apply("b", 3, "live", "2", 4), Applied::Changed);
  // Two copies with the same entries and another floor differ.
  Document a, b;
  a.setFloor(3);
  EXPECT_NE(a.hash(), b.hash());
  b.setFloor(3);
  EXPECT_EQ(a.hash(), b.hash());
}

}  // namespace
}  // namespace huddle::state
