// A plain TCP connection for tests of the transport guards: it binds to a chosen source address
// first (the whole of 127/8 is loopback on Linux, so 127.0.0.2 and 127.0.0.3 are two parties for
// the per-address limits), then sends and reads raw bytes. Blocking, with timeouts.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace huddle::test {

// An HTTP response as read off the wire: status 0 when none came.
struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;  // whatever followed the head until the peer closed or the read timed out
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port from `source` (port chosen by the OS); throws on failure.
  // `receiveBufferBytes` > 0 shrinks SO_RCVBUF, so the server can only send as fast as the test reads.
  RawConnection(unsigned short port, const std::string& source = "127.0.0.1", int receiveBufferBytes = 0);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the server has closed the connection (the write failed).
  bool send(std::string_view bytes);
  // Reads until the head of a response is in (and, with `untilClosed`, until the peer closes),
  // or `timeout` passes.
  RawResponse readResponse(std::chrono::milliseconds timeout = std::chrono::milliseconds(1500),
                           bool untilClosed = false);
  // True when the server closes (EOF or reset) within `timeout`; bytes arriving meanwhile are
  // discarded.
  bool closedWithin(std::chrono::milliseconds timeout);
  // Reads whatever has arrived (at most `max` bytes) without waiting; -1 once the peer has closed.
  long readNow(std::size_t max);

 private:
  int fd_ = -1;
  std::string pending_;
};

// The opening request of a WebSocket to /ws, with `headers` added (e.g. Origin, X-Forwarded-For).
std::string upgradeRequest(unsigned short port, const std::map<std::string, std::string>& headers = {});

}  // namespace huddle::test
