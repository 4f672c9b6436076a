// The game sync frames gi and gs (docs/protocol.md "Game sync"): what is written reads back the
// same, and every malformed frame is refused with a clear error.
#include <random>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "huddle/game_frames.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using ::testing::HasSubstr;

template <typename T>
T roundTrip(const T& frame) {
  auto decoded = decodeGameFrame(encode(frame));
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message) << "\n" << encode(frame);
  return std::get<T>(decoded.value());
}

Error refusal(std::string_view text) {
  auto decoded = decodeGameFrame(text);
  EXPECT_FALSE(decoded.ok()) << text;
  return decoded.ok() ? Error{} : decoded.error();
}

TEST(GameFrames, InputFramesRoundTrip) {
  GameInputFrame frame{9, {R"({"up":true})", "null", "3", "\"left\""}, 5};
  GameInputFrame back = roundTrip(frame);
  EXPECT_EQ(back.tick, 9u);
  EXPECT_EQ(back.inputs, frame.inputs);
  EXPECT_EQ(back.ack, std::optional<std::uint64_t>(5));
  EXPECT_EQ(roundTrip(GameInputFrame{1, {"1"}, std::nullopt}).ack, std::nullopt);
  EXPECT_EQ(encode(GameInputFrame{2, {"1", "2"}, std::nullopt}), R"({"t":"gi","n":2,"i":[1,2]})");
}

TEST(GameFrames, StateFramesRoundTripFullAndDelta) {
  GameStateFrame full{7, std::nullopt, R"({"ball":{"x":1.25}})", 0x0123456789abcdefULL, 3};
  GameStateFrame back = roundTrip(full);
  EXPECT_EQ(back.tick, 7u);
  EXPECT_EQ(back.base, std::nullopt);
  EXPECT_EQ(back.body, full.body);
  EXPECT_EQ(back.hash, full.hash);
  EXPECT_EQ(back.inputAck, std::optional<std::uint64_t>(3));
  EXPECT_EQ(encode(full), R"({"t":"gs","n":7,"s":{"ball":{"x":1.25}},"h":"0123456789abcdef","a":3})");
  GameStateFrame delta{8, 7, R"({"s":{"y":2}})", 1, std::nullopt};
  back = roundTrip(delta);
  EXPECT_EQ(back.base, std::optional<std::uint64_t>(7));
  EXPECT_EQ(back.body, delta.body);
  EXPECT_EQ(back.hash, 1u);
  EXPECT_EQ(back.inputAck, std::nullopt);
}

// However the sender wrote them, inputs and states come out canonical (game_state.hpp): the state's
// hash is over the canonical text, so a peer's spacing or key order cannot fail it.
TEST(GameFrames, ValuesArriveAsCanonicalText) {
  auto inputs = decodeGameFrame(R"({"t":"gi","n":2,"i":[{"b":1, "a":2.50}, -0.0]})");
  ASSERT_TRUE(inputs.ok());
  EXPECT_EQ(std::get<GameInputFrame>(inputs.value()).inputs, (std::vector<GameText>{R"({"a":2.5,"b":1})", "0"}));
  auto state = decodeGameFrame(R"({"t":"gs","n":2,"s":{"z":[1.0],"a":"\u0041"},"h":"00000000000000ff"})");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(std::get<GameStateFrame>(state.value()).body, R"({"a":"A","z":[1]})");
}

// A held input repeated for the host goes once with its count: 4 ticks of the same keys cost one.
TEST(GameFrames, RunsOfEqualInputsGoOnceWithTheirLength) {
  GameInputFrame held{12, {"1", R"({"up":true})", R"({"up":true})", R"({"up":true})"}, 3};
  EXPECT_EQ(encode(held), R"({"t":"gi","n":12,"i":[1,{"up":true}],"l":[1,3],"a":3})");
  EXPECT_EQ(roundTrip(held).inputs, held.inputs);
  // However a sender wrote them, runs expand to one input per tick.
  auto decoded = decodeGameFrame(R"({"t":"gi","n":9,"i":[2,2],"l":[2,1]})");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<GameInputFrame>(decoded.value()).inputs, (std::vector<GameText>{"2", "2", "2"}));
  for (const char* bad : {R"({"t":"gi","n":9,"i":[2],"l":[0]})", R"({"t":"gi","n":9,"i":[2],"l":[1,1]})",
                          R"({"t":"gi","n":9,"i":[2,3],"l":[1]})", R"({"t":"gi","n":9,"i":[2],"l":["3"]})",
                          R"({"t":"gi","n":99,"i":[2],"l":[33]})", R"({"t":"gi","n":2,"i":[2],"l":[3]})",
                          R"({"t":"gi","n":9,"i":[2],"l":{}})"}) {
    EXPECT_EQ(refusal(bad).code, ErrorCode::BadFrame) << bad;
  }
}

TEST(GameFrames, EveryMalformedInputFrameIsRefused) {
  std::string big(limits::kMaxGameInputBytes, 'x');
  std::string many = "[";
  for (std::size_t i = 0; i <= limits::kMaxGameInputs; ++i) many += i ? ",0" : "0";
  many += "]";
  for (const std::string& text : {
           std::string(R"({"t":"gi","i":[1]})"),                 // no tick
           std::string(R"({"t":"gi","n":-1,"i":[1]})"),          // negative tick
           std::string(R"({"t":"gi","n":1.5,"i":[1]})"),         // fractional tick
           std::string(R"({"t":"gi","n":9007199254740992,"i":[1]})"),  // past 2^53-1
           std::string(R"({"t":"gi","n":"3","i":[1]})"),         // tick as a string
           std::string(R"({"t":"gi","n":3})"),                   // no inputs
           std::string(R"({"t":"gi","n":3,"i":{}})"),            // inputs not an array
           std::string(R"({"t":"gi","n":3,"i":[]})"),            // empty inputs
           std::string(R"({"t":"gi","n":1,"i":[1,2]})"),         // more inputs than ticks
           std::string(R"({"t":"gi","n":0,"i":[1]})"),           // tick 0
           std::string(R"({"t":"gi","n":3,"i":[1],"a":0})"),     // ack of tick 0
           std::string(R"({"t":"gi","n":3,"i":[1],"a":"x"})"),   // ack not a number
           std::string(R"({"t":"gi","n":3,"i":[")") + big + "\"]}",  // an input over the limit
           std::string(R"({"t":"gi","n":99,"i":)") + many + "}",      // too many inputs
       }) {
    EXPECT_EQ(refusal(text).code, ErrorCode::BadFrame) << text;
  }
}

TEST(GameFrames, EveryMalformedStateFrameIsRefused) {
  const std::string h = R"("h":"00000000000000ff")";
  for (const std::string& text : {
           R"({"t":"gs","s":{},)" + h + "}",                      // no tick
           R"({"t":"gs","n":0,"s":{},)" + h + "}",                // tick 0
           R"({"t":"gs","n":3,)" + h + "}",                       // neither s nor d
           R"({"t":"gs","n":3,"b":2,"s":{},"d":{},)" + h + "}",   // both
           R"({"t":"gs","n":3,"s":[],)" + h + "}",                // state not an object
           R"({"t":"gs","n":3,"s":null,)" + h + "}",              // state null
           R"({"t":"gs","n":3,"b":2,"d":1,)" + h + "}",           // delta not an object
           R"({"t":"gs","n":3,"b":2,"s":{},)" + h + "}",          // a full snapshot with a base
           R"({"t":"gs","n":3,"d":{},)" + h + "}",                // a delta without its base
           R"({"t":"gs","n":3,"b":3,"d":{},)" + h + "}",          // base not earlier
           R"({"t":"gs","n":3,"b":0,"d":{},)" + h + "}",          // base 0
           R"({"t":"gs","n":3,"b":"2","d":{},)" + h + "}",        // base a string
           std::string(R"({"t":"gs","n":3,"s":{}})"),             // no hash
           std::string(R"({"t":"gs","n":3,"s":{},"h":"ff"})"),    // short hash
           std::string(R"({"t":"gs","n":3,"s":{},"h":"00000000000000FF"})"),  // upper case
           std::string(R"({"t":"gs","n":3,"s":{},"h":"000000000000000g"})"),  // not hex
           std::string(R"({"t":"gs","n":3,"s":{},"h":7})"),       // hash a number
           R"({"t":"gs","n":3,"s":{},"a":-2,)" + h + "}",         // negative input ack
           R"({"t":"gs","n":3,"s":{"a":)" + std::string(40, '[') + std::string(40, ']') + "}," + h + "}",  // too deep
       }) {
    EXPECT_EQ(refusal(text).code, ErrorCode::BadFrame) << text;
  }
  std::string huge = R"({"t":"gs","n":3,"s":{"a":")" + std::string(limits::kMaxGameStateBytes, 'x') + R"("},)" + h + "}";
  EXPECT_EQ(refusal(huge).code, ErrorCode::BadFrame);
}

TEST(GameFrames, NonFramesAndOtherTypesAreRefusedWithTheirOwnCodes) {
  EXPECT_EQ(refusal("not json").code, ErrorCode::BadJson);
  EXPECT_EQ(refusal("[1]").code, ErrorCode::BadFrame);
  EXPECT_EQ(refusal(R"({"n":1})").code, ErrorCode::BadFrame);
  Error other = refusal(R"({"t":"msg","n":1})");
  EXPECT_EQ(other.code, ErrorCode::UnknownType);
  EXPECT_THAT(other.message, HasSubstr("msg"));
  EXPECT_EQ(refusal(std::string(limits::kMaxFrameBytes + 1, ' ')).code, ErrorCode::FrameTooLarge);
  EXPECT_THAT(refusal(R"({"t":"gi","n":1,"i":[1,2]})").message, HasSubstr("gi"));
}

// A small fuzz in the suite (there is no libFuzzer target for game frames yet): valid frames with
// random bytes replaced, inserted or cut. Nothing crashes (ASan, UBSan), and whatever decodes
// encodes to a frame that decodes again to the same thing.
TEST(GameFrames, MutatedFramesNeverCrashAndWhatDecodesReencodes) {
  const std::vector<std::string> seeds = {
      encode(GameInputFrame{9, {R"({"up":true})", "null", "3", "\"left\""}, 5}),
      encode(GameStateFrame{7, std::nullopt, R"({"ball":{"x":1.25},"p":[1,2]})", 0xabcULL, 3}),
      encode(GameStateFrame{8, 7, R"({"o":{"ball":{"s":{"x":2}}},"r":["q"],"s":{"y":2}})", 1, std::nullopt}),
  };
  const std::string alphabet = std::string("{}[]\",:0123456789-.eEtrufalsnigbdhao \\\xff") + std::string(1, '\0');
  std::mt19937 rng(42);
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[round % seeds.size()];
    int edits = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
      char c = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
      switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
        case 0: text[at] = c; break;
        case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c); break;
        default: text.erase(at, 1); break;
      }
    }
    auto decoded = decodeGameFrame(text);
    if (!decoded.ok()) continue;
    std::string again = std::visit([](const auto& frame) { return encode(frame); }, decoded.value());
    auto twice = decodeGameFrame(again);
    ASSERT_TRUE(twice.ok()) << text << "\n" << again;
    ASSERT_EQ(std::visit([](const auto& frame) { return encode(frame); }, twice.value()), again) << text;
  }
}

}  // namespace
}  // namespace huddle
