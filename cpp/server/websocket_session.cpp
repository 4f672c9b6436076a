#include "server/websocket_session.hpp"

#include <utility>

#include "huddle/codec.hpp"
#include "server/shared_state.hpp"

namespace huddle::server {
namespace {

const SharedFrame& binaryFrameError() {
  static const SharedFrame frame =
      encode(ErrorFrame{ErrorCode::BadFrame, "binary frames are not supported; send JSON text", ""});
  return frame;
}

std::string rateLimitedError(double perSecond) {
  return encode(ErrorFrame{ErrorCode::RateLimited,
                           "more than " + std::to_string(static_cast<int>(perSecond)) +
                               " frames per second; this frame was not processed",
                           ""});
}

double steadyMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

WebSocketSession::WebSocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnId id)
    : ws_(std::move(socket)),
      closeTimer_(ws_.get_executor()),
      state_(std::move(state)),
      id_(id),
      limiter_(state_->config().maxFramesPerSecond, state_->config().frameBurst) {}

std::string WebSocketSession::tag() const { return "ws #" + std::to_string(id_); }

void WebSocketSession::run(http::request<http::string_body> request) {
  net::dispatch(ws_.get_executor(), [self = shared_from_this(), request = std::move(request)]() mutable {
    // The WebSocket layer has its own timeouts; the TCP stream's would only get in the way.
    beast::get_lowest_layer(self->ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = kWebSocketHandshakeTimeout;
    timeout.idle_timeout = std::chrono::milliseconds(self->state_->config().heartbeatMs);
    timeout.keep_alive_pings = true;  // ping after half the idle time, drop after all of it
    self->ws_.set_option(timeout);
    self->ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(http::field::server, kServerName); }));
    self->ws_.read_message_max(kTransportMaxMessageBytes);
    self->ws_.async_accept(request, beast::bind_front_handler(&WebSocketSession::onAccept, self));
  });
}

void WebSocketSession::onAccept(beast::error_code ec) {
  if (ec) {
    if (!isNormalClose(ec)) state_->log(tag() + " handshake failed: " + ec.message());
    state_->release(id_);
    finished_ = true;
    return;
  }
  if (!state_->activate(id_, weak_from_this())) {
    // Shutdown began during the handshake.
    finished_ = true;
    closing_ = true;
    ws_.async_close(websocket::close_code::going_away, [self = shared_from_this()](beast::error_code) {});
    armCloseTimer();
    return;
  }
  state_->log(tag() + " open");
  doRead();
}

void WebSocketSession::doRead() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::onRead, shared_from_this()));
}

void WebSocketSession::onRead(beast::error_code ec, std::size_t) {
  if (ec) {
    finish(ec);
    return;
  }
  if (!limiter_.allow(steadyMs())) {
    // Refused before any parsing, so a flood costs little; answered every time, so nothing is
    // dropped silently (a client that floods without reading overflows its send queue and is closed).
    state_->noteRateLimited();
    enqueue(rateLimitedError(limiter_.perSecond()));
  } else if (ws_.got_text()) {
    const auto data = buffer_.cdata();
    state_->receive(id_, std::string_view(static_cast<const char*>(data.data()), data.size()));
  } else {
    state_->noteBinaryRejected();
    enqueue(binaryFrameError());
  }
  buffer_.consume(buffer_.size());
  // Keep reading while closing too: the peer's close frame arrives through this read.
  doRead();
}

void WebSocketSession::finish(beast::error_code ec) {
  finished_ = true;
  closing_ = true;
  dropQueued();
  closeTimer_.cancel();
  LeaveReason reason = LeaveReason::Disconnected;
  // Beast hands its timeout to whichever operation looks first, which may be a write.
  if (ec == beast::error::timeout || timedOut_) {
    reason = LeaveReason::TimedOut;
    state_->noteHeartbeatTimeout();
    state_->log(tag() + " timed out");
  } else if (ec == websocket::error::message_too_big) {
    state_->log(tag() + " closed: message over the transport cap of " +
                std::to_string(kTransportMaxMessageBytes) + " bytes");
  } else if (isNormalClose(ec)) {
    state_->log(tag() + " closed");
  } else {
    state_->log(tag() + " closed: " + ec.message());
  }
  state_->disconnect(id_, reason);
}

void WebSocketSession::send(SharedFrame frame) {
  net::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
    self->enqueue(std::move(frame));
  });
}

void WebSocketSession::close(websocket::close_code code) {
  net::post(ws_.get_executor(), [self = shared_from_this(), code] { self->startClose(code); });
}

void WebSocketSession::enqueue(SharedFrame frame) {
  if (closing_) return;
  const ServerConfig& config = state_->config();
  if (queue_.size() >= config.sendQueueMaxFrames || queuedBytes_ + frame.size() > config.sendQueueMaxBytes) {
    state_->log(tag() + " outbound queue full (" + std::to_string(queue_.size()) + " frames, " +
                std::to_string(queuedBytes_) + " bytes): closing slow client");
    state_->noteSlowClientClosed();
    startClose(websocket::close_code::policy_error);
    return;
  }
  queuedBytes_ += frame.size();
  queue_.push_back(std::move(frame));
  if (!writing_) doWrite();
}

void WebSocketSession::doWrite() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(net::buffer(queue_.front().data(), queue_.front().size()),
                  beast::bind_front_handler(&WebSocketSession::onWrite, shared_from_this()));
}

void WebSocketSession::onWrite(beast::error_code ec, std::size_t) {
  writing_ = false;
  queuedBytes_ -= queue_.front().size();
  queue_.pop_front();
  if (ec) {
    if (ec == beast::error::timeout) timedOut_ = true;
    else if (!isNormalClose(ec)) state_->log(tag() + " write failed: " + ec.message());
    closing_ = true;
    dropQueued();
    // Wake the read loop so the connection ends now rather than at the idle timeout.
    beast::get_lowest_layer(ws_).close();
    return;
  }
  if (!queue_.empty() && !closing_) doWrite();
}

void WebSocketSession::startClose(websocket::close_code code) {
  if (closing_ || finished_) return;
  closing_ = true;
  dropQueued();
  // Beast allows a close while a write is in flight: it waits for the write to finish.
  ws_.async_close(code, [self = shared_from_this()](beast::error_code) {});
  armCloseTimer();
}

void WebSocketSession::armCloseTimer() {
  closeTimer_.expires_after(kCloseGrace);
  closeTimer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || !beast::get_lowest_layer(self->ws_).socket().is_open()) return;  // cancelled or done
    self->state_->log(self->tag() + " did not complete the close handshake; dropping the connection");
    beast::get_lowest_layer(self->ws_).close();
  });
}

void WebSocketSession::dropQueued() {
  // The front frame's buffer belongs to the write in flight; it goes in onWrite.
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    queuedBytes_ -= queue_.back().size();
    queue_.pop_back();
  }
}

}  // namespace huddle::server
