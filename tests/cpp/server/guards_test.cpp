// The transport guards of issue 13 (docs/security.md): a deadline for hello, caps on WebSocket
// and HTTP connections in total and per address (clients bind to several 127.0.0.x source
// addresses to be several parties), a request timeout against slowloris, the Origin check on /ws,
// trusted proxies' X-Forwarded-For, and the security headers of the app's pages.
#include <chrono>
#include <memory>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "raw_connection.hpp"
#include "server_fixture.hpp"
#include "web_root_server.hpp"

namespace huddle::test {
namespace {

using std::chrono::milliseconds;
using Headers = std::map<std::string, std::string>;

// Opens /ws from `source`; the connection stays open in `conn` when the answer is 101.
RawResponse upgradeFrom(std::unique_ptr<RawConnection>& conn, unsigned short port, const std::string& source,
                        const Headers& headers = {}) {
  conn = std::make_unique<RawConnection>(port, source);
  conn->send(upgradeRequest(port, headers));
  return conn->readResponse();
}

int upgradeStatus(std::vector<std::unique_ptr<RawConnection>>& keep, unsigned short port, const std::string& source,
                  const Headers& headers = {}) {
  keep.emplace_back();
  return upgradeFrom(keep.back(), port, source, headers).status;
}

// True once `done()` holds, polling every 10 ms for at most `timeout`.
template <class Pred>
bool eventually(Pred done, milliseconds timeout = milliseconds(1000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

// ---- hello deadline and WebSocket caps -----------------------------------------------------

void helloDeadline(server::ServerConfig& c) {
  c.helloTimeoutMs = 200;
  c.maxConnections = 4;
}
using ServerHelloDeadline = ConfiguredServer<helloDeadline>;

TEST_F(ServerHelloDeadline, SocketThatNeverSaysHelloIsClosedWithAClearReason) {
  WsClient silent(port());  // it keeps answering pings, as a browser does
  auto code = silent.waitClosed(milliseconds(1500));
  ASSERT_TRUE(code.has_value()) << "still open 1.5 s after a 200 ms hello deadline";
  EXPECT_EQ(*code, 1008);
  EXPECT_EQ(silent.closeReason(), "no hello within 200 ms");
  EXPECT_EQ(server().stats().transport.helloTimeouts, 1u);
  EXPECT_TRUE(eventually([&] { return server().stats().hub.connections == 0; }));
}

TEST_F(ServerHelloDeadline, GreetedConnectionOutlivesTheDeadline) {
  auto ann = greeted();
  EXPECT_TRUE(ann->quietFor(milliseconds(500)));
  ann->send(frames::ping(3));
  EXPECT_EQ(ann->expect("pong")["id"], 3);
  EXPECT_EQ(server().stats().transport.helloTimeouts, 0u);
}

TEST_F(ServerHelloDeadline, SilentSocketsFillingEverySlotAreGoneSoonAndOthersGetIn) {
  std::vector<std::unique_ptr<RawConnection>> silent;
  for (int i = 0; i < 4; ++i) EXPECT_EQ(upgradeStatus(silent, port(), "127.0.0." + std::to_string(10 + i)), 101);
  EXPECT_EQ(WsClient::handshakeStatus(port()), 503);  // every slot taken
  for (auto& conn : silent) EXPECT_TRUE(conn->closedWithin(milliseconds(1500)));
  // They never answer the close frame either: their slots come back after the close grace.
  EXPECT_TRUE(eventually([&] { return server().stats().hub.connections == 0; }, milliseconds(2500)));
  WsClient newcomer(port());
  newcomer.hello();
}

void addressCaps(server::ServerConfig& c) {
  c.maxConnectionsPerAddress = 2;
  c.maxHttpConnectionsPerAddress = 2;
  c.trustedProxies = {"127.0.0.9"};
}
using ServerAddressCaps = ConfiguredServer<addressCaps>;

TEST_F(ServerAddressCaps, OneAddressIsCappedWhileAnotherGetsIn) {
  std::vector<std::unique_ptr<RawConnection>> keep;
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.2"), 101);
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.2"), 101);
  std::unique_ptr<RawConnection> third;
  auto refused = upgradeFrom(third, port(), "127.0.0.2");
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("too many connections from your address"), std::string::npos) << refused.body;
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.3"), 101);
  EXPECT_EQ(server().stats().transport.wsPerAddressRefused, 1u);

  keep.front().reset();  // one of 127.0.0.2's closes: its slot comes back
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::unique_ptr<RawConnection> again;
    if (upgradeFrom(again, port(), "127.0.0.2").status == 101) return;
    std::this_thread::sleep_for(milliseconds(20));
  }
  FAIL() << "127.0.0.2 never got its slot back";
}

TEST_F(ServerAddressCaps, TrustedProxyCountsTheForwardedClient) {
  std::vector<std::unique_ptr<RawConnection>> keep;
  const Headers client7{{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"}};
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.9", client7), 101);
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.9", client7), 101);
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.9", client7), 429);
  // Another client behind the same proxy is another party.
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.9", {{"X-Forwarded-For", "203.0.113.8"}}), 101);
  // An untrusted address cannot pick its own key.
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.4", {{"X-Forwarded-For", "192.0.2.1"}}), 101);
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.4", {{"X-Forwarded-For", "192.0.2.2"}}), 101);
  EXPECT_EQ(upgradeStatus(keep, port(), "127.0.0.4", {{"X-Forwarded-For", "192.0.2.3"}}), 429);
}

// ---- HTTP connection caps and the request timeout ------------------------------------------

TEST_F(ServerAddressCaps, IdleHttpConnectionsFromOneAddressAreCapped) {
  RawConnection a(port(), "127.0.0.5"), b(port(), "127.0.0.5");
  RawConnection c(port(), "127.0.0.5");
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto refused = c.readResponse(milliseconds(1500), /*untilClosed=*/true);
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("too many connections from your address"), std::string::npos) << refused.body;
  RawConnection other(port(), "127.0.0.6");
  other.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(other.readResponse().status, 200);
  EXPECT_EQ(server().stats().transport.httpPerAddressRefused, 1u);
}

void httpCaps(server::ServerConfig& c) {
  c.maxHttpConnections = 3;
  c.httpRequestTimeoutMs = 300;
}
using ServerHttpCaps = ConfiguredServer<httpCaps>;

TEST_F(ServerHttpCaps, ConnectionsOverTheTotalCapGet503) {
  RawConnection a(port(), "127.0.0.2"), b(port(), "127.0.0.3"), c(port(), "127.0.0.4");
  RawConnection d(port(), "127.0.0.5");
  d.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto refused = d.readResponse(milliseconds(1500), /*untilClosed=*/true);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(server().stats().transport.httpCapRefused, 1u);
}

TEST_F(ServerHttpCaps, ClientTricklingHeaderBytesIsCutOff) {
  RawConnection slow(port(), "127.0.0.7");
  ASSERT_TRUE(slow.send("GET / HTTP/1.1\r\nHost: x\r\n"));
  const auto start = std::chrono::steady_clock::now();
  bool cut = false;
  for (int i = 0; i < 30 && !cut; ++i) {  // a header byte every 50 ms, for at most 1.5 s
    cut = !slow.send("X") || slow.closedWithin(milliseconds(50));
  }
  const auto heldMs = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(cut) << "still open after " << heldMs << " ms with a 300 ms request timeout";
  EXPECT_LT(heldMs, 1000);
  // The timer closes the socket before the read handler that counts the cut runs, so the client
  // can see the close first: give the handler a moment.
  for (int i = 0; i < 100 && server().stats().transport.requestTimeouts == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(server().stats().transport.requestTimeouts, 1u);
}

class ServerSlowDownload : public WebRootServer {
 protected:
  void SetUp() override {
    web_.write("dist/big.bin", std::string(kBytes, 'x'));
    auto config = webRootConfig();
    config.httpRequestTimeoutMs = 300;
    startServer(config);
  }
  static constexpr std::size_t kBytes = 8 * 1024 * 1024;  // more than the sockets' buffers hold
};

TEST_F(ServerSlowDownload, RequestTimeoutDoesNotCutADownloadShort) {
  RawConnection reader(port(), "127.0.0.8", 16 * 1024);
  std::this_thread::sleep_for(milliseconds(200));  // most of the request timeout passes idle
  ASSERT_TRUE(reader.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::size_t received = 0;
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(5000);
  while (std::chrono::steady_clock::now() < deadline) {
    const long n = reader.readNow(256 * 1024);
    if (n < 0) break;
    received += static_cast<std::size_t>(n);
    std::this_thread::sleep_for(milliseconds(5));  // a slow reader: the download outlasts 300 ms
  }
  EXPECT_GT(received, kBytes) << "the download was cut after " << received << " bytes";
}

// ---- Origin --------------------------------------------------------------------------------

class ServerOrigins : public ServerFixture {
 protected:
  void start(std::vector<std::string> allowed, std::string publicOrigin = "") {
    auto config = testConfig();
    config.allowedOrigins = std::move(allowed);
    config.publicOrigin = std::move(publicOrigin);
    startServer(config);
  }
  int status(const std::string& origin, std::string* body = nullptr) {
    std::unique_ptr<RawConnection> conn;
    auto res = upgradeFrom(conn, port(), "127.0.0.1", origin.empty() ? Headers{} : Headers{{"Origin", origin}});
    if (body) *body = conn->readResponse(milliseconds(300), true).body + res.body;
    return res.status;
  }
};

TEST_F(ServerOrigins, ForeignPageIsRefusedWith403AndOwnPageAndNonBrowsersGetIn) {
  start({});
  std::string body;
  EXPECT_EQ(status("https://evil.example", &body), 403);
  EXPECT_NE(body.find("origin https://evil.example may not open /ws"), std::string::npos) << body;
  EXPECT_EQ(status("http://127.0.0.1:" + std::to_string(port())), 101);   // the server's own page
  EXPECT_EQ(status("https://127.0.0.1:" + std::to_string(port())), 101);  // scheme-relative (TLS proxy)
  EXPECT_EQ(status("http://127.0.0.1:1"), 403);                           // another port, another origin
  EXPECT_EQ(status("null"), 403);
  EXPECT_EQ(status(""), 101);  // no Origin: not a browser
  EXPECT_EQ(server().stats().transport.originRefused, 3u);
}

TEST_F(ServerOrigins, ConfiguredEmbeddingSiteAndPublicOriginGetIn) {
  start({"https://games.example", "http://127.0.0.1:5173"}, "https://huddle.example");
  EXPECT_EQ(status("https://games.example"), 101);
  EXPECT_EQ(status("HTTPS://Games.Example"), 101);  // scheme and host compare case-insensitively
  EXPECT_EQ(status("http://127.0.0.1:5173"), 101);
  EXPECT_EQ(status("https://huddle.example"), 101);
  EXPECT_EQ(status("http://games.example"), 403);
  EXPECT_EQ(status("https://games.example.evil"), 403);
}

TEST_F(ServerOrigins, StarAllowsEveryOrigin) {
  start({"*"});
  EXPECT_EQ(status("https://anyone.example"), 101);
  EXPECT_EQ(status("null"), 101);
}

// ---- security headers ----------------------------------------------------------------------

using ServerSecurityHeaders = WebRootServer;

TEST_F(ServerSecurityHeaders, AppPagesForbidFramingAndLimitWhatLoads) {
  for (const char* target : {"/", "/r/ABCDEF"}) {
    auto res = httpGet(port(), target);
    ASSERT_EQ(res.status, 200) << target;
    const std::string csp = res.header("content-security-policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << target << ": " << csp;
    EXPECT_NE(csp.find("'wasm-unsafe-eval'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(res.header("referrer-policy"), "same-origin") << target;
    EXPECT_EQ(res.header("x-content-type-options"), "nosniff") << target;
  }
}

TEST_F(ServerSecurityHeaders, ExperiencesAndEmbedScriptsStayFramableAndLoadable) {
  for (const char* target : {"/experiences/draw/", "/huddle.js", "/p2p.js", "/assets/app-1234.js"}) {
    auto res = httpGet(port(), target);
    ASSERT_EQ(res.status, 200) << target;
    EXPECT_EQ(res.header("content-security-policy"), "") << target;
    EXPECT_EQ(res.header("x-frame-options"), "") << target;
  }
}

}  // namespace
}  // namespace huddle::test
