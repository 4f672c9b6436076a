// One member's copy of the room state (huddle::RoomState) in the browser, in a Wasm module of its
// own (huddle_state.wasm): a page that never uses the room state never downloads it
// (docs/decisions.md, "The room state is a module of its own"). The typed facade
// (web/src/lib/room_state.ts) owns it: it carries the frames this reports as `send`/`broadcast`
// events on the client's streams (WasmClient.sendState), hands it the frames that arrive, tells it
// who is present and who is host, and ticks its clock. huddle_state.d.ts declares what JavaScript
// sees. Nothing throws across the boundary.
//
// Events reach listener.onEvent(event) once the call that caused them has returned, in order, so
// a listener may call back in (write from a change handler) without re-entering RoomState. The
// frames a call sends come out as one `send` or `broadcast` per run of frames to the same members
// (state::StateOutbox): a batch, which the receiving RoomState takes apart in order.
#pragma once

#include <string>

#include <emscripten/val.h>

#include "event_queue.hpp"
#include "huddle/limits.hpp"
#include "huddle/room_state.hpp"
#include "huddle/state_frames.hpp"

namespace huddle::wasm {

class WasmRoomState final : private StatePort, private StateObserver {
 public:
  WasmRoomState(std::string self, emscripten::val listener);

  // ---- called from JavaScript (see bindings.cpp) ----
  emscripten::val set(const std::string& key, const std::string& json);
  emscripten::val remove(const std::string& key);
  // The value's JSON text, or undefined.
  emscripten::val get(const std::string& key) const;
  // [[key, JSON text], ...] in key order.
  emscripten::val entries() const;
  // `present`: the ids of the room's members (self may be listed).
  void setMembership(const std::string& host, const emscripten::val& present);
  emscripten::val receive(const std::string& from, const std::string& frame);
  void tick(double nowMs);

 private:
  // Runs `f` on the state, then sends what it batched and delivers the events (EventQueue).
  template <typename F>
  auto enter(F&& f);
  void emit(emscripten::val event) { events_.emit(std::move(event)); }
  void flushOutbox();

  // StatePort
  void sendTo(const std::string& peer, std::string frame) override;
  void broadcast(std::string frame) override;
  // StateObserver
  void onStateChange(const StateChangeEvent& event) override;
  void onStateHealed() override;
  void onStateWriteRefused(const std::string& key, const Error& error) override;

  EventQueue events_;
  // What a call sends, batched per member: one message for a burst's changes, not one per change.
  state::StateOutbox outbox_{limits::kMaxAppDataBytes};
  RoomState state_;  // last: it reports through the members above
};

}  // namespace huddle::wasm
