#include "timer_bridge.hpp"

#include <emscripten/eventloop.h>

#include <map>

namespace huddle::wasm {
namespace {

// setTimeout hands back one pointer of user data; it must stay meaningful after the bridge is
// gone (a cancelled timeout never fires, but be safe), so it names a slot in this table.
struct Slot {
  TimerBridge* bridge;
  std::uint64_t id;
};
std::map<std::uintptr_t, Slot> gSlots;
std::uintptr_t gNextSlot = 1;

}  // namespace

TimerBridge::TimerBridge(Fire fire) : fire_(std::move(fire)) {}

TimerBridge::~TimerBridge() {
  for (auto& [id, p] : pending_) {
    emscripten_clear_timeout(p.handle);
    gSlots.erase(p.slot);
  }
}

std::uint64_t TimerBridge::start(double delayMs) {
  std::uint64_t id = nextId_++;
  std::uintptr_t slot = gNextSlot++;
  gSlots[slot] = Slot{this, id};
  pending_[id] = Pending{emscripten_set_timeout(&TimerBridge::onTimeout, delayMs, reinterpret_cast<void*>(slot)), slot};
  return id;
}

void TimerBridge::cancel(std::uint64_t id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  emscripten_clear_timeout(it->second.handle);
  gSlots.erase(it->second.slot);
  pending_.erase(it);
}

void TimerBridge::onTimeout(void* userData) {
  auto it = gSlots.find(reinterpret_cast<std::uintptr_t>(userData));
  if (it == gSlots.end()) return;
  Slot slot = it->second;
  gSlots.erase(it);
  slot.bridge->pending_.erase(slot.id);
  slot.bridge->fire_(slot.id);
}

}  // namespace huddle::wasm
