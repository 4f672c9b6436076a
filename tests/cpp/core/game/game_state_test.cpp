// Game state operations (huddle/game_state.hpp): deltas that rebuild the state exactly, and only
// carry what changed; parsing within the limits; interpolation.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "huddle/game_state.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using nlohmann::json;

// A random JSON value: small objects nest, leaves of every kind, keys from a small set so that two
// random states share keys (changed, unchanged, added and removed all happen).
json randomValue(std::mt19937& rng, int depth) {
  int kind = std::uniform_int_distribution<int>(0, depth > 2 ? 5 : 7)(rng);
  switch (kind) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    case 2: return std::uniform_int_distribution<int>(-3, 3)(rng);
    case 3: return std::uniform_real_distribution<double>(-10, 10)(rng);
    case 4: return std::string(1, static_cast<char>('a' + std::uniform_int_distribution<int>(0, 3)(rng)));
    case 5: return json::array({std::uniform_int_distribution<int>(0, 2)(rng)});
    default: {
      json object = json::object();
      int keys = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int k = 0; k < keys; ++k) {
        object[std::string(1, static_cast<char>('k' + std::uniform_int_distribution<int>(0, 5)(rng)))] =
            randomValue(rng, depth + 1);
      }
      return object;
    }
  }
}

json randomState(std::mt19937& rng) {
  json state = json::object();
  int keys = std::uniform_int_distribution<int>(0, 6)(rng);
  for (int k = 0; k < keys; ++k) state[std::string(1, static_cast<char>('a' + std::uniform_int_distribution<int>(0, 7)(rng)))] = randomValue(rng, 1);
  return state;
}

// A copy of `state` with a few random edits, as one tick of a game would make.
json mutate(std::mt19937& rng, json state) {
  int edits = std::uniform_int_distribution<int>(0, 3)(rng);
  for (int e = 0; e < edits; ++e) {
    json* at = &state;
    // Walk into a nested object now and then, so deltas nest.
    while (!at->empty() && std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
      auto it = at->begin();
      std::advance(it, std::uniform_int_distribution<std::size_t>(0, at->size() - 1)(rng));
      if (!it->is_object()) break;
      at = &*it;
    }
    std::string key(1, static_cast<char>('a' + std::uniform_int_distribution<int>(0, 12)(rng)));
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
      at->erase(key);
    } else {
      (*at)[key] = randomValue(rng, 2);
    }
  }
  return state;
}

TEST(GameState, ApplyingTheDiffGivesTheNewStateForManyRandomPairs) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 3000; ++round) {
    json a = randomState(rng);
    json b = round % 2 == 0 ? randomState(rng) : mutate(rng, a);
    json delta = diff(a, b);
    auto applied = applyDelta(a, delta);
    ASSERT_TRUE(applied.ok()) << applied.error().message << "\na=" << a << "\nb=" << b << "\ndelta=" << delta;
    ASSERT_EQ(applied.value(), b) << "a=" << a << "\nb=" << b << "\ndelta=" << delta;
    // The delta also survives the wire (as text) unchanged.
    ASSERT_EQ(applyDelta(a, json::parse(delta.dump())).value(), b);
    ASSERT_EQ(stateHash(applied.value()), stateHash(b));
  }
}

// Found by the game_delta fuzz target: nlohmann's == holds 1 == 1.0 and -0.0 == 0.0, whose texts
// and hashes differ, so a delta must carry them or the member's copy fails the host's hash.
TEST(GameState, NumbersThatCompareEqualButWriteDifferentlyAreChanges) {
  const json a = json::parse(R"({"i":1.0,"z":-0.0,"o":{"n":2}})");
  const json b = json::parse(R"({"i":1,"z":0.0,"o":{"n":2.0}})");
  auto made = applyDelta(a, diff(a, b));
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(writeState(made.value()), writeState(b));
  EXPECT_EQ(stateHash(made.value()), stateHash(b));
}

TEST(GameState, EqualStatesGiveAnEmptyDelta) {
  json state = {{"ball", {{"x", 1.5}, {"y", 2}}}, {"score", {3, 4}}};
  EXPECT_EQ(diff(state, state), json::object());
  EXPECT_EQ(applyDelta(state, json::object()).value(), state);
}

TEST(GameState, ADeltaCarriesOnlyWhatChangedEvenInsideNestedObjects) {
  json big = json::object();
  for (int i = 0; i < 200; ++i) big["wall" + std::to_string(i)] = {{"x", i}, {"y", i * 2}};
  json a = {{"walls", big}, {"ball", {{"x", 1}, {"y", 2}}}, {"gone", true}};
  json b = a;
  b["ball"]["x"] = 5;
  b.erase("gone");
  b["new"] = "yes";
  json delta = diff(a, b);
  EXPECT_EQ(delta, json::parse(R"({"s":{"new":"yes"},"r":["gone"],"o":{"ball":{"s":{"x":5}}}})"));
  EXPECT_LT(delta.dump().size(), 60u);
  EXPECT_GT(a.dump().size(), 3000u);
}

TEST(GameState, NullValuesAndTypeChangesAreKeptApartFromRemovals) {
  json a = {{"p", {{"x", 1}}}, {"q", nullptr}, {"r", 1}};
  json b = {{"p", 7}, {"q", {{"y", 2}}}, {"r", nullptr}};
  EXPECT_EQ(applyDelta(a, diff(a, b)).value(), b);
  EXPECT_EQ(applyDelta(b, diff(b, a)).value(), a);
}

TEST(GameState, ADeltaThatDoesNotFitItsBaseIsRefused) {
  json base = {{"a", 1}, {"o", {{"x", 1}}}};
  for (const char* text : {
           R"([])",                           // not an object
           R"({"x":{}})",                     // unknown member
           R"({"s":[1]})",                    // s not an object
           R"({"r":"a"})",                    // r not an array
           R"({"r":[1]})",                    // r not of strings
           R"({"r":["missing"]})",            // removes a key the base lacks
           R"({"o":[]})",                     // o not an object
           R"({"o":{"a":{"s":{"y":1}}}})",    // descends into a number
           R"({"o":{"missing":{}}})",         // descends into a missing key
           R"({"o":{"o":{"r":["nope"]}}})",   // nested mismatch
       }) {
    auto applied = applyDelta(base, json::parse(text));
    ASSERT_FALSE(applied.ok()) << text;
    EXPECT_EQ(applied.error().code, ErrorCode::DataInvalid) << text;
  }
}

TEST(GameState, ParseAcceptsAnObjectWithinTheLimitsOnly) {
  EXPECT_EQ(parseState(R"({"a":[1,2]})").value(), json::parse(R"({"a":[1,2]})"));
  for (std::string text : {std::string("[1]"), std::string("3"), std::string("{"), std::string("{} {}"),
                           std::string("{\"a\":") + std::string(40, '[') + std::string(40, ']') + "}"}) {
    auto parsed = parseState(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::DataInvalid);
  }
  std::string big = "{\"a\":\"" + std::string(limits::kMaxGameStateBytes, 'x') + "\"}";
  EXPECT_EQ(parseState(big).error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(checkState(json::parse(big)).error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(checkState(json::array()).error().code, ErrorCode::DataInvalid);
  EXPECT_TRUE(checkState(json::object()).ok());
  json state = {{"b", 1}, {"a", {{"y", true}, {"x", nullptr}}}};
  EXPECT_EQ(parseState(writeState(state)).value(), state);
}

TEST(GameState, StringsThatAreNotUtf8AreRefusedNeverThrownOver) {
  json state = {{"name", "Bob\xFF"}};
  EXPECT_EQ(checkState(state).error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(checkGameValue(json("\xC3"), 100, "input").error().code, ErrorCode::DataInvalid);
  EXPECT_NO_THROW(writeState(state));
  EXPECT_NO_THROW(stateHash(state));
  EXPECT_EQ(checkGameValue(json(std::string(200, 'x')), 100, "input").error().code, ErrorCode::DataInvalid);
  EXPECT_TRUE(checkGameValue(json("Zo\xC3\xAB"), 100, "input").ok());
}

TEST(GameState, TheHashFollowsTheContentNotTheOrderOfInsertion) {
  json a = json::object(), b = json::object();
  a["x"] = 1;
  a["y"] = 2;
  b["y"] = 2;
  b["x"] = 1;
  EXPECT_EQ(stateHash(a), stateHash(b));
  b["x"] = 3;
  EXPECT_NE(stateHash(a), stateHash(b));
}

TEST(GameState, InterpolationLerpsNumbersAndTakesEverythingElseFromTheNewerState) {
  json a = {{"ball", {{"x", 0}, {"y", 10.0}}}, {"label", "a"}, {"list", {0}}, {"only_a", 1}};
  json b = {{"ball", {{"x", 10}, {"y", 20.0}}}, {"label", "b"}, {"list", {10}}, {"only_b", 2}};
  json half = interpolate(a, b, 0.5);
  EXPECT_DOUBLE_EQ(half["ball"]["x"].get<double>(), 5);
  EXPECT_DOUBLE_EQ(half["ball"]["y"].get<double>(), 15);
  EXPECT_EQ(half["label"], "b");
  EXPECT_EQ(half["list"], json::array({10}));
  EXPECT_EQ(half["only_b"], 2);
  EXPECT_FALSE(half.contains("only_a"));
  EXPECT_DOUBLE_EQ(interpolate(a, b, -1)["ball"]["x"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(interpolate(a, b, 7)["ball"]["x"].get<double>(), 10);
}

}  // namespace
}  // namespace huddle
