#include "huddle/route.hpp"

#include "detail/text_fields.hpp"
#include "wire/json_scan.hpp"

namespace huddle {
namespace {

using wire::JsonCursor;
using wire::JsonKind;
using wire::kindOf;
using wire::plainString;
using wire::safeInteger;

// The codec's bounds (codec_client.cpp, detail/signal_payload.cpp).
constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxSdpMidBytes = 64;
constexpr std::uint64_t kMaxMLineIndex = 1024;

// The members of one object a frame reads, each at most once. Keys are compared as written: an
// escaped key (never sent by huddle's clients) makes the frame unusual.
template <std::size_t N>
class Members {
 public:
  explicit Members(const std::array<std::string_view, N>& keys) : keys_(keys) {}

  // False when the object repeats a wanted member or escapes a key; other members are ignored,
  // unless `onlyWanted`.
  bool read(std::string_view object, bool onlyWanted = false) {
    JsonCursor cursor(object);
    std::string_view key, value;
    while (cursor.nextMember(key, value)) {
      if (!take(key, value, onlyWanted)) return false;
    }
    return true;
  }
  // The same from the members the validator recorded.
  bool read(const wire::JsonMembers& members) {
    for (std::size_t i = 0; i < members.count; ++i) {
      if (!take(members.keys[i], members.values[i], false)) return false;
    }
    return true;
  }

  bool has(std::size_t i) const { return found_[i]; }
  std::string_view operator[](std::size_t i) const { return values_[i]; }

 private:
  bool take(std::string_view key, std::string_view value, bool onlyWanted) {
    if (key.find('\\') != std::string_view::npos) return false;
    std::size_t i = 0;
    while (i < N && keys_[i] != key) ++i;
    if (i == N) return !onlyWanted;
    if (found_[i]) return false;
    found_[i] = true;
    values_[i] = value;
    return true;
  }

  const std::array<std::string_view, N>& keys_;
  std::array<bool, N> found_{};
  std::array<std::string_view, N> values_{};
};

// A string of at most maxBytes (counted as written, which is never fewer than as decoded) without
// escapes: ids and kinds.
std::optional<std::string_view> plainBounded(std::string_view value, std::size_t maxBytes) {
  auto s = plainString(value);
  if (!s || s->size() > maxBytes) return std::nullopt;
  return s;
}

// A string of at most maxBytes once decoded; escapes are fine, since its text is forwarded as is.
bool boundedString(std::string_view value, std::size_t maxBytes) {
  return kindOf(value) == JsonKind::String && value.size() - 2 <= maxBytes;
}

// The members of a client frame the hot path reads, all in one walk.
constexpr std::array<std::string_view, 6> kFrameKeys{"t", "to", "seq", "data", "parts", "id"};
enum FrameKey { T, To, Seq, Data, Parts, Id };
using FrameMembers = Members<kFrameKeys.size()>;

std::optional<Route> readRelay(const FrameMembers& members) {
  if (!members.has(Seq)) return std::nullopt;
  auto seq = safeInteger(members[Seq]);
  if (!seq) return std::nullopt;
  RouteRelay relay;
  relay.seq = *seq;
  if (!members.has(Parts)) {
    if (!members.has(Data)) return std::nullopt;
    relay.data = members[Data];
    if (members.has(To)) {
      auto to = plainBounded(members[To], kMaxIdBytes);
      if (!to || to->empty()) return std::nullopt;  // (an empty one is refused by the full decoder)
      relay.to = *to;
    }
    return relay;
  }
  if (members.has(To) || members.has(Data) || kindOf(members[Parts]) != JsonKind::Array) return std::nullopt;
  static constexpr std::array<std::string_view, 2> kPartKeys{"to", "data"};
  JsonCursor parts(members[Parts]);
  std::string_view part;
  while (parts.nextElement(part)) {
    if (relay.partCount == relay.parts.size() || kindOf(part) != JsonKind::Object) return std::nullopt;
    Members fields(kPartKeys);
    if (!fields.read(part) || !fields.has(0) || !fields.has(1)) return std::nullopt;
    auto to = plainBounded(fields[0], kMaxIdBytes);
    if (!to) return std::nullopt;
    relay.parts[relay.partCount++] = RoutePart{*to, fields[1]};
  }
  if (relay.partCount == 0) return std::nullopt;
  return relay;
}

// Offers and answers carry exactly {kind, sdp}; candidates {kind, candidate[, sdpMid][, sdpMLineIndex]}.
// Anything more is for the full decoder, which drops what the protocol does not know.
bool signalData(std::string_view data) {
  if (kindOf(data) != JsonKind::Object) return false;
  static constexpr std::array<std::string_view, 5> kKeys{"kind", "sdp", "candidate", "sdpMid", "sdpMLineIndex"};
  enum SignalKey { Kind, Sdp, Candidate, SdpMid, MLine };
  Members members(kKeys);
  if (!members.read(data, /*onlyWanted=*/true) || !members.has(Kind)) return false;
  auto kind = plainString(members[Kind]);
  if (!kind) return false;
  if (*kind == "offer" || *kind == "answer") {
    return members.has(Sdp) && !members.has(Candidate) && !members.has(SdpMid) && !members.has(MLine) &&
           boundedString(members[Sdp], limits::kMaxSdpBytes);
  }
  if (*kind != "ice_candidate" || members.has(Sdp) || !members.has(Candidate)) return false;
  if (!boundedString(members[Candidate], limits::kMaxCandidateBytes)) return false;
  if (members.has(SdpMid) && !boundedString(members[SdpMid], kMaxSdpMidBytes)) return false;
  if (members.has(MLine)) {
    auto index = safeInteger(members[MLine]);
    if (!index || *index > kMaxMLineIndex) return false;
  }
  return true;
}

std::optional<Route> readSignal(const FrameMembers& members) {
  if (!members.has(To) || !members.has(Data)) return std::nullopt;
  auto to = plainBounded(members[To], kMaxIdBytes);
  if (!to || !signalData(members[Data])) return std::nullopt;
  return RouteSignal{*to, members[Data]};
}

std::optional<Route> readPing(const FrameMembers& members) {
  if (!members.has(Id)) return RoutePing{};
  auto id = safeInteger(members[Id]);
  if (!id) return std::nullopt;
  return RoutePing{*id};
}

}  // namespace

std::optional<Route> readRoute(std::string_view text) {
  wire::JsonMembers top;
  if (text.size() > limits::kMaxFrameBytes || !wire::isStrictJson(text, detail::kMaxJsonDepth, &top)) {
    return std::nullopt;
  }
  // Leading whitespace is legal; the value starts after it.
  std::string_view frame = text.substr(text.find_first_not_of(" \t\r\n"));
  if (kindOf(frame) != JsonKind::Object) return std::nullopt;
  FrameMembers members(kFrameKeys);
  if (!(top.complete ? members.read(top) : members.read(frame)) || !members.has(T)) return std::nullopt;
  auto t = plainString(members[T]);
  if (!t) return std::nullopt;
  if (*t == "relay") return readRelay(members);
  if (*t == "signal") return readSignal(members);
  if (*t == "ping") return readPing(members);
  return std::nullopt;
}

}  // namespace huddle
