#include "wasm_game_sync.hpp"

#include <utility>
#include <vector>

#include "js_values.hpp"

namespace huddle::wasm {

using emscripten::val;

WasmGameSync::WasmGameSync(std::string self, val listener)
    : events_(std::move(listener)), sync_(static_cast<GamePort&>(*this), static_cast<GameObserver&>(*this)) {
  sync_.setSelf(self);
}

void WasmGameSync::setMembership(const std::string& host, bool hostAway, const val& present) {
  auto ids = emscripten::vecFromJSArray<std::string>(present);
  std::set<std::string> now(ids.begin(), ids.end());
  events_.enter([&] {
    // Joins before the host: a new host sends the members it knows their first snapshot.
    for (const auto& id : now) {
      if (!present_.count(id)) sync_.memberJoined(id);
    }
    for (const auto& id : present_) {
      if (!now.count(id)) sync_.memberLeft(id);
    }
    present_ = std::move(now);
    if (host != host_) {
      host_ = host;
      hostAway_ = false;  // a new host is present by definition
      sync_.setHost(host);
    }
    if (hostAway != hostAway_) {
      hostAway_ = hostAway;
      if (hostAway) {
        sync_.hostAway();
      } else {
        sync_.hostBack();
      }
    }
  });
}

val WasmGameSync::setInput(const std::string& json) {
  return events_.enter([&] { return statusResult(sync_.setInput(json)); });
}

val WasmGameSync::publish(const std::string& json) {
  return events_.enter([&] { return statusResult(sync_.publish(json)); });
}

void WasmGameSync::tick(double nowMs) {
  events_.enter([&] { sync_.tick(nowMs); });
}

val WasmGameSync::receive(const std::string& from, const std::string& frame) {
  return events_.enter([&] { return statusResult(sync_.receive(from, frame)); });
}

// ---- GameSync's port and observer: each call one event --------------------------------------------

void WasmGameSync::sendGameFrame(const std::string& to, std::string frame) {
  events_.emit(event("send", {{"to", val(to)}, {"frame", val(std::move(frame))}}));
}

void WasmGameSync::onInputs(std::uint64_t tick, const std::vector<MemberInput>& inputs) {
  val list = val::array();
  for (const auto& input : inputs) {
    val fresh = val::array();
    for (const auto& text : input.fresh) fresh.call<void>("push", text);
    val entry = val::object();
    entry.set("member", input.member);
    entry.set("tick", static_cast<double>(input.tick));
    entry.set("latest", input.latest);
    entry.set("fresh", fresh);
    list.call<void>("push", entry);
  }
  events_.emit(event("inputs", {{"tick", val(static_cast<double>(tick))}, {"inputs", list}}));
}

void WasmGameSync::onState(std::uint64_t tick, const GameText& state) {
  events_.emit(event("state", {{"tick", val(static_cast<double>(tick))}, {"state", val(state)}}));
}

void WasmGameSync::onHostStart(std::uint64_t tick, const GameText& state) {
  events_.emit(event("hoststart", {{"tick", val(static_cast<double>(tick))}, {"state", val(state)}}));
}

void WasmGameSync::onPause() { events_.emit(event("pause", {})); }

void WasmGameSync::onResume() { events_.emit(event("resume", {})); }

}  // namespace huddle::wasm
