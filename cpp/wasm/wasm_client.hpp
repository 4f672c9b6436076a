// One huddle client in the browser: a ClientSession wired to the WebSocket, WebRTC and timer
// bridges, reporting to a JavaScript listener. The typed facade (web/src/lib) owns it and calls
// delete() on it. Nothing throws across the boundary: results are plain JS objects
// {ok: true, ...} or {ok: false, code, message}.
//
// Events reach the listener as listener.onEvent(type, json) once the call that caused them has
// returned to JavaScript, in the order they happened, so a listener may call back into the
// client without re-entering the session mid-update.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <utility>

#include <emscripten/val.h>

#include "huddle/client.hpp"
#include "rtc_bridge.hpp"
#include "timer_bridge.hpp"
#include "websocket_bridge.hpp"

namespace huddle::wasm {

class WasmClient final : public ClientPort, public ClientObserver {
 public:
  // `url`: the signaling WebSocket URL (ws://host:port/ws). `options`: the ClientConfig fields by
  // name (numbers, peerId, resumeToken) and iceTransportPolicy; see huddle_client.d.ts.
  WasmClient(std::string url, emscripten::val listener, const emscripten::val& options);
  ~WasmClient() override;

  // ---- called from JavaScript (see bindings.cpp) ----
  emscripten::val createRoom(const std::string& name, int maxMembers, bool relayOnly);
  emscripten::val joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers,
                           bool relayOnly);
  void leave();
  emscripten::val send(const std::string& json, bool reliable);
  emscripten::val sendTo(const std::string& peer, const std::string& json, bool reliable);
  std::string status() const;
  std::string selfId() const { return session_.selfId(); }
  std::string roomCode() const { return session_.roomCode(); }
  std::string host() const { return session_.host(); }
  std::string resumeToken() const { return session_.resumeToken(); }
  bool relayOnly() const { return session_.roomIsRelayOnly(); }
  // Every member including yourself, in join order: [{id, name, joinOrder, link, transport, away,
  // rttMs}] as JSON text.
  std::string peersJson() const;

  // Browser link events, from huddleLinkEvent.
  static void dispatchLinkEvent(int key, const std::string& peer, int kind, const std::string& a,
                                const std::string& b, int index);

 private:
  // ClientPort
  void openSignaling() override;
  void closeSignaling() override;
  void sendSignaling(const std::string& frame) override;
  void openLink(const PeerId& peer, const nlohmann::json& iceServers, bool offerer) override;
  void applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) override;
  void addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate) override;
  void sendOnLink(const PeerId& peer, const std::string& frame) override;
  void sendOnLinkUnreliable(const PeerId& peer, const std::string& frame) override;
  void closeLink(const PeerId& peer) override;
  TimerId startTimer(double delayMs) override;
  void cancelTimer(TimerId id) override;
  double nowMs() override;
  double random() override;

  // ClientObserver
  void onStatus(SessionStatus status) override;
  void onWelcome(const PeerId& self) override;
  void onRoomJoined(const RoomJoined& joined) override;
  void onPeerJoined(const PeerInfo& peer) override;
  void onPeerLeft(const PeerId& peer, LeaveReason reason) override;
  void onHostChanged(const PeerId& host) override;
  void onPeerAway(const PeerId& peer) override;
  void onPeerBack(const PeerId& peer) override;
  void onLinkState(const PeerId& peer, LinkState state) override;
  void onTransport(const PeerId& peer, Transport transport) override;
  void onLinkRtt(const PeerId& peer, double rttMs) override;
  void onMessage(const PeerId& from, const nlohmann::json& data, const MessageMeta& meta) override;
  void onDelivered(const PeerId& to, std::uint64_t id) override;
  void onError(const Error& error) override;
  void onLog(std::string_view line) override;

  // Runs `f` on the session, then hands queued events to the listener (outermost call only).
  template <typename F>
  auto enter(F&& f);
  void emit(const char* type, nlohmann::json payload);
  void deliverEvents();

  int key_;
  std::string url_;
  emscripten::val listener_;
  WebSocketBridge socket_;
  RtcBridge rtc_;
  TimerBridge timers_;
  ClientSession session_;
  std::deque<std::pair<std::string, std::string>> events_;
  int depth_ = 0;
  bool delivering_ = false;
};

}  // namespace huddle::wasm
