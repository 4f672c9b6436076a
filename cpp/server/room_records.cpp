#include "server/room_records.hpp"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

namespace huddle::server {
namespace {

using nlohmann::json;

// A record's format; a server reading another one skips the record (Hub::restoreRooms reports it).
constexpr int kVersion = 1;

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::optional<std::string> unhex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = digit(text[i]), lo = digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string encodeRoomRecord(const RoomRecord& r, std::int64_t writtenAtMs) {
  json members = json::array();
  for (const auto& m : r.members) {
    members.push_back({{"id", m.id}, {"name", m.name}, {"order", m.joinOrder}, {"token", m.token}});
  }
  json j = {{"v", kVersion},
            {"key", r.key},
            {"maxMembers", r.maxMembers},
            {"relayOnly", r.relayOnly},
            {"salt", hex(r.passwordSalt)},
            {"hash", hex(r.passwordHash)},
            {"creator", r.creator},
            {"othersJoined", r.othersJoined},
            {"nextJoinOrder", r.nextJoinOrder},
            {"idleMs", static_cast<std::int64_t>(r.idleMs)},
            {"writtenAt", writtenAtMs},
            {"members", std::move(members)}};
  return j.dump();
}

std::optional<RoomRecord> decodeRoomRecord(std::string_view text, std::int64_t nowMs, std::string& error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto fail = [&](std::string why) {
    error = std::move(why);
    return std::nullopt;
  };
  if (!j.is_object()) return fail("not a JSON object");
  if (auto v = j.find("v"); v == j.end() || !v->is_number_integer() || *v != kVersion) {
    return fail("format version is not " + std::to_string(kVersion));
  }
  // Every field with its type, or the record is not one this server wrote. (Parsed JSON holds a
  // number that is not negative as unsigned: the join orders must be.)
  enum class Kind { Text, Flag, Integer, Count, List };
  auto is = [](const json& v, Kind kind) {
    switch (kind) {
      case Kind::Text: return v.is_string();
      case Kind::Flag: return v.is_boolean();
      case Kind::Integer: return v.is_number_integer();
      case Kind::Count: return v.is_number_unsigned();
      case Kind::List: return v.is_array();
    }
    return false;
  };
  for (auto [name, kind] : {std::pair{"key", Kind::Text}, {"maxMembers", Kind::Count}, {"relayOnly", Kind::Flag},
                            {"salt", Kind::Text}, {"hash", Kind::Text}, {"creator", Kind::Text},
                            {"othersJoined", Kind::Flag}, {"nextJoinOrder", Kind::Count}, {"idleMs", Kind::Integer},
                            {"writtenAt", Kind::Integer}, {"members", Kind::List}}) {
    if (auto it = j.find(name); it == j.end() || !is(*it, kind)) {
      return fail(std::string("field ") + name + " missing or of another type");
    }
  }
  if (j["maxMembers"].get<std::uint64_t>() > 1000) return fail("maxMembers out of range");
  RoomRecord r;
  r.key = j["key"].get<std::string>();
  r.maxMembers = j["maxMembers"].get<int>();
  r.relayOnly = j["relayOnly"].get<bool>();
  auto salt = unhex(j["salt"].get<std::string>());
  auto hash = unhex(j["hash"].get<std::string>());
  if (!salt || !hash) return fail("salt or hash is not hex");
  r.passwordSalt = std::move(*salt);
  r.passwordHash = std::move(*hash);
  r.creator = j["creator"].get<std::string>();
  r.othersJoined = j["othersJoined"].get<bool>();
  r.nextJoinOrder = j["nextJoinOrder"].get<std::uint64_t>();
  // The server was down (or this one is late) since it was written: the room was idle meanwhile.
  const std::int64_t since = std::max<std::int64_t>(0, nowMs - j["writtenAt"].get<std::int64_t>());
  r.idleMs = static_cast<double>(std::max<std::int64_t>(0, j["idleMs"].get<std::int64_t>()) + since);
  for (const auto& m : j["members"]) {
    bool whole = m.is_object();
    for (auto [name, kind] : {std::pair{"id", Kind::Text}, {"name", Kind::Text}, {"order", Kind::Count},
                              {"token", Kind::Text}}) {
      whole = whole && m.contains(name) && is(m[name], kind);
    }
    if (!whole) return fail("a member without id, name, order and token");
    r.members.push_back({m["id"].get<std::string>(), m["name"].get<std::string>(), m["order"].get<std::uint64_t>(),
                         m["token"].get<std::string>()});
  }
  return r;
}

}  // namespace huddle::server
