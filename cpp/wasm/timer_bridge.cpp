#include "timer_bridge.hpp"

#include <emscripten/emscripten.h>

#include <map>

// The JavaScript half. A timer is not armed when started: it waits in `unarmed` until a microtask
// at the end of the current task (one per task, queued by the first start), which hands what is
// still there to setTimeout. Most timers the core starts while handling a link message are
// cancelled before that task ends: the ack owed for a message, which the app's reply carries. Such
// a timer never reaches setTimeout or clearTimeout, which cost more than the rest of handling a
// message in a ping-pong (a few per cent of a round trip each, measured). Arming at the end of the
// task instead of at the call delays no timer by a task, and a 0 ms timer still fires after the
// task's other work (docs/protocol.md, "Bursts"). Each fires Module.huddleTimerFired(slot).
EM_JS(void, hd_timer_start, (int slot, double delayMs), {
  const t = Module.hdTimers || (Module.hdTimers = { armed: new Map(), unarmed: new Map(), queued: 0 });
  t.unarmed.set(slot, delayMs);
  if (t.queued) return;
  t.queued = 1;
  const arm = () => {
    // Once more first: an app that replies after an await (a promise its message handler
    // resolved) runs in a microtask queued after this one.
    if (t.queued++ === 1) return void Promise.resolve().then(arm);
    t.queued = 0;
    t.unarmed.forEach((delay, s) => {
      t.armed.set(s, setTimeout(() => {
        t.armed.delete(s);
        Module.huddleTimerFired(s);
      }, delay));
    });
    t.unarmed.clear();
  };
  // A promise's reaction rather than queueMicrotask: the same queue, a tenth of the cost to
  // enqueue in Chromium (no call out of V8).
  Promise.resolve().then(arm);
});

EM_JS(void, hd_timer_cancel, (int slot), {
  const t = Module.hdTimers;
  if (!t || t.unarmed.delete(slot)) return;
  const handle = t.armed.get(slot);
  if (handle === undefined) return;
  clearTimeout(handle);
  t.armed.delete(slot);
});

namespace huddle::wasm {
namespace {

// A slot names a started timer to JavaScript; it must stay meaningful after the bridge is gone
// (a cancelled timer never fires, but be safe), so it is a key into this table.
struct Slot {
  TimerBridge* bridge;
  std::uint64_t id;
};
// Unsigned: it wraps (after 2^32 timers) instead of overflowing; JavaScript sees the same 32 bits
// as a signed int both ways.
std::map<unsigned, Slot> gSlots;
unsigned gNextSlot = 1;

}  // namespace

TimerBridge::TimerBridge(Fire fire) : fire_(std::move(fire)) {}

TimerBridge::~TimerBridge() {
  for (auto& [id, slot] : pending_) {
    hd_timer_cancel(static_cast<int>(slot));
    gSlots.erase(slot);
  }
}

std::uint64_t TimerBridge::start(double delayMs) {
  std::uint64_t id = nextId_++;
  unsigned slot = gNextSlot++;
  gSlots[slot] = Slot{this, id};
  pending_[id] = slot;
  hd_timer_start(static_cast<int>(slot), delayMs);
  return id;
}

void TimerBridge::cancel(std::uint64_t id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  hd_timer_cancel(static_cast<int>(it->second));
  gSlots.erase(it->second);
  pending_.erase(it);
}

void TimerBridge::fired(int slotKey) {
  auto it = gSlots.find(static_cast<unsigned>(slotKey));
  if (it == gSlots.end()) return;
  Slot slot = it->second;
  gSlots.erase(it);
  slot.bridge->pending_.erase(slot.id);
  slot.bridge->fire_(slot.id);
}

}  // namespace huddle::wasm
