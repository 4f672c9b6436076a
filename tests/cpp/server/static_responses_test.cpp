// Static responses through a running server: precompressed siblings for the clients that accept
// them, Vary, ETags and 304 Not Modified, for the web app and the experiences, GET and HEAD.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "web_root_server.hpp"

namespace huddle::test {
namespace {

// Stand-ins for the compressed bytes: the server sends a sibling as it is, never decoding it.
constexpr const char* kAppBrotli = "app.js, brotli";
constexpr const char* kAppGzip = "app.js, gzip";
constexpr const char* kImmutable = "public, max-age=31536000, immutable";

using Headers = std::map<std::string, std::string>;

class ServerStaticResponses : public WebRootServer {
 protected:
  void SetUp() override {
    web_.write("dist/assets/app-1234.js.br", kAppBrotli);
    web_.write("dist/assets/app-1234.js.gz", kAppGzip);
    web_.write("dist/huddle.js.gz", "huddle.js, gzip");
    web_.write("dist/index.html.br", "never sent: the app page is rewritten");
    web_.write("experiences/draw/app.js.br", "draw's app.js, brotli");
    web_.write("experiences/draw/index.html.br", "never sent: the page gets p2p.js");
    startServer(webRootConfig());
  }
  HttpResult get(const std::string& target, const Headers& headers = {}) {
    return httpRequest(port(), "GET", target, headers);
  }
};

TEST_F(ServerStaticResponses, SendsBrotliWhenAcceptedElseGzipElseTheFile) {
  auto br = get("/assets/app-1234.js", {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
  EXPECT_EQ(br.status, 200);
  EXPECT_EQ(br.body, kAppBrotli);
  EXPECT_EQ(br.header("content-encoding"), "br");
  EXPECT_EQ(br.header("content-length"), std::to_string(std::string(kAppBrotli).size()));
  EXPECT_EQ(br.header("content-type"), "text/javascript; charset=utf-8");  // the original's
  EXPECT_EQ(br.header("vary"), "Accept-Encoding");
  EXPECT_EQ(br.header("cache-control"), kImmutable);

  auto gz = get("/assets/app-1234.js", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.body, kAppGzip);
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gz.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(gz.header("vary"), "Accept-Encoding");

  for (const char* acceptEncoding : {"", "identity", "br;q=0, gzip;q=0", "deflate"}) {
    auto plain = acceptEncoding[0] ? get("/assets/app-1234.js", {{"Accept-Encoding", acceptEncoding}})
                                   : get("/assets/app-1234.js");
    EXPECT_EQ(plain.body, "console.log('hi');") << acceptEncoding;
    EXPECT_EQ(plain.header("content-encoding"), "") << acceptEncoding;
    EXPECT_EQ(plain.header("vary"), "Accept-Encoding") << acceptEncoding;  // compressed or not
  }
}

TEST_F(ServerStaticResponses, AFileWithoutAFittingSiblingIsSentAsIs) {
  auto huddle = get("/huddle.js", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(huddle.body, "export {};");
  EXPECT_EQ(huddle.header("content-encoding"), "");
  EXPECT_EQ(huddle.header("cache-control"), "no-cache");
  EXPECT_EQ(get("/huddle.js", {{"Accept-Encoding", "br, gzip"}}).header("content-encoding"), "gzip");

  // Wasm is compressible; with no sibling it still says it varies.
  auto wasm = get("/assets/huddle-5678.wasm", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(wasm.body.size(), 8u);
  EXPECT_EQ(wasm.header("vary"), "Accept-Encoding");
}

TEST_F(ServerStaticResponses, HeadAnswersLikeGetWithoutTheBody) {
  const Headers accept{{"Accept-Encoding", "br"}};
  auto get = this->get("/assets/app-1234.js", accept);
  auto head = httpRequest(port(), "HEAD", "/assets/app-1234.js", accept);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  for (const char* name : {"content-encoding", "content-length", "content-type", "etag", "vary", "cache-control"})
    EXPECT_EQ(head.header(name), get.header(name)) << name;
}

TEST_F(ServerStaticResponses, EveryCodingHasItsOwnETag) {
  const std::string identity = get("/assets/app-1234.js").header("etag");
  const std::string br = get("/assets/app-1234.js", {{"Accept-Encoding", "br"}}).header("etag");
  const std::string gz = get("/assets/app-1234.js", {{"Accept-Encoding", "gzip"}}).header("etag");
  EXPECT_TRUE(identity.starts_with('"') && identity.ends_with('"')) << identity;  // strong
  EXPECT_TRUE(br.ends_with("-br\"")) << br;
  EXPECT_TRUE(gz.ends_with("-gz\"")) << gz;
  EXPECT_NE(identity, br);
  EXPECT_NE(identity, gz);
  EXPECT_NE(br, gz);
  EXPECT_EQ(get("/assets/app-1234.js").header("etag"), identity);  // stable
}

TEST_F(ServerStaticResponses, AMatchingIfNoneMatchIs304WithoutABody) {
  const Headers accept{{"Accept-Encoding", "br"}};
  const std::string etag = get("/assets/app-1234.js", accept).header("etag");
  for (const std::string& ifNoneMatch : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    for (const char* method : {"GET", "HEAD"}) {
      auto res = httpRequest(port(), method, "/assets/app-1234.js",
                             {{"Accept-Encoding", "br"}, {"If-None-Match", ifNoneMatch}});
      EXPECT_EQ(res.status, 304) << method << " " << ifNoneMatch;
      EXPECT_TRUE(res.body.empty()) << method << " " << ifNoneMatch;
      EXPECT_EQ(res.header("etag"), etag) << method << " " << ifNoneMatch;
      EXPECT_EQ(res.header("vary"), "Accept-Encoding") << method << " " << ifNoneMatch;
      EXPECT_EQ(res.header("cache-control"), kImmutable) << method << " " << ifNoneMatch;
      EXPECT_EQ(res.header("content-encoding"), "") << method << " " << ifNoneMatch;
    }
  }
}

TEST_F(ServerStaticResponses, AStaleOrOtherCodingsETagGetsTheFile) {
  const std::string br = get("/assets/app-1234.js", {{"Accept-Encoding", "br"}}).header("etag");
  // The client's copy is the brotli one, but now it only takes gzip: it gets gzip in full.
  auto gz = get("/assets/app-1234.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", br}});
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(gz.body, kAppGzip);

  auto stale = get("/assets/app-1234.js", {{"Accept-Encoding", "br"}, {"If-None-Match", "\"1-1-br\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, kAppBrotli);

  // A new build changes the tag, and the old one no longer matches.
  const std::string identity = get("/p2p.js").header("etag");
  web_.write("dist/p2p.js", "window.P2P = { version: 2 };");
  auto rebuilt = get("/p2p.js", {{"If-None-Match", identity}});
  EXPECT_EQ(rebuilt.status, 200);
  EXPECT_EQ(rebuilt.body, "window.P2P = { version: 2 };");
  EXPECT_NE(rebuilt.header("etag"), identity);
}

TEST_F(ServerStaticResponses, TheAppPageIsRewrittenSoSentUncompressedWithAContentETag) {
  auto page = get("/r/ABCDEF", {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Join room ABCDEF"), std::string::npos) << page.body;
  EXPECT_EQ(page.header("content-encoding"), "");
  EXPECT_EQ(page.header("vary"), "");  // never compressed: it does not vary
  const std::string etag = page.header("etag");
  ASSERT_FALSE(etag.empty());

  auto again = get("/r/ABCDEF", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("cache-control"), "no-cache");
  // Another room's link preview is another page.
  EXPECT_EQ(get("/r/GHJKMN", {{"If-None-Match", etag}}).status, 200);
  EXPECT_EQ(httpRequest(port(), "HEAD", "/r/ABCDEF", {{"If-None-Match", etag}}).status, 304);
}

TEST_F(ServerStaticResponses, ExperiencesUseSiblingsExceptForTheirRewrittenPages) {
  auto script = get("/experiences/draw/app.js", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(script.body, "draw's app.js, brotli");
  EXPECT_EQ(script.header("content-encoding"), "br");
  EXPECT_EQ(script.header("vary"), "Accept-Encoding");
  EXPECT_EQ(script.header("cache-control"), "no-cache");  // experiences are never immutable

  auto page = get("/experiences/draw/", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<script src=\"/p2p.js\"></script>"), std::string::npos) << page.body;
  EXPECT_EQ(page.header("content-encoding"), "");
  EXPECT_EQ(page.header("vary"), "");
  EXPECT_EQ(get("/experiences/draw/", {{"If-None-Match", page.header("etag")}}).status, 304);
}

TEST_F(ServerStaticResponses, ErrorsCarryNoValidators) {
  auto missing = get("/assets/missing.js", {{"Accept-Encoding", "br"}, {"If-None-Match", "*"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("etag"), "");
  EXPECT_EQ(missing.header("content-encoding"), "");
}

}  // namespace
}  // namespace huddle::test
