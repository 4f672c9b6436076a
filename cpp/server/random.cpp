#include "server/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace huddle::server {

void fillRandom(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    // Blocks only until the pool is first initialised at boot; reads of <= 256 bytes are never
    // interrupted once it is, but a signal may still cut a larger read short, so loop.
    ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "huddle-server: getrandom failed: %s\n", std::strerror(errno));
      std::abort();
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace huddle::server
