// The Hub's room passwords (docs/protocol.md "Room passwords"): a room keeps a salted hash, and a
// join must bring the password unless a join token for the room vouches for it. A wrong one is a
// failed join of its address, like room_not_found, so guessing one is as slow as guessing a code.
#include <array>
#include <cstdint>

#include "detail/same_secret.hpp"
#include "huddle/codec.hpp"
#include "huddle/hub.hpp"

namespace huddle {

bool Hub::canKeepPassword(ConnId conn, const std::string& password, const char* ref, std::vector<Outgoing>& out) {
  if (password.empty() || config_.hashPassword) return true;
  reject(conn, ErrorCode::Internal, "this server cannot keep room passwords", ref, out);
  return false;
}

void Hub::protect(Room& room, const std::string& password) {
  if (password.empty()) return;
  std::array<std::uint8_t, limits::kRoomPasswordSaltBytes> salt{};
  random_(salt);
  room.passwordSalt.assign(salt.begin(), salt.end());
  room.passwordHash = config_.hashPassword(password, room.passwordSalt);
}

bool Hub::admitByPassword(ConnId conn, const Connection& c, const Room& room, const Join& m, bool vouched,
                          bool waited, std::vector<Outgoing>& out) {
  // A site's join token for this room is its word that the holder belongs there.
  if (!room.hasPassword() || vouched) return true;
  // A join with create skipped the backoff (it never finds no room); here it can fail.
  if (!waited && !withinLimit(conn, c, AddressLimit::FailedJoins, 1, "join", out)) return false;
  if (!m.password.empty() && config_.hashPassword) {
    // A check is a key derivation under the Hub's lock: bounded per address, right or wrong.
    if (!withinLimit(conn, c, AddressLimit::PasswordChecks, 1, "join", out)) return false;
    addresses_.take(c.address, AddressLimit::PasswordChecks, 1, clock_());
    if (detail::sameSecret(room.passwordHash, config_.hashPassword(m.password, room.passwordSalt))) return true;
  }
  addresses_.take(c.address, AddressLimit::FailedJoins, 1, clock_());
  ++stats_.wrongPasswords;
  // Whether one was sent is no secret to the sender; the app asks for one on the first, and says
  // it was wrong on the second.
  reject(conn, ErrorCode::WrongPassword,
         m.password.empty() ? "room " + room.code() + " needs a password" : "wrong password for room " + room.code(),
         "join", out);
  return false;
}

}  // namespace huddle
