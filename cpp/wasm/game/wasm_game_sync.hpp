// One member's game sync (huddle::GameSync) in the browser, in a Wasm module of its own
// (huddle_game.wasm): a page that runs no game never downloads it. The typed
// facade (web/src/lib/game.ts) owns it: it carries the frames this reports as `send` events
// unreliably (WasmClient.sendGame), hands it the frames that arrive, tells it who is present, who
// is host and whether the host is away, and ticks it at the game's rate. Values cross as JSON
// text. Nothing throws across the boundary.
//
// Events reach listener.onEvent(event) once the call that caused them has returned, in order
// (EventQueue): the host's `inputs` event comes after tick() returned, so its handler may publish.
#pragma once

#include <set>
#include <string>

#include <emscripten/val.h>

#include "event_queue.hpp"
#include "huddle/game_sync.hpp"

namespace huddle::wasm {

class WasmGameSync final : private GamePort, private GameObserver {
 public:
  WasmGameSync(std::string self, emscripten::val listener);

  // ---- called from JavaScript (see bindings.cpp) ----
  // Who is host ('' while unknown), whether it is away (its connection dropped, its place kept),
  // and the ids of the room's members (self may be listed).
  void setMembership(const std::string& host, bool hostAway, const emscripten::val& present);
  emscripten::val setInput(const std::string& json);
  emscripten::val publish(const std::string& json);
  void tick(double nowMs);
  emscripten::val receive(const std::string& from, const std::string& frame);
  // The newest complete state as JSON text ("null" before any), its tick, and the state to draw
  // at nowMs (interpolated).
  std::string state() const { return sync_.state(); }
  double stateTick() const { return static_cast<double>(sync_.stateTick()); }
  std::string renderState(double nowMs) const { return sync_.renderState(nowMs); }
  bool isHost() const { return sync_.isHost(); }
  bool paused() const { return sync_.paused(); }

 private:
  // GamePort
  void sendGameFrame(const std::string& to, std::string frame) override;
  // GameObserver
  void onInputs(std::uint64_t tick, const std::vector<MemberInput>& inputs) override;
  void onState(std::uint64_t tick, const GameText& state) override;
  void onHostStart(std::uint64_t tick, const GameText& state) override;
  void onPause() override;
  void onResume() override;

  EventQueue events_;
  std::set<std::string> present_;
  std::string host_;
  bool hostAway_ = false;
  GameSync sync_;  // last: it reports through the members above
};

}  // namespace huddle::wasm
