#include "server/log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace huddle::server {

void logLine(std::string_view line) {
  static std::mutex mutex;
  std::string text = "huddle-server: ";
  text.append(line);
  text.push_back('\n');
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace huddle::server
