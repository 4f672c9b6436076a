#include "server/file_limit.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <limits>

namespace huddle::server {

std::uint64_t descriptorsNeeded(const ServerConfig& config) {
  return config.maxConnections + 2 * config.maxHttpConnections;
}

std::uint64_t raiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

std::string fitToOpenFileLimit(ServerConfig& config, std::uint64_t openFiles) {
  const std::uint64_t needed = descriptorsNeeded(config);
  const std::uint64_t available = openFiles > 2 * kReservedFileDescriptors ? openFiles - kReservedFileDescriptors
                                                                              : kReservedFileDescriptors;
  if (needed <= available) return {};
  const double share = static_cast<double>(available) / static_cast<double>(needed);
  const auto scaled = [share](std::size_t cap) {
    return std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(cap) * share));
  };
  const std::size_t ws = config.maxConnections;
  const std::size_t http = config.maxHttpConnections;
  config.maxConnections = scaled(ws);
  config.maxHttpConnections = scaled(http);
  return "open-file limit " + std::to_string(openFiles) + " is too low for max-connections " + std::to_string(ws) +
         " and max-http-connections " + std::to_string(http) + " (" + std::to_string(needed) + " + " +
         std::to_string(kReservedFileDescriptors) + " descriptors): lowered to " +
         std::to_string(config.maxConnections) + " and " + std::to_string(config.maxHttpConnections) +
         " (raise the hard limit, e.g. LimitNOFILE= or ulimit -Hn, to keep them)";
}

}  // namespace huddle::server
