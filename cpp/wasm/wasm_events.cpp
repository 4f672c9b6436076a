// The C++ half of WasmEvent (huddle_client.d.ts): one event object per ClientObserver call,
// field for field as declared there. Words (statuses, states, reasons, codes) are the core's own
// names, which huddle-codegen also writes into the TypeScript unions.
#include <initializer_list>
#include <utility>

#include "wasm_client.hpp"

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
                             {"relayOnly", val(joined.relayOnly)}}));
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
  emit(event("message", {{"from", val(from)},
                         {"id", val(static_cast<double>(meta.id))},
                         {"ts", val(meta.ts)},
                         {"broadcast", val(meta.broadcast)},
                         {"reliable", val(meta.reliable)},
                         {"data", text(data)}}));
}

void WasmClient::onDelivered(const PeerId& to, std::uint64_t id) {
  emit(event("delivered", {{"peer", val(to)}, {"id", val(static_cast<double>(id))}}));
}

void WasmClient::onError(const Error& error) {
  emit(event("error", {{"code", text(errorCodeName(error.code))}, {"message", val(error.message)}}));
}

void WasmClient::onLog(std::string_view line) { emit(event("log", {{"line", text(line)}})); }

}  // namespace huddle::wasm
