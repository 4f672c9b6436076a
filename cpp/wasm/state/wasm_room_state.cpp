#include "wasm_room_state.hpp"

#include <type_traits>
#include <utility>
#include <vector>

#include "js_values.hpp"

namespace huddle::wasm {

using emscripten::val;

WasmRoomState::WasmRoomState(std::string self, val listener)
    : events_(std::move(listener)),
      state_(std::move(self), static_cast<StatePort&>(*this), static_cast<StateObserver&>(*this)) {}

template <typename F>
auto WasmRoomState::enter(F&& f) {
  return events_.enter([&] {
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      flushOutbox();
    } else {
      auto result = f();
      flushOutbox();
      return result;
    }
  });
}

val WasmRoomState::set(const std::string& key, const std::string& json) {
  return enter([&] { return statusResult(state_.set(key, json)); });
}

val WasmRoomState::remove(const std::string& key) {
  return enter([&] { return statusResult(state_.remove(key)); });
}

val WasmRoomState::get(const std::string& key) const {
  auto value = state_.get(key);
  return value ? val(*value) : val::undefined();
}

val WasmRoomState::entries() const {
  val out = val::array();
  for (const auto& [key, value] : state_.entries()) {
    val entry = val::array();
    entry.call<void>("push", key, value);
    out.call<void>("push", entry);
  }
  return out;
}

void WasmRoomState::setMembership(const std::string& host, const val& present) {
  StateMembership m;
  m.host = host;
  m.present = emscripten::vecFromJSArray<std::string>(present);
  enter([&] { state_.setMembership(m); });
}

val WasmRoomState::receive(const std::string& from, const std::string& frame) {
  return enter([&] { return statusResult(state_.receive(from, frame)); });
}

void WasmRoomState::tick(double nowMs) {
  enter([&] { state_.tick(nowMs); });
}

// ---- RoomState's port and observer: each call one event -----------------------------------------

void WasmRoomState::sendTo(const std::string& peer, std::string frame) { outbox_.add(peer, std::move(frame)); }

void WasmRoomState::broadcast(std::string frame) { outbox_.add("", std::move(frame)); }

void WasmRoomState::onStateChange(const StateChangeEvent& e) {
  emit(event("change", {{"key", val(e.key)}, {"value", e.value ? val(*e.value) : val::undefined()}, {"from", val(e.from)}}));
}

void WasmRoomState::onStateHealed() { emit(event("healed", {})); }

void WasmRoomState::onStateWriteRefused(const std::string& key, const Error& error) {
  emit(event("refused", {{"key", val(key)},
                         {"code", val(std::string(errorCodeName(error.code)))},
                         {"message", val(error.message)}}));
}

// One `send` or `broadcast` per batch, after the call's other events were queued: the order
// among a member's frames is what counts, and the outbox keeps it.
void WasmRoomState::flushOutbox() {
  for (auto& m : outbox_.take()) {
    emit(m.to.empty() ? event("broadcast", {{"frame", val(m.text)}})
                      : event("send", {{"to", val(m.to)}, {"frame", val(m.text)}}));
  }
}

}  // namespace huddle::wasm
