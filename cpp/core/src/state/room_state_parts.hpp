// What the three parts of RoomState (room_state.cpp, room_state_member.cpp, room_state_host.cpp) share privately.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "huddle/room_state.hpp"
#include "state/document.hpp"

namespace huddle {

// A snapshot being received, part by part (parts may arrive in any order).
struct RoomState::Incoming {
  std::uint64_t q = 0;
  state::Position position;
  std::uint64_t hash = 0;
  std::uint32_t parts = 0;
  std::vector<bool> got;
  std::uint32_t count = 0;
  state::Document doc;
  std::uint64_t highestLamport = 0;
};

namespace state {
inline Error tooLarge(const std::string& what) { return Error{ErrorCode::StateTooLarge, what}; }
}  // namespace state

}  // namespace huddle
