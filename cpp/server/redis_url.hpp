// Where the optional Redis backend lives (`--redis redis://host:port/db`), and how it is shown in
// logs and /healthz without its password.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace huddle::server {

struct RedisUrl {
  std::string host = "127.0.0.1";  // a name or an address; IPv6 without the brackets
  unsigned short port = 6379;
  int db = 0;                      // SELECTed after connecting when not 0
  std::string username;            // Redis 6 ACL user; empty: AUTH with the password alone
  std::string password;            // empty: no AUTH
};

// Accepts redis://host, redis://host:port, redis://host:port/db, redis://:password@host:port/db and
// redis://user:password@host:port/db; the user and password are percent-decoded and an IPv6 host
// is written in brackets (redis://[::1]:6379). On failure returns nullopt and sets `error` to one
// line saying what is wrong; the error never repeats the URL, so it never shows a password.
std::optional<RedisUrl> parseRedisUrl(std::string_view text, std::string& error);

// The URL with the password replaced by "***" (redis://user:***@host:port/db), for logs and
// /healthz. Always shows the port and db, so two servers' settings compare at a glance.
std::string redactedUrl(const RedisUrl& url);

}  // namespace huddle::server
