#include "server/http_session.hpp"

#include <sys/stat.h>

#include <string>
#include <utility>

#include "server/address.hpp"
#include "server/app_page.hpp"
#include "server/content_coding.hpp"
#include "server/entity_tag.hpp"
#include "server/experiences.hpp"
#include "server/link_preview.hpp"
#include "server/metrics.hpp"
#include "server/script_injection.hpp"
#include "server/security_headers.hpp"
#include "server/shared_state.hpp"
#include "server/static_files.hpp"
#include "server/ws_handshake.hpp"

namespace huddle::server {
namespace {

using Request = http::request<http::string_body>;

// Static files answer these; OPTIONS too, but only as a CORS preflight.
constexpr std::string_view kReadMethods = "GET, HEAD";
constexpr std::string_view kStaticMethods = "GET, HEAD, OPTIONS";

std::string_view pathOf(beast::string_view target) {
  std::string_view t(target.data(), target.size());
  return t.substr(0, t.find_first_of("?#"));
}

// Everything but the three endpoints is a static file (the app, huddle.js, p2p.js, /assets/*,
// the experiences), including the ones that turn out to be missing.
bool isStaticPath(std::string_view path) {
  return path.starts_with('/') && path != "/healthz" && path != "/metrics" && path != "/ws";
}

// Static files are public and read without credentials, and pages of any origin need them: the
// embed script huddle.js is loaded as a module script from other sites and fetches its .wasm and
// assets from here. So static responses (their errors and redirects too, or a cross-origin fetch
// could not tell what went wrong) may be read from anywhere; the endpoints may not.
template <class Response>
void allowCrossOrigin(Response& res) {
  res.set(http::field::access_control_allow_origin, "*");
  res.set("Cross-Origin-Resource-Policy", "cross-origin");
}

// Every value of a list header, as one list: a header sent on several lines means the same as
// its values joined with commas (RFC 9110 §5.3).
std::string listField(const Request& req, http::field name) {
  std::string joined;
  for (auto [it, end] = req.equal_range(name); it != end; ++it) {
    if (!joined.empty()) joined += ',';
    joined.append(it->value().data(), it->value().size());
  }
  return joined;
}

std::string listField(const Request& req, std::string_view name) {
  std::string joined;
  for (auto [it, end] = req.equal_range(beast::string_view(name.data(), name.size())); it != end; ++it) {
    if (!joined.empty()) joined += ',';
    joined.append(it->value().data(), it->value().size());
  }
  return joined;
}

std::string_view fieldOf(const Request& req, http::field name) {
  const auto value = req[name];
  return {value.data(), value.size()};
}

// A header value fit for a log line and a response body: at most 100 printable ASCII characters.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 100)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out.empty() ? "(empty)" : out;
}

// Headers every successful static response carries, a 304 included: RFC 9110 §15.4.5 has a 304
// repeat the Cache-Control, ETag and Vary that a 200 would have carried.
template <class Response>
void setStaticHeaders(Response& res, const Request& req, std::string_view cacheControl, const std::string& etag,
                      bool varies) {
  res.set(http::field::server, kServerName);
  res.set(http::field::cache_control, cacheControl);
  res.set(http::field::etag, etag);
  if (varies) res.set(http::field::vary, "Accept-Encoding");
  res.set("X-Content-Type-Options", "nosniff");
  allowCrossOrigin(res);
  res.keep_alive(req.keep_alive());
}

// 304 for a GET or HEAD whose If-None-Match names the representation it would get; nullopt
// otherwise. No body and no Content-Length: the client's copy is the content.
std::optional<http::response<http::empty_body>> notModified(const Request& req, std::string_view cacheControl,
                                                            const std::string& etag, bool varies) {
  if (!ifNoneMatchHits(listField(req, http::field::if_none_match), etag)) return std::nullopt;
  http::response<http::empty_body> res{http::status::not_modified, req.version()};
  setStaticHeaders(res, req, cacheControl, etag, varies);
  return res;
}

http::response<http::string_body> textResponse(const Request& req, http::status status, std::string body,
                                               std::string_view contentType = "text/plain; charset=utf-8") {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::server, kServerName);
  res.set(http::field::content_type, contentType);
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.content_length(body.size());
  if (req.method() != http::verb::head) res.body() = std::move(body);
  return res;
}

http::response<http::string_body> errorResponse(const Request& req, http::status status) {
  std::string reason(http::obsolete_reason(status));
  return textResponse(req, status, reason + "\n");
}

http::response<http::string_body> staticErrorResponse(const Request& req, http::status status) {
  auto res = errorResponse(req, status);
  allowCrossOrigin(res);
  return res;
}

// The answer to a CORS preflight for a static file: reading is all that is allowed.
http::response<http::empty_body> preflightResponse(const Request& req) {
  http::response<http::empty_body> res{http::status::no_content, req.version()};
  res.set(http::field::server, kServerName);
  allowCrossOrigin(res);
  res.set(http::field::access_control_allow_methods, kReadMethods);
  res.keep_alive(req.keep_alive());
  return res;
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, std::shared_ptr<SharedState> state)
    : stream_(std::move(socket)), state_(std::move(state)) {}

HttpSession::~HttpSession() {
  if (registryId_) state_->removeHttp(*registryId_);
}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->admit(); });
}

void HttpSession::admit() {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  if (ec) return;  // the client is already gone
  // A trusted proxy carries many clients on its connections; they are told apart at the upgrade.
  const std::string address = state_->isTrustedProxy(peer.address()) ? std::string() : addressKey(peer.address());
  const auto admission = state_->addHttp(weak_from_this(), address);
  registryId_ = admission.id;
  switch (admission.refusal) {
    case SharedState::Refusal::None:
      return doRead();
    case SharedState::Refusal::Stopping:
      return;  // drop the connection
    case SharedState::Refusal::ServerFull:
    case SharedState::Refusal::AddressFull:
      break;
  }
  // Answered before any request is read, and closed: reading it would hold the descriptor the
  // cap is there to keep free.
  Request nothing;
  nothing.version(11);
  auto res = refusalResponse(nothing, admission.refusal);
  send(std::move(res), kRefusalWriteTimeout);
}

void HttpSession::close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    self->stream_.close();
  });
}

void HttpSession::doRead() {
  parser_.emplace();
  parser_->body_limit(kMaxRequestBodyBytes);
  // One deadline for the whole request, idle keep-alive time included: a client trickling header
  // bytes holds its connection no longer than this (slowloris).
  stream_.expires_after(std::chrono::milliseconds(state_->config().httpRequestTimeoutMs));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
}

void HttpSession::onRead(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return shutdownSend();
  if (ec == beast::error::timeout && parser_->got_some()) {
    // Part of a request came, the rest not in time; an idle keep-alive that times out is normal.
    state_->noteRequestTimeout();
    state_->log("http request not complete within " + std::to_string(state_->config().httpRequestTimeoutMs) +
                    " ms: connection closed",
                {.event = "http_refused", .reason = "http_request_timeout"});
    return;
  }
  if (ec) {
    if (!isNormalClose(ec) && ec != beast::error::timeout) state_->log("http read failed: " + ec.message());
    return;
  }
  Request req = parser_->release();
  const std::string_view path = pathOf(req.target());

  if (websocket::is_upgrade(req)) {
    if (path == "/ws") return upgrade(std::move(req));
    return send(errorResponse(req, http::status::not_found));
  }
  const bool staticPath = isStaticPath(path);
  if (req.method() == http::verb::options && staticPath) return send(preflightResponse(req));
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = staticPath ? staticErrorResponse(req, http::status::method_not_allowed)
                          : errorResponse(req, http::status::method_not_allowed);
    res.set(http::field::allow, staticPath ? kStaticMethods : kReadMethods);
    return send(std::move(res));
  }
  if (path == "/healthz") {
    auto res = textResponse(req, http::status::ok, healthzJson(state_->stats()), "application/json");
    res.set(http::field::cache_control, "no-store");
    return send(std::move(res));
  }
  if (path == "/metrics") {
    auto res = textResponse(req, http::status::ok, prometheusText(state_->stats()),
                            "text/plain; version=0.0.4; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    return send(std::move(res));
  }
  if (path == "/ws") {
    auto res = textResponse(req, http::status::upgrade_required, "WebSocket upgrade required\n");
    res.set(http::field::upgrade, "websocket");
    return send(std::move(res));
  }

  switch (experiencesRoute(path)) {
    case ExperiencesRoute::Listing: {
      auto res = textResponse(req, http::status::ok, state_->experiences().listingJson(), "application/json");
      res.set(http::field::cache_control, "no-cache");
      allowCrossOrigin(res);
      return send(std::move(res));
    }
    case ExperiencesRoute::File:
      return serveStatic(req, state_->experiences().resolve(req.target()));
    case ExperiencesRoute::None:
      return serveStatic(req, state_->staticFiles().resolve(req.target()));
  }
}

void HttpSession::serveStatic(const Request& req, const StaticTarget& target) {
  switch (target.kind) {
    case StaticTarget::Kind::BadRequest:
      return send(staticErrorResponse(req, http::status::bad_request));
    case StaticTarget::Kind::NotFound:
      return send(staticErrorResponse(req, http::status::not_found));
    case StaticTarget::Kind::Redirect: {
      auto res = staticErrorResponse(req, http::status::moved_permanently);
      res.set(http::field::location, target.location);
      return send(std::move(res));
    }
    case StaticTarget::Kind::File:
      break;
  }
  if (target.insertP2pScript) return serveExperiencePage(req, target);
  if (target.appPage) return serveAppPage(req, target);

  // The file as is, or a precompressed sibling the request accepts (content_coding.hpp).
  const ContentCoding coding =
      chooseCoding(parseAcceptEncoding(listField(req, http::field::accept_encoding)), target.siblings);
  beast::error_code ec;
  http::file_body::value_type body;
  body.open(siblingPath(target.file, coding).c_str(), beast::file_mode::scan, ec);
  if (ec) return send(staticErrorResponse(req, http::status::not_found));  // vanished since resolve()
  // The tag comes from the open file, so it describes the bytes sent even if the file was
  // replaced since resolve() looked.
  struct stat info {};
  if (::fstat(body.file().native_handle(), &info) != 0)
    return send(staticErrorResponse(req, http::status::internal_server_error));
  const std::int64_t modifiedNs = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
  const std::string etag = fileEntityTag(static_cast<std::uintmax_t>(info.st_size), modifiedNs, coding);
  if (auto res = notModified(req, target.cacheControl, etag, target.compressible)) return send(std::move(*res));

  const auto size = body.size();
  auto headers = [&](auto& res) {
    setStaticHeaders(res, req, target.cacheControl, etag, target.compressible);
    res.set(http::field::content_type, target.contentType);
    if (coding != ContentCoding::Identity) res.set(http::field::content_encoding, codingToken(coding));
    res.content_length(size);
  };
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    headers(res);
    return send(std::move(res));
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                       std::make_tuple(http::status::ok, req.version())};
  headers(res);
  return send(std::move(res));
}

void HttpSession::serveExperiencePage(const Request& req, const StaticTarget& target) {
  std::string html;
  switch (readFileUpTo(target.file, kMaxExperiencePageBytes, html)) {
    case ReadResult::Ok:
      break;
    case ReadResult::Unreadable:
      return send(staticErrorResponse(req, http::status::not_found));  // vanished since resolve()
    case ReadResult::TooLarge:
      state_->log("experience page " + target.file.string() + " is larger than " +
                  std::to_string(kMaxExperiencePageBytes) + " bytes: not served");
      return send(staticErrorResponse(req, http::status::internal_server_error));
  }
  sendPage(req, target, insertScriptTag(html, kP2pScriptTag));
}

void HttpSession::serveAppPage(const Request& req, const StaticTarget& target) {
  const auto& configured = state_->config().publicOrigin;
  std::string origin = configured;
  if (origin.empty()) {
    const auto host = req[http::field::host];
    const auto proto = req["X-Forwarded-Proto"];
    origin = originFromHost(std::string_view(host.data(), host.size()), std::string_view(proto.data(), proto.size()))
                 .value_or(std::string());
  }
  std::string html;
  switch (state_->appPage().render(target.file, pathOf(req.target()), origin, html)) {
    case ReadResult::Ok:
      break;
    case ReadResult::Unreadable:
      return send(staticErrorResponse(req, http::status::not_found));  // vanished since resolve()
    case ReadResult::TooLarge:
      state_->log("app page " + target.file.string() + " is larger than " + std::to_string(kMaxAppPageBytes) +
                  " bytes: not served");
      return send(staticErrorResponse(req, http::status::internal_server_error));
  }
  sendPage(req, target, std::move(html));
}

void HttpSession::sendPage(const Request& req, const StaticTarget& target, std::string html) {
  // Sent uncompressed, so it does not vary with Accept-Encoding (docs/decisions.md, "Static
  // files are precompressed").
  const std::string etag = contentEntityTag(html);
  if (auto res = notModified(req, target.cacheControl, etag, false)) return send(std::move(*res));
  // HEAD included: Content-Length is that of the page as rewritten.
  auto res = textResponse(req, http::status::ok, std::move(html), target.contentType);
  setStaticHeaders(res, req, target.cacheControl, etag, false);
  if (target.appPage) setAppPageHeaders(res);
  send(std::move(res));
}

void HttpSession::upgrade(Request&& req) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  if (ec) return;  // the client is already gone
  const auto origin = req[http::field::origin];
  if (!state_->originAllowed(std::string_view(origin.data(), origin.size()), fieldOf(req, http::field::host))) {
    const std::string shown = printable(std::string_view(origin.data(), origin.size()));
    state_->log("ws upgrade refused: origin " + shown + " is not allowed (--allowed-origins)",
                {.event = "ws_refused", .reason = "allowed_origins"});
    auto res = textResponse(req, http::status::forbidden,
                            "origin " + shown +
                                " may not open /ws on this server; its operator can allow it with "
                                "--allowed-origins (docs/security.md)\n");
    res.keep_alive(false);
    return send(std::move(res));
  }
  const auto admission = state_->reserve(state_->addressOf(peer.address(), listField(req, "X-Forwarded-For")));
  if (!admission.id) {
    const bool perAddress = admission.refusal == SharedState::Refusal::AddressFull;
    state_->log(perAddress ? "ws upgrade refused: connection limit per address reached"
                           : "ws upgrade refused: connection limit reached or stopping",
                {.event = "ws_refused", .reason = perAddress ? "max_connections_per_address" : "max_connections"});
    auto res = refusalResponse(req, admission.refusal);
    return send(std::move(res));
  }
  stream_.expires_never();
  // From here the socket belongs to the WebSocket handshake, then the session; this object ends
  // with this call.
  acceptWebSocket(stream_.release_socket(), std::move(req), state_, *admission.id);
}

http::response<http::string_body> HttpSession::refusalResponse(const Request& req, SharedState::Refusal refusal) const {
  const ServerConfig& config = state_->config();
  const bool perAddress = refusal == SharedState::Refusal::AddressFull;
  // Which cap: this object is a plain HTTP connection until it hands its socket to /ws.
  const bool webSocket = websocket::is_upgrade(req);
  const std::size_t cap = perAddress ? (webSocket ? config.maxConnectionsPerAddress : config.maxHttpConnectionsPerAddress)
                                     : (webSocket ? config.maxConnections : config.maxHttpConnections);
  auto res = textResponse(req, perAddress ? http::status::too_many_requests : http::status::service_unavailable,
                          perAddress ? "too many connections from your address (at most " + std::to_string(cap) +
                                           "); close some or try again later\n"
                                     : "server busy: all " + std::to_string(cap) +
                                           " connections in use; try again later\n");
  res.set(http::field::retry_after, "5");
  res.keep_alive(false);
  return res;
}

template <class Body>
void HttpSession::send(http::response<Body>&& response, std::chrono::steady_clock::duration timeout) {
  stream_.expires_after(timeout);
  auto res = std::make_shared<http::response<Body>>(std::move(response));
  const bool keepAlive = res->keep_alive();
  http::async_write(stream_, *res,
                    [self = shared_from_this(), res, keepAlive](beast::error_code ec, std::size_t bytes) {
                      self->onWrite(keepAlive, ec, bytes);
                    });
}

void HttpSession::onWrite(bool keepAlive, beast::error_code ec, std::size_t) {
  if (ec) {
    if (!isNormalClose(ec) && ec != beast::error::timeout) state_->log("http write failed: " + ec.message());
    return;
  }
  if (!keepAlive) return shutdownSend();
  doRead();
}

void HttpSession::shutdownSend() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace huddle::server
