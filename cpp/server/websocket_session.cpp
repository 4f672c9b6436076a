#include "server/websocket_session.hpp"

#include <utility>

#include <boost/asio/write.hpp>

#include "huddle/codec.hpp"
#include "server/shared_state.hpp"

namespace huddle::server {
namespace {

using Kind = ws::MessageReader::Event::Kind;

const SharedFrame& binaryFrameError() {
  static const SharedFrame frame =
      encode(ErrorFrame{ErrorCode::BadFrame, "binary frames are not supported; send JSON text", ""});
  return frame;
}

std::string rateLimitedError(const RateLimiter& limiter, const char* what) {
  return encode(ErrorFrame{ErrorCode::RateLimited,
                           "more than " + std::to_string(static_cast<long long>(limiter.perSecond())) + " " + what +
                               " per second (bursts of " + std::to_string(static_cast<long long>(limiter.burst())) +
                               "); this frame was not processed",
                           ""});
}

double steadyMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string sessionTag(ConnId id) { return "ws #" + std::to_string(id); }

WebSocketSession::WebSocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnId id)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      helloTimer_(socket_.get_executor()),
      state_(std::move(state)),
      id_(id),
      frames_(state_->config().rate.framesPerSecond, state_->config().rate.frameBurst),
      bytes_(state_->config().rate.bytesPerSecond, state_->config().rate.byteBurst),
      reader_(kTransportMaxMessageBytes) {}

void WebSocketSession::start() {
  beast::error_code ignored;
  // Writes are gathered here already; Nagle's algorithm would only hold the next one back until
  // the peer acknowledges the last.
  socket_.set_option(tcp::no_delay(true), ignored);
  if (!state_->activate(id_, weak_from_this())) {
    // Shutdown began during the handshake. Never activated, so there is nothing to tell the Hub.
    finished_ = true;
    startClose(static_cast<std::uint16_t>(websocket::close_code::going_away), ConnectionEnd::ServerShutdown);
    doRead();  // the peer's close frame arrives through it
    return;
  }
  state_->log(sessionTag(id_) + " open", {.event = "ws_open", .conn = id_});
  armHeartbeat();
  armHelloDeadline();
  doRead();
}

// ---- reading ------------------------------------------------------------------------------------

void WebSocketSession::doRead() {
  socket_.async_read_some(readBuffer_.space(),
                          beast::bind_front_handler(&WebSocketSession::onRead, shared_from_this()));
}

void WebSocketSession::onRead(beast::error_code ec, std::size_t bytes) {
  if (ec) {
    closeSocket();
    finish(ec);
    return;
  }
  heard_ = true;
  readBuffer_.commit(bytes);
  const bool keepReading = handleFrames();
  // Answers to this batch go out in one write, before the next read.
  takeHandOffs(false);
  writeWaiting();
  if (keepReading) doRead();
}

bool WebSocketSession::handleFrames() {
  const double nowMs = steadyMs();  // one clock read per batch is precise enough for the limiter
  std::size_t at = 0;
  for (;;) {
    const auto event = reader_.next(readBuffer_.data() + at, readBuffer_.size() - at);
    at += event.consumed;
    switch (event.kind) {
      case Kind::NeedMore:
        readBuffer_.consume(at);
        readBuffer_.adapt(event.frameBytes);
        return true;
      case Kind::Text:
      case Kind::Binary:
        onMessage(event.kind == Kind::Text, event.payload, nowMs);
        break;
      case Kind::Ping:
        // Not after our close frame: nothing may follow it (RFC 6455 5.5.1).
        if (!closing_) enqueue(ws::Opcode::Pong, SharedFrame(std::string(event.payload)));
        break;
      case Kind::Pong:
        break;  // heard_ already says the peer is alive
      case Kind::Close:
        onPeerClose(event.closeCode);
        return false;
      case Kind::Failed:
        failConnection(ws::kCloseProtocolError, event.problem);
        break;
      case Kind::TooBig:
        failConnection(ws::kCloseTooBig, nullptr);
        break;
    }
  }
}

void WebSocketSession::onMessage(bool text, std::string_view payload, double nowMs) {
  if (closing_) return;
  // Refused before any parsing, so a flood costs little; answered every time, so nothing is
  // dropped silently (a client that floods without reading overflows its send queue and is closed).
  // A refused frame takes no tokens from either bucket.
  const bool framesLeft = frames_.available(nowMs) >= 1;
  if (!framesLeft || bytes_.available(nowMs) < static_cast<double>(payload.size())) {
    state_->noteRateLimited();
    enqueueAnswer(framesLeft ? rateLimitedError(bytes_, "bytes") : rateLimitedError(frames_, "frames"));
    return;
  }
  frames_.take(1);
  bytes_.take(static_cast<double>(payload.size()));
  if (text) {
    // Invalid UTF-8 is not checked here (RFC 6455 would close with 1007): the Hub's JSON decoder
    // answers it with bad_json and the connection stays usable, like any other bad frame.
    state_->receive(id_, payload);
  } else {
    state_->noteBinaryRejected();
    enqueueAnswer(binaryFrameError());
  }
}

void WebSocketSession::onPeerClose(std::uint16_t code) {
  peerClosed_ = true;
  if (!closing_) {
    // Answer with the same code (RFC 6455 5.5.1) once the write in flight is done; frames still
    // waiting are dropped, as they would be after our own close.
    closing_ = true;
    outbound_.dropWaiting();
    outbound_.push(ws::Opcode::Close, ws::closePayload(code));
    armCloseGrace();
  } else if (closeSent_) {
    closeSocket();  // both close frames are through: the server closes the TCP connection first
  }
  finish(websocket::error::closed);
}

void WebSocketSession::failConnection(std::uint16_t code, const char* problem) {
  if (closing_) return;
  failedWith_ = code;
  problem_ = problem;
  startClose(code, code == ws::kCloseTooBig ? ConnectionEnd::MessageTooBig : ConnectionEnd::ProtocolError);
}

void WebSocketSession::finish(beast::error_code ec) {
  if (finished_) return;
  finished_ = true;
  LeaveReason reason = LeaveReason::Disconnected;
  ConnectionEnd end = ConnectionEnd::Error;
  if (endedBy_) end = *endedBy_;
  else if (timedOut_) end = ConnectionEnd::HeartbeatTimeout;
  else if (peerClosed_ || isNormalClose(ec)) end = ConnectionEnd::ClientClosed;
  const std::string tag = sessionTag(id_);
  const LogFields fields{.event = "ws_closed", .conn = id_, .reason = connectionEndName(end)};
  if (timedOut_) {
    reason = LeaveReason::TimedOut;
    state_->noteHeartbeatTimeout();
    state_->log(tag + " timed out", fields);
  } else if (failedWith_ == ws::kCloseTooBig) {
    state_->log(tag + " closed: message over the transport cap of " + std::to_string(kTransportMaxMessageBytes) +
                    " bytes",
                fields);
  } else if (failedWith_ == ws::kCloseProtocolError) {
    state_->log(tag + " closed: protocol error: " + problem_, fields);
  } else if (isNormalClose(ec)) {
    state_->log(tag + " closed", fields);
  } else {
    state_->log(tag + " closed: " + ec.message(), fields);
  }
  state_->disconnect(id_, reason, end);
}

// ---- writing ------------------------------------------------------------------------------------

void WebSocketSession::send(SharedFrame frame) {
  {
    std::lock_guard lock(handOffMutex_);
    handOff_.push_back(std::move(frame));
    if (flushPosted_) return;
    flushPosted_ = true;
  }
  net::post(socket_.get_executor(), [self = shared_from_this()] { self->onHandOff(); });
}

void WebSocketSession::onHandOff() {
  takeHandOffs(true);
  writeWaiting();
}

void WebSocketSession::takeHandOffs(bool flushRan) {
  std::vector<SharedFrame> frames;
  {
    std::lock_guard lock(handOffMutex_);
    // Only the posted flush clears the flag: taken early (after a read), the frames still have a
    // flush on its way, which will find whatever comes meanwhile.
    if (flushRan) flushPosted_ = false;
    if (handOff_.empty()) return;
    frames.swap(handOff_);
  }
  for (SharedFrame& frame : frames) enqueue(ws::Opcode::Text, std::move(frame));
  frames.clear();
  std::lock_guard lock(handOffMutex_);
  if (handOff_.empty()) handOff_.swap(frames);  // hand the capacity back: no allocation per burst
}

void WebSocketSession::enqueue(ws::Opcode opcode, SharedFrame frame) {
  if (closing_) return;
  const ServerConfig& config = state_->config();
  if (outbound_.frames() >= config.sendQueueMaxFrames ||
      outbound_.bytes() + frame.size() > config.sendQueueMaxBytes) {
    state_->log(sessionTag(id_) + " outbound queue full (" + std::to_string(outbound_.frames()) + " frames, " +
                    std::to_string(outbound_.bytes()) + " bytes): closing slow client",
                {.event = "ws_slow_client", .level = "warn", .conn = id_});
    state_->noteSlowClientClosed();
    startClose(static_cast<std::uint16_t>(websocket::close_code::policy_error), ConnectionEnd::SlowClient);
    return;
  }
  outbound_.push(opcode, std::move(frame));
}

void WebSocketSession::enqueueAnswer(SharedFrame frame) {
  // The Hub's answers to this connection's earlier frames may still be in the hand-off list:
  // they go first, so answers keep the order of the frames they answer.
  takeHandOffs(false);
  enqueue(ws::Opcode::Text, std::move(frame));
}

void WebSocketSession::writeWaiting() {
  if (outbound_.writing() || !outbound_.hasWaiting() || !socket_.is_open()) return;
  net::async_write(socket_, outbound_.beginWrite(),
                   beast::bind_front_handler(&WebSocketSession::onWrite, shared_from_this()));
}

void WebSocketSession::onWrite(beast::error_code ec, std::size_t) {
  const bool sentClose = outbound_.endWrite();
  if (ec) {
    if (!isNormalClose(ec)) {
      state_->log(sessionTag(id_) + " write failed: " + ec.message(),
                  {.event = "ws_error", .level = "warn", .conn = id_});
      if (!endedBy_) endedBy_ = ConnectionEnd::Error;
    }
    // Also wakes the read loop, so the connection ends now rather than at the heartbeat.
    closeSocket();
    return;
  }
  if (sentClose) {
    closeSent_ = true;
    if (peerClosed_) return closeSocket();
    // Nothing may follow our close frame; the FIN also tells a peer that waits for the TCP close
    // (as Beast clients do) that it can answer and go. We keep reading for its close frame.
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    return;
  }
  writeWaiting();
}

// ---- closing and the heartbeat ------------------------------------------------------------------

void WebSocketSession::close(websocket::close_code code, ConnectionEnd why) {
  net::post(socket_.get_executor(),
            [self = shared_from_this(), code, why] { self->startClose(static_cast<std::uint16_t>(code), why); });
}

void WebSocketSession::startClose(std::uint16_t code, ConnectionEnd why, std::string_view reason) {
  if (closing_) return;
  closing_ = true;
  endedBy_ = why;
  reader_.discardMessages();
  outbound_.dropWaiting();
  // Goes out after the write in flight, if any: frames are never cut.
  outbound_.push(ws::Opcode::Close, ws::closePayload(code, reason));
  writeWaiting();
  armCloseGrace();
}

void WebSocketSession::armHeartbeat() {
  const int heartbeatMs = state_->config().heartbeatMs;
  if (heartbeatMs <= 0) return;
  timer_.expires_after(std::chrono::milliseconds(heartbeatMs) / 2);
  timer_.async_wait(beast::bind_front_handler(&WebSocketSession::onTimer, shared_from_this()));
}

void WebSocketSession::armCloseGrace() {
  timer_.expires_after(kCloseGrace);
  timer_.async_wait(beast::bind_front_handler(&WebSocketSession::onTimer, shared_from_this()));
}

void WebSocketSession::armHelloDeadline() {
  helloTimer_.expires_after(std::chrono::milliseconds(state_->config().helloTimeoutMs));
  helloTimer_.async_wait(beast::bind_front_handler(&WebSocketSession::onHelloDeadline, shared_from_this()));
}

void WebSocketSession::onHelloDeadline(beast::error_code ec) {
  if (ec || closing_ || !socket_.is_open() || state_->welcomed(id_)) return;
  // A socket that never says hello would keep its slot for good: a browser answers pings, so
  // the heartbeat never drops it (issue 13).
  const std::string reason = "no hello within " + std::to_string(state_->config().helloTimeoutMs) + " ms";
  state_->noteHelloTimeout();
  state_->log(sessionTag(id_) + " closing: " + reason, {.event = "ws_hello_timeout", .conn = id_});
  startClose(static_cast<std::uint16_t>(websocket::close_code::policy_error), ConnectionEnd::HelloTimeout, reason);
}

void WebSocketSession::onTimer(beast::error_code ec) {
  // Cancelled; or the connection is gone; or a tick whose handler was already queued when the
  // timer was re-armed for the close grace (re-arming cannot cancel that one).
  if (ec || !socket_.is_open() || timer_.expiry() > std::chrono::steady_clock::now()) return;
  if (closing_) {
    state_->log(sessionTag(id_) + " did not complete the close handshake; dropping the connection");
    closeSocket();
    return;
  }
  // Ticks every half heartbeat: a quiet half gets a ping, a second quiet half ends the connection.
  // Reads only set heard_, so a busy connection costs the timer nothing per frame.
  if (heard_) {
    heard_ = false;
    pinged_ = false;
  } else if (!pinged_) {
    pinged_ = true;
    enqueue(ws::Opcode::Ping, SharedFrame{});
    writeWaiting();
  } else {
    timedOut_ = true;
    closeSocket();  // the read loop ends with it and reports the timeout
    return;
  }
  armHeartbeat();
}

void WebSocketSession::closeSocket() {
  closing_ = true;
  outbound_.dropWaiting();
  beast::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  helloTimer_.cancel();
}

}  // namespace huddle::server
