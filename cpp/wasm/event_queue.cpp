#include "event_queue.hpp"

#include <emscripten/emscripten.h>

EM_JS(void, hd_deliver, (emscripten::EM_VAL listener, emscripten::EM_VAL event), {
  Emval.toValue(listener).onEvent(Emval.toValue(event));
});

namespace huddle::wasm {

void EventQueue::deliver() {
  if (depth_ > 0 || delivering_) return;
  delivering_ = true;
  while (!events_.empty()) {
    emscripten::val event = std::move(events_.front());
    events_.pop_front();
    hd_deliver(listener_.as_handle(), event.as_handle());
  }
  delivering_ = false;
}

}  // namespace huddle::wasm
