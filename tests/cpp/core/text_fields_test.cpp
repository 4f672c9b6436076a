// Reading fields from JSON text and writing JSON text (detail/text_fields.hpp), checked against
// nlohmann/json, which reads and writes the same values as a tree.
#include "detail/text_fields.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wire/json_scan.hpp"

namespace huddle {
namespace {

using detail::TextFields;
using nlohmann::json;

TextFields fieldsOf(std::string_view text) {
  auto fields = detail::frameFields(text, 65536);
  EXPECT_TRUE(fields.ok()) << text;
  return fields.ok() ? std::move(fields).value() : TextFields("{}");
}

TEST(TextFields, StringsAreReadWithTheirEscapesDecoded) {
  const std::string text = R"({"t":"x","s":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00 end"})";
  TextFields f = fieldsOf(text);
  EXPECT_EQ(f.string("s", 100), json::parse(text)["s"].get<std::string>());
  EXPECT_TRUE(f.ok());
}

TEST(TextFields, AStringsByteLimitCountsItsDecodedBytes) {
  TextFields f = fieldsOf(R"({"t":"x","s":"\u00e9\u00e9"})");  // 12 bytes written, 4 decoded
  EXPECT_EQ(f.string("s", 4), "\xC3\xA9\xC3\xA9");
  EXPECT_TRUE(f.ok());
  EXPECT_EQ(f.string("s", 3), "");
  EXPECT_EQ(f.error().message, "x.s: longer than 3 bytes");
}

TEST(TextFields, EscapedKeysAndTypesMeanWhatTheySpell) {
  TextFields f = fieldsOf(R"({"\u0074":"h\u0065llo","\u0076":1})");
  EXPECT_EQ(f.type(), "hello");
  EXPECT_EQ(f.readType(), "hello");
  EXPECT_EQ(f.integer("v", 0, 9), 1);
  EXPECT_TRUE(f.has("v"));
  EXPECT_TRUE(f.ok());
}

TEST(TextFields, TheLastOfARepeatedKeyCounts) {
  TextFields f = fieldsOf(R"({"t":"x","n":1,"n":2})");
  EXPECT_EQ(f.unsignedInt("n"), 2u);
}

TEST(TextFields, IntegersAreWrittenWithoutFractionOrExponentAndWithinTheirRange) {
  TextFields f = fieldsOf(R"({"t":"x","a":-5,"b":7,"c":1.0,"d":1e2,"e":11,"f":-0})");
  EXPECT_EQ(f.integer("a", -10, 10), -5);
  EXPECT_EQ(f.integer("b", -10, 10), 7);
  EXPECT_TRUE(f.ok());
  f.integer("c", 0, 10);
  EXPECT_EQ(f.error().message, "x.c: expected an integer from 0 to 10");
  TextFields g = fieldsOf(R"({"t":"x","d":1e2})");
  g.integer("d", 0, 1000);
  EXPECT_FALSE(g.ok());
  TextFields h = fieldsOf(R"({"t":"x","e":11})");
  h.integer("e", 0, 10);
  EXPECT_FALSE(h.ok());
  TextFields i = fieldsOf(R"({"t":"x","f":-0})");
  EXPECT_EQ(i.integer("f", 0, 10), 0);
}

TEST(TextFields, UnsignedIntegersStopAtTheLargestJavaScriptHoldsExactly) {
  TextFields f = fieldsOf(R"({"t":"x","a":9007199254740991,"b":9007199254740992,"c":-1})");
  EXPECT_EQ(f.unsignedInt("a"), 9007199254740991u);
  EXPECT_TRUE(f.ok());
  f.unsignedInt("b");
  EXPECT_EQ(f.error().message, "x.b: expected an integer from 0 to 2^53-1");
  TextFields g = fieldsOf(R"({"t":"x","c":-1})");
  g.unsignedInt("c");
  EXPECT_FALSE(g.ok());
}

TEST(TextFields, OptionalFieldsTreatNullAsAbsentButHasSeesIt) {
  TextFields f = fieldsOf(R"({"t":"x","a":null})");
  EXPECT_EQ(f.optionalString("a", 10), std::nullopt);
  EXPECT_EQ(f.optionalUnsigned("a"), std::nullopt);
  EXPECT_EQ(f.optionalObject("a"), std::nullopt);
  EXPECT_TRUE(f.has("a"));
  EXPECT_FALSE(f.has("b"));
  EXPECT_TRUE(f.ok());
  f.string("a", 10);
  EXPECT_EQ(f.error().message, "x.a: expected a string");
}

TEST(TextFields, ObjectsAndArraysComeBackAsTheirText) {
  TextFields f = fieldsOf(R"({"t":"x","o":{"k":[1, 2]},"a":[ {"u":1} ]})");
  EXPECT_EQ(f.object("o"), R"({"k":[1, 2]})");
  EXPECT_EQ(f.array("a"), R"([ {"u":1} ])");
  EXPECT_TRUE(f.ok());
  f.object("a");
  EXPECT_EQ(f.error().message, "x.a: expected an object");
}

TEST(FrameFields, RefusesWhatIsNoFrameWithTheUsualErrors) {
  auto error = [](std::string_view text) { return detail::frameFields(text, 64).error(); };
  EXPECT_EQ(error(std::string(65, ' ')).code, ErrorCode::FrameTooLarge);
  EXPECT_EQ(error("{\"t\":").code, ErrorCode::BadJson);
  EXPECT_EQ(error("[1]").message, "frame must be a JSON object");
  EXPECT_EQ(error(R"({"t":1})").message, "frame needs a string field \"t\" naming its type");
  EXPECT_EQ(error(R"({"u":"x"})").code, ErrorCode::BadFrame);
  std::string deep = R"({"t":"x","d":)" + std::string(70, '[') + std::string(70, ']') + "}";
  EXPECT_EQ(detail::frameFields(deep, 1000).error().message, "JSON nested deeper than 64 levels");
}

std::string written(std::string_view value) {
  std::string out;
  detail::appendString(out, value);
  return out;
}

TEST(AppendString, WritesWhatAParserReadsBackUnchanged) {
  for (std::string value : {std::string("plain"), std::string("quote \" slash \\ solidus /"),
                            std::string("\b\f\n\r\t\x01\x1f"), std::string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
                            std::string("nul \0 inside", 12)}) {
    std::string out = written(value);
    EXPECT_TRUE(wire::isStrictJson(out, 1)) << out;
    EXPECT_EQ(json::parse(out).get<std::string>(), value) << out;
    EXPECT_EQ(wire::unquote(out), value) << out;
  }
  EXPECT_EQ(written("\x01"), R"("\u0001")");
}

TEST(AppendString, InvalidUtf8BecomesTheReplacementCharacter) {
  // A stray continuation byte, a truncated sequence, an overlong form, an encoded surrogate.
  EXPECT_EQ(written("a\x80z"), "\"a\xEF\xBF\xBDz\"");
  EXPECT_EQ(written("a\xE2\x82"), "\"a\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(written("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(written("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_TRUE(wire::isStrictJson(written("\xff\xfe"), 1));
}

TEST(JsonObject, WritesMembersInOrder) {
  detail::JsonObject o;
  o.string("t", "x").unsignedInt("u", 9007199254740991u).integer("i", -3).number("n", 0.5);
  o.boolean("b", false).raw("r", R"([1,{"a":null}])");
  std::string text = std::move(o).close();
  EXPECT_EQ(text, R"({"t":"x","u":9007199254740991,"i":-3,"n":0.5,"b":false,"r":[1,{"a":null}]})");
  EXPECT_EQ(std::move(detail::JsonObject()).close(), "{}");
}

}  // namespace
}  // namespace huddle
