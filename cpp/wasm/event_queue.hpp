// Events for a JavaScript listener, held while a call into C++ runs and handed over when the
// outermost call returns, in the order they happened. A listener may then call back in (send from
// a message handler, write from a change handler) without re-entering the core mid-update
// (docs/decisions.md); what its calls add joins the queue, and the loop already delivering goes on
// with it. Used by both modules' bound classes (WasmClient, WasmRoomState).
#pragma once

#include <deque>
#include <type_traits>
#include <utility>

#include <emscripten/val.h>

namespace huddle::wasm {

class EventQueue {
 public:
  explicit EventQueue(emscripten::val listener) : listener_(std::move(listener)) {}

  // Runs `f`, then delivers what it queued (outermost call only); returns what `f` returns.
  template <typename F>
  auto enter(F&& f) {
    ++depth_;
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      --depth_;
      deliver();
    } else {
      auto result = f();
      --depth_;
      deliver();
      return result;
    }
  }

  void emit(emscripten::val event) { events_.push_back(std::move(event)); }
  // The listener is going away (its owner is being deleted): nothing more is delivered.
  void silence() { delivering_ = true; }

 private:
  void deliver();

  emscripten::val listener_;
  std::deque<emscripten::val> events_;
  int depth_ = 0;
  bool delivering_ = false;
};

}  // namespace huddle::wasm
