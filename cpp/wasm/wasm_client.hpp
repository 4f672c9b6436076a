// One huddle client in the browser: a huddle::Client wired to the WebSocket, WebRTC and timer
// bridges, reporting to a JavaScript listener. The typed facade (web/src/lib) owns it and calls
// delete() on it. huddle_client.d.ts declares everything JavaScript sees of it: the methods
// (bound in bindings.cpp), the events (written in wasm_events.cpp) and the options
// (read in wasm_options.cpp). Nothing throws across the boundary: results are plain objects
// {ok: true, ...} or {ok: false, code, message}.
//
// Events reach listener.onEvent(event) once the call that caused them has returned to JavaScript,
// in the order they happened, so a listener may call back into the client without re-entering it
// mid-update (docs/decisions.md).
#pragma once

#include <deque>
#include <string>

#include <emscripten/val.h>

#include "event_queue.hpp"
#include "huddle/client.hpp"
#include "rtc_bridge.hpp"
#include "timer_bridge.hpp"
#include "websocket_bridge.hpp"

namespace huddle::wasm {

class WasmClient final : public ClientPort, public ClientObserver {
 public:
  // `url`: the signaling WebSocket URL (ws://host:port/ws). `options`: WasmClientOptions.
  WasmClient(std::string url, emscripten::val listener, const emscripten::val& options);
  ~WasmClient() override;

  // ---- called from JavaScript (see bindings.cpp) ----
  emscripten::val createRoom(const std::string& name, int maxMembers, bool relayOnly, const std::string& password);
  emscripten::val joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers,
                           bool relayOnly, const std::string& password);
  void leave();
  emscripten::val send(const std::string& json, bool reliable);
  emscripten::val sendTo(const std::string& peer, const std::string& json, bool reliable);
  // Client::request / respond / refuse; `code` is an error code's wire name.
  emscripten::val request(const std::string& peer, const std::string& json, double timeoutMs);
  emscripten::val respond(double id, const std::string& json);
  emscripten::val refuse(double id, const std::string& code, const std::string& message);
  // Client::sendState: a room state frame from the page's WasmRoomState (huddle_state.wasm).
  emscripten::val sendState(const std::string& peer, const std::string& frame);
  // Client::sendGame: a game sync frame from the page's WasmGameSync (huddle_state.wasm).
  emscripten::val sendGame(const std::string& peer, const std::string& frame);
  std::string status() const;
  std::string selfId() const { return client_.selfId(); }
  std::string roomCode() const { return client_.roomCode(); }
  std::string host() const { return client_.host(); }
  std::string resumeToken() const { return client_.resumeToken(); }
  bool relayOnly() const { return client_.roomIsRelayOnly(); }
  // Every member including yourself, in join order, as Peer objects.
  emscripten::val peers() const;
  // {messages, bytes} awaiting acknowledgement to `peer` ("": the most to any member).
  emscripten::val queued(const std::string& peer) const;

  // Browser link events, from Module.huddleLinkEvent (rtc_bridge.cpp).
  static void dispatchLinkEvent(int key, const std::string& peer, LinkEvent kind, const std::string& a,
                                const std::string& b, int index);

 private:
  // ClientPort
  void openSignaling() override;
  void closeSignaling() override;
  void sendSignaling(const std::string& frame) override;
  void prepareLink() override;
  void openLink(const PeerId& peer, const std::string& iceServers, bool offerer) override;
  void applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) override;
  void addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate) override;
  void sendOnLink(const PeerId& peer, const std::string& frame) override;
  void sendOnLinkUnreliable(const PeerId& peer, const std::string& frame) override;
  void closeLink(const PeerId& peer) override;
  TimerId startTimer(double delayMs) override;
  void cancelTimer(TimerId id) override;
  double nowMs() override;
  double random() override;

  // ClientObserver (wasm_events.cpp): each becomes one WasmEvent.
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
  void onMessage(const PeerId& from, std::string_view data, const MessageMeta& meta) override;
  void onDelivered(const PeerId& to, std::uint64_t id) override;
  void onRequest(const PeerId& from, std::uint64_t id, std::string_view data) override;
  void onResponse(std::uint64_t id, std::string_view data) override;
  void onRequestFailed(std::uint64_t id, const Error& error) override;
  void onStateFrame(const PeerId& from, std::string_view frame) override;
  void onGameFrame(const PeerId& from, std::string_view frame) override;
  void onError(const Error& error) override;
  void onLog(std::string_view line) override;

  // Runs `f` on the client, then hands queued events to the listener (outermost call only).
  template <typename F>
  auto enter(F&& f) {
    return events_.enter(std::forward<F>(f));
  }
  void emit(emscripten::val event) { events_.emit(std::move(event)); }

  int key_;
  std::string url_;
  EventQueue events_;  // before the bridges and the client, which report through it
  WebSocketBridge socket_;
  RtcBridge rtc_;
  TimerBridge timers_;
  Client client_;
};

}  // namespace huddle::wasm
