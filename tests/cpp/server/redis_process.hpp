// A real redis-server for the Redis client's tests: a child process on a free port of 127.0.0.1,
// no persistence, its files in a temporary directory. Fault tests kill it (SIGKILL) and start it
// again on the same port.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace huddle::test {

class RedisProcess {
 public:
  // Starts `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no` plus `extraArgs`
  // (e.g. {"--requirepass", "secret"}) and waits until it logs "Ready to accept connections".
  // Throws std::runtime_error with redis' own output if it is not ready within 5 s.
  explicit RedisProcess(std::vector<std::string> extraArgs = {});
  ~RedisProcess();  // kills it (SIGKILL) if it still runs, removes its directory
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  unsigned short port() const { return port_; }
  bool running() const { return pid_ > 0; }
  // SIGKILL, like a crash: no goodbye to its clients. Returns once the process is reaped.
  void kill();
  // SIGSTOP: it keeps its connections and data but answers nothing (a hung Redis) until resume().
  void pause();
  void resume();
  // Starts it again on the same port (killing it first if it still runs); throws like the constructor.
  void restart();
  // Runs `redis-cli -p PORT args...` and returns its standard output without the final newline.
  std::string cli(const std::vector<std::string>& args) const;

 private:
  // Starts the process; false (with `output` set to what it printed) if it never became ready.
  bool launch(std::string& output);

  std::vector<std::string> extraArgs_;
  std::string dir_;
  unsigned short port_ = 0;
  pid_t pid_ = -1;
};

// A port of 127.0.0.1 nothing listens on (it was free a moment ago).
unsigned short freeLocalPort();

}  // namespace huddle::test
