// Entity tags for static responses and If-None-Match: lists, "*", weak comparison, malformed
// values.
#include <gtest/gtest.h>

#include "server/entity_tag.hpp"

namespace huddle::server {
namespace {

TEST(ServerEntityTag, FileTagsAreStrongAndDifferPerCoding) {
  const std::string identity = fileEntityTag(0x1234, 0xabcdef, ContentCoding::Identity);
  EXPECT_EQ(identity, "\"1234-abcdef\"");
  EXPECT_EQ(fileEntityTag(0x1234, 0xabcdef, ContentCoding::Brotli), "\"1234-abcdef-br\"");
  EXPECT_EQ(fileEntityTag(0x1234, 0xabcdef, ContentCoding::Gzip), "\"1234-abcdef-gz\"");
  EXPECT_NE(fileEntityTag(0x1235, 0xabcdef, ContentCoding::Identity), identity);
  EXPECT_NE(fileEntityTag(0x1234, 0xabcdee, ContentCoding::Identity), identity);
}

TEST(ServerEntityTag, ContentTagsFollowTheBytes) {
  const std::string tag = contentEntityTag("<!doctype html><title>huddle</title>");
  EXPECT_EQ(tag, contentEntityTag("<!doctype html><title>huddle</title>"));
  EXPECT_NE(tag, contentEntityTag("<!doctype html><title>huddle</title> "));
  EXPECT_EQ(tag.size(), 19u);  // "h" and 16 hex digits, quoted
  EXPECT_TRUE(tag.starts_with("\"h") && tag.ends_with('"')) << tag;
  EXPECT_EQ(contentEntityTag(""), "\"hcbf29ce484222325\"");  // FNV-1a 64 of nothing: the offset basis
}

TEST(ServerEntityTag, IfNoneMatchHitsTheSameTag) {
  EXPECT_TRUE(ifNoneMatchHits("\"1234-abcdef\"", "\"1234-abcdef\""));
  EXPECT_FALSE(ifNoneMatchHits("\"1234-abcdee\"", "\"1234-abcdef\""));
  // A compressed variant's tag does not revalidate the identity response, nor the other way.
  EXPECT_FALSE(ifNoneMatchHits("\"1234-abcdef-br\"", "\"1234-abcdef\""));
  EXPECT_FALSE(ifNoneMatchHits("\"1234-abcdef\"", "\"1234-abcdef-br\""));
}

TEST(ServerEntityTag, IfNoneMatchComparesWeakly) {
  EXPECT_TRUE(ifNoneMatchHits("W/\"1234-abcdef\"", "\"1234-abcdef\""));
  EXPECT_TRUE(ifNoneMatchHits("\"x\"", "W/\"x\""));
  EXPECT_FALSE(ifNoneMatchHits("w/\"x\"", "\"x\""));  // the prefix is case-sensitive
}

TEST(ServerEntityTag, IfNoneMatchReadsLists) {
  EXPECT_TRUE(ifNoneMatchHits("\"a\", \"b\", \"c\"", "\"b\""));
  EXPECT_TRUE(ifNoneMatchHits("\"a\",W/\"b\"", "\"b\""));
  EXPECT_TRUE(ifNoneMatchHits(" ,\"a\" ,\t\"c\" , ", "\"c\""));
  EXPECT_FALSE(ifNoneMatchHits("\"a\", \"c\"", "\"b\""));
  // Commas may be part of a tag: the list is not split on them.
  EXPECT_TRUE(ifNoneMatchHits("\"a,b\", \"c\"", "\"a,b\""));
  EXPECT_FALSE(ifNoneMatchHits("\"a,b\"", "\"a\""));
}

TEST(ServerEntityTag, IfNoneMatchStarHitsAnything) {
  EXPECT_TRUE(ifNoneMatchHits("*", "\"1234-abcdef\""));
  EXPECT_TRUE(ifNoneMatchHits(" * ", "\"1234-abcdef\""));
  EXPECT_FALSE(ifNoneMatchHits("\"*\"", "\"1234-abcdef\""));
}

TEST(ServerEntityTag, EmptyOrMalformedIfNoneMatchHitsNothing) {
  for (const char* header : {"", "   ", "1234-abcdef", "\"1234-abcdef", "W/1234-abcdef", "*, \"1234-abcdef\"",
                             "\"a\"\"1234-abcdef\"", "\"a\" x, \"1234-abcdef\""}) {
    EXPECT_FALSE(ifNoneMatchHits(header, "\"1234-abcdef\"")) << header;
  }
}

}  // namespace
}  // namespace huddle::server
