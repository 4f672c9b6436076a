// Which pages may open /ws: the server's own (scheme-relative), publicOrigin, configured origins,
// "*", and clients that send no Origin.
#include <gtest/gtest.h>

#include "server/origin_policy.hpp"

namespace huddle::server {
namespace {

TEST(ServerOriginPolicy, OwnOriginIsTheHostHeaderWithEitherScheme) {
  const OriginPolicy own({}, "");
  EXPECT_TRUE(own.allows("http://huddle.example", "huddle.example"));
  EXPECT_TRUE(own.allows("https://huddle.example", "huddle.example"));
  EXPECT_TRUE(own.allows("https://huddle.example", "huddle.example:443"));  // default ports implied
  EXPECT_TRUE(own.allows("http://huddle.example:80", "huddle.example"));
  EXPECT_TRUE(own.allows("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_TRUE(own.allows("HTTP://Huddle.Example", "huddle.EXAMPLE"));
  EXPECT_FALSE(own.allows("http://127.0.0.1:8081", "127.0.0.1:8080"));
  EXPECT_FALSE(own.allows("https://huddle.example.evil", "huddle.example"));
  EXPECT_FALSE(own.allows("https://evil.example", ""));
  EXPECT_FALSE(own.allows("null", "huddle.example"));
  EXPECT_FALSE(own.allows("ftp://huddle.example", "huddle.example"));
}

TEST(ServerOriginPolicy, NoOriginIsNotABrowserAndIsAllowed) {
  EXPECT_TRUE(OriginPolicy({}, "").allows("", "huddle.example"));
}

TEST(ServerOriginPolicy, ConfiguredAndPublicOriginsAreAllowed) {
  const OriginPolicy policy({"https://games.example", "http://localhost:5173"}, "https://huddle.example");
  EXPECT_TRUE(policy.allows("https://games.example", "10.0.0.5:8080"));
  EXPECT_TRUE(policy.allows("https://games.example:443", "10.0.0.5:8080"));
  EXPECT_TRUE(policy.allows("http://localhost:5173", "10.0.0.5:8080"));
  EXPECT_TRUE(policy.allows("https://huddle.example", "10.0.0.5:8080"));  // a proxy rewrote Host
  EXPECT_FALSE(policy.allows("http://games.example", "10.0.0.5:8080"));
  EXPECT_FALSE(policy.allows("http://localhost:5174", "10.0.0.5:8080"));
}

TEST(ServerOriginPolicy, StarAllowsEveryOrigin) {
  const OriginPolicy any({"*"}, "");
  EXPECT_TRUE(any.allows("https://anyone.example", "huddle.example"));
  EXPECT_TRUE(any.allows("null", "huddle.example"));
}

TEST(ServerOriginPolicy, NormalizesCaseAndDefaultPorts) {
  EXPECT_EQ(normalizeOrigin("HTTPS://Games.Example:443"), "https://games.example");
  EXPECT_EQ(normalizeOrigin("http://a.example:8080"), "http://a.example:8080");
  EXPECT_EQ(normalizeOrigin("https://a.example:80"), "https://a.example:80");
  EXPECT_EQ(normalizeOrigin("null"), "null");
  EXPECT_EQ(normalizeOrigin("https://[::1]:443"), "https://[::1]");
}

// Found by the origin_address fuzz target: "x:443:443" lost one port per normalization.
TEST(ServerOriginPolicy, NormalizingTwiceGivesWhatOnceGave) {
  for (std::string_view origin : {"https://a.example:443:443", "http://a:80:80", "https://[::1]:443:443"}) {
    const std::string once = normalizeOrigin(origin);
    EXPECT_EQ(normalizeOrigin(once), once) << origin;
  }
  EXPECT_EQ(normalizeOrigin("https://a.example:443:443"), "https://a.example:443:443");
}

}  // namespace
}  // namespace huddle::server
