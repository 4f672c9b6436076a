// Game state operations (huddle/game_state.hpp): canonical text, deltas that rebuild the state
// exactly and only carry what changed, parsing within the limits, interpolation. nlohmann/json is
// the reference model here (the core reads text without it): random trees go in as its text, and
// what comes out must parse back to the tree expected.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "huddle/game_state.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using nlohmann::json;

// A tree as game sync holds it: canonical text.
GameText text(const json& value) {
  auto canonical = canonicalGameValue(value.dump(), limits::kMaxGameStateBytes, "test value");
  EXPECT_TRUE(canonical.ok()) << value.dump();
  return canonical.ok() ? canonical.value() : GameText("null");
}

json tree(const GameText& text) { return json::parse(text); }

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
    json ta = randomState(rng);
    json tb = round % 2 == 0 ? randomState(rng) : mutate(rng, ta);
    GameText a = text(ta), b = text(tb);
    GameText delta = diff(a, b);
    auto applied = applyDelta(a, delta);
    ASSERT_TRUE(applied.ok()) << applied.error().message << "\na=" << a << "\nb=" << b << "\ndelta=" << delta;
    // The same text (canonical), so the same hash, and the tree the model expects.
    ASSERT_EQ(applied.value(), b) << "a=" << a << "\ndelta=" << delta;
    ASSERT_EQ(tree(applied.value()), tb);
    // The delta is canonical too: it survives the wire as it is.
    ASSERT_EQ(text(tree(delta)), delta);
    ASSERT_EQ(stateHash(applied.value()), stateHash(b));
  }
}

TEST(GameState, CanonicalTextSortsKeysKeepsTheLastOfARepeatAndWritesNumbersOneWay) {
  EXPECT_EQ(canonicalGameValue(R"( {"b" : 1, "a":{"y":[1.50, -0.0, 2e2],"x":"\u0041\n"}, "b":2} )", 1000, "v").value(),
            R"({"a":{"x":"A\n","y":[1.5,0,200]},"b":2})");
  EXPECT_EQ(canonicalGameValue("-5", 100, "v").value(), "-5");
  EXPECT_EQ(canonicalGameValue("1e400", 100, "v").error().code, ErrorCode::DataInvalid);  // no such double
  // Keys in byte order of their UTF-8, whatever the platform's char signedness.
  EXPECT_EQ(canonicalGameValue("{\"\xC3\xA9\":1,\"z\":2}", 100, "v").value(), "{\"z\":2,\"\xC3\xA9\":1}");
}

// Found by the game_delta fuzz target with the tree of old: 1 == 1.0 and -0.0 == 0.0 compared
// equal while their texts (and hashes) differed. Canonical text writes each one way.
TEST(GameState, NumbersWrittenDifferentlyAreOneValue) {
  GameText a = parseState(R"({"i":1.0,"z":-0.0,"o":{"n":2}})").value();
  GameText b = parseState(R"({"i":1,"z":0.0,"o":{"n":2.0}})").value();
  EXPECT_EQ(a, b);
  EXPECT_EQ(diff(a, b), "{}");
}

TEST(GameState, EqualStatesGiveAnEmptyDelta) {
  GameText state = text({{"ball", {{"x", 1.5}, {"y", 2}}}, {"score", {3, 4}}});
  EXPECT_EQ(diff(state, state), "{}");
  EXPECT_EQ(applyDelta(state, "{}").value(), state);
}

TEST(GameState, ADeltaCarriesOnlyWhatChangedEvenInsideNestedObjects) {
  json big = json::object();
  for (int i = 0; i < 200; ++i) big["wall" + std::to_string(i)] = {{"x", i}, {"y", i * 2}};
  json a = {{"walls", big}, {"ball", {{"x", 1}, {"y", 2}}}, {"gone", true}};
  json b = a;
  b["ball"]["x"] = 5;
  b.erase("gone");
  b["new"] = "yes";
  GameText delta = diff(text(a), text(b));
  EXPECT_EQ(delta, R"({"o":{"ball":{"s":{"x":5}}},"r":["gone"],"s":{"new":"yes"}})");
  EXPECT_GT(text(a).size(), 3000u);
}

TEST(GameState, NullValuesAndTypeChangesAreKeptApartFromRemovals) {
  GameText a = text({{"p", {{"x", 1}}}, {"q", nullptr}, {"r", 1}});
  GameText b = text({{"p", 7}, {"q", {{"y", 2}}}, {"r", nullptr}});
  EXPECT_EQ(applyDelta(a, diff(a, b)).value(), b);
  EXPECT_EQ(applyDelta(b, diff(b, a)).value(), a);
}

TEST(GameState, ADeltaThatDoesNotFitItsBaseIsRefused) {
  GameText base = text({{"a", 1}, {"o", {{"x", 1}}}});
  for (const char* delta : {
           R"([])",                           // not an object
           R"({"x":{}})",                     // unknown member
           R"({"s":[1]})",                    // s not an object
           R"({"r":"a"})",                    // r not an array
           R"({"r":[1]})",                    // r not of strings
           R"({"r":["missing"]})",            // removes a key the base lacks
           R"({"r":["a","a"]})",              // removes one key twice
           R"({"o":[]})",                     // o not an object
           R"({"o":{"a":{"s":{"y":1}}}})",    // descends into a number
           R"({"o":{"missing":{}}})",         // descends into a missing key
           R"({"o":{"o":{"r":["nope"]}}})",   // nested mismatch
           R"({"o":{"o":[]}})",               // a nested delta that is no object
       }) {
    auto applied = applyDelta(base, delta);
    ASSERT_FALSE(applied.ok()) << delta;
    EXPECT_EQ(applied.error().code, ErrorCode::DataInvalid) << delta;
  }
  EXPECT_EQ(applyDelta("[1]", "{}").error().code, ErrorCode::DataInvalid);
}

TEST(GameState, ParseAcceptsAnObjectWithinTheLimitsOnly) {
  EXPECT_EQ(parseState(R"({"a":[1,2]})").value(), R"({"a":[1,2]})");
  for (std::string bad : {std::string("[1]"), std::string("3"), std::string("{"), std::string("{} {}"), std::string(""),
                          std::string("{\"a\":") + std::string(40, '[') + std::string(40, ']') + "}"}) {
    auto parsed = parseState(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::DataInvalid);
  }
  std::string big = "{\"a\":\"" + std::string(limits::kMaxGameStateBytes, 'x') + "\"}";
  auto refused = parseState(big);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("more than the limit"), std::string::npos) << refused.error().message;
  EXPECT_EQ(parseState("{}").value(), "{}");
}

TEST(GameState, StringsThatAreNotUtf8AreRefused) {
  EXPECT_EQ(parseState("{\"name\":\"Bob\xFF\"}").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(canonicalGameValue("\"\xC3\"", 100, "input").error().code, ErrorCode::DataInvalid);
  // A lone surrogate, as JSON.stringify writes one.
  EXPECT_EQ(canonicalGameValue(R"("\ud800")", 100, "input").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(canonicalGameValue('"' + std::string(200, 'x') + '"', 100, "input").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(canonicalGameValue("\"Zo\xC3\xAB\"", 100, "input").value(), "\"Zo\xC3\xAB\"");
}

TEST(GameState, TheHashFollowsTheContentNotTheOrderOfWriting) {
  EXPECT_EQ(stateHash(parseState(R"({"x":1,"y":2})").value()), stateHash(parseState(R"({"y":2,"x":1})").value()));
  EXPECT_NE(stateHash(parseState(R"({"x":1,"y":2})").value()), stateHash(parseState(R"({"x":3,"y":2})").value()));
}

TEST(GameState, InterpolationLerpsNumbersAndTakesEverythingElseFromTheNewerState) {
  GameText a = text({{"ball", {{"x", 0}, {"y", 10.0}}}, {"label", "a"}, {"list", {0}}, {"only_a", 1}});
  GameText b = text({{"ball", {{"x", 10}, {"y", 20.0}}}, {"label", "b"}, {"list", {10}}, {"only_b", 2}});
  json half = tree(interpolate(a, b, 0.5));
  EXPECT_DOUBLE_EQ(half["ball"]["x"].get<double>(), 5);
  EXPECT_DOUBLE_EQ(half["ball"]["y"].get<double>(), 15);
  EXPECT_EQ(half["label"], "b");
  EXPECT_EQ(half["list"], json::array({10}));
  EXPECT_EQ(half["only_b"], 2);
  EXPECT_FALSE(half.contains("only_a"));
  EXPECT_DOUBLE_EQ(tree(interpolate(a, b, -1))["ball"]["x"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(tree(interpolate(a, b, 7))["ball"]["x"].get<double>(), 10);
  // The ends are the states themselves, as text.
  EXPECT_EQ(interpolate(a, b, 1), b);
}

}  // namespace
}  // namespace huddle
