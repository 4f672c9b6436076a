// --redis URLs: what is accepted, the one-line errors for what is not, and that logs never show
// the password.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/redis_url.hpp"

namespace huddle::server {
namespace {

RedisUrl parseOk(const std::string& text) {
  std::string error;
  auto url = parseRedisUrl(text, error);
  EXPECT_TRUE(url) << text << ": " << error;
  return url.value_or(RedisUrl{});
}

TEST(RedisUrl, HostAloneGetsTheDefaultPortAndDbZero) {
  RedisUrl url = parseOk("redis://redis.internal");
  EXPECT_EQ(url.host, "redis.internal");
  EXPECT_EQ(url.port, 6379);
  EXPECT_EQ(url.db, 0);
  EXPECT_EQ(url.username, "");
  EXPECT_EQ(url.password, "");
}

TEST(RedisUrl, ReadsPortAndDb) {
  RedisUrl url = parseOk("redis://10.0.0.5:6380/3");
  EXPECT_EQ(url.host, "10.0.0.5");
  EXPECT_EQ(url.port, 6380);
  EXPECT_EQ(url.db, 3);
  EXPECT_EQ(parseOk("redis://10.0.0.5:6380").port, 6380);
  EXPECT_EQ(parseOk("redis://h:1/").db, 0);
  EXPECT_EQ(parseOk("redis://h:65535/15").port, 65535);
  EXPECT_EQ(parseOk("REDIS://h").host, "h");
}

TEST(RedisUrl, ReadsAPasswordAloneOrWithAUser) {
  RedisUrl url = parseOk("redis://:secret@h:7000/2");
  EXPECT_EQ(url.username, "");
  EXPECT_EQ(url.password, "secret");
  EXPECT_EQ(url.host, "h");
  EXPECT_EQ(url.port, 7000);
  EXPECT_EQ(url.db, 2);
  RedisUrl withUser = parseOk("redis://alice:s3cret@h");
  EXPECT_EQ(withUser.username, "alice");
  EXPECT_EQ(withUser.password, "s3cret");
}

TEST(RedisUrl, PercentDecodesUserAndPassword) {
  RedisUrl url = parseOk("redis://al%69ce%40corp:p%40ss%3aw%2Fo%25rd@h:1/0");
  EXPECT_EQ(url.username, "alice@corp");
  EXPECT_EQ(url.password, "p@ss:w/o%rd");
}

TEST(RedisUrl, AnUnencodedAtInThePasswordStillEndsAtTheLastAt) {
  RedisUrl url = parseOk("redis://:p@ss@h:1");
  EXPECT_EQ(url.password, "p@ss");
  EXPECT_EQ(url.host, "h");
}

TEST(RedisUrl, ReservedCharactersInThePasswordNeedNoEncoding) {
  EXPECT_EQ(parseOk("redis://:a?b#c/d@h:1/2").password, "a?b#c/d");
}

TEST(RedisUrl, ReadsIpv6InBrackets) {
  RedisUrl url = parseOk("redis://[::1]:7000/1");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 7000);
  EXPECT_EQ(url.db, 1);
  EXPECT_EQ(parseOk("redis://[2001:db8::5]").port, 6379);
  EXPECT_EQ(parseOk("redis://:pw@[::1]:9/4").password, "pw");
}

struct BadUrl {
  const char* text;
  const char* errorMentions;
};

TEST(RedisUrl, RejectsBadUrlsWithAOneLineError) {
  const std::vector<BadUrl> cases{
      {"http://h:6379", "redis://"},
      {"h:6379", "redis://"},
      {"rediss://h:6379", "TLS"},
      {"unix:///tmp/redis.sock", "Unix"},
      {"redis://", "host is empty"},
      {"redis://:6379/1", "host is empty"},
      {"redis://:pw@", "host is empty"},
      {"redis://h:0", "port"},
      {"redis://h:65536", "port"},
      {"redis://h:-1", "port"},
      {"redis://h:abc", "port"},
      {"redis://h:", "port"},
      {"redis://h:6379x", "port"},
      {"redis://h/x", "db"},
      {"redis://h/-1", "db"},
      {"redis://h/1/2", "db"},
      {"redis://h/99999999999", "db"},
      {"redis://[::1", "]"},
      {"redis://[::1]x", "port"},
      {"redis://::1:6379", "brackets"},
      {"redis://alice@h", "password"},
      {"redis://alice:@h", "password"},
      {"redis://:p%zzw@h", "%"},
      {"redis://:pw%4@h", "%"},
      {"redis://h?db=1", "query"},
      {"redis://h#x", "query"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(parseRedisUrl(c.text, error)) << c.text;
    EXPECT_NE(error.find(c.errorMentions), std::string::npos) << c.text << " gave: " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << c.text;
  }
}

TEST(RedisUrl, ErrorsNeverShowThePassword) {
  for (const char* text : {"redis://:hunter2@h:bad", "redis://u:hunter2@h/db", "redis://u:hunter2@",
                           "rediss://:hunter2@h", "redis://:hunter2@h?x", "redis://:hunter2@::1:5"}) {
    std::string error;
    EXPECT_FALSE(parseRedisUrl(text, error)) << text;
    EXPECT_FALSE(error.empty()) << text;
    EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
  }
}

TEST(RedisUrl, RedactedUrlHidesThePasswordAndShowsTheRest) {
  EXPECT_EQ(redactedUrl(parseOk("redis://alice:hunter2@h:7000/2")), "redis://alice:***@h:7000/2");
  EXPECT_EQ(redactedUrl(parseOk("redis://:hunter2@h")), "redis://:***@h:6379/0");
  EXPECT_EQ(redactedUrl(parseOk("redis://h")), "redis://h:6379/0");
  EXPECT_EQ(redactedUrl(parseOk("redis://[::1]:7000/1")), "redis://[::1]:7000/1");
  EXPECT_EQ(redactedUrl(parseOk("redis://a%40b:pw@h")), "redis://a%40b:***@h:6379/0");
}

TEST(RedisUrl, RedactedUrlWithoutAPasswordReadsBackTheSame) {
  for (const char* text : {"redis://h", "redis://10.1.2.3:6380/4", "redis://[2001:db8::5]:1/15"}) {
    RedisUrl url = parseOk(text);
    RedisUrl again = parseOk(redactedUrl(url));
    EXPECT_EQ(again.host, url.host);
    EXPECT_EQ(again.port, url.port);
    EXPECT_EQ(again.db, url.db);
  }
}

}  // namespace
}  // namespace huddle::server
