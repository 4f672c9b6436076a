// A game's state as game sync carries it (docs/protocol.md "Game sync"): one JSON object the host
// owns, and the operations on it that snapshots need: reading and writing it as bounded text, a
// hash to check two copies agree, deltas (what changed between two states), and interpolation
// between two states for rendering. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "huddle/error.hpp"

namespace huddle {

using GameJson = nlohmann::json;

// A state from JSON text: one object, at most limits::kMaxGameStateBytes, nested at most
// limits::kMaxAppDataDepth deep. DataInvalid otherwise.
Result<GameJson> parseState(std::string_view text);
// The state as compact JSON text (object keys sorted, so equal states give equal text; bytes that
// are not UTF-8 written as U+FFFD, never thrown over).
std::string writeState(const GameJson& state);
// Whether a state may be published: an object whose text fits limits::kMaxGameStateBytes,
// nested at most limits::kMaxAppDataDepth deep, its strings valid UTF-8. DataInvalid otherwise.
Status checkState(const GameJson& state);
// The same checks for any value (an input, say): at most maxBytes as compact text; `what` names
// it in the error.
Status checkGameValue(const GameJson& value, std::size_t maxBytes, const char* what);

// A 64-bit hash (FNV-1a) of writeState(state): equal states hash equal, on every platform.
std::uint64_t stateHash(const GameJson& state);

// What turns `from` into `to`, both objects. A delta is an object of up to three members:
//   "s": {key: value}   keys set to a new value (added, or changed and not both objects)
//   "r": [key, ...]     keys removed
//   "o": {key: delta}   keys whose value is an object in both, changed inside: a delta of its own
// Unchanged keys appear nowhere, so a delta's size follows what changed, not the state's size;
// equal states give {}. Arrays and other values are replaced whole.
GameJson diff(const GameJson& from, const GameJson& to);
// `from` with `delta` applied: applyDelta(a, diff(a, b)) == b. A delta that does not fit `from`
// (not of the form above, removes a key `from` lacks, descends into a key that is not an object
// there) is DataInvalid: it was made against another state.
Result<GameJson> applyDelta(const GameJson& from, const GameJson& delta);

// The state `t` of the way from `a` to `b` (t in [0, 1], clamped), for drawing between two
// snapshots: numbers present in both are interpolated linearly, objects key by key; everything
// else (strings, booleans, arrays, keys only one side has) is taken from `b`.
GameJson interpolate(const GameJson& a, const GameJson& b, double t);

}  // namespace huddle
