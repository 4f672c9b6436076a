// huddle-server's room password hash: PBKDF2-HMAC-SHA256 (RFC 8018) as OpenSSL computes it, checked
// against published vectors (the same figures as Python's hashlib.pbkdf2_hmac), and the hasher the
// Hub gets.
#include <string>

#include <gtest/gtest.h>

#include "server/room_password.hpp"

namespace huddle::server {
namespace {

std::string hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

TEST(RoomPassword, IsPbkdf2HmacSha256OfThePasswordAndSalt) {
  EXPECT_EQ(hex(hashRoomPassword("password", "salt", 1)),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  EXPECT_EQ(hex(hashRoomPassword("password", "salt", 4096)),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
}

TEST(RoomPassword, TheHubsHasherUsesTheDeployedIterationCount) {
  PasswordHasher hash = makePasswordHasher();
  const std::string salt(16, '\x07');
  EXPECT_EQ(hash("open sesame", salt), hashRoomPassword("open sesame", salt, kRoomPasswordIterations));
  EXPECT_EQ(hash("open sesame", salt).size(), static_cast<std::size_t>(kRoomPasswordHashBytes));
  EXPECT_NE(hash("open sesame", salt), hash("open sesamE", salt));
  EXPECT_NE(hash("open sesame", salt), hash("open sesame", std::string(16, '\x08')));
}

}  // namespace
}  // namespace huddle::server
