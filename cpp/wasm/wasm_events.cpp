// The C++ half of WasmEvent (huddle_client.d.ts): one event object per ClientObserver call,
// field for field as declared there. Words (statuses, states, reasons, codes) are the core's own
// names, which huddle-codegen also writes into the TypeScript unions.
#include <emscripten/emscripten.h>

#include <initializer_list>
#include <utility>

#include "wasm_client.hpp"

// The events of every message, built in one call each: through val, each field is a crossing of
// its own (a key, a value, a set), and in a ping-pong that cost more than the core's own work on
// the message. Same fields, same order as event() would write them.
EM_JS(emscripten::EM_VAL, hd_message_event,
      (const char* from, double id, double ts, int broadcast, int reliable, const char* data, int length), {
  return Emval.toHandle({ type: "message", from: UTF8ToString(from), id, ts, broadcast: !!broadcast,
                          reliable: !!reliable, data: UTF8ToString(data, length) });
});

EM_JS(emscripten::EM_VAL, hd_delivered_event, (const char* peer, double id), {
  return Emval.toHandle({ type: "delivered", peer: UTF8ToString(peer), id });
});

namespace huddle::wasm {
namespace {

using emscripten::val;

// {type, ...fields}: the event's own fields, in the order huddle_client.d.ts lists them.
val event(const char* type, std::initializer_list<std::pair<const char*, val>> fields) {
  val e = val::object();
  e.set("type", type);
  for (const auto& [key, value] : fields) e.set(key, value);
  return e;
}

val text(std::string_view s) { return val(std::string(s)); }

}  // namespace

void WasmClient::onStatus(SessionStatus status) { emit(event("status", {{"status", text(sessionStatusName(status))}})); }
void WasmClient::onWelcome(const PeerId& self) { emit(event("welcome", {{"id", val(self)}})); }

void WasmClient::onRoomJoined(const RoomJoined& joined) {
  emit(event("room_joined", {{"code", val(joined.code)},
                             {"you", val(joined.you)},
                             {"host", val(joined.host)},
                             {"maxMembers", val(joined.maxMembers)},
                             {"relayOnly", val(joined.relayOnly)},
                             {"password", val(joined.password)}}));
}

void WasmClient::onPeerJoined(const PeerInfo& peer) { emit(event("peer_joined", {{"id", val(peer.id)}})); }

void WasmClient::onPeerLeft(const PeerId& peer, LeaveReason reason) {
  emit(event("peer_left", {{"id", val(peer)}, {"reason", text(leaveReasonName(reason))}}));
}

void WasmClient::onHostChanged(const PeerId& host) { emit(event("host_changed", {{"host", val(host)}})); }
void WasmClient::onPeerAway(const PeerId& peer) { emit(event("peer_away", {{"id", val(peer)}})); }
void WasmClient::onPeerBack(const PeerId& peer) { emit(event("peer_back", {{"id", val(peer)}})); }

void WasmClient::onLinkState(const PeerId& peer, LinkState state) {
  emit(event("link_state", {{"peer", val(peer)}, {"state", text(linkStateName(state))}}));
}

void WasmClient::onTransport(const PeerId& peer, Transport transport) {
  emit(event("transport", {{"peer", val(peer)}, {"transport", text(transportName(transport))}}));
}

void WasmClient::onLinkRtt(const PeerId& peer, double rttMs) {
  emit(event("link_rtt", {{"peer", val(peer)}, {"rttMs", val(rttMs)}}));
}

void WasmClient::onMessage(const PeerId& from, std::string_view data, const MessageMeta& meta) {
  // `data` as JSON text: JSON.parse on the other side is faster than building the value here.
  // (JSON text holds no NUL byte, so UTF8ToString reads all `length` bytes.)
  emit(val::take_ownership(hd_message_event(from.c_str(), static_cast<double>(meta.id), meta.ts, meta.broadcast,
                                            meta.reliable, data.data(), static_cast<int>(data.size()))));
}

void WasmClient::onDelivered(const PeerId& to, std::uint64_t id) {
  emit(val::take_ownership(hd_delivered_event(to.c_str(), static_cast<double>(id))));
}

void WasmClient::onRequest(const PeerId& from, std::uint64_t id, std::string_view data) {
  emit(event("request", {{"from", val(from)}, {"id", val(static_cast<double>(id))}, {"data", text(data)}}));
}

void WasmClient::onResponse(std::uint64_t id, std::string_view data) {
  emit(event("response", {{"id", val(static_cast<double>(id))}, {"data", text(data)}}));
}

void WasmClient::onRequestFailed(std::uint64_t id, const Error& error) {
  emit(event("request_failed", {{"id", val(static_cast<double>(id))},
                                {"code", text(errorCodeName(error.code))},
                                {"message", val(error.message)}}));
}

void WasmClient::onStateFrame(const PeerId& from, std::string_view frame) {
  emit(event("state_frame", {{"from", val(from)}, {"frame", text(frame)}}));
}

void WasmClient::onGameFrame(const PeerId& from, std::string_view frame) {
  emit(event("game_frame", {{"from", val(from)}, {"frame", text(frame)}}));
}

void WasmClient::onError(const Error& error) {
  emit(event("error", {{"code", text(errorCodeName(error.code))}, {"message", val(error.message)}}));
}

void WasmClient::onLog(std::string_view line) { emit(event("log", {{"line", text(line)}})); }

}  // namespace huddle::wasm
