#include "server/room_password.hpp"

#include <stdexcept>

#include <openssl/evp.h>

namespace huddle::server {

std::string hashRoomPassword(std::string_view password, std::string_view salt, int iterations) {
  std::string out(kRoomPasswordHashBytes, '\0');
  int ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                             reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                             iterations, EVP_sha256(), kRoomPasswordHashBytes,
                             reinterpret_cast<unsigned char*>(out.data()));
  // Fails only when OpenSSL cannot allocate: a programmer-level failure, not a user's.
  if (ok != 1) throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
  return out;
}

PasswordHasher makePasswordHasher(int iterations) {
  return [iterations](std::string_view password, std::string_view salt) {
    return hashRoomPassword(password, salt, iterations);
  };
}

}  // namespace huddle::server
