// Who a connection comes from, as the per-address limits count it (docs/protocol.md, "Limits per
// address"): an IPv4 address is one party, an IPv6 /64 is one party (a home or a phone gets a
// whole /64, so its addresses are not worth telling apart). An IPv4 address written as IPv6
// (::ffff:a.b.c.d, a dual-stack listener's view of it) is that IPv4 address.
#pragma once

#include <string>

#include "server/net.hpp"

namespace huddle::server {

// "203.0.113.7" or "2001:db8:1:2::/64".
std::string addressKey(const net::ip::address& address);

}  // namespace huddle::server
