// Reading Accept-Encoding (q-values, `*`, case, malformed entries) and choosing what a static
// file is sent as among the precompressed siblings it has.
#include <gtest/gtest.h>

#include "server/content_coding.hpp"

namespace huddle::server {
namespace {

constexpr Siblings kBoth{true, true};

ContentCoding choose(std::string_view acceptEncoding, Siblings siblings = kBoth) {
  return chooseCoding(parseAcceptEncoding(acceptEncoding), siblings);
}

TEST(ServerContentCoding, ReadsQValuesInThousandths) {
  const auto accepted = parseAcceptEncoding("gzip;q=0.5, br;q=0.125, identity;q=0");
  EXPECT_EQ(accepted.gzip, 500);
  EXPECT_EQ(accepted.brotli, 125);
  EXPECT_EQ(accepted.identity, 0);

  const auto plain = parseAcceptEncoding("gzip, deflate, br, zstd");
  EXPECT_EQ(plain.gzip, kQualityMax);
  EXPECT_EQ(plain.brotli, kQualityMax);
  EXPECT_FALSE(plain.identity.has_value());

  EXPECT_EQ(parseAcceptEncoding("gzip;q=1.000").gzip, kQualityMax);
  EXPECT_EQ(parseAcceptEncoding("gzip;q=0.").gzip, 0);
  EXPECT_EQ(parseAcceptEncoding("gzip;q=0.001").gzip, 1);
  EXPECT_EQ(parseAcceptEncoding("gzip ; Q=0.7").gzip, 700);
  EXPECT_EQ(parseAcceptEncoding("gzip;level=9;q=0.3").gzip, 300);
}

TEST(ServerContentCoding, TokensAreCaseInsensitiveAndXGzipIsGzip) {
  EXPECT_EQ(parseAcceptEncoding("GZIP").gzip, kQualityMax);
  EXPECT_EQ(parseAcceptEncoding("Br").brotli, kQualityMax);
  EXPECT_EQ(parseAcceptEncoding("x-gzip;q=0.4").gzip, 400);
  EXPECT_EQ(parseAcceptEncoding("IDENTITY;q=0.2").identity, 200);
}

TEST(ServerContentCoding, AMalformedQValueDropsItsEntryOnly) {
  for (const char* header : {"br;q=2", "br;q=1.5", "br;q=0.5555", "br;q=-1", "br;q=", "br;q=.5", "br;q=abc",
                             "br;q=0.5x", "br;q=1.01"}) {
    const auto accepted = parseAcceptEncoding(std::string(header) + ", gzip");
    EXPECT_EQ(accepted.brotli, 0) << header;
    EXPECT_EQ(accepted.gzip, kQualityMax) << header;
  }
}

TEST(ServerContentCoding, StarCoversWhatIsNotListed) {
  const auto accepted = parseAcceptEncoding("*;q=0.3, br;q=0.9");
  EXPECT_EQ(accepted.brotli, 900);
  EXPECT_EQ(accepted.gzip, 300);
  // "*;q=0" refuses every coding not listed.
  EXPECT_EQ(parseAcceptEncoding("br, *;q=0").gzip, 0);
  EXPECT_EQ(parseAcceptEncoding("*").brotli, kQualityMax);
}

TEST(ServerContentCoding, TheFirstEntryForACodingWins) {
  EXPECT_EQ(parseAcceptEncoding("gzip;q=0.2, gzip;q=0.9").gzip, 200);
  EXPECT_EQ(parseAcceptEncoding("x-gzip;q=0, gzip").gzip, 0);
}

TEST(ServerContentCoding, EmptyMissingOrJunkAdmitsOnlyIdentity) {
  for (const char* header : {"", " ", ",,", "deflate", "zstd, compress", ";q=1", "gzipx", "b r"}) {
    EXPECT_EQ(choose(header), ContentCoding::Identity) << '"' << header << '"';
  }
}

TEST(ServerContentCoding, PrefersBrotliOnATie) {
  EXPECT_EQ(choose("gzip, deflate, br"), ContentCoding::Brotli);
  EXPECT_EQ(choose("br;q=0.5, gzip;q=0.5"), ContentCoding::Brotli);
  EXPECT_EQ(choose("*"), ContentCoding::Brotli);
}

TEST(ServerContentCoding, HigherQValueWins) {
  EXPECT_EQ(choose("br;q=0.5, gzip;q=0.8"), ContentCoding::Gzip);
  EXPECT_EQ(choose("br;q=0.8, gzip;q=0.5"), ContentCoding::Brotli);
  EXPECT_EQ(choose("gzip;q=0.1"), ContentCoding::Gzip);  // unnamed identity is the last choice
}

TEST(ServerContentCoding, QZeroRefuses) {
  EXPECT_EQ(choose("br;q=0, gzip"), ContentCoding::Gzip);
  EXPECT_EQ(choose("br;q=0, gzip;q=0"), ContentCoding::Identity);
  EXPECT_EQ(choose("*;q=0"), ContentCoding::Identity);
  // Everything refused, identity too: sent as is anyway rather than failing.
  EXPECT_EQ(choose("identity;q=0, *;q=0"), ContentCoding::Identity);
  EXPECT_EQ(choose("identity;q=0, br"), ContentCoding::Brotli);
}

TEST(ServerContentCoding, IdentityNamedWithAHigherQValueWins) {
  EXPECT_EQ(choose("gzip;q=0.5, identity"), ContentCoding::Identity);
  EXPECT_EQ(choose("gzip;q=0.5, identity;q=0.5"), ContentCoding::Gzip);
  EXPECT_EQ(choose("br, identity;q=0.9"), ContentCoding::Brotli);
}

TEST(ServerContentCoding, OnlySiblingsThatExistAreChosen) {
  EXPECT_EQ(choose("br, gzip", Siblings{false, true}), ContentCoding::Gzip);
  EXPECT_EQ(choose("br, gzip", Siblings{true, false}), ContentCoding::Brotli);
  EXPECT_EQ(choose("br, gzip", Siblings{}), ContentCoding::Identity);
  EXPECT_EQ(choose("br", Siblings{false, true}), ContentCoding::Identity);
  // A less wanted coding that exists beats a wanted one that does not.
  EXPECT_EQ(choose("br, gzip;q=0.1", Siblings{false, true}), ContentCoding::Gzip);
}

TEST(ServerContentCoding, SiblingsAreTheFileWithTheCodingsSuffix) {
  EXPECT_EQ(siblingPath("/srv/dist/assets/app-1234.js", ContentCoding::Brotli), "/srv/dist/assets/app-1234.js.br");
  EXPECT_EQ(siblingPath("/srv/dist/assets/app-1234.js", ContentCoding::Gzip), "/srv/dist/assets/app-1234.js.gz");
  EXPECT_EQ(siblingPath("/srv/dist/assets/app-1234.js", ContentCoding::Identity), "/srv/dist/assets/app-1234.js");
  EXPECT_EQ(codingToken(ContentCoding::Brotli), "br");
  EXPECT_EQ(codingToken(ContentCoding::Gzip), "gzip");
  EXPECT_EQ(codingToken(ContentCoding::Identity), "");
}

}  // namespace
}  // namespace huddle::server
