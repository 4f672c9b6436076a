// Link previews: which paths name a room, what is escaped, which hosts make it into og:url.
#include <string>

#include <gtest/gtest.h>

#include "server/app_page.hpp"
#include "server/link_preview.hpp"
#include "temp_web_root.hpp"

namespace huddle::server {
namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(ShareLinkCode, ReadsAValidCodeInAnyCaseWithOrWithoutTrailingSlash) {
  EXPECT_EQ(shareLinkCode("/r/ABC234"), "ABC234");
  EXPECT_EQ(shareLinkCode("/r/abc234"), "ABC234");
  EXPECT_EQ(shareLinkCode("/r/abc234/"), "ABC234");
  EXPECT_EQ(shareLinkCode("/r/%41BC234"), "ABC234");  // the app decodes escapes too
}

TEST(ShareLinkCode, RefusesEverythingElse) {
  for (const char* path : {"/", "/r", "/r/", "/r/abc", "/r/ABC2345", "/r/ABC23O", "/r/ABC10Z", "/r/ABC234/x",
                           "/r//ABC234", "/r/ABC 23", "/r/%20ABC234", "/r/ABC234%00", "/r/%zz", "/x/ABC234",
                           "/r/my-room", "/r/<script>", "/r/%22%3E%3Cscript%3E", "/R/ABC234"}) {
    EXPECT_EQ(shareLinkCode(path), std::nullopt) << path;
  }
}

TEST(EscapeHtml, EscapesEveryCharacterThatCouldEndAnAttributeOrOpenATag) {
  EXPECT_EQ(escapeHtml(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(escapeHtml("Join room ABC234"), "Join room ABC234");
}

TEST(OriginFromHost, TakesHostNamesAndAddressesWithPorts) {
  EXPECT_EQ(originFromHost("huddle.example", ""), "http://huddle.example");
  EXPECT_EQ(originFromHost("huddle.example", "https"), "https://huddle.example");
  EXPECT_EQ(originFromHost("127.0.0.1:8080", "http"), "http://127.0.0.1:8080");
  EXPECT_EQ(originFromHost("[::1]:8080", ""), "http://[::1]:8080");
}

TEST(OriginFromHost, RefusesAnythingThatIsNotAHost) {
  for (const char* host : {"", "\"><script>", "a b", "evil.example/path", "user@evil.example", "x:", "x:123456",
                           "x:8o", ".example", "a..b", "[::1", "[]", "[::1]x", "huddle.example\r\nSet-Cookie: a=b"}) {
    EXPECT_EQ(originFromHost(host, ""), std::nullopt) << host;
  }
  EXPECT_EQ(originFromHost(std::string(300, 'a'), ""), std::nullopt);
}

TEST(ValidatePublicOrigin, AcceptsSchemeHostPortOnly) {
  EXPECT_EQ(validatePublicOrigin("https://huddle.example"), "");
  EXPECT_EQ(validatePublicOrigin("http://10.0.0.5:8080"), "");
  EXPECT_NE(validatePublicOrigin("huddle.example"), "");
  EXPECT_NE(validatePublicOrigin("https://huddle.example/"), "");
  EXPECT_NE(validatePublicOrigin("https://huddle.example/app"), "");
  EXPECT_NE(validatePublicOrigin("ftp://huddle.example"), "");
}

TEST(PreviewTags, AShareLinkPreviewsAsJoinRoomCode) {
  const std::string tags = previewTags("/r/abc234", "https://huddle.example");
  EXPECT_TRUE(contains(tags, R"(<meta property="og:title" content="Join room ABC234 on huddle" />)")) << tags;
  EXPECT_TRUE(contains(tags, R"(<meta property="og:type" content="website" />)"));
  EXPECT_TRUE(contains(tags, R"(<meta property="og:url" content="https://huddle.example/r/ABC234" />)"));
  EXPECT_TRUE(contains(tags, R"(<meta property="og:description" content="Open the link, pick a name, and you&#39;re in)"));
  EXPECT_TRUE(contains(tags, R"(<meta name="twitter:card" content="summary" />)"));
  EXPECT_TRUE(contains(tags, R"(<meta name="twitter:title" content="Join room ABC234 on huddle" />)"));
}

TEST(PreviewTags, AnythingButAValidCodeGetsTheGenericTextAndTheHomeUrl) {
  for (const char* path : {"/", "/lobby", "/r/abc", "/r/<script>alert(1)</script>", "/r/%22%3E%3Cimg%20src=x%3E",
                           "/r/my-room"}) {
    const std::string tags = previewTags(path, "http://h.example");
    EXPECT_TRUE(contains(tags, R"(<meta property="og:title" content="huddle: small rooms, browser to browser" />)"))
        << path;
    EXPECT_TRUE(contains(tags, R"(<meta property="og:url" content="http://h.example/" />)")) << path;
    EXPECT_FALSE(contains(tags, "Join room")) << path;
    EXPECT_FALSE(contains(tags, "<script")) << path;
    EXPECT_FALSE(contains(tags, "alert")) << path;
    EXPECT_FALSE(contains(tags, "img")) << path;
  }
}

TEST(PreviewTags, LeavesOgUrlOutWithoutAnOrigin) {
  const std::string tags = previewTags("/r/ABC234", "");
  EXPECT_FALSE(contains(tags, "og:url"));
  EXPECT_TRUE(contains(tags, "Join room ABC234 on huddle"));
}

TEST(AppPage, PutsTheTagsInsideTheHeadAndRereadsOnlyAChangedFile) {
  test::TempWebRoot web;
  const auto file = web.dist() / "index.html";
  web.write("dist/index.html", "<!doctype html><html><head><title>huddle</title></head><body></body></html>");
  AppPage page;
  std::string out;
  ASSERT_EQ(page.render(file, "/r/ABC234", "http://h", out), ReadResult::Ok);
  EXPECT_TRUE(out.starts_with("<!doctype html><html><head>\n<meta property=\"og:site_name\"")) << out;
  EXPECT_TRUE(out.ends_with("<title>huddle</title></head><body></body></html>")) << out;
  EXPECT_TRUE(contains(out, "Join room ABC234 on huddle"));

  // A rebuilt app (another size) is served at once.
  web.write("dist/index.html", "<!doctype html><head><title>huddle 2</title></head>");
  ASSERT_EQ(page.render(file, "/", "http://h", out), ReadResult::Ok);
  EXPECT_TRUE(contains(out, "huddle 2")) << out;
  EXPECT_TRUE(contains(out, "og:title")) << out;

  std::filesystem::remove(file);
  EXPECT_EQ(page.render(file, "/", "http://h", out), ReadResult::Unreadable);
}

TEST(AppPage, RefusesAnOversizedPage) {
  test::TempWebRoot web;
  web.write("dist/index.html", std::string(kMaxAppPageBytes + 1, 'x'));
  AppPage page;
  std::string out;
  EXPECT_EQ(page.render(web.dist() / "index.html", "/", "", out), ReadResult::TooLarge);
}

}  // namespace
}  // namespace huddle::server
