#include "timer_bridge.hpp"

#include <emscripten/emscripten.h>

#include <map>

// The JavaScript half: every timer of the module shares one setTimeout armed for the earliest
// deadline, and one more for what is due at once; each timer fires Module.huddleTimerFired(slot).
//
// Started timers wait in `unarmed` until a microtask at the end of the current task (one per
// task, queued by the first start). Most timers the core starts while handling a link message are
// cancelled before that task ends (the ack owed for a message, which the app's reply carries) and
// never get a deadline. Arming at the end of the task instead of at the call delays no timer by a
// task, and a 0 ms timer still fires after the task's other work (docs/protocol.md, "Bursts").
// A kEndOfTurn timer (a negative delay) fires in that microtask: the turn is over.
//
// Why not a setTimeout each: a setTimeout costs 8 us in Chromium (32 us with a delay), a
// clearTimeout 20 us, and the task a 0 ms one runs as more again; a page spends about 15 us in all
// on a round of a raw ping-pong. Retransmit and ack timers come and go with every message: here a
// cancel only forgets the deadline, the shared setTimeout stays, and when it fires with nothing
// due it is armed for what is due next, so about once per retransmit timeout, not per message.
// What is due at once (a burst's end) has a setTimeout(0) of its own, so it never moves the
// shared one. (A message to a MessageChannel, the usual stand-in for setTimeout(0), cost more.)
EM_JS(void, hd_timer_start, (int slot, double delayMs), {
  let t = Module.hdTimers;
  if (!t) {
    t = Module.hdTimers = {
      due: new Map(),     // slot -> deadline (performance.now() ms)
      unarmed: new Map(), // slot -> delay, until the end of the task
      queued: 0,          // the arming microtask's state
      at: Infinity,       // when the shared setTimeout fires
      handle: 0,
      soon: 0,            // the setTimeout(0) for what is due at once
    };
    // Fires what is due, then arms for what is next.
    const fire = () => {
      const now = performance.now();
      const ready = [];
      // setTimeout may run a fraction of a millisecond before performance.now() reaches the
      // deadline: what is due within a quarter of one fires now, not at a second wake-up.
      t.due.forEach((d, s) => { if (d <= now + 0.25) ready.push([d, s]); });
      ready.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      for (const entry of ready) {
        // An earlier timer's work may have cancelled this one meanwhile.
        if (t.due.delete(entry[1])) Module.huddleTimerFired(entry[1]);
      }
      t.schedule(performance.now());
    };
    t.schedule = (now) => {
      let next = Infinity;
      t.due.forEach((d) => { if (d < next) next = d; });
      if (next <= now) {
        if (!t.soon) {
          t.soon = setTimeout(() => {
            t.soon = 0;
            fire();
          }, 0);
        }
      } else if (next < t.at) {
        if (t.handle) clearTimeout(t.handle);
        t.at = next;
        t.handle = setTimeout(() => {
          t.handle = 0;
          t.at = Infinity;
          fire();
        }, next - now);
      }
    };
  }
  t.unarmed.set(slot, delayMs);
  if (t.queued) return;
  t.queued = 1;
  const arm = () => {
    // Once more first: an app that replies after an await (a promise its message handler
    // resolved) runs in a microtask queued after this one.
    if (t.queued++ === 1) return void Promise.resolve().then(arm);
    t.queued = 0;
    const now = performance.now();
    const turn = [];  // kEndOfTurn timers: they fire here, the turn being over
    t.unarmed.forEach((delay, s) => {
      if (delay < 0) turn.push(s);
      else t.due.set(s, now + delay);
    });
    t.unarmed.clear();
    t.schedule(now);
    // What these start waits for the next arming, queued anew: never a loop within this one.
    for (const s of turn) Module.huddleTimerFired(s);
  };
  // A promise's reaction rather than queueMicrotask: the same queue, a tenth of the cost to
  // enqueue in Chromium (no call out of V8).
  Promise.resolve().then(arm);
});

EM_JS(void, hd_timer_cancel, (int slot), {
  const t = Module.hdTimers;
  if (t && !t.unarmed.delete(slot)) t.due.delete(slot);
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
