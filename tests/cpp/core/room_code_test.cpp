// Room codes, peer-id strings and display names (DESIGN.md "Rooms, codes, host").
#include <array>
#include <cstring>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "huddle/limits.hpp"
#include "huddle/room_code.hpp"

namespace huddle {
namespace {

TEST(AlphabetString, EveryByteValueMapsIntoTheAlphabetEachCharExactlyEightTimes) {
  std::array<std::uint8_t, 256> all{};
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  std::string out = alphabetString(all);
  ASSERT_EQ(out.size(), 256u);
  std::map<char, int> counts;
  for (char c : out) {
    ASSERT_NE(std::strchr(limits::kRoomCodeAlphabet, c), nullptr) << "not in the alphabet: " << c;
    ++counts[c];
  }
  EXPECT_EQ(counts.size(), 32u);
  for (const auto& [c, n] : counts) EXPECT_EQ(n, 8) << c;
}

TEST(AlphabetString, ProducesOneCharPerByte) {
  std::array<std::uint8_t, 6> bytes{0, 1, 31, 32, 255, 200};
  EXPECT_EQ(alphabetString(bytes), "AB9A9J");
  EXPECT_EQ(alphabetString({}), "");
}

TEST(AlphabetString, NeverProducesLookAlikes) {
  std::array<std::uint8_t, 256> all{};
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  std::string out = alphabetString(all);
  for (char bad : {'I', 'O', '0', '1'}) EXPECT_EQ(out.find(bad), std::string::npos) << bad;
}

TEST(NormalizeRoomCode, AcceptsLowerCaseAndSurroundingSpaces) {
  EXPECT_EQ(normalizeRoomCode("abc234"), "ABC234");
  EXPECT_EQ(normalizeRoomCode("  xYz789\t\n"), "XYZ789");
  EXPECT_EQ(normalizeRoomCode("HJKMNP"), "HJKMNP");
}

TEST(NormalizeRoomCode, RefusesWrongLength) {
  for (const char* typed : {"", "ABC23", "ABC2345", "      ", "AB C23"}) {
    EXPECT_EQ(normalizeRoomCode(typed), std::nullopt) << typed;
  }
}

TEST(NormalizeRoomCode, RefusesCharactersOutsideTheAlphabet) {
  for (const char* typed : {"ABCDE1", "ABCDE0", "ABCDEI", "ABCDEO", "abcdeo", "ABC-23", "ABC\xc3\x89" "2"}) {
    EXPECT_EQ(normalizeRoomCode(typed), std::nullopt) << typed;
  }
  EXPECT_EQ(normalizeRoomCode(std::string_view("ABC\0" "23", 6)), std::nullopt);
}

TEST(NormalizeName, TrimsSurroundingWhitespace) {
  EXPECT_EQ(normalizeName("  Ann \t"), "Ann");
  EXPECT_EQ(normalizeName("Mary Ann"), "Mary Ann");
}

TEST(NormalizeName, RefusesEmptyAndBlank) {
  EXPECT_EQ(normalizeName(""), std::nullopt);
  EXPECT_EQ(normalizeName(" \t\r\n "), std::nullopt);
}

TEST(NormalizeName, CountsCodePointsNotBytes) {
  std::string e32, e33, emoji32;
  for (int i = 0; i < 32; ++i) e32 += "\xc3\xa9";       // é, 2 bytes
  e33 = e32 + "\xc3\xa9";
  for (int i = 0; i < 32; ++i) emoji32 += "\xf0\x9f\x98\x80";  // 😀, 4 bytes
  EXPECT_EQ(normalizeName(e32), e32);
  EXPECT_EQ(normalizeName(e33), std::nullopt);
  EXPECT_EQ(normalizeName(emoji32), emoji32);
  EXPECT_EQ(normalizeName(std::string(32, 'a')), std::string(32, 'a'));
  EXPECT_EQ(normalizeName(std::string(33, 'a')), std::nullopt);
}

TEST(NormalizeName, RefusesControlCharacters) {
  for (const char* name : {"A\tB", "A\nB", "A\x01", "\x7f" "A", "A\xc2\x85" "B" /* U+0085 */,
                           "A\xe2\x80\xa8" "B" /* U+2028 */}) {
    EXPECT_EQ(normalizeName(name), std::nullopt) << name;
  }
  EXPECT_EQ(normalizeName(std::string_view("A\0B", 3)), std::nullopt);
}

TEST(NormalizeName, RefusesBidiOverrides) {
  for (const char* name : {"A\xe2\x80\xae" "B" /* U+202E */, "A\xe2\x80\xaa" "B" /* U+202A */,
                           "A\xe2\x81\xa6" "B" /* U+2066 */, "A\xe2\x81\xa9" "B" /* U+2069 */}) {
    EXPECT_EQ(normalizeName(name), std::nullopt) << name;
  }
}

// Issue 13: names that look like another member's. Invisible and format characters (Unicode's
// Cf: zero-width space and joiners, the bidi marks, the word joiner, the byte-order mark, tags).
TEST(NormalizeName, RefusesInvisibleAndFormatCharacters) {
  for (const char* name : {"An\xe2\x80\x8bn" /* U+200B zero-width space */, "An\xe2\x80\x8cn" /* U+200C */,
                           "An\xe2\x80\x8dn" /* U+200D */, "Ann\xe2\x80\x8e" /* U+200E LRM */,
                           "Ann\xe2\x80\x8f" /* U+200F RLM */, "An\xe2\x81\xa0n" /* U+2060 word joiner */,
                           "An\xef\xbb\xbfn" /* U+FEFF */, "An\xc2\xadn" /* U+00AD soft hyphen */,
                           "Ann\xd8\x9c" /* U+061C Arabic letter mark */, "Ann\xf3\xa0\x80\x81" /* U+E0001 tag */,
                           "An\xe1\xa0\x8en" /* U+180E */, "An\xe2\x81\xafn" /* U+206F */}) {
    EXPECT_EQ(normalizeName(name), std::nullopt) << name;
  }
}

// Latin, Greek and Cyrillic letters in one name: "Аnn" with a Cyrillic А reads as "Ann".
TEST(NormalizeName, RefusesLatinGreekAndCyrillicMixedInOneName) {
  for (const char* name : {"\xd0\x90nn" /* Cyrillic A + nn */, "Ann\xce\xb1" /* Ann + Greek alpha */,
                           "\xd0\x9c\xce\xbf" /* Cyrillic M + Greek omicron */}) {
    EXPECT_EQ(normalizeName(name), std::nullopt) << name;
  }
  // One script each, with digits, spaces, punctuation and emoji, stays fine; so does CJK with Latin.
  for (const char* name : {"\xd0\x90\xd0\xbd\xd0\xbd\xd0\xb0 2" /* Анна 2 */, "\xce\x91\xce\xbd\xce\xbd\xce\xb1" /* Αννα */,
                           "Ann \xf0\x9f\x98\x80", "Ann (\xe5\xbc\xa0)", "Ren\xc3\xa9" "e-Zo\xc3\xab"}) {
    EXPECT_EQ(normalizeName(name), name) << name;
  }
}

TEST(NormalizeName, RefusesInvalidUtf8) {
  for (const char* name : {"\xff", "A\xc3", "\xc0\xaf" /* overlong '/' */, "\xe0\x80\xaf" /* overlong */,
                           "\xed\xa0\x80" /* surrogate */, "\xf4\x90\x80\x80" /* past U+10FFFF */,
                           "\x80" "A", "\xe2\x82"}) {
    EXPECT_EQ(normalizeName(name), std::nullopt) << name;
  }
}

TEST(NormalizeName, AcceptsNonLatinScripts) {
  EXPECT_EQ(normalizeName("Zoë"), "Zoë");
  EXPECT_EQ(normalizeName("\xe5\xbc\xa0\xe4\xbc\x9f"), "\xe5\xbc\xa0\xe4\xbc\x9f");  // 张伟
}

}  // namespace
}  // namespace huddle
