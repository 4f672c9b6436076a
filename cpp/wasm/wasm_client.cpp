#include "wasm_client.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <map>

#include "wasm_options.hpp"

// listener.onEvent(event), called directly: val::call looks the method up by name through
// Embind's generic method caller on every event, two per message.
// Every send's result, in one call (through val, three crossings per field).
EM_JS(emscripten::EM_VAL, hd_sent, (double id), { return Emval.toHandle({ ok: true, id }); });

namespace huddle::wasm {
namespace {

using emscripten::val;

// Live clients by key, so browser events that outlive a client are dropped, not dereferenced.
// std::map here and in the bridges' tables, not unordered_map: a few entries each, and the module
// has a tree's code anyway; a hash table's would add ~1.5 KB to the download (gzipped).
std::map<int, WasmClient*> gClients;
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
  return val::take_ownership(hd_sent(static_cast<double>(r.value())));
}

Delivery deliveryOf(bool reliable) { return reliable ? Delivery::Reliable : Delivery::Unreliable; }

}  // namespace


WasmClient::WasmClient(std::string url, val listener, const val& options)
    : key_(gNextKey++),
      url_(std::move(url)),
      events_(std::move(listener)),
      socket_({
          [this] { enter([&] { client_.onSignalingOpen(); }); },
          [this](std::string_view text) { enter([&] { client_.onSignalingFrame(text); }); },
          [this] { enter([&] { client_.onSignalingBinary(); }); },
          [this](const std::string& reason) { enter([&] { client_.onSignalingClosed(reason); }); },
      }),
      rtc_(key_, iceTransportPolicyFrom(options)),
      timers_([this](std::uint64_t id) { enter([&] { client_.onTimer(id); }); }),
      client_(configFrom(options), *this, *this) {
  gClients[key_] = this;
  socket_.adopt(preopenedSocketFrom(options));
}

WasmClient::~WasmClient() {
  events_.silence();  // the listener is going away with us: swallow the final events
  client_.leave();
  gClients.erase(key_);
}

// Both requests start the spare link (RtcBridge::prepare) at once, while the connection to the
// server opens (20-70 ms in a fresh page here), instead of leaving it to the core's prepareLink
// when the join goes out: built then, it kept the page busy while welcome and room_joined came
// in (hello -> welcome 39 -> 15 ms median, bench/join_timeline.mjs). The core still asks; a
// bridge holds one spare at most, so that is a no-op. Never for a relay-only room.
val WasmClient::createRoom(const std::string& name, int maxMembers, bool relayOnly, const std::string& password) {
  return enter([&] {
    Status s = client_.createRoom(name, maxMembers, relayOnly, password);
    if (s && !relayOnly) rtc_.prepare();
    return statusResult(s);
  });
}

val WasmClient::joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers,
                         bool relayOnly, const std::string& password) {
  return enter([&] {
    Status s = client_.joinRoom(code, name, create, maxMembers, relayOnly, password);
    if (s && !relayOnly) rtc_.prepare();
    return statusResult(s);
  });
}

void WasmClient::leave() {
  enter([&] { client_.leave(); });
}

val WasmClient::send(const std::string& data, bool reliable) {
  return enter([&] { return idResult(client_.send(data, deliveryOf(reliable))); });
}

val WasmClient::sendTo(const std::string& peer, const std::string& data, bool reliable) {
  return enter([&] { return idResult(client_.sendTo(peer, data, deliveryOf(reliable))); });
}

val WasmClient::request(const std::string& peer, const std::string& data, double timeoutMs) {
  return enter([&] { return idResult(client_.request(peer, data, timeoutMs)); });
}

val WasmClient::respond(double id, const std::string& data) {
  return enter([&] { return statusResult(client_.respond(static_cast<std::uint64_t>(id), data)); });
}

val WasmClient::refuse(double id, const std::string& code, const std::string& message) {
  return enter([&] {
    ErrorCode c = ErrorCode::RequestFailed;
    if (!errorCodeFromName(code, c)) c = ErrorCode::RequestFailed;  // (refuse checks which codes may refuse)
    return statusResult(client_.refuse(static_cast<std::uint64_t>(id), c, message));
  });
}

val WasmClient::sendState(const std::string& peer, const std::string& frame) {
  return enter([&] { return statusResult(client_.sendState(peer, frame)); });
}

val WasmClient::sendGame(const std::string& peer, const std::string& frame) {
  return enter([&] { return statusResult(client_.sendGame(peer, frame)); });
}

val WasmClient::queued(const std::string& peer) const {
  Queued q = client_.queued(peer);
  val out = val::object();
  out.set("messages", static_cast<double>(q.messages));
  out.set("bytes", static_cast<double>(q.bytes));
  return out;
}

std::string WasmClient::status() const { return std::string(sessionStatusName(client_.status())); }

val WasmClient::peers() const {
  val out = val::array();
  const PeerId& self = client_.selfId();
  const PeerId& host = client_.host();
  for (const auto& p : client_.peers()) {
    bool isSelf = p.info.id == self;
    val peer = val::object();
    peer.set("id", p.info.id);
    peer.set("name", p.info.name);
    peer.set("joinOrder", static_cast<double>(p.info.joinOrder));
    peer.set("isSelf", isSelf);
    peer.set("isHost", p.info.id == host);
    peer.set("link", isSelf ? val::null() : val(std::string(linkStateName(p.link))));
    bool none = isSelf || p.transport == Transport::None;
    peer.set("transport", none ? val::null() : val(std::string(transportName(p.transport))));
    peer.set("away", p.away);
    peer.set("rttMs", p.rttMs < 0 ? val::null() : val(p.rttMs));
    out.call<void>("push", peer);
  }
  return out;
}

void WasmClient::dispatchLinkEvent(int key, const std::string& peer, LinkEvent kind, const std::string& a,
                                   const std::string& b, int index) {
  auto it = gClients.find(key);
  if (it == gClients.end()) return;
  WasmClient& self = *it->second;
  Client& s = self.client_;
  self.enter([&] {
    switch (kind) {
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

void WasmClient::prepareLink() { rtc_.prepare(); }

void WasmClient::openLink(const PeerId& peer, const std::string& iceServers, bool offerer) {
  rtc_.open(peer, iceServers, offerer);
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

}  // namespace huddle::wasm
