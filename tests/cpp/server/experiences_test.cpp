// Experiences: names, routes, the listing and its experience.json checks (units), then a running
// server: pages with p2p.js, untouched files, redirects, 404s, traversal refusal, CORS.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server/experiences.hpp"
#include "server/script_injection.hpp"
#include "server_fixture.hpp"
#include "temp_web_root.hpp"
#include "web_root_server.hpp"

namespace huddle::test {
namespace {

using nlohmann::json;
using server::ExperiencesRoute;
using server::experiencesRoute;
using server::listingEntry;
using Kind = server::StaticTarget::Kind;

// What the listing of TempWebRoot's experiences must be.
const json kExpectedListing = json::parse(R"([
  {"name":"chess","title":"chess"},
  {"name":"draw","title":"Draw together","description":"A shared canvas","minPlayers":2,"maxPlayers":6},
  {"name":"plain-1","title":"plain-1"},
  {"name":"typed","title":"typed"}
])");

std::string drawPageWithScript() {
  return server::insertScriptTag(TempWebRoot::kDrawPage, server::kP2pScriptTag);
}

TEST(ServerExperiences, NamesAreLowercaseLettersDigitsAndDashes) {
  for (const std::string& name : std::vector<std::string>{"draw", "a", "tic-tac-toe", "x1", "-", std::string(64, 'a')})
    EXPECT_TRUE(server::isExperienceName(name)) << name;
  for (const std::string& name :
       std::vector<std::string>{"", std::string(65, 'a'), "Draw", "a_b", "a.b", ".hidden", "..", "a b", "a/b", "%64raw", "caf\xC3\xA9"})
    EXPECT_FALSE(server::isExperienceName(name)) << name;
}

TEST(ServerExperiences, RoutesByThePathAsSent) {
  EXPECT_EQ(experiencesRoute("/experiences"), ExperiencesRoute::Listing);
  EXPECT_EQ(experiencesRoute("/experiences/"), ExperiencesRoute::Listing);
  EXPECT_EQ(experiencesRoute("/experiences/draw"), ExperiencesRoute::File);
  EXPECT_EQ(experiencesRoute("/experiences/draw/app.js"), ExperiencesRoute::File);
  EXPECT_EQ(experiencesRoute("/experiences//"), ExperiencesRoute::File);
  EXPECT_EQ(experiencesRoute("/experiences/../x"), ExperiencesRoute::File);
  EXPECT_EQ(experiencesRoute("/experiencesx"), ExperiencesRoute::None);
  EXPECT_EQ(experiencesRoute("/"), ExperiencesRoute::None);
  EXPECT_EQ(experiencesRoute("/r/ABCDEF"), ExperiencesRoute::None);
}

TEST(ServerExperiences, ListingEntryKeepsWellTypedFields) {
  EXPECT_EQ(listingEntry("draw", R"({"title":"Draw","description":"Paint","minPlayers":1,"maxPlayers":8})"),
            json::parse(R"({"name":"draw","title":"Draw","description":"Paint","minPlayers":1,"maxPlayers":8})"));
  // Unknown fields are not passed on.
  EXPECT_EQ(listingEntry("draw", R"({"title":"Draw","script":"<b>"})"), json::parse(R"({"name":"draw","title":"Draw"})"));
  // One field without the others.
  EXPECT_EQ(listingEntry("draw", R"({"maxPlayers":4})"), json::parse(R"({"name":"draw","title":"draw","maxPlayers":4})"));
}

TEST(ServerExperiences, ListingEntryFallsBackToTheNameOnInvalidDescriptions) {
  const json fallback = json::parse(R"({"name":"draw","title":"draw"})");
  for (const std::string& text :
       std::vector<std::string>{"", "   ", "{", R"({"title":"Draw",)", "[1,2]", "\"Draw\"", "null", "42", "{\"title\":\"\xFF\"}",
        std::string(100000, '['), std::string(5000, '[') + std::string(5000, ']')}) {
    EXPECT_EQ(listingEntry("draw", text), fallback) << text.substr(0, 40);
  }
}

TEST(ServerExperiences, ListingEntryLeavesOutWrongTypesAndRanges) {
  const json fallback = json::parse(R"({"name":"x","title":"x"})");
  for (const char* text : {
           R"({"title":5,"description":["d"],"minPlayers":"2","maxPlayers":2.5})",
           R"({"title":"","description":""})",
           R"({"title":null,"minPlayers":true,"maxPlayers":false})",
           R"({"minPlayers":0,"maxPlayers":9})",
           R"({"minPlayers":-1,"maxPlayers":18446744073709551615})",
           R"({"minPlayers":6,"maxPlayers":2})",  // contradictory: neither is kept
           R"({"title":{"en":"X"}})",
       }) {
    EXPECT_EQ(listingEntry("x", text), fallback) << text;
  }
  const std::string longTitle(server::kMaxExperienceTitleLength + 1, 't');
  EXPECT_EQ(listingEntry("x", json{{"title", longTitle}}.dump()), fallback);
  const std::string longDescription(server::kMaxExperienceDescriptionLength + 1, 'd');
  EXPECT_EQ(listingEntry("x", json{{"description", longDescription}}.dump()), fallback);
  // At the limits they are kept.
  const std::string title(server::kMaxExperienceTitleLength, 't');
  EXPECT_EQ(listingEntry("x", json{{"title", title}, {"minPlayers", 1}, {"maxPlayers", 8}}.dump()),
            (json{{"name", "x"}, {"title", title}, {"minPlayers", 1}, {"maxPlayers", 8}}));
}

TEST(ServerExperiences, ListingHasValidExperiencesSortedByName) {
  TempWebRoot web;
  server::Experiences experiences(web.experiences());
  EXPECT_EQ(json::parse(experiences.listingJson()), kExpectedListing);
}

TEST(ServerExperiences, OversizedDescriptionFallsBack) {
  TempWebRoot web;
  web.write("experiences/draw/experience.json",
            R"({"title":"Big","pad":")" + std::string(server::kMaxExperienceDescriptionBytes, ' ') + "\"}");
  server::Experiences experiences(web.experiences());
  EXPECT_EQ(json::parse(experiences.listingJson())[1], json::parse(R"({"name":"draw","title":"draw"})"));
}

TEST(ServerExperiences, MissingDirectoryListsNothing) {
  server::Experiences experiences("/nonexistent/huddle-experiences");
  EXPECT_EQ(experiences.listingJson(), "[]");
  EXPECT_EQ(experiences.resolve("/experiences/draw/").kind, Kind::NotFound);
}

TEST(ServerExperiences, ResolvesFilesRedirectsAndRefusals) {
  TempWebRoot web;
  server::Experiences experiences(web.experiences());

  auto page = experiences.resolve("/experiences/draw/?room=x");
  ASSERT_EQ(page.kind, Kind::File);
  EXPECT_EQ(page.file.filename(), "index.html");
  EXPECT_TRUE(page.insertP2pScript);
  EXPECT_EQ(page.cacheControl, "no-cache");

  auto script = experiences.resolve("/experiences/draw/app.js");
  ASSERT_EQ(script.kind, Kind::File);
  EXPECT_FALSE(script.insertP2pScript);
  EXPECT_EQ(script.contentType, "text/javascript; charset=utf-8");

  auto redirect = experiences.resolve("/experiences/draw?room=x");
  ASSERT_EQ(redirect.kind, Kind::Redirect);
  EXPECT_EQ(redirect.location, "/experiences/draw/?room=x");

  EXPECT_EQ(experiences.resolve("/experiences/Bad_Name/").kind, Kind::NotFound);
  EXPECT_EQ(experiences.resolve("/experiences/%64raw/").kind, Kind::NotFound);
  EXPECT_EQ(experiences.resolve("/experiences/../secret.txt").kind, Kind::BadRequest);
}

TEST(ServerExperiences, ReadsFilesUpToALimit) {
  TempWebRoot web;
  std::string out;
  EXPECT_EQ(server::readFileUpTo(web.base() / "secret.txt", 1000, out), server::ReadResult::Ok);
  EXPECT_EQ(out, TempWebRoot::kSecret);
  const auto size = std::string(TempWebRoot::kSecret).size();
  EXPECT_EQ(server::readFileUpTo(web.base() / "secret.txt", size, out), server::ReadResult::Ok);
  EXPECT_EQ(server::readFileUpTo(web.base() / "secret.txt", size - 1, out), server::ReadResult::TooLarge);
  EXPECT_EQ(out, "");
  EXPECT_EQ(server::readFileUpTo(web.base() / "missing.txt", 1000, out), server::ReadResult::Unreadable);
}

// ---- through a running server ---------------------------------------------------------------

using ServerExperiencesHttp = WebRootServer;

TEST_F(ServerExperiencesHttp, ListingIsJsonWithAndWithoutTheSlash) {
  for (const char* target : {"/experiences/", "/experiences", "/experiences/?x=1"}) {
    auto res = httpGet(port(), target);
    ASSERT_EQ(res.status, 200) << target;
    EXPECT_EQ(res.header("content-type"), "application/json") << target;
    EXPECT_EQ(res.header("cache-control"), "no-cache") << target;
    EXPECT_EQ(res.header("access-control-allow-origin"), "*") << target;
    EXPECT_EQ(json::parse(res.body), kExpectedListing) << target;
  }
}

TEST_F(ServerExperiencesHttp, ListingSeesExperiencesAddedWhileRunning) {
  web_.write("experiences/new-one/index.html", "<p>new</p>");
  auto listing = json::parse(httpGet(port(), "/experiences/").body);
  ASSERT_EQ(listing.size(), kExpectedListing.size() + 1);
  EXPECT_EQ(listing[2], json::parse(R"({"name":"new-one","title":"new-one"})"));
}

TEST_F(ServerExperiencesHttp, PagesGetTheP2pScriptWithAMatchingLength) {
  auto res = httpGet(port(), "/experiences/draw/");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.body,
            "<!doctype html><html lang=\"en\"><head><script src=\"/p2p.js\"></script><title>Draw</title></head>"
            "<body><script src=\"app.js\"></script></body></html>");
  EXPECT_EQ(res.header("content-length"), std::to_string(res.body.size()));
  EXPECT_EQ(res.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(res.header("cache-control"), "no-cache");
  EXPECT_EQ(res.header("access-control-allow-origin"), "*");
  EXPECT_EQ(res.header("cross-origin-resource-policy"), "cross-origin");

  // The same page by its file name, and with a query.
  EXPECT_EQ(httpGet(port(), "/experiences/draw/index.html").body, res.body);
  EXPECT_EQ(httpGet(port(), "/experiences/draw/?room=abc").body, res.body);

  auto head = httpRequest(port(), "HEAD", "/experiences/draw/");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(drawPageWithScript().size()));
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServerExperiencesHttp, EveryHtmlPageGetsTheScript) {
  auto nested = httpGet(port(), "/experiences/draw/levels/");
  ASSERT_EQ(nested.status, 200);
  EXPECT_EQ(nested.body, "<script src=\"/p2p.js\"></script><p>level 1</p>");
  EXPECT_EQ(nested.header("content-length"), std::to_string(nested.body.size()));
  EXPECT_EQ(httpGet(port(), "/experiences/chess/").body,
            "<html><script src=\"/p2p.js\"></script><body>chess</body></html>");
}

TEST_F(ServerExperiencesHttp, OtherFilesAreServedUntouched) {
  auto script = httpGet(port(), "/experiences/draw/app.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.body, TempWebRoot::kDrawScript);
  EXPECT_EQ(script.header("content-length"), std::to_string(std::string(TempWebRoot::kDrawScript).size()));
  EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.header("access-control-allow-origin"), "*");

  auto description = httpGet(port(), "/experiences/chess/experience.json");
  EXPECT_EQ(description.status, 200);
  EXPECT_EQ(description.body, R"({"title":"Chess",)");
  EXPECT_EQ(description.header("content-type"), "application/json");
}

TEST_F(ServerExperiencesHttp, DirectoriesWithoutTheirSlashAreRedirected) {
  const std::pair<const char*, const char*> cases[] = {
      {"/experiences/draw", "/experiences/draw/"},
      {"/experiences/draw?room=abc", "/experiences/draw/?room=abc"},
      {"/experiences/draw/levels", "/experiences/draw/levels/"},
  };
  for (const auto& [target, location] : cases) {
    auto res = httpGet(port(), target);
    EXPECT_EQ(res.status, 301) << target;
    EXPECT_EQ(res.header("location"), location) << target;
    EXPECT_EQ(res.header("access-control-allow-origin"), "*") << target;
  }
  // Nothing to redirect to.
  EXPECT_EQ(httpGet(port(), "/experiences/nope").status, 404);
  EXPECT_EQ(httpGet(port(), "/experiences/no-index").status, 404);
}

TEST_F(ServerExperiencesHttp, MissingFilesBadNamesAndDotfilesAre404) {
  for (const std::string& target :
       std::vector<std::string>{"/experiences/draw/missing.js", "/experiences/nope/", "/experiences/Bad_Name/", "/experiences/.hidden/",
        "/experiences/" + std::string(65, 'a') + "/", "/experiences/%64raw/", "/experiences/no-index/",
        "/experiences/a-file", "/experiences/escape/", "/experiences/draw/.secret", "/experiences//draw/",
        // The web app's fallback does not answer for experiences.
        "/experiences/nope/some/route", "/experiences/draw/route"}) {
    auto res = httpGet(port(), target);
    EXPECT_EQ(res.status, 404) << target;
    EXPECT_EQ(res.body.find(TempWebRoot::kIndex), std::string::npos) << target;
    EXPECT_EQ(res.body.find(TempWebRoot::kSecret), std::string::npos) << target;
  }
}

TEST_F(ServerExperiencesHttp, PathTraversalIsRefused) {
  for (const char* target :
       {"/experiences/../secret.txt", "/experiences/..", "/experiences/%2e%2e/secret.txt",
        "/experiences/draw/../../secret.txt", "/experiences/draw/%2e%2e/%2E%2E/secret.txt",
        "/experiences/draw/..%2f..%2fsecret.txt", "/experiences/draw%2f..%2f..%2fsecret.txt",
        "/experiences/draw%2Findex.html", "/experiences/draw/..%5c..%5csecret.txt", "/experiences/draw/..\\x",
        "/experiences/draw/%00.html"}) {
    auto res = httpGet(port(), target);
    EXPECT_EQ(res.status, 400) << target;
    EXPECT_EQ(res.body.find(TempWebRoot::kSecret), std::string::npos) << target;
  }
}

}  // namespace
}  // namespace huddle::test
