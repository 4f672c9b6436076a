// Signed join tokens: the format of docs/tokens.md, its signature, expiry and rotation, and the
// `huddle-server token` subcommand.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "huddle/limits.hpp"
#include "server/join_token.hpp"

namespace huddle::server {
namespace {

const std::string kSecret = "a-secret-of-at-least-32-bytes-for-tests";
const std::string kOldSecret = "the-previous-secret-also-32-bytes-long";
constexpr std::int64_t kNow = 1'800'000'000;

JoinClaims claimsFor(std::string room, std::string peer, std::int64_t exp = kNow + 7200) {
  JoinClaims c;
  c.room = std::move(room);
  c.peerId = std::move(peer);
  c.name = "Ann";
  c.expiresAt = exp;
  return c;
}

ErrorCode codeOf(const Result<JoinClaims>& r) { return r.ok() ? ErrorCode::Internal : r.error().code; }

TEST(JoinTokenBase64Url, EncodesTheRfc4648VectorsWithoutPadding) {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64UrlEncode(plain), encoded);
    EXPECT_EQ(base64UrlDecode(encoded), plain);
  }
}

TEST(JoinTokenBase64Url, RefusesPaddingForeignCharactersAndSecondSpellings) {
  EXPECT_FALSE(base64UrlDecode("Zg=="));
  EXPECT_FALSE(base64UrlDecode("Zm9v+"));
  EXPECT_FALSE(base64UrlDecode("Zm/v"));
  EXPECT_FALSE(base64UrlDecode("Zm9vY"));  // 4n+1 characters: no encoding is that long
  EXPECT_FALSE(base64UrlDecode("Zh"));     // "f" again, with unused bits set
}

TEST(JoinToken, ATokenMintedInPythonVerifiesWithItsClaims) {
  // The Python example of docs/tokens.md, run by hand: json.dumps(..., separators=(',',':')),
  // keys in another order than ours (the MAC covers the payload's text, not our spelling).
  const std::string token =
      "eyJ2IjoxLCJyb29tIjoidGVhbS1zdGFuZHVwIiwicGVlciI6InVzZXJfNDIiLCJuYW1lIjoiQW5uIiwiZXhwIjoxOTAwMDAwMDAwLCJtYXhNZW1i"
      "ZXJzIjo0LCJyZWxheU9ubHkiOnRydWV9.KoCKAIx0F2g_Ttzmznyh0IovjSXuBTwOlansKg3xaLk";
  auto claims = verifyJoinToken(token, {kSecret}, kNow);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims.value().room, "team-standup");
  EXPECT_EQ(claims.value().peerId, "user_42");
  EXPECT_EQ(claims.value().name, "Ann");
  EXPECT_EQ(claims.value().expiresAt, 1'900'000'000);
  EXPECT_EQ(claims.value().maxMembers, 4);
  EXPECT_TRUE(claims.value().relayOnly);
}

TEST(JoinToken, RoundTripsAndReadsARoomCodeAsPeopleTypeIt) {
  auto claims = verifyJoinToken(mintJoinToken(claimsFor("abcdef", "user_42"), kSecret), {kSecret}, kNow);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims.value().room, "ABCDEF");
  EXPECT_EQ(claims.value().maxMembers, 0);
  EXPECT_FALSE(claims.value().relayOnly);
}

TEST(JoinToken, RefusesAnotherSecretAndAnyAlteredByte) {
  const std::string token = mintJoinToken(claimsFor("room", "user_42"), kSecret);
  EXPECT_EQ(codeOf(verifyJoinToken(token, {"x-different-secret-that-is-32-bytes!!"}, kNow)), ErrorCode::InvalidToken);
  EXPECT_EQ(codeOf(verifyJoinToken(token, {}, kNow)), ErrorCode::InvalidToken);
  // Someone else's token with the peer swapped: the payload no longer matches its signature.
  const std::string other = mintJoinToken(claimsFor("room", "mallory"), kSecret);
  const std::string spliced = other.substr(0, other.find('.')) + token.substr(token.find('.'));
  EXPECT_EQ(codeOf(verifyJoinToken(spliced, {kSecret}, kNow)), ErrorCode::InvalidToken);
  for (std::size_t i = 0; i < token.size(); i += 7) {
    std::string altered = token;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(codeOf(verifyJoinToken(altered, {kSecret}, kNow)), ErrorCode::InvalidToken) << "byte " << i;
  }
}

TEST(JoinToken, RefusesMalformedTokensWithAnInvalidToken) {
  for (const std::string bad : {"", ".", "abc", ".abc", "abc.", "abc.def", "a.b.c", "eyJ2IjoxfQ.%%%"})
    EXPECT_EQ(codeOf(verifyJoinToken(bad, {kSecret}, kNow)), ErrorCode::InvalidToken) << bad;
  EXPECT_EQ(codeOf(verifyJoinToken(std::string(limits::kMaxJoinTokenChars + 1, 'a'), {kSecret}, kNow)),
            ErrorCode::InvalidToken);
}

TEST(JoinToken, RefusesSignedClaimsThatAreNotValid) {
  // Signed correctly, so only the claims can be at fault.
  JoinClaims badPeer = claimsFor("room", "no spaces allowed");
  EXPECT_EQ(codeOf(verifyJoinToken(mintJoinToken(badPeer, kSecret), {kSecret}, kNow)), ErrorCode::InvalidToken);
  JoinClaims badRoom = claimsFor("not/a/room", "user_42");
  EXPECT_EQ(codeOf(verifyJoinToken(mintJoinToken(badRoom, kSecret), {kSecret}, kNow)), ErrorCode::InvalidToken);
  JoinClaims badSize = claimsFor("room", "user_42");
  badSize.maxMembers = 99;
  EXPECT_EQ(codeOf(verifyJoinToken(mintJoinToken(badSize, kSecret), {kSecret}, kNow)), ErrorCode::InvalidToken);
  JoinClaims badName = claimsFor("room", "user_42");
  badName.name = "A\u200bnn";  // a zero-width space inside
  EXPECT_EQ(codeOf(verifyJoinToken(mintJoinToken(badName, kSecret), {kSecret}, kNow)), ErrorCode::InvalidToken);
}

TEST(JoinToken, ExpiresAtItsExpiryToTheSecond) {
  const std::string token = mintJoinToken(claimsFor("room", "user_42", kNow + 10), kSecret);
  EXPECT_TRUE(verifyJoinToken(token, {kSecret}, kNow + 9).ok());
  EXPECT_EQ(codeOf(verifyJoinToken(token, {kSecret}, kNow + 10)), ErrorCode::TokenExpired);
  EXPECT_EQ(codeOf(verifyJoinToken(token, {kSecret}, kNow + 3600)), ErrorCode::TokenExpired);
}

TEST(JoinToken, AcceptsThePreviousSecretWhileRotating) {
  const std::string old = mintJoinToken(claimsFor("room", "user_42"), kOldSecret);
  EXPECT_TRUE(verifyJoinToken(old, {kSecret, kOldSecret}, kNow).ok());
  EXPECT_EQ(codeOf(verifyJoinToken(old, {kSecret}, kNow)), ErrorCode::InvalidToken);  // rotation over
}

TEST(JoinTokenDuration, ReadsSecondsMinutesHoursDays) {
  EXPECT_EQ(parseDurationSeconds("90"), 90);
  EXPECT_EQ(parseDurationSeconds("90s"), 90);
  EXPECT_EQ(parseDurationSeconds("15m"), 900);
  EXPECT_EQ(parseDurationSeconds("2h"), 7200);
  EXPECT_EQ(parseDurationSeconds("7d"), 604800);
  for (const char* bad : {"", "h", "0", "-5m", "2x", "1.5h", "400d", "99999999999999999999"})
    EXPECT_FALSE(parseDurationSeconds(bad)) << bad;
}

TEST(JoinTokenCommand, MintsATokenThatVerifies) {
  std::string out, err;
  ASSERT_EQ(runTokenCommand({"--room", "R", "--peer", "P", "--name", "N", "--expires-in", "2h", "--max-members=3",
                             "--relay-only"},
                            kSecret.c_str(), kNow, out, err),
            0)
      << err;
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  auto claims = verifyJoinToken(out.substr(0, out.size() - 1), {kSecret}, kNow);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims.value().room, "R");
  EXPECT_EQ(claims.value().peerId, "P");
  EXPECT_EQ(claims.value().name, "N");
  EXPECT_EQ(claims.value().expiresAt, kNow + 7200);
  EXPECT_EQ(claims.value().maxMembers, 3);
  EXPECT_TRUE(claims.value().relayOnly);
}

TEST(JoinTokenCommand, SaysWhatIsWrong) {
  auto run = [](std::vector<std::string> args, const char* secret) {
    std::string out, err;
    int code = runTokenCommand(args, secret, kNow, out, err);
    EXPECT_TRUE(out.empty());
    return std::make_pair(code, err);
  };
  const char* s = kSecret.c_str();
  EXPECT_EQ(run({"--peer", "P", "--name", "N"}, s), std::make_pair(2, std::string("huddle-server token: --room is required\n")));
  EXPECT_EQ(run({"--room", "R", "--peer", "P", "--name", "N"}, "short").first, 2);
  EXPECT_EQ(run({"--room", "R", "--peer", "P", "--name", "N"}, nullptr).first, 2);
  EXPECT_EQ(run({"--room", "R", "--peer", "P", "--name", "N", "--expires-in", "soon"}, s).first, 2);
  EXPECT_EQ(run({"--room", "R", "--peer", "P p", "--name", "N"}, s).first, 2);
  EXPECT_EQ(run({"--room", "R", "--peer", "P", "--name", "N", "--bogus", "1"}, s).first, 2);
  EXPECT_EQ(run({"--room", "R", "--peer", "P", "--name", "N", "--max-members", "9"}, s).first, 2);
}

}  // namespace
}  // namespace huddle::server
