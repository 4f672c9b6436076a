// Mapping request targets to files: MIME types, cache policy, precompressed siblings, SPA fallback,
// traversal refusal.
#include <chrono>

#include <gtest/gtest.h>

#include "server/static_files.hpp"
#include "temp_web_root.hpp"

namespace huddle::server {
namespace {

using Kind = StaticTarget::Kind;
using test::TempWebRoot;

TEST(ServerStaticFiles, MimeTypesIncludeWasm) {
  EXPECT_EQ(mimeType("huddle.wasm"), "application/wasm");
  EXPECT_EQ(mimeType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mimeType("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mimeType("APP.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(mimeType("logo.svg"), "image/svg+xml");
  EXPECT_EQ(mimeType("data.json"), "application/json");
  EXPECT_EQ(mimeType("noextension"), "application/octet-stream");
  EXPECT_EQ(mimeType("x.unknown"), "application/octet-stream");
}

TEST(ServerStaticFiles, DecodesPercentEscapesAndRefusesBadOnes) {
  std::string out;
  EXPECT_TRUE(decodeUrlPath("/a%20b/%2E%2e", out));
  EXPECT_EQ(out, "/a b/..");
  EXPECT_FALSE(decodeUrlPath("/a%2", out));
  EXPECT_FALSE(decodeUrlPath("/a%zz", out));
  EXPECT_FALSE(decodeUrlPath("/a%00b", out));
}

TEST(ServerStaticFiles, ServesFilesWithTypeAndCachePolicy) {
  TempWebRoot web;
  StaticFiles files(web.dist());

  auto index = files.resolve("/");
  ASSERT_EQ(index.kind, Kind::File);
  EXPECT_EQ(index.file.filename(), "index.html");
  EXPECT_EQ(index.cacheControl, "no-cache");

  auto asset = files.resolve("/assets/app-1234.js?v=1");
  ASSERT_EQ(asset.kind, Kind::File);
  EXPECT_EQ(asset.contentType, "text/javascript; charset=utf-8");
  EXPECT_NE(asset.cacheControl.find("immutable"), std::string::npos);

  auto wasm = files.resolve("/assets/huddle-5678.wasm");
  ASSERT_EQ(wasm.kind, Kind::File);
  EXPECT_EQ(wasm.contentType, "application/wasm");

  auto robots = files.resolve("/robots.txt");
  ASSERT_EQ(robots.kind, Kind::File);
  EXPECT_EQ(robots.cacheControl, "no-cache");
}

TEST(ServerStaticFiles, ShareLinksAndClientRoutesGetTheApp) {
  TempWebRoot web;
  StaticFiles files(web.dist());
  for (const char* target : {"/r/ABCDEF", "/r/abc.def", "/rooms", "/settings/profile"}) {
    auto t = files.resolve(target);
    ASSERT_EQ(t.kind, Kind::File) << target;
    EXPECT_EQ(t.file.filename(), "index.html") << target;
    EXPECT_EQ(t.cacheControl, "no-cache") << target;
    EXPECT_TRUE(t.appPage) << target;  // link preview tags go in
  }
  EXPECT_TRUE(files.resolve("/").appPage);
  EXPECT_TRUE(files.resolve("/index.html").appPage);
  EXPECT_FALSE(files.resolve("/assets/app-1234.js").appPage);
  // Missing files with an extension stay missing.
  EXPECT_EQ(files.resolve("/assets/missing.js").kind, Kind::NotFound);
  EXPECT_EQ(files.resolve("/favicon.ico").kind, Kind::NotFound);
}

TEST(ServerStaticFiles, RefusesTraversalPlainAndEncoded) {
  TempWebRoot web;
  StaticFiles files(web.dist());
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/..%2fsecret.txt", "/assets/..%2F..%2Fsecret.txt", "/%2E%2E%5csecret.txt",
                             "/..\\secret.txt", "/x%00.html", "relative.txt", ""}) {
    EXPECT_EQ(files.resolve(target).kind, Kind::BadRequest) << target;
  }
  EXPECT_EQ(files.resolve("/.env").kind, Kind::NotFound);
}

TEST(ServerStaticFiles, RefusesEncodedSlashes) {
  TempWebRoot web;
  StaticFiles files(web.dist());
  ASSERT_EQ(files.resolve("/assets/app-1234.js").kind, Kind::File);
  for (const char* target : {"/assets%2fapp-1234.js", "/assets%2Fapp-1234.js", "/assets%5capp-1234.js",
                             "/r%2FABCDEF", "/x%5C"}) {
    EXPECT_EQ(files.resolve(target).kind, Kind::BadRequest) << target;
  }
}

TEST(ServerStaticFiles, PlainTreeRedirectsDirectoriesAndHasNoFallback) {
  TempWebRoot web;
  StaticFiles files(web.experiences(), StaticTree::Plain);

  auto redirect = files.resolve("/draw?room=x#top");
  ASSERT_EQ(redirect.kind, Kind::Redirect);
  EXPECT_EQ(redirect.location, "/draw/?room=x");
  EXPECT_EQ(files.resolve("/draw/levels").location, "/draw/levels/");

  auto index = files.resolve("/draw/");
  ASSERT_EQ(index.kind, Kind::File);
  EXPECT_EQ(index.file.filename(), "index.html");
  EXPECT_EQ(index.cacheControl, "no-cache");

  // No index.html: nothing to redirect to. No single-page-app fallback either.
  EXPECT_EQ(files.resolve("/no-index").kind, Kind::NotFound);
  EXPECT_EQ(files.resolve("/draw/some/route").kind, Kind::NotFound);
  EXPECT_EQ(files.resolve("/r/ABCDEF").kind, Kind::NotFound);

  // The web app serves a directory's index.html as it always did.
  web.write("dist/docs/index.html", "docs");
  StaticFiles app(web.dist());
  auto docs = app.resolve("/docs");
  ASSERT_EQ(docs.kind, Kind::File);
  EXPECT_EQ(docs.file, web.dist() / "docs" / "index.html");
}

TEST(ServerStaticFiles, SymlinkOutOfTheRootIsNotServed) {
  TempWebRoot web;
  std::filesystem::create_symlink(web.base() / "secret.txt", web.dist() / "link.txt");
  StaticFiles files(web.dist());
  EXPECT_EQ(files.resolve("/link.txt").kind, Kind::NotFound);
}

TEST(ServerStaticFiles, TextWasmAndSvgAreCompressibleImagesAndFontsAreNot) {
  for (const char* name : {"a.js", "a.mjs", "a.css", "a.html", "a.wasm", "a.svg", "a.json", "a.map", "a.txt",
                           "a.xml", "a.webmanifest"}) {
    EXPECT_TRUE(isCompressible(mimeType(name))) << name;
  }
  for (const char* name : {"a.png", "a.jpg", "a.webp", "a.woff2", "a.mp4", "a.ico", "a.gz", "a.br", "noextension"}) {
    EXPECT_FALSE(isCompressible(mimeType(name))) << name;
  }
  EXPECT_TRUE(isCompressible("Text/HTML; charset=utf-8"));
}

TEST(ServerStaticFiles, FindsFreshSiblingsOfCompressibleFiles) {
  TempWebRoot web;
  web.write("dist/assets/app-1234.js.br", "br bytes");
  web.write("dist/assets/app-1234.js.gz", "gz bytes");
  web.write("dist/huddle.js.gz", "gz bytes");
  StaticFiles files(web.dist());

  auto asset = files.resolve("/assets/app-1234.js");
  EXPECT_TRUE(asset.compressible);
  EXPECT_TRUE(asset.siblings.brotli);
  EXPECT_TRUE(asset.siblings.gzip);

  auto huddle = files.resolve("/huddle.js");
  EXPECT_TRUE(huddle.compressible);
  EXPECT_FALSE(huddle.siblings.brotli);
  EXPECT_TRUE(huddle.siblings.gzip);

  auto p2p = files.resolve("/p2p.js");
  EXPECT_TRUE(p2p.compressible);
  EXPECT_FALSE(p2p.siblings.brotli || p2p.siblings.gzip);
}

TEST(ServerStaticFiles, ASiblingOlderThanItsFileIsIgnored) {
  TempWebRoot web;
  web.write("dist/assets/app-1234.js.br", "br bytes of an older build");
  web.write("dist/assets/app-1234.js.gz", "gz bytes");
  // The file was edited after the siblings were written.
  const auto edited = std::filesystem::last_write_time(web.dist() / "assets/app-1234.js.gz") + std::chrono::seconds(5);
  std::filesystem::last_write_time(web.dist() / "assets/app-1234.js", edited);
  std::filesystem::last_write_time(web.dist() / "assets/app-1234.js.gz", edited);  // rewritten with it
  StaticFiles files(web.dist());
  auto asset = files.resolve("/assets/app-1234.js");
  EXPECT_FALSE(asset.siblings.brotli);
  EXPECT_TRUE(asset.siblings.gzip);
}

TEST(ServerStaticFiles, ASiblingMustBeARegularFileInsideTheRoot) {
  TempWebRoot web;
  std::filesystem::create_symlink(web.base() / "secret.txt", web.dist() / "huddle.js.br");
  std::filesystem::create_directory(web.dist() / "huddle.js.gz");
  StaticFiles files(web.dist());
  auto huddle = files.resolve("/huddle.js");
  EXPECT_FALSE(huddle.siblings.brotli);
  EXPECT_FALSE(huddle.siblings.gzip);
}

TEST(ServerStaticFiles, NoSiblingsForIncompressibleFilesOrTheRewrittenAppPage) {
  TempWebRoot web;
  web.write("dist/logo.png", "png");
  web.write("dist/logo.png.br", "br");
  web.write("dist/index.html.br", "br");
  web.write("dist/index.html.gz", "gz");
  StaticFiles files(web.dist());
  auto png = files.resolve("/logo.png");
  EXPECT_FALSE(png.compressible);
  EXPECT_FALSE(png.siblings.brotli);
  for (const char* target : {"/", "/index.html", "/r/ABCDEF"}) {
    auto page = files.resolve(target);
    ASSERT_TRUE(page.appPage) << target;
    EXPECT_FALSE(page.siblings.brotli || page.siblings.gzip) << target;
  }
}

TEST(ServerStaticFiles, MissingRootServesNothing) {
  StaticFiles files("/nonexistent/huddle-dist");
  EXPECT_EQ(files.resolve("/").kind, Kind::NotFound);
  EXPECT_EQ(files.resolve("/r/ABCDEF").kind, Kind::NotFound);
}

}  // namespace
}  // namespace huddle::server
