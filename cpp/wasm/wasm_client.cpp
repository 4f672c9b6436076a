#include "wasm_client.hpp"

#include <emscripten/html5.h>

#include <unordered_map>

namespace huddle::wasm {
namespace {

using emscripten::val;
using nlohmann::json;

// Live clients by key, so browser events that outlive a client are dropped, not dereferenced.
std::unordered_map<int, WasmClient*> gClients;
int gNextKey = 1;

val okResult() {
  val r = val::object();
  r.set("ok", true);
  return r;
}

val errorResult(const Error& e) {
  val r = val::object();
  r.set("ok", false);
  r.set("code", std::string(errorCodeName(e.code)));
  r.set("message", e.message);
  return r;
}

val statusResult(const Status& s) { return s ? okResult() : errorResult(s.error()); }

val idResult(const Result<std::uint64_t>& r) {
  if (!r) return errorResult(r.error());
  val out = okResult();
  out.set("id", static_cast<double>(r.value()));
  return out;
}

json peerJson(const PeerInfo& p) { return {{"id", p.id}, {"name", p.name}, {"joinOrder", p.joinOrder}}; }

ClientConfig configFrom(const val& options) {
  ClientConfig config;
  if (options.isUndefined() || options.isNull()) return config;
  auto number = [&](const char* key, double& out) {
    val v = options[key];
    if (v.isNumber()) out = v.as<double>();
  };
  number("linkOpenTimeoutMs", config.linkOpenTimeoutMs);
  number("linkPingIntervalMs", config.linkPingIntervalMs);
  number("linkSilenceTimeoutMs", config.linkSilenceTimeoutMs);
  number("linkRetryInitialMs", config.linkRetryInitialMs);
  number("linkRetryMaxMs", config.linkRetryMaxMs);
  number("relayFlushMs", config.relayFlushMs);
  number("relayResendMs", config.relayResendMs);
  number("reconnectInitialMs", config.reconnectInitialMs);
  number("reconnectMaxMs", config.reconnectMaxMs);
  number("memberGraceMs", config.memberGraceMs);
  val attempts = options["reconnectAttempts"];
  if (attempts.isNumber()) config.reconnectAttempts = attempts.as<int>();
  val peerId = options["peerId"];
  if (peerId.isString()) config.peerId = peerId.as<std::string>();
  val token = options["resumeToken"];
  if (token.isString()) config.resumeToken = token.as<std::string>();
  return config;
}

std::string iceTransportPolicyFrom(const val& options) {
  if (options.isUndefined() || options.isNull()) return "";
  val policy = options["iceTransportPolicy"];
  return policy.isString() && policy.as<std::string>() == "relay" ? "relay" : "";
}

Delivery deliveryOf(bool reliable) { return reliable ? Delivery::Reliable : Delivery::Unreliable; }

}  // namespace

template <typename F>
auto WasmClient::enter(F&& f) {
  ++depth_;
  if constexpr (std::is_void_v<decltype(f())>) {
    f();
    --depth_;
    deliverEvents();
  } else {
    auto result = f();
    --depth_;
    deliverEvents();
    return result;
  }
}

WasmClient::WasmClient(std::string url, val listener, const val& options)
    : key_(gNextKey++),
      url_(std::move(url)),
      listener_(std::move(listener)),
      socket_({
          [this] { enter([&] { session_.onSignalingOpen(); }); },
          [this](std::string_view text) { enter([&] { session_.onSignalingFrame(text); }); },
          [this] { enter([&] { session_.onSignalingBinary(); }); },
          [this](const std::string& reason) { enter([&] { session_.onSignalingClosed(reason); }); },
      }),
      rtc_(key_, iceTransportPolicyFrom(options)),
      timers_([this](std::uint64_t id) { enter([&] { session_.onTimer(id); }); }),
      session_(configFrom(options), *this, *this) {
  gClients[key_] = this;
}

WasmClient::~WasmClient() {
  delivering_ = true;  // the listener is going away with us: swallow the final events
  session_.leave();
  gClients.erase(key_);
}

val WasmClient::createRoom(const std::string& name, int maxMembers, bool relayOnly) {
  return enter([&] { return statusResult(session_.createRoom(name, maxMembers, relayOnly)); });
}

val WasmClient::joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers,
                         bool relayOnly) {
  return enter([&] { return statusResult(session_.joinRoom(code, name, create, maxMembers, relayOnly)); });
}

void WasmClient::leave() {
  enter([&] { session_.leave(); });
}

val WasmClient::send(const std::string& data, bool reliable) {
  return enter([&] { return idResult(session_.send(data, deliveryOf(reliable))); });
}

val WasmClient::sendTo(const std::string& peer, const std::string& data, bool reliable) {
  return enter([&] { return idResult(session_.sendTo(peer, data, deliveryOf(reliable))); });
}

std::string WasmClient::status() const { return std::string(sessionStatusName(session_.status())); }

std::string WasmClient::peersJson() const {
  json out = json::array();
  for (const auto& p : session_.peers()) {
    json j = peerJson(p.info);
    bool self = p.info.id == session_.selfId();
    j["link"] = self ? json(nullptr) : json(linkStateName(p.link));
    j["transport"] = self || p.transport == Transport::None ? json(nullptr) : json(transportName(p.transport));
    j["away"] = p.away;
    j["rttMs"] = p.rttMs < 0 ? json(nullptr) : json(p.rttMs);
    out.push_back(std::move(j));
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

void WasmClient::dispatchLinkEvent(int key, const std::string& peer, int kind, const std::string& a,
                                   const std::string& b, int index) {
  auto it = gClients.find(key);
  if (it == gClients.end()) return;
  WasmClient& self = *it->second;
  ClientSession& s = self.session_;
  self.enter([&] {
    switch (static_cast<LinkEvent>(kind)) {
      case LinkEvent::LocalDescription:
        s.onLocalDescription(peer, a == "offer" ? SignalKind::Offer : SignalKind::Answer, b);
        break;
      case LinkEvent::LocalCandidate: s.onLocalCandidate(peer, IceCandidate{a, b, index}); break;
      case LinkEvent::Open: s.onLinkOpen(peer); break;
      case LinkEvent::Message: s.onLinkFrame(peer, a); break;
      case LinkEvent::Failed: s.onLinkFailed(peer, a); break;
      case LinkEvent::Closed: s.onLinkClosed(peer); break;
    }
  });
}

// ---- ClientPort --------------------------------------------------------------------------------

void WasmClient::openSignaling() { socket_.open(url_); }
void WasmClient::closeSignaling() { socket_.close(); }
void WasmClient::sendSignaling(const std::string& frame) { socket_.send(frame); }

void WasmClient::openLink(const PeerId& peer, const json& iceServers, bool offerer) {
  rtc_.open(peer, iceServers.dump(), offerer);
}

void WasmClient::applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) {
  rtc_.applyRemoteDescription(peer, kind, sdp);
}

void WasmClient::addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate) {
  rtc_.addRemoteCandidate(peer, candidate);
}

void WasmClient::sendOnLink(const PeerId& peer, const std::string& frame) { rtc_.send(peer, frame); }
void WasmClient::sendOnLinkUnreliable(const PeerId& peer, const std::string& frame) { rtc_.sendUnreliable(peer, frame); }
void WasmClient::closeLink(const PeerId& peer) { rtc_.close(peer); }
TimerId WasmClient::startTimer(double delayMs) { return timers_.start(delayMs); }
void WasmClient::cancelTimer(TimerId id) { timers_.cancel(id); }
double WasmClient::nowMs() { return emscripten_date_now(); }
double WasmClient::random() { return val::global("Math").call<double>("random"); }

// ---- ClientObserver: queue events for the listener -----------------------------------------------

void WasmClient::onStatus(SessionStatus status) { emit("status", {{"status", sessionStatusName(status)}}); }
void WasmClient::onWelcome(const PeerId& self) { emit("welcome", {{"id", self}}); }

void WasmClient::onRoomJoined(const RoomJoined& joined) {
  json peers = json::array();
  for (const auto& p : joined.peers) peers.push_back(peerJson(p));
  emit("room_joined", {{"code", joined.code}, {"you", joined.you}, {"host", joined.host},
                       {"maxMembers", joined.maxMembers}, {"peers", peers}, {"relayOnly", joined.relayOnly},
                       {"token", session_.resumeToken()}});
}

void WasmClient::onPeerJoined(const PeerInfo& peer) { emit("peer_joined", {{"peer", peerJson(peer)}}); }

void WasmClient::onPeerLeft(const PeerId& peer, LeaveReason reason) {
  emit("peer_left", {{"id", peer}, {"reason", leaveReasonName(reason)}});
}

void WasmClient::onHostChanged(const PeerId& host) { emit("host_changed", {{"host", host}}); }
void WasmClient::onPeerAway(const PeerId& peer) { emit("peer_away", {{"id", peer}}); }
void WasmClient::onPeerBack(const PeerId& peer) { emit("peer_back", {{"id", peer}}); }

void WasmClient::onLinkState(const PeerId& peer, LinkState state) {
  emit("link_state", {{"peer", peer}, {"state", linkStateName(state)}});
}

void WasmClient::onTransport(const PeerId& peer, Transport transport) {
  emit("transport", {{"peer", peer}, {"transport", transportName(transport)}});
}

void WasmClient::onLinkRtt(const PeerId& peer, double rttMs) { emit("link_rtt", {{"peer", peer}, {"rttMs", rttMs}}); }

void WasmClient::onMessage(const PeerId& from, const json& data, const MessageMeta& meta) {
  emit("message", {{"from", from}, {"id", meta.id},     {"ts", meta.ts}, {"broadcast", meta.broadcast},
                   {"reliable", meta.reliable}, {"data", data}});
}

void WasmClient::onDelivered(const PeerId& to, std::uint64_t id) { emit("delivered", {{"peer", to}, {"id", id}}); }

void WasmClient::onError(const Error& error) {
  emit("error", {{"code", errorCodeName(error.code)}, {"message", error.message}});
}

void WasmClient::onLog(std::string_view line) { emit("log", {{"line", line}}); }

void WasmClient::emit(const char* type, json payload) {
  events_.emplace_back(type, payload.dump(-1, ' ', false, json::error_handler_t::replace));
}

void WasmClient::deliverEvents() {
  if (depth_ > 0 || delivering_) return;
  delivering_ = true;
  // A listener may call back in; its events join the queue and are delivered by this loop, in order.
  while (!events_.empty()) {
    auto [type, payload] = std::move(events_.front());
    events_.pop_front();
    listener_.call<void>("onEvent", type, payload);
  }
  delivering_ = false;
}

}  // namespace huddle::wasm
