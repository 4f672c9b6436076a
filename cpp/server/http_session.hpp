// One plain HTTP connection: keep-alive request loop, routing (/healthz, /metrics, /ws upgrade,
// the experiences, static files) and responses, with CORS for static files, precompressed
// siblings for the clients that accept them, and ETag revalidation (304). Hands the socket to a
// WebSocketSession on an upgrade to /ws (from an allowed Origin, within the connection caps), or
// answers 403, 503 or 429. Counted against the HTTP connection caps from its first moment.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "server/net.hpp"
#include "server/shared_state.hpp"

namespace huddle::server {

struct StaticTarget;

// Largest request body accepted (GET/HEAD carry none; this only bounds what a bad client sends).
inline constexpr std::uint64_t kMaxRequestBodyBytes = 16 * 1024;
// How long a connection may take to send one request, keep-alive idle time included, is
// ServerConfig::httpRequestTimeoutMs. Writing a response gets its own deadline: a slow reader
// downloading a file keeps this long, however long the request took.
inline constexpr std::chrono::seconds kHttpWriteTimeout{30};
// Writing a refusal (a cap reached) gets only this: it is a few bytes.
inline constexpr std::chrono::seconds kRefusalWriteTimeout{1};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<SharedState> state);
  ~HttpSession();

  void run();
  // Closes the connection (used at shutdown). Thread-safe.
  void close();

 private:
  // Counts the connection against the HTTP caps; a refused one is answered 503 or 429 and closed.
  void admit();
  // 503 (a server-wide cap) or 429 (a per-address cap), saying which, with Connection: close.
  http::response<http::string_body> refusalResponse(const http::request<http::string_body>& request,
                                                    SharedState::Refusal refusal) const;
  void doRead();
  void onRead(beast::error_code ec, std::size_t bytes);
  void upgrade(http::request<http::string_body>&& request);
  void serveStatic(const http::request<http::string_body>& request, const StaticTarget& target);
  // An experience's HTML page, with p2p.js inserted.
  void serveExperiencePage(const http::request<http::string_body>& request, const StaticTarget& target);
  // The web app's index.html with the link preview tags for the request (app_page.hpp).
  void serveAppPage(const http::request<http::string_body>& request, const StaticTarget& target);
  // A page the server wrote for this request: 200 with an ETag from its content, or 304.
  void sendPage(const http::request<http::string_body>& request, const StaticTarget& target, std::string html);
  template <class Body>
  void send(http::response<Body>&& response, std::chrono::steady_clock::duration timeout = kHttpWriteTimeout);
  void onWrite(bool keepAlive, beast::error_code ec, std::size_t bytes);
  void shutdownSend();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<std::uint64_t> registryId_;
};

}  // namespace huddle::server
