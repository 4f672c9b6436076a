// Room records (huddle/room_record.hpp) as the directory stores them in Redis: one JSON object
// per room, its binary fields (the password's salt and hash) in hex, stamped with the wall-clock
// time it was written so a server reading it later knows how long the room has been idle.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "huddle/room_record.hpp"

namespace huddle::server {

// Wall-clock ms since the epoch: what records are stamped with.
std::int64_t wallClockMs();

// The record's JSON text; `writtenAtMs`: wall-clock ms since the epoch.
std::string encodeRoomRecord(const RoomRecord& record, std::int64_t writtenAtMs);

// A stored record, with the time since it was written (`nowMs`, wall clock) added to its idle
// time. nullopt, with `error` set, for text this server did not write (the Hub checks the rest:
// Hub::restoreRooms).
std::optional<RoomRecord> decodeRoomRecord(std::string_view text, std::int64_t nowMs, std::string& error);

}  // namespace huddle::server
