// Runs the real huddle-server binary as a child process (for exit codes, the listening line and
// real signals).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace huddle::test {

class ServerProcess {
 public:
  // Starts HUDDLE_SERVER_BINARY with `args`; `env` entries ("NAME=value") replace the environment.
  // With `captureStderr`, the child's stderr goes to a pipe readStderr() reads (else to ours).
  ServerProcess(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                bool captureStderr = false);
  ~ServerProcess();  // kills the child if it still runs
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // The next stdout line, or nullopt at EOF/timeout.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout);
  // Everything the child writes to stdout until EOF (or timeout).
  std::string readAll(std::chrono::milliseconds timeout);
  // Everything the child writes to stderr until EOF (it exited) or timeout; needs captureStderr.
  std::string readStderr(std::chrono::milliseconds timeout);
  void signal(int sig);
  pid_t pid() const { return pid_; }
  // The exit code (or 128+signal), nullopt on timeout.
  std::optional<int> waitExit(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  std::string pending_;
  bool reaped_ = false;
};

}  // namespace huddle::test
