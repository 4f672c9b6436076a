// A minimal HTTP/1.1 client for tests: one request per connection, raw request target (so
// traversal attempts like "/../etc/passwd" reach the server unchanged), bounded by a timeout.
#pragma once

#include <map>
#include <string>

namespace huddle::test {

struct HttpResult {
  int status = 0;  // 0: no response
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
  }
};

// `headers` are added to the request (Host and Connection: close are always sent).
HttpResult httpRequest(unsigned short port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {});
inline HttpResult httpGet(unsigned short port, const std::string& target) { return httpRequest(port, "GET", target); }

}  // namespace huddle::test
