#include "server/redis_url.hpp"

#include <charconv>
#include <limits>

namespace huddle::server {
namespace {

constexpr std::string_view kScheme = "redis://";

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 percent-decoding; nullopt on a "%" not followed by two hex digits.
std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hexValue(text[i + 1]);
    const int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// Everything but RFC 3986's unreserved characters, so the user name reads back unambiguously.
std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

template <typename Int>
std::optional<Int> parseDecimal(std::string_view text) {
  Int value{};
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<RedisUrl> fail(std::string& error, std::string message) {
  error = "bad Redis URL: " + std::move(message);
  return std::nullopt;
}

}  // namespace

std::optional<RedisUrl> parseRedisUrl(std::string_view text, std::string& error) {
  if (startsWithNoCase(text, "rediss://"))
    return fail(error, "rediss:// (TLS) is not supported; use redis:// (a TLS proxy such as stunnel can sit in front)");
  if (startsWithNoCase(text, "unix://") || startsWithNoCase(text, "redis+unix://"))
    return fail(error, "Unix sockets are not supported; use redis://host:port");
  if (!startsWithNoCase(text, kScheme)) return fail(error, "it must start with redis://");
  std::string_view rest = text.substr(kScheme.size());

  RedisUrl url;
  // The user information ends at the last "@": a password with an unencoded "@" or "/" still reads
  // as its author meant it, since neither the host nor the db can hold an "@".
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userInfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = userInfo.find(':');
    if (colon == std::string_view::npos)
      return fail(error, "a user name needs a password (redis://user:password@host, or redis://:password@host)");
    auto username = percentDecode(userInfo.substr(0, colon));
    auto password = percentDecode(userInfo.substr(colon + 1));
    if (!username || !password)
      return fail(error, "a \"%\" in the user name or password is not followed by two hex digits");
    if (password->empty()) return fail(error, "the password after \":\" is empty");
    url.username = std::move(*username);
    url.password = std::move(*password);
  }

  if (rest.find_first_of("?#") != std::string_view::npos)
    return fail(error, "query strings and fragments are not supported (put the db in the path: redis://host:port/3)");

  std::string_view authority = rest;
  std::string_view path;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }

  std::string_view host = authority;
  std::string_view port;
  bool hasPort = false;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(error, "an IPv6 host needs its closing \"]\"");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail(error, "expected \":port\" after the IPv6 host's \"]\"");
      port = after.substr(1);
      hasPort = true;
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    hasPort = true;
    if (port.find(':') != std::string_view::npos)
      return fail(error, "an IPv6 host must be written in brackets (redis://[::1]:6379)");
  }
  if (host.empty()) return fail(error, "the host is empty");
  url.host = std::string(host);

  if (hasPort) {
    auto value = parseDecimal<unsigned>(port);
    if (!value || *value == 0 || *value > std::numeric_limits<unsigned short>::max())
      return fail(error, "the port must be a number from 1 to 65535, not \"" + std::string(port) + "\"");
    url.port = static_cast<unsigned short>(*value);
  }

  if (!path.empty()) {
    auto db = parseDecimal<int>(path);
    if (!db || *db < 0) return fail(error, "the db must be a number from 0 up, not \"" + std::string(path) + "\"");
    url.db = *db;
  }
  return url;
}

std::string redactedUrl(const RedisUrl& url) {
  std::string out(kScheme);
  if (!url.password.empty()) out += percentEncode(url.username) + ":***@";
  const bool ipv6 = url.host.find(':') != std::string::npos;
  out += ipv6 ? "[" + url.host + "]" : url.host;
  out += ":" + std::to_string(url.port) + "/" + std::to_string(url.db);
  return out;
}

}  // namespace huddle::server
