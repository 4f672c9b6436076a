#include "huddle/game_state.hpp"

#include <algorithm>

#include "detail/text_fields.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

Error invalid(std::string message) { return Error{ErrorCode::DataInvalid, std::move(message)}; }

bool bothObjects(const GameJson& a, const GameJson& b) { return a.is_object() && b.is_object(); }

// Compact text, with U+FFFD for bytes that are not UTF-8: nlohmann's default dump throws on them,
// and nothing may throw in the core (the Wasm build has no exceptions).
std::string compactText(const GameJson& value) { return value.dump(-1, ' ', false, GameJson::error_handler_t::replace); }

}  // namespace

Status checkGameValue(const GameJson& value, std::size_t maxBytes, const char* what) {
  std::string text = compactText(value);
  if (text.size() > maxBytes) {
    return Error{ErrorCode::DataInvalid, std::string(what) + ": " + std::to_string(text.size()) +
                                             " bytes, more than the limit of " + std::to_string(maxBytes)};
  }
  // Strings that are not UTF-8 would reach the other side as something else (U+FFFD): refused,
  // as send refuses them in messages.
  if (text != value.dump(-1, ' ', false, GameJson::error_handler_t::ignore)) {
    return Error{ErrorCode::DataInvalid, std::string(what) + ": a string that is not valid UTF-8"};
  }
  if (detail::nestedDeeperThan(text, limits::kMaxAppDataDepth)) {
    return Error{ErrorCode::DataInvalid, std::string(what) + ": nested too deep"};
  }
  return Ok{};
}

namespace {

}  // namespace

Result<GameJson> parseState(std::string_view text) {
  if (text.size() > limits::kMaxGameStateBytes) {
    return invalid("game state: " + std::to_string(text.size()) + " bytes, more than the limit of " +
                   std::to_string(limits::kMaxGameStateBytes));
  }
  // Depth first, scanning iteratively: nlohmann's parser recurses.
  if (detail::nestedDeeperThan(text, limits::kMaxAppDataDepth)) return invalid("game state: nested too deep");
  GameJson state = GameJson::parse(text, nullptr, /*allow_exceptions=*/false);
  if (state.is_discarded()) return invalid("game state: not valid JSON");
  if (!state.is_object()) return invalid("game state: must be a JSON object");
  return state;
}

std::string writeState(const GameJson& state) { return compactText(state); }

Status checkState(const GameJson& state) {
  if (!state.is_object()) return invalid("game state: must be a JSON object");
  return checkGameValue(state, limits::kMaxGameStateBytes, "game state");
}

std::uint64_t stateHash(const GameJson& state) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a 64-bit offset basis
  for (unsigned char c : compactText(state)) {
    hash ^= c;
    hash *= 1099511628211ULL;  // FNV prime
  }
  return hash;
}

namespace {

// Equal as game sync writes them. nlohmann's == holds 1 == 1.0 and -0.0 == 0.0, whose texts (and so
// hashes) differ: a delta that skipped them left the member's copy failing the host's hash (found by
// the game_delta fuzz target).
bool sameText(const GameJson& a, const GameJson& b) { return a.type() == b.type() && compactText(a) == compactText(b); }

}  // namespace

GameJson diff(const GameJson& from, const GameJson& to) {
  GameJson set = GameJson::object(), removed = GameJson::array(), objects = GameJson::object();
  for (const auto& [key, value] : to.items()) {
    auto old = from.find(key);
    if (old == from.end()) {
      set[key] = value;
    } else if (!sameText(*old, value)) {
      if (bothObjects(*old, value)) {
        objects[key] = diff(*old, value);
      } else {
        set[key] = value;
      }
    }
  }
  for (const auto& [key, value] : from.items()) {
    if (!to.contains(key)) removed.push_back(key);
  }
  GameJson delta = GameJson::object();
  if (!set.empty()) delta["s"] = std::move(set);
  if (!removed.empty()) delta["r"] = std::move(removed);
  if (!objects.empty()) delta["o"] = std::move(objects);
  return delta;
}

Result<GameJson> applyDelta(const GameJson& from, const GameJson& delta) {
  if (!from.is_object()) return invalid("delta: its base is not an object");
  if (!delta.is_object()) return invalid("delta: must be an object");
  for (const auto& [key, value] : delta.items()) {
    if (key != "s" && key != "r" && key != "o") return invalid("delta: unknown member \"" + key + "\"");
  }
  GameJson out = from;
  if (auto removed = delta.find("r"); removed != delta.end()) {
    if (!removed->is_array()) return invalid("delta.r: expected an array");
    for (const auto& key : *removed) {
      if (!key.is_string()) return invalid("delta.r: expected strings");
      if (out.erase(key.get<std::string>()) == 0) return invalid("delta.r: removes a key its base lacks");
    }
  }
  if (auto set = delta.find("s"); set != delta.end()) {
    if (!set->is_object()) return invalid("delta.s: expected an object");
    for (const auto& [key, value] : set->items()) out[key] = value;
  }
  if (auto objects = delta.find("o"); objects != delta.end()) {
    if (!objects->is_object()) return invalid("delta.o: expected an object");
    for (const auto& [key, inner] : objects->items()) {
      auto base = out.find(key);
      if (base == out.end() || !base->is_object()) return invalid("delta.o: \"" + key + "\" is not an object in its base");
      auto applied = applyDelta(*base, inner);
      if (!applied) return applied.error();
      *base = std::move(applied).value();
    }
  }
  return out;
}

GameJson interpolate(const GameJson& a, const GameJson& b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  if (a.is_number() && b.is_number()) {
    double from = a.get<double>(), to = b.get<double>();
    return from + (to - from) * t;
  }
  if (bothObjects(a, b)) {
    GameJson out = GameJson::object();
    for (const auto& [key, value] : b.items()) {
      auto old = a.find(key);
      out[key] = old == a.end() ? value : interpolate(*old, value, t);
    }
    return out;
  }
  return b;
}

}  // namespace huddle
