// The two frames of game sync (docs/protocol.md "Game sync"), sent unreliably between a member and
// the host: gi carries a member's newest inputs to the host, gs a snapshot (or a delta against one
// the member acknowledged) to a member. Both are JSON text {"t": "gi" | "gs", ...}; decoding checks
// every field and refuses anything else with BadFrame (or FrameTooLarge, BadJson); the values it
// hands on (inputs, states, deltas) are canonical text (game_state.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "huddle/error.hpp"
#include "huddle/game_state.hpp"

namespace huddle {

// Member -> host, every tick: {"t":"gi","n":N,"i":[input, ...],"l":[count, ...],"a":A}. On the
// wire a run of equal inputs goes once, with how many ticks it stands for in "l" (absent: one
// each); decoded, `inputs` has one entry per tick.
struct GameInputFrame {
  // The member's tick of the newest input (ticks count from 1); inputs[k] is for tick
  // tick - inputs.size() + 1 + k, so the inputs are consecutive and the newest is last.
  std::uint64_t tick = 0;
  std::vector<GameText> inputs;  // 1..limits::kMaxGameInputs, each at most kMaxGameInputBytes, canonical
  // The newest snapshot tick this member holds from this host ("a"): the base the host may send
  // deltas against. Absent: none (send a full snapshot).
  std::optional<std::uint64_t> ack;
};

// Host -> member, each time the host publishes: {"t":"gs","n":N,"s":state,"h":H,"a":A} for a full
// snapshot, {"t":"gs","n":N,"b":B,"d":delta,"h":H,"a":A} for a delta against the snapshot of tick B.
struct GameStateFrame {
  std::uint64_t tick = 0;                 // the snapshot's tick ("n")
  std::optional<std::uint64_t> base;      // "b": the tick the delta is against; absent: full snapshot
  GameText body;                          // "s" (the state) when full, "d" (a delta) otherwise; canonical
  std::uint64_t hash = 0;                 // "h": stateHash of the resulting state, 16 hex digits
  // "a": the newest input tick the host has from this member; absent: none yet.
  std::optional<std::uint64_t> inputAck;
};

using GameFrame = std::variant<GameInputFrame, GameStateFrame>;

std::string encode(const GameInputFrame& frame);
std::string encode(const GameStateFrame& frame);
Result<GameFrame> decodeGameFrame(std::string_view text);

}  // namespace huddle
