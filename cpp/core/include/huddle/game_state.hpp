// A game's state as game sync carries it (docs/protocol.md "Game sync"): JSON the host owns, kept
// and sent as canonical text, and the operations snapshots need: a hash to check two copies
// agree, deltas (what changed between two states), and interpolation between two states for
// rendering. Read with the core's text reader (wire/json_scan.hpp), never as a tree: the browser's
// module carries no JSON library. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "huddle/error.hpp"

namespace huddle {

// A game value (a state, an input, a delta) as canonical JSON text: compact, object keys in byte
// order (of a repeated key the last counts), strings escaped one way, numbers as appendNumber
// writes them (integers as digits, others as the shortest text that reads back the same double).
// Equal values have equal text, so text is compared and hashed, and a copy hashes as its original.
using GameText = std::string;

// `text` (any JSON) as canonical text: one JSON value of at most maxBytes, nested at most
// limits::kMaxAppDataDepth deep, strings valid UTF-8. DataInvalid otherwise, naming `what`.
Result<GameText> canonicalGameValue(std::string_view text, std::size_t maxBytes, const char* what);
// A state: canonicalGameValue within limits::kMaxGameStateBytes, and an object.
Result<GameText> parseState(std::string_view text);

// A 64-bit hash (FNV-1a) of the canonical text: equal states hash equal, on every platform.
std::uint64_t stateHash(const GameText& state);

// What turns `from` into `to`, both canonical objects. A delta is an object of up to three members:
//   "s": {key: value}   keys set to a new value (added, or changed and not both objects)
//   "r": [key, ...]     keys removed
//   "o": {key: delta}   keys whose value is an object in both, changed inside: a delta of its own
// Unchanged keys appear nowhere, so a delta's size follows what changed, not the state's size;
// equal states give {}. Arrays and other values are replaced whole. The delta is canonical.
GameText diff(const GameText& from, const GameText& to);
// `from` with `delta` (canonical, as diff writes it) applied: applyDelta(a, diff(a, b)) == b. A
// delta that does not fit `from` (not of the form above, removes a key `from` lacks, descends into
// a key that is not an object there) is DataInvalid: it was made against another state.
Result<GameText> applyDelta(const GameText& from, const GameText& delta);

// The state `t` of the way from `a` to `b` (canonical; t in [0, 1], clamped), for drawing between
// two snapshots: numbers present in both are interpolated linearly, objects key by key; everything
// else (strings, booleans, arrays, keys only one side has) is taken from `b`.
GameText interpolate(const GameText& a, const GameText& b, double t);

}  // namespace huddle
