// Who a connection counts as for the limits per address: an IPv4 address, an IPv6 /64.
#include <gtest/gtest.h>

#include "server/address.hpp"

namespace huddle::server {
namespace {

std::string keyOf(const char* text) { return addressKey(net::ip::make_address(text)); }

TEST(ServerAddressKey, IPv4IsItself) {
  EXPECT_EQ(keyOf("203.0.113.7"), "203.0.113.7");
  EXPECT_NE(keyOf("127.0.0.2"), keyOf("127.0.0.3"));
}

TEST(ServerAddressKey, IPv6CountsPerSlash64) {
  EXPECT_EQ(keyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(keyOf("2001:db8:1:2::1"), keyOf("2001:db8:1:2:ffff::9"));
  EXPECT_NE(keyOf("2001:db8:1:2::1"), keyOf("2001:db8:1:3::1"));
  EXPECT_EQ(keyOf("::1"), "::/64");
}

TEST(ServerAddressKey, IPv4MappedIsTheIPv4Address) {
  EXPECT_EQ(keyOf("::ffff:203.0.113.7"), "203.0.113.7");
}

}  // namespace
}  // namespace huddle::server
