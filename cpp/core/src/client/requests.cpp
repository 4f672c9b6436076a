#include "client/requests.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "client/streams.hpp"
#include "detail/text_fields.hpp"
#include "wire/json_scan.hpp"

namespace huddle::client {
namespace {

// `message` cut to `maxBytes` at a UTF-8 character boundary, as a JSON string (bytes that are not
// UTF-8 become U+FFFD rather than an error: it is the app's text). The core's own writer, not
// nlohmann/json, which the Wasm client does not otherwise link (~20 KB with its number formatting).
std::string refusalText(std::string_view message, std::size_t maxBytes) {
  if (message.size() > maxBytes) {
    std::size_t end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
    message = message.substr(0, end);
  }
  std::string out;
  detail::appendString(out, message);
  return out;
}

bool isRefusalCode(ErrorCode code) {
  return code == ErrorCode::RequestFailed || code == ErrorCode::NoHandler || code == ErrorCode::TooManyRequests;
}

}  // namespace

// ---- asking ------------------------------------------------------------------------------------

Result<std::uint64_t> Requests::request(const PeerId& peer, std::string_view data, double timeoutMs) {
  if (!ctx_.inRoom()) return Error{ErrorCode::NotInRoom, "join a room before sending a request"};
  if (!(timeoutMs > 0 && timeoutMs <= limits::kMaxRequestTimeoutMs)) {
    return Error{ErrorCode::DataInvalid, "a request's timeout is more than 0 and at most " +
                                             std::to_string(static_cast<long>(limits::kMaxRequestTimeoutMs)) + " ms"};
  }
  if (pending_.size() >= limits::kMaxPendingRequests) {
    return Error{ErrorCode::TooManyRequests, std::to_string(limits::kMaxPendingRequests) +
                                                 " requests already await their answers; wait for some first"};
  }
  auto sent = streams_.sendKind(peer, data, MessageKind::Request);
  if (!sent) return sent.error();
  std::uint64_t id = sent.value();
  TimerId timer = ctx_.timers.start(timeoutMs, [this, id, timeoutMs] {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    it->second.timer = 0;
    fail(id, ErrorCode::RequestTimeout,
         "no answer from " + it->second.peer + " within " + std::to_string(static_cast<long>(timeoutMs)) + " ms");
  });
  pending_[id] = Pending{peer, timer};
  return id;
}

void Requests::onResponse(const PeerId& from, const AppMessage& message) {
  auto it = pending_.find(message.re);
  // Late (it timed out), or not ours: only the member we asked may answer.
  if (it == pending_.end() || it->second.peer != from) {
    return ctx_.log("an answer from " + from + " to request " + std::to_string(message.re) +
                    ", which awaits none (it timed out?); dropped");
  }
  ctx_.timers.cancel(it->second.timer);
  pending_.erase(it);
  if (message.refusal.empty()) return ctx_.observer.onResponse(message.re, message.data);
  ErrorCode code = ErrorCode::RequestFailed;
  // A code a newer member sends that we do not know still fails the request, as request_failed.
  if (!errorCodeFromName(message.refusal, code) || !isRefusalCode(code)) code = ErrorCode::RequestFailed;
  // `data` passed the frame's strict JSON check: a string is the refusal's message.
  std::string why = wire::kindOf(message.data) == wire::JsonKind::String ? wire::unquote(message.data) : message.data;
  ctx_.observer.onRequestFailed(message.re, Error{code, std::move(why)});
}

void Requests::fail(std::uint64_t id, ErrorCode code, std::string message) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  ctx_.timers.cancel(it->second.timer);
  pending_.erase(it);
  ctx_.observer.onRequestFailed(id, Error{code, std::move(message)});
}

// ---- answering ---------------------------------------------------------------------------------

void Requests::onRequest(const PeerId& from, const AppMessage& message) {
  if (incoming_.size() >= limits::kMaxIncomingRequests) {
    // The refusal is a message like any other: if even that finds the queue full, the member's
    // request times out on its side.
    sendRefusal(from, message.id, ErrorCode::TooManyRequests,
                std::to_string(limits::kMaxIncomingRequests) + " requests already await an answer here");
    return;
  }
  std::uint64_t id = nextIncomingId_++;
  incoming_[id] = Incoming{from, message.id};
  ctx_.observer.onRequest(from, id, message.data);
}

Status Requests::respond(std::uint64_t id, std::string_view data) {
  auto it = incoming_.find(id);
  if (it == incoming_.end()) {
    return Error{ErrorCode::PeerNotInRoom, "request " + std::to_string(id) +
                                               " awaits no answer (answered already, or its member left)"};
  }
  Incoming in = it->second;
  incoming_.erase(it);
  auto sent = streams_.sendKind(in.from, data, MessageKind::Response, in.theirId);
  if (sent) return Ok{};
  // An answer that cannot be sent as it is (not JSON, too large) still ends the request: the
  // member hears why instead of waiting out its timeout.
  if (sent.error().code == ErrorCode::DataInvalid) {
    sendRefusal(in.from, in.theirId, ErrorCode::RequestFailed, "the answer was not valid: " + sent.error().message);
  }
  return sent.error();
}

Status Requests::refuse(std::uint64_t id, ErrorCode code, std::string_view message) {
  if (!isRefusalCode(code)) {
    return Error{ErrorCode::DataInvalid, "a request is refused with request_failed, no_handler or too_many_requests"};
  }
  auto it = incoming_.find(id);
  if (it == incoming_.end()) {
    return Error{ErrorCode::PeerNotInRoom, "request " + std::to_string(id) +
                                               " awaits no answer (answered already, or its member left)"};
  }
  Incoming in = it->second;
  incoming_.erase(it);
  return sendRefusal(in.from, in.theirId, code, message);
}

Status Requests::sendRefusal(const PeerId& from, std::uint64_t theirId, ErrorCode code, std::string_view message) {
  auto sent = streams_.sendKind(from, refusalText(message, limits::kMaxRequestErrorBytes), MessageKind::Response,
                                theirId, std::string(errorCodeName(code)));
  if (!sent) return sent.error();
  return Ok{};
}

// ---- membership --------------------------------------------------------------------------------

void Requests::memberLeft(const PeerId& peer) {
  for (auto it = incoming_.begin(); it != incoming_.end();) {
    it = it->second.from == peer ? incoming_.erase(it) : std::next(it);
  }
  std::vector<std::uint64_t> failing;
  for (const auto& [id, p] : pending_) {
    if (p.peer == peer) failing.push_back(id);
  }
  // fail() tells the app, which may send more requests meanwhile: ids first, then each.
  for (auto id : failing) fail(id, ErrorCode::PeerNotInRoom, peer + " left the room before answering");
}

void Requests::clear() {
  incoming_.clear();
  auto failing = std::move(pending_);
  pending_.clear();
  for (auto& [id, p] : failing) {
    ctx_.timers.cancel(p.timer);
    ctx_.observer.onRequestFailed(id, Error{ErrorCode::NotInRoom, "left the room before " + p.peer + " answered"});
  }
}

}  // namespace huddle::client
