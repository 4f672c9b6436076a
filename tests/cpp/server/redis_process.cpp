#include "redis_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace huddle::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReadyTimeout = std::chrono::seconds(5);

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// fork + exec rather than posix_spawn: the child asks the kernel to kill it when the test process
// dies (PR_SET_PDEATHSIG), so a crashed test run leaves no redis-server behind. Between fork and
// exec only async-signal-safe calls, everything else is prepared before.
pid_t spawn(const std::vector<std::string>& args, int stdoutFd) {
  std::vector<std::string> strings = args;
  std::vector<char*> argv;
  for (auto& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(stdoutFd, STDOUT_FILENO);
    ::dup2(stdoutFd, STDERR_FILENO);
    // hiredis opens its sockets without O_CLOEXEC: keep the tests' connections out of redis.
    ::close_range(3, ~0U, 0);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

}  // namespace

unsigned short freeLocalPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free port on 127.0.0.1");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

RedisProcess::RedisProcess(std::vector<std::string> extraArgs) : extraArgs_(std::move(extraArgs)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "huddle-redis-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  // Another process may take the free port before redis binds it: try a few.
  std::string output;
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = freeLocalPort();
    if (launch(output)) return;
  }
  std::filesystem::remove_all(dir_);
  throw std::runtime_error("redis-server did not start; it printed:\n" + output);
}

RedisProcess::~RedisProcess() {
  kill();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool RedisProcess::launch(std::string& output) {
  const std::string log = dir_ + "/redis.log";
  const int logFd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (logFd < 0) throw std::runtime_error("cannot create " + log);
  std::vector<std::string> args{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", dir_};
  args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
  pid_ = spawn(args, logFd);
  ::close(logFd);

  const auto deadline = Clock::now() + kReadyTimeout;
  while (Clock::now() < deadline) {
    output = readFile(log);
    if (output.find("Ready to accept connections") != std::string::npos) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: a taken port, a bad argument
      pid_ = -1;
      output = readFile(log);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill();
  output = "(not ready within 5 s)\n" + readFile(log);
  return false;
}

void RedisProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);  // (a paused process dies too)
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisProcess::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisProcess::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

void RedisProcess::restart() {
  kill();
  std::string output;
  if (!launch(output)) throw std::runtime_error("redis-server did not start again; it printed:\n" + output);
}

std::string RedisProcess::cli(const std::vector<std::string>& args) const {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv{"redis-cli", "-p", std::to_string(port_)};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = spawn(argv, fds[1]);
  ::close(fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace huddle::test
