// Open files (RLIMIT_NOFILE) against the connection caps: the server must refuse connections
// politely at its own caps before the process runs out of file descriptors, because at that point
// accept() fails and every client waits in the kernel's backlog, the legitimate ones included.
// docs/security.md, "Connection caps and file descriptors".
#pragma once

#include <cstdint>
#include <string>

#include "server/config.hpp"

namespace huddle::server {

// Descriptors the caps leave free: stdio, the listener, epoll, timers, log files, and the
// accepted-then-refused connections that live for one write.
inline constexpr std::uint64_t kReservedFileDescriptors = 64;

// Descriptors the caps may use at most: one per WebSocket, two per HTTP connection (its socket
// and the file it is sending).
std::uint64_t descriptorsNeeded(const ServerConfig& config);

// Raises the soft RLIMIT_NOFILE to the hard limit (the default soft limit is often 1,024) and
// returns the soft limit in force afterwards (UINT64_MAX when unlimited).
std::uint64_t raiseOpenFileLimit();

// Lowers maxConnections and maxHttpConnections in proportion when descriptorsNeeded() plus
// kReservedFileDescriptors would exceed `openFiles`. Returns "" when nothing changed, else a line
// for the log saying what was lowered and why.
std::string fitToOpenFileLimit(ServerConfig& config, std::uint64_t openFiles);

}  // namespace huddle::server
