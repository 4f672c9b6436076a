// Who a connection comes from, as the per-address limits count it (docs/security.md, "Limits per
// address"): an IPv4 address is one party, an IPv6 /64 is one party (a home or a phone gets a
// whole /64, so its addresses are not worth telling apart). An IPv4 address written as IPv6
// (::ffff:a.b.c.d, a dual-stack listener's view of it) is that IPv4 address.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/net.hpp"

namespace huddle::server {

// "203.0.113.7" or "2001:db8:1:2::/64".
std::string addressKey(const net::ip::address& address);

// An address range: "10.0.0.0/8", "2001:db8::/32", or one address ("10.0.0.1" is 10.0.0.1/32).
struct Network {
  net::ip::address base;
  unsigned prefixBits = 0;
  bool contains(const net::ip::address& address) const;
};
// nullopt when `text` is neither an address nor address/prefix with a prefix that fits.
std::optional<Network> parseNetwork(std::string_view text);

// The address a request comes from, for the limits per address. `peer` (the TCP peer) itself,
// unless it is one of `trustedProxies`: then the X-Forwarded-For hops are read from the right
// (each proxy appends the address it got the request from) and the first one that is not a
// trusted proxy is the client. A missing or unreadable hop leaves the nearest trusted one, so a
// broken proxy is capped as one party rather than letting a client choose its own key.
net::ip::address clientAddress(const net::ip::address& peer, std::string_view forwardedFor,
                               const std::vector<Network>& trustedProxies);

}  // namespace huddle::server
