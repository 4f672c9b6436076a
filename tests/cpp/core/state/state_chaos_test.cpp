// The room state's sibling of the exactly-once chaos tests: N simulated members write at random
// while frames are lost, reordered and delayed, links fail for a while, members go away and come
// back and the host changes with them, and copies go bad (and are healed). At the end every member's document is the same, and the
// same as a reference model: for each key, the last write by (Lamport clock, peer id) of all the
// writes the app made (none lost, none taken twice).
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include "state/state_net.hpp"

namespace huddle::test {
namespace {

struct Written {
  std::uint64_t lamport = 0;
  std::string peer;
  std::optional<std::string> value;
};

void runChaos(std::uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  std::size_t n = 3 + seed % 3;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back("m" + std::to_string(i));
  StateNet net(ids);

  // A link that fails drops everything between its two ends until it is back.
  std::optional<std::pair<std::string, std::string>> downLink;
  double downUntil = 0;
  net.dropWhen = [&](const StateNet::Frame& f) {
    if (downLink && net.now() < downUntil &&
        ((f.from == downLink->first && f.to == downLink->second) || (f.from == downLink->second && f.to == downLink->first))) {
      return true;
    }
    return chance(0.03);
  };

  std::map<std::string, Written> model;
  int counter = 0;
  for (int step = 0; step < 300; ++step) {
    net.tick(20);
    // Every frame in flight arrives this step with some chance, in random order; the rest wait.
    auto& q = net.queue();
    for (std::size_t rounds = q.size(); rounds > 0 && !q.empty(); --rounds) {
      if (chance(0.6)) net.deliverUnordered(rng() % q.size());
    }
    if (chance(0.3)) {
      std::size_t who = rng() % n;
      // A member's writes before it first had the document are stamped when it does (firstSync):
      // the model knows only stamps given at write time, so members write once in step.
      if (!net.state(who).everSynced()) continue;
      std::string key = "k" + std::to_string(rng() % 6);
      std::optional<std::string> value;
      Status written = Ok{};
      if (chance(0.1)) {
        written = net.state(who).remove(key);
      } else {
        value = std::to_string(++counter);
        written = net.state(who).set(key, *value);
      }
      ASSERT_TRUE(written.ok()) << written.error().message;
      Written w{net.state(who).lamport(), ids[who], value};
      auto it = model.find(key);
      if (it == model.end() || w.lamport > it->second.lamport ||
          (w.lamport == it->second.lamport && w.peer > it->second.peer)) {
        model[key] = w;
      }
    }
    // At most one member away at a time: the host changes when it is the one (and again when it
    // comes back, being first in join order).
    if (chance(0.015)) {
      std::size_t awayNow = n;
      for (std::size_t i = 0; i < n; ++i) {
        if (net.away(i)) awayNow = i;
      }
      if (awayNow == n) {
        net.setAway(rng() % n, true);
      } else {
        net.setAway(awayNow, false);
      }
    }
    // A member's copy goes bad behind the protocol (never the host's: it is the reference; a
    // host whose copy goes bad heals from the members' copies and may lose what only it held,
    // room_state_test covers that).
    if (chance(0.005)) {
      std::size_t who = rng() % n;
      if (!net.state(who).isHost()) net.state(who).corruptForTesting("k" + std::to_string(rng() % 6), "-1");
    }
    if (chance(0.01)) {
      std::size_t a = rng() % n;
      std::size_t b = (a + 1 + rng() % (n - 1)) % n;
      downLink = std::make_pair(ids[a], ids[b]);
      downUntil = net.now() + 500;
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    if (net.away(i)) net.setAway(i, false);
  }
  net.dropWhen = nullptr;
  net.settle(12000);

  std::vector<std::pair<std::string, std::string>> expected;
  for (const auto& [key, w] : model) {
    if (w.value) expected.emplace_back(key, *w.value);
  }
  for (std::size_t i = 0; i < n; ++i) {
    SCOPED_TRACE("member " + ids[i]);
    EXPECT_EQ(net.state(i).entries(), expected);
    EXPECT_EQ(net.state(i).position(), net.state(0).position());
    EXPECT_EQ(net.state(i).hash(), net.state(0).hash());
    EXPECT_EQ(net.state(i).pendingWrites(), 0u);
  }
}

TEST(RoomStateChaos, EveryMemberEndsWithTheReferenceDocument) {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    runChaos(seed);
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace huddle::test
