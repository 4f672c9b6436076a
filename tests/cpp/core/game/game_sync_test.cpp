// GameSync (huddle/game_sync.hpp) with a fake clock and a lossy fake network: a few members in one
// process, each frame carried (or lost, or delayed) by the test. Each host runs a tiny game: every
// player's x moves by its latest input, and a large static part checks that deltas stay small.
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "huddle/game_sync.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using nlohmann::json;

struct Packet {
  std::string from, to, frame;
};

class World;

class Node : public GamePort, public GameObserver {
 public:
  Node(World& world, std::string name) : world_(world), id(std::move(name)) {}

  void sendGameFrame(const std::string& to, std::string frame) override;
  void onInputs(std::uint64_t tick, const std::vector<MemberInput>& got) override {
    inputs.emplace_back(tick, got);
    if (!simulate) return;
    json& players = game["players"];
    for (const auto& input : got) {
      if (!players.contains(input.member)) players[input.member] = {{"x", 0}};
      json latest = json::parse(input.latest);
      if (latest.is_number()) players[input.member]["x"] = players[input.member]["x"].get<int>() + latest.get<int>();
    }
    game["tick"] = tick;
    ASSERT_TRUE(sync.publish(game.dump()).ok());
    published[sync.stateTick()] = game;
  }
  void onState(std::uint64_t tick, const GameText& state) override { states.emplace_back(tick, json::parse(state)); }
  void onHostStart(std::uint64_t tick, const GameText& text) override {
    json state = json::parse(text);
    hostStarts.emplace_back(tick, state);
    game = state.is_null() ? startingGame() : state;
  }
  void onPause() override { ++pauses; }
  void onResume() override { ++resumes; }

  static json startingGame() {
    json walls = json::object();
    for (int i = 0; i < 100; ++i) walls["w" + std::to_string(i)] = {{"x", i}, {"y", 2 * i}};
    return {{"walls", walls}, {"players", json::object()}, {"tick", 0}};
  }

  World& world_;
  std::string id;
  GameSync sync{*this, *this};
  bool simulate = true;
  json game;
  std::map<std::uint64_t, json> published;
  std::vector<std::pair<std::uint64_t, std::vector<MemberInput>>> inputs;
  std::vector<std::pair<std::uint64_t, json>> states, hostStarts;
  int pauses = 0, resumes = 0;
};

class World {
 public:
  explicit World(std::vector<std::string> ids, unsigned seed = 1) : rng_(seed) {
    for (const auto& id : ids) nodes[id] = std::make_unique<Node>(*this, id);
    for (auto& [id, node] : nodes) {
      node->sync.setSelf(id);
      for (const auto& other : ids) node->sync.memberJoined(other);
    }
    setHost(ids.front());
  }

  Node& operator[](const std::string& id) { return *nodes.at(id); }

  void setHost(const std::string& id) {
    host = id;
    for (auto& [other, node] : nodes) node->sync.setHost(id);
  }

  // One 60 Hz tick everywhere, then the network carries what was sent (losing some, holding some
  // back a tick). Inputs: member `id`'s input this tick is `inputOf(id, step)`.
  void step() {
    nowMs += 1000.0 / 60;
    ++steps;
    for (auto& [id, node] : nodes) {
      if (inputOf) {
        ASSERT_TRUE(node->sync.setInput(inputOf(id, steps).dump()).ok());
      }
      node->sync.tick(nowMs);
    }
    deliver();
  }

  void deliver() {
    std::vector<Packet> now;
    now.swap(held_);
    for (auto& p : sent) now.push_back(std::move(p));
    sent.clear();
    std::shuffle(now.begin(), now.end(), rng_);  // datagrams arrive in any order
    for (auto& p : now) {
      if (drop && drop(p)) continue;
      if (std::uniform_real_distribution<double>(0, 1)(rng_) < loss) continue;
      if (std::uniform_real_distribution<double>(0, 1)(rng_) < delay) {
        held_.push_back(std::move(p));
        continue;
      }
      auto it = nodes.find(p.to);
      if (it == nodes.end()) continue;
      if (p.to == host) {
        auto decoded = decodeGameFrame(p.frame);
        if (decoded.ok()) {
          if (auto* gi = std::get_if<GameInputFrame>(&decoded.value()); gi && gi->ack) acksReceived[p.from].insert(*gi->ack);
        }
      }
      Status status = it->second->sync.receive(p.from, p.frame);
      if (!status.ok()) errors.push_back(status.error().message);
    }
  }

  // Every gs the host sends: a delta must be against a snapshot the member acknowledged.
  void onSend(const Packet& p) {
    ++framesSent;
    auto decoded = decodeGameFrame(p.frame);
    ASSERT_TRUE(decoded.ok()) << p.frame;
    if (auto* gs = std::get_if<GameStateFrame>(&decoded.value())) {
      if (gs->base) {
        ++deltas;
        deltaBytes += p.frame.size();
        EXPECT_TRUE(acksReceived[p.to].count(*gs->base)) << "a delta against " << *gs->base << ", never acknowledged by " << p.to;
      } else {
        ++fulls;
        fullBytes += p.frame.size();
      }
      lastGs[p.to] = *gs;
    } else {
      lastGi[p.from] = std::get<GameInputFrame>(decoded.value());
    }
  }

  // Every state a member got is exactly what its host published at that tick.
  void expectMembersSawOnlyPublishedStates(const std::string& member, const std::string& from) {
    for (const auto& [tick, state] : (*this)[member].states) {
      auto it = (*this)[from].published.find(tick);
      if (it == (*this)[from].published.end()) continue;
      EXPECT_EQ(state, it->second) << member << " at tick " << tick;
    }
  }

  std::map<std::string, std::unique_ptr<Node>> nodes;
  std::string host;
  std::vector<Packet> sent;
  double nowMs = 0;
  int steps = 0;
  double loss = 0, delay = 0;
  std::function<bool(const Packet&)> drop;
  std::function<json(const std::string&, int)> inputOf;
  std::map<std::string, std::set<std::uint64_t>> acksReceived;
  std::map<std::string, GameStateFrame> lastGs;
  std::map<std::string, GameInputFrame> lastGi;
  std::vector<std::string> errors;
  int framesSent = 0, deltas = 0, fulls = 0;
  std::size_t deltaBytes = 0, fullBytes = 0;

 private:
  std::mt19937 rng_;
  std::vector<Packet> held_;
};

void Node::sendGameFrame(const std::string& to, std::string frame) {
  world_.sent.push_back(Packet{id, to, std::move(frame)});
  world_.onSend(world_.sent.back());
}

// All inputs `member` handed its host over the run, in order, from the fresh lists.
std::vector<json> freshInputsOf(Node& host, const std::string& member) {
  std::vector<json> all;
  for (const auto& [tick, inputs] : host.inputs) {
    for (const auto& input : inputs) {
      if (input.member != member) continue;
      for (const auto& text : input.fresh) all.push_back(json::parse(text));
    }
  }
  return all;
}

TEST(GameSync, InputsSurviveLosingUpToThreeDatagramsInARowThroughRepetition) {
  World world({"h", "m"});
  world.inputOf = [](const std::string&, int step) { return json(step); };
  // Lose three of every four input frames, and every snapshot (so nothing is ever acknowledged and
  // inputs keep being repeated).
  world.drop = [](const Packet& p) {
    if (p.to != "h") return true;
    return json::parse(p.frame)["n"].get<int>() % 4 != 0;
  };
  for (int i = 0; i < 101; ++i) world.step();  // the host takes input 100 at its tick 101
  std::vector<json> got = freshInputsOf(world["h"], "m");
  ASSERT_EQ(got.size(), 100u);  // 4, 8, ... arrived; each carried the three before it
  for (int i = 0; i < 100; ++i) EXPECT_EQ(got[i], i + 1);
  // The host got one set of inputs per tick, its own included, in id order.
  ASSERT_EQ(world["h"].inputs.size(), 101u);
  EXPECT_EQ(world["h"].inputs.back().second.size(), 2u);
  EXPECT_EQ(world["h"].inputs.back().second[0].member, "h");
  EXPECT_EQ(world["h"].inputs.back().second[1].latest, "100");
  EXPECT_EQ(world["h"].inputs.back().second[1].tick, 100u);
}

TEST(GameSync, LosingFourInARowLosesAnInputButTheLatestStillComes) {
  World world({"h", "m"});
  world.inputOf = [](const std::string&, int step) { return json(step); };
  world.drop = [](const Packet& p) {
    if (p.to != "h") return true;
    int n = json::parse(p.frame)["n"].get<int>();
    return n >= 2 && n <= 5;  // 1 arrives, 2..5 are lost, 6 carries 3..6: 2 is gone
  };
  for (int i = 0; i < 9; ++i) world.step();
  std::vector<json> got = freshInputsOf(world["h"], "m");
  EXPECT_EQ(got, (std::vector<json>{1, 3, 4, 5, 6, 7, 8}));
}

TEST(GameSync, AcknowledgedInputsAreNotRepeated) {
  World world({"h", "m"});
  world.inputOf = [](const std::string&, int step) { return json(step); };
  for (int i = 0; i < 10; ++i) world.step();
  // Each snapshot acknowledged the member's newest input the host had; with a round trip of one
  // tick here, only the input in flight and the new one travel, not kGameInputRepeat.
  EXPECT_EQ(world.lastGi["m"].inputs.size(), 2u);
  EXPECT_EQ(world.lastGs["m"].inputAck, std::optional<std::uint64_t>(9));
}

TEST(GameSync, OverALossyReorderingNetworkMembersGetDeltasOnlyAgainstAckedSnapshotsAndExactStates) {
  for (unsigned seed = 1; seed <= 3; ++seed) {
    World world({"a", "b", "c"}, seed);
    world.loss = 0.3;
    world.delay = 0.2;
    world.inputOf = [](const std::string& id, int step) { return json(static_cast<int>(id[0]) % 3 + step % 2); };
    for (int i = 0; i < 100; ++i) world.step();
    EXPECT_TRUE(world.errors.empty()) << world.errors.front();
    for (const char* member : {"b", "c"}) {
      EXPECT_GT(world[member].states.size(), 50u);
      world.expectMembersSawOnlyPublishedStates(member, "a");
      // Newest state, in order: each onState is newer than the one before.
      for (std::size_t k = 1; k < world[member].states.size(); ++k) {
        EXPECT_GT(world[member].states[k].first, world[member].states[k - 1].first);
      }
    }
    // Bandwidth follows what changed: most snapshots are deltas, and far smaller.
    EXPECT_GT(world.deltas, 4 * world.fulls) << "seed " << seed;
    EXPECT_LT(world.deltaBytes / world.deltas * 10, world.fullBytes / world.fulls);
  }
}

TEST(GameSync, AMemberWithNoStateGetsAFullSnapshotFirst) {
  World world({"h", "m"});
  world.step();
  ASSERT_EQ(world.fulls, 1);
  EXPECT_EQ(world["m"].states.size(), 1u);
  world.step();  // the member's first ack is still on its way: in full again
  EXPECT_EQ(world.fulls, 2);
  world.step();
  EXPECT_EQ(world.deltas, 1);
  EXPECT_EQ(world.lastGs["m"].base, std::optional<std::uint64_t>(1));
  EXPECT_EQ(world["m"].states.back().second, world["h"].game);
}

TEST(GameSync, AMemberThatMissedEverythingGetsAFullSnapshot) {
  World world({"h", "m"});
  for (int i = 0; i < 5; ++i) world.step();
  bool cut = true;
  world.drop = [&](const Packet&) { return cut; };
  for (std::size_t i = 0; i < limits::kGameHistory + 5; ++i) world.step();
  int fullsBefore = world.fulls;
  cut = false;
  world.step();  // the member's ack is older than the host's history
  EXPECT_EQ(world.fulls, fullsBefore + 1);
  EXPECT_FALSE(world.lastGs["m"].base.has_value());
  EXPECT_EQ(json::parse(world["m"].sync.state()), world["h"].game);
  world.step();  // (its ack of the full one is on its way)
  world.step();
  EXPECT_TRUE(world.lastGs["m"].base.has_value());
}

TEST(GameSync, AMemberThatJoinsGetsTheNewestSnapshotInFullAtOnce) {
  World world({"h", "m"});
  for (int i = 0; i < 5; ++i) world.step();
  auto joiner = std::make_unique<Node>(world, "j");
  joiner->sync.setSelf("j");
  joiner->sync.setHost("h");
  for (const char* other : {"h", "m"}) joiner->sync.memberJoined(other);
  world.nodes["j"] = std::move(joiner);
  int fullsBefore = world.fulls;
  world["h"].sync.memberJoined("j");
  world["m"].sync.memberJoined("j");
  // Sent at the join, before the host's next tick.
  EXPECT_EQ(world.fulls, fullsBefore + 1);
  world.deliver();
  ASSERT_EQ(world["j"].states.size(), 1u);
  EXPECT_EQ(world["j"].states.back().second, world["h"].game);
  EXPECT_EQ(world["j"].sync.stateTick(), world["h"].sync.stateTick());
}

TEST(GameSync, AMemberThatLeavesAndJoinsAgainStartsOverWithAFullSnapshot) {
  World world({"h", "m"});
  for (int i = 0; i < 5; ++i) world.step();
  ASSERT_TRUE(world.lastGs["m"].base.has_value());
  world["h"].sync.memberLeft("m");
  world.step();
  EXPECT_EQ(world.lastGs["m"].tick, 5u);  // nothing more for a member that left
  ASSERT_EQ(world.errors.size(), 1u);       // and its inputs are refused
  world.errors.clear();
  // Its page reloaded: a new GameSync with no state, no ack.
  world.nodes["m"] = std::make_unique<Node>(world, "m");
  world["m"].sync.setSelf("m");
  world["m"].sync.setHost("h");
  world["m"].sync.memberJoined("h");
  world["h"].sync.memberJoined("m");
  EXPECT_FALSE(world.lastGs["m"].base.has_value());
  EXPECT_FALSE(world.lastGs["m"].inputAck.has_value());
  world.step();
  world.step();
  EXPECT_EQ(json::parse(world["m"].sync.state()), world["h"].game);
  EXPECT_TRUE(world.errors.empty());
}

TEST(GameSync, HostAwayPausesEveryoneAndHostBackResumes) {
  World world({"h", "m", "n"});
  for (int i = 0; i < 3; ++i) world.step();
  for (auto& [id, node] : world.nodes) node->sync.hostAway();
  for (auto& [id, node] : world.nodes) {
    EXPECT_EQ(node->pauses, 1) << id;
    EXPECT_TRUE(node->sync.paused());
  }
  int sentBefore = world.framesSent;
  std::size_t ticksBefore = world["h"].inputs.size();
  for (int i = 0; i < 10; ++i) world.step();
  EXPECT_EQ(world.framesSent, sentBefore);
  EXPECT_EQ(world["h"].inputs.size(), ticksBefore);
  for (auto& [id, node] : world.nodes) node->sync.hostAway();  // said twice: one pause
  for (auto& [id, node] : world.nodes) node->sync.hostBack();
  for (auto& [id, node] : world.nodes) {
    EXPECT_EQ(node->pauses, 1) << id;
    EXPECT_EQ(node->resumes, 1) << id;
    EXPECT_FALSE(node->sync.paused());
  }
  world.step();
  EXPECT_GT(world.framesSent, sentBefore);
  EXPECT_EQ(world["h"].inputs.back().first, 4u);  // the game goes on from where it stopped
  EXPECT_EQ(json::parse(world["m"].sync.state()), world["h"].game);
}

TEST(GameSync, ANewHostContinuesFromTheLastSnapshot) {
  World world({"a", "b", "c"});
  world.inputOf = [](const std::string&, int) { return json(1); };
  for (int i = 0; i < 20; ++i) world.step();
  json last = world["a"].game;
  std::uint64_t lastTick = world["a"].sync.stateTick();
  ASSERT_EQ(json::parse(world["b"].sync.state()), last);
  // a is gone: away first (everyone pauses), then b takes over (everyone resumes).
  world["b"].sync.hostAway();
  world["c"].sync.hostAway();
  world.nodes.erase("a");
  for (const char* id : {"b", "c"}) world[id].sync.memberLeft("a");
  world.setHost("b");
  EXPECT_EQ(world["c"].resumes, 1);
  ASSERT_EQ(world["b"].hostStarts.size(), 1u);
  EXPECT_EQ(world["b"].hostStarts[0].first, lastTick);
  EXPECT_EQ(world["b"].hostStarts[0].second, last);
  for (int i = 0; i < 5; ++i) world.step();
  EXPECT_TRUE(world.errors.empty());
  // Ticks go on after the last snapshot; b's player kept moving from where it was.
  EXPECT_EQ(world["b"].inputs.front().first, lastTick + 1);
  EXPECT_EQ(world["b"].game["players"]["b"]["x"], last["players"]["b"]["x"].get<int>() + 5);
  EXPECT_EQ(json::parse(world["c"].sync.state()), world["b"].game);
  world.expectMembersSawOnlyPublishedStates("c", "b");
}

TEST(GameSync, ANewHostNeverSendsADeltaAgainstTheOldHostsSnapshots) {
  World world({"a", "b", "c"});
  world.inputOf = [](const std::string&, int) { return json(1); };
  for (int i = 0; i < 10; ++i) world.step();
  // c got a's snapshot 11, which b never did: b's own tick 11 will be another state.
  world.drop = [](const Packet& p) { return p.to == "b"; };
  world.step();
  world.drop = nullptr;
  ASSERT_EQ(world["c"].sync.stateTick(), 11u);
  ASSERT_EQ(world["b"].sync.stateTick(), 10u);
  world.nodes.erase("a");
  for (const char* id : {"b", "c"}) world[id].sync.memberLeft("a");
  world.setHost("b");
  int fullsBefore = world.fulls;
  world.step();
  EXPECT_EQ(world.fulls, fullsBefore + 1);
  EXPECT_EQ(json::parse(world["c"].sync.state()), world["b"].game);
  EXPECT_TRUE(world.errors.empty());
}

TEST(GameSync, MisdirectedAndMismatchedFramesAreRefused) {
  World world({"h", "m", "n"});
  world.step();
  GameStateFrame gs{50, std::nullopt, "{}", stateHash("{}"), std::nullopt};
  EXPECT_EQ(world["m"].sync.receive("n", encode(gs)).error().code, ErrorCode::ProtocolViolation);
  GameInputFrame gi{3, {"1"}, std::nullopt};
  EXPECT_EQ(world["m"].sync.receive("n", encode(gi)).error().code, ErrorCode::ProtocolViolation);
  EXPECT_EQ(world["h"].sync.receive("stranger", encode(gi)).error().code, ErrorCode::ProtocolViolation);
  EXPECT_EQ(world["h"].sync.receive("m", "{").error().code, ErrorCode::BadJson);
  EXPECT_EQ(world["m"].sync.publish("{}").error().code, ErrorCode::NotHost);
  EXPECT_EQ(world["h"].sync.publish("[]").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(world["m"].sync.setInput('"' + std::string(limits::kMaxGameInputBytes, 'x') + '"').error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(world["m"].sync.setInput("\xFF").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(world["h"].sync.publish("{\"s\":\"\xFF\"}").error().code, ErrorCode::DataInvalid);
  // A delta against a snapshot the member never had.
  GameStateFrame unknownBase{60, 40, "{}", 0, std::nullopt};
  EXPECT_EQ(world["m"].sync.receive("h", encode(unknownBase)).error().code, ErrorCode::DataInvalid);
  // A snapshot whose hash does not match: refused, and the member asks for a full one next.
  GameStateFrame wrongHash{70, std::nullopt, R"({"x":1})", 12345, std::nullopt};
  EXPECT_EQ(world["m"].sync.receive("h", encode(wrongHash)).error().code, ErrorCode::DataInvalid);
  EXPECT_NE(world["m"].sync.stateTick(), 70u);
  world.sent.clear();
  world["m"].sync.tick(world.nowMs);
  EXPECT_FALSE(world.lastGi["m"].ack.has_value());
  world.sent.clear();
}

// An experience answers each tick across the bridge, so its publishes may come after later ticks
// ran (a stalled page catches up several ticks at once). The host's ticks still go one by one with
// the clock, and snapshots take the next numbers.
TEST(GameSync, PublishesThatComeLateDoNotPushTheTicksOn) {
  World world({"h", "m"});
  world["h"].simulate = false;
  auto publish = [&](int x) {
    EXPECT_TRUE(world["h"].sync.publish(R"({"x":)" + std::to_string(x) + "}").ok());
    return world["h"].sync.stateTick();
  };
  world.step();
  EXPECT_EQ(publish(1), 1u);  // in step: the tick's own number
  for (int i = 0; i < 3; ++i) world.step();  // ticks 2, 3, 4 run; their states come after
  EXPECT_EQ(publish(2), 4u);
  EXPECT_EQ(publish(3), 5u);
  EXPECT_EQ(publish(4), 6u);
  world.step();
  std::vector<std::uint64_t> loopTicks;
  for (const auto& [tick, inputs] : world["h"].inputs) loopTicks.push_back(tick);
  EXPECT_EQ(loopTicks, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(publish(5), 7u);
}

TEST(GameSync, RenderStateInterpolatesBetweenTheLastTwoStatesByArrivalTime) {
  World world({"h", "m"});
  world["h"].simulate = false;
  world.nowMs = 0;
  world["h"].sync.tick(0);
  ASSERT_TRUE(world["h"].sync.publish(R"({"x":0})").ok());
  world.deliver();
  world["m"].sync.tick(100);
  world["h"].sync.tick(100);
  ASSERT_TRUE(world["h"].sync.publish(R"({"x":10})").ok());
  world.deliver();
  EXPECT_EQ(world["m"].sync.state(), R"({"x":10})");
  EXPECT_DOUBLE_EQ(json::parse(world["m"].sync.renderState(150))["x"].get<double>(), 5);
  EXPECT_DOUBLE_EQ(json::parse(world["m"].sync.renderState(100))["x"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(json::parse(world["m"].sync.renderState(400))["x"].get<double>(), 10);
}

}  // namespace
}  // namespace huddle
