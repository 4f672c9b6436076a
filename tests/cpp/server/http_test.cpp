// HTTP routes of a running server: static files, /healthz, /metrics, methods, the /ws endpoint.
#include <map>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "temp_web_root.hpp"

namespace huddle::test {
namespace {

// The app page as served: TempWebRoot::kIndex with the link preview tags after its doctype.
void expectAppPage(const HttpResult& res, const std::string& ogTitle, const std::string& what) {
  EXPECT_EQ(res.status, 200) << what;
  EXPECT_TRUE(res.body.starts_with("<!doctype html>\n<meta property=\"og:site_name\" content=\"huddle\" />")) << what;
  EXPECT_TRUE(res.body.ends_with("<title>huddle</title>")) << what;
  EXPECT_NE(res.body.find("<meta property=\"og:title\" content=\"" + ogTitle + "\" />"), std::string::npos)
      << what << ": " << res.body;
  EXPECT_EQ(res.header("content-type"), "text/html; charset=utf-8") << what;
  EXPECT_EQ(res.header("cache-control"), "no-cache") << what;
  EXPECT_EQ(res.header("content-length"), std::to_string(res.body.size())) << what;
}

constexpr const char* kGenericTitle = "huddle: small rooms, browser to browser";

class ServerHttp : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    config.staticDir = web_.dist().string();
    config.maxConnections = 2;
    startServer(config);
  }
  TempWebRoot web_;
};

TEST_F(ServerHttp, ServesIndexAndAssetsWithTypesAndCaching) {
  expectAppPage(httpGet(port(), "/"), kGenericTitle, "/");

  auto js = httpGet(port(), "/assets/app-1234.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('hi');");
  EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");

  auto wasm = httpGet(port(), "/assets/huddle-5678.wasm");
  EXPECT_EQ(wasm.status, 200);
  EXPECT_EQ(wasm.header("content-type"), "application/wasm");
  EXPECT_EQ(wasm.body.size(), 8u);
}

TEST_F(ServerHttp, ShareLinkAndClientRoutesAnswerWithIndex) {
  for (const char* target : {"/r/ABCDEF", "/r/abcdef?x=1", "/lobby"}) {
    auto res = httpGet(port(), target);
    EXPECT_EQ(res.status, 200) << target;
    EXPECT_TRUE(res.body.ends_with(TempWebRoot::kIndex + std::string_view("<!doctype html>").size())) << target;
    EXPECT_EQ(res.header("cache-control"), "no-cache") << target;
  }
}

TEST_F(ServerHttp, AShareLinkPreviewsAsJoinRoomCode) {
  auto res = httpGet(port(), "/r/abcdef?utm=<x>");
  expectAppPage(res, "Join room ABCDEF on huddle", "share link");
  // og:url from the Host header the client sent, as the canonical link (no query).
  const std::string url = "<meta property=\"og:url\" content=\"http://127.0.0.1:" + std::to_string(port()) + "/r/ABCDEF\" />";
  EXPECT_NE(res.body.find(url), std::string::npos) << res.body;
  EXPECT_NE(res.body.find(R"(<meta name="twitter:card" content="summary" />)"), std::string::npos);
  EXPECT_EQ(res.body.find("utm"), std::string::npos);

  auto head = httpRequest(port(), "HEAD", "/r/ABCDEF");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), res.header("content-length"));
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServerHttp, ABadShareLinkOrAHostileHostGetsTheGenericPreview) {
  for (const char* target : {"/r/abc", "/r/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/r/%22%3E%3Cimg%20src%3Dx%3E",
                             "/r/my-room"}) {
    auto res = httpGet(port(), target);
    if (res.status == 400) continue;  // refused before any page (an encoded slash)
    expectAppPage(res, kGenericTitle, target);
    EXPECT_EQ(res.body.find("Join room"), std::string::npos) << target;
    EXPECT_EQ(res.body.find("<script"), std::string::npos) << target;
    EXPECT_EQ(res.body.find("<img"), std::string::npos) << target;
  }
  auto res = httpRequest(port(), "GET", "/r/ABCDEF", {{"Host", "\"><script>x</script>"}});
  expectAppPage(res, "Join room ABCDEF on huddle", "hostile host");
  EXPECT_EQ(res.body.find("og:url"), std::string::npos) << res.body;  // left out, not made up
  EXPECT_EQ(res.body.find("<script"), std::string::npos) << res.body;

  auto proxied = httpRequest(port(), "GET", "/r/ABCDEF", {{"Host", "huddle.example"}, {"X-Forwarded-Proto", "https"}});
  EXPECT_NE(proxied.body.find(R"(<meta property="og:url" content="https://huddle.example/r/ABCDEF" />)"),
            std::string::npos)
      << proxied.body;
}

TEST_F(ServerHttp, MissingFilesAre404) {
  EXPECT_EQ(httpGet(port(), "/assets/nope.js").status, 404);
  EXPECT_EQ(httpGet(port(), "/nope.png").status, 404);
  EXPECT_EQ(httpGet(port(), "/.env").status, 404);
}

TEST_F(ServerHttp, PathTraversalIsRefused) {
  for (const char* target : {"/../secret.txt", "/../etc/passwd", "/%2e%2e/secret.txt", "/%2e%2e/%2e%2e/etc/passwd",
                             "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/assets/../../secret.txt"}) {
    auto res = httpGet(port(), target);
    EXPECT_EQ(res.status, 400) << target;
    EXPECT_EQ(res.body.find(TempWebRoot::kSecret), std::string::npos) << target;
    EXPECT_EQ(res.body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServerHttp, HeadGivesHeadersWithoutBody) {
  auto res = httpRequest(port(), "HEAD", "/assets/app-1234.js");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("content-length"), "18");
  EXPECT_TRUE(res.body.empty());
}

TEST_F(ServerHttp, OtherMethodsAre405) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
    auto res = httpRequest(port(), method, "/");
    EXPECT_EQ(res.status, 405) << method;
    EXPECT_EQ(res.header("allow"), "GET, HEAD, OPTIONS") << method;
    for (const char* endpoint : {"/healthz", "/metrics", "/ws"}) {
      auto endpointRes = httpRequest(port(), method, endpoint);
      EXPECT_EQ(endpointRes.status, 405) << method << " " << endpoint;
      EXPECT_EQ(endpointRes.header("allow"), "GET, HEAD") << method << " " << endpoint;
    }
  }
}

TEST_F(ServerHttp, EmbedScriptsAreJavaScriptAndRevalidated) {
  const std::pair<const char*, const char*> scripts[] = {{"/huddle.js", "export {};"}, {"/p2p.js", "window.P2P = {};"}};
  for (const auto& [target, body] : scripts) {
    auto res = httpGet(port(), target);
    EXPECT_EQ(res.status, 200) << target;
    EXPECT_EQ(res.body, body) << target;
    EXPECT_EQ(res.header("content-type"), "text/javascript; charset=utf-8") << target;
    // Their names carry no content hash, so a new build must be picked up.
    EXPECT_EQ(res.header("cache-control"), "no-cache") << target;
  }
}

TEST_F(ServerHttp, StaticFilesMayBeReadFromAnyOrigin) {
  for (const char* target : {"/", "/index.html", "/huddle.js", "/p2p.js", "/assets/app-1234.js",
                             "/assets/huddle-5678.wasm", "/r/ABCDEF", "/assets/missing.js", "/../secret.txt"}) {
    for (const char* method : {"GET", "HEAD"}) {
      auto res = httpRequest(port(), method, target, {{"Origin", "https://games.example"}});
      EXPECT_NE(res.status, 0) << method << " " << target;
      EXPECT_EQ(res.header("access-control-allow-origin"), "*") << method << " " << target;
      EXPECT_EQ(res.header("cross-origin-resource-policy"), "cross-origin") << method << " " << target;
    }
  }
}

TEST_F(ServerHttp, EndpointsAreNotCrossOrigin) {
  for (const char* target : {"/healthz", "/metrics", "/ws"}) {
    for (const char* method : {"GET", "OPTIONS", "POST"}) {
      auto res = httpRequest(port(), method, target, {{"Origin", "https://games.example"}});
      EXPECT_NE(res.status, 0) << method << " " << target;
      EXPECT_EQ(res.header("access-control-allow-origin"), "") << method << " " << target;
      EXPECT_EQ(res.header("cross-origin-resource-policy"), "") << method << " " << target;
    }
    EXPECT_EQ(httpRequest(port(), "OPTIONS", target).status, 405) << target;
  }
}

TEST_F(ServerHttp, PreflightForStaticFilesAllowsReadingOnly) {
  const std::map<std::string, std::string> preflight = {{"Origin", "https://games.example"},
                                                        {"Access-Control-Request-Method", "GET"}};
  for (const char* target : {"/huddle.js", "/assets/huddle-5678.wasm", "/", "/experiences/draw/", "/missing.js"}) {
    auto res = httpRequest(port(), "OPTIONS", target, preflight);
    EXPECT_EQ(res.status, 204) << target;
    EXPECT_EQ(res.header("access-control-allow-origin"), "*") << target;
    EXPECT_EQ(res.header("access-control-allow-methods"), "GET, HEAD") << target;
    EXPECT_EQ(res.header("access-control-allow-headers"), "") << target;
    EXPECT_EQ(res.header("access-control-allow-credentials"), "") << target;
    EXPECT_TRUE(res.body.empty()) << target;
  }
}

TEST_F(ServerHttp, HealthzReportsCounters) {
  auto res = httpGet(port(), "/healthz");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.header("content-type"), "application/json");
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["status"], "ok");
  for (const char* key : {"uptimeSeconds", "connections", "rooms", "members", "framesIn", "framesRejected",
                          "signalsForwarded", "relayedMessages", "roomsCreated"}) {
    ASSERT_TRUE(j.contains(key)) << key;
    EXPECT_TRUE(j[key].is_number_unsigned()) << key;
  }
  EXPECT_EQ(j["connections"], 0);
}

TEST_F(ServerHttp, MetricsArePrometheusText) {
  WsClient client(port());
  client.hello();
  client.create("Ann");
  auto res = httpGet(port(), "/metrics");
  ASSERT_EQ(res.status, 200);
  EXPECT_NE(res.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(res.body.find("# TYPE huddle_connections gauge\nhuddle_connections 1\n"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("huddle_rooms 1\n"), std::string::npos);
  EXPECT_NE(res.body.find("huddle_rooms_created_total 1\n"), std::string::npos);
  EXPECT_NE(res.body.find("# TYPE huddle_frames_in_total counter\nhuddle_frames_in_total 2\n"), std::string::npos);
  for (const char* name : {"huddle_uptime_seconds", "huddle_members", "huddle_frames_rejected_total",
                           "huddle_signals_forwarded_total", "huddle_relayed_messages_total"}) {
    EXPECT_NE(res.body.find(std::string("\n") + name + " "), std::string::npos) << name;
  }
}

TEST_F(ServerHttp, PlainGetOnTheSocketEndpointAsksForAnUpgrade) {
  EXPECT_EQ(httpGet(port(), "/ws").status, 426);
  EXPECT_EQ(WsClient::handshakeStatus(port(), "/elsewhere"), 404);
}

TEST_F(ServerHttp, UpgradesBeyondMaxConnectionsGet503) {
  auto a = std::make_unique<WsClient>(port());
  WsClient b(port());
  EXPECT_EQ(WsClient::handshakeStatus(port()), 503);
  // A slot frees when a connection ends.
  a->close();
  a.reset();
  int status = 0;
  for (int i = 0; i < 100 && status != 101; ++i) {
    status = WsClient::handshakeStatus(port());
    if (status != 101) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, 101);
}

}  // namespace
}  // namespace huddle::test
