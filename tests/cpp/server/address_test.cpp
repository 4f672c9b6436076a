// Who a connection counts as for the limits per address: an IPv4 address, an IPv6 /64, and behind
// a trusted proxy the client its X-Forwarded-For names.
#include <string_view>
#include <vector>

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

TEST(ServerNetwork, ParsesAddressesAndCidrs) {
  auto ten = parseNetwork("10.0.0.0/8");
  ASSERT_TRUE(ten);
  EXPECT_TRUE(ten->contains(net::ip::make_address("10.200.3.4")));
  EXPECT_TRUE(ten->contains(net::ip::make_address("::ffff:10.1.1.1")));
  EXPECT_FALSE(ten->contains(net::ip::make_address("11.0.0.1")));
  auto one = parseNetwork("192.0.2.5");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->contains(net::ip::make_address("192.0.2.5")));
  EXPECT_FALSE(one->contains(net::ip::make_address("192.0.2.6")));
  auto v6 = parseNetwork("2001:db8::/33");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(net::ip::make_address("2001:db8:7fff::1")));
  EXPECT_FALSE(v6->contains(net::ip::make_address("2001:db8:8000::1")));
  EXPECT_FALSE(v6->contains(net::ip::make_address("10.0.0.1")));
  for (const char* bad : {"", "proxy.example", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8x", "::/129"})
    EXPECT_FALSE(parseNetwork(bad)) << bad;
}

TEST(ServerClientAddress, OnlyTrustedProxiesMayNameTheClient) {
  const std::vector<Network> proxies{*parseNetwork("10.0.0.0/8")};
  const auto client = [&](const char* peer, std::string_view xff) {
    return clientAddress(net::ip::make_address(peer), xff, proxies).to_string();
  };
  EXPECT_EQ(client("198.51.100.9", "203.0.113.7"), "198.51.100.9");  // not a proxy: header ignored
  EXPECT_EQ(client("10.0.0.2", "203.0.113.7"), "203.0.113.7");
  // The nearest hop that is not a proxy: what the client wrote itself (left) is not believed.
  EXPECT_EQ(client("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.3"), "203.0.113.7");
  EXPECT_EQ(client("10.0.0.2", " 2001:db8::1 "), "2001:db8::1");
  EXPECT_EQ(client("10.0.0.2", ""), "10.0.0.2");              // no header: the proxy itself
  EXPECT_EQ(client("10.0.0.2", "garbage, 10.0.0.3"), "10.0.0.3");  // unreadable hop: the nearest proxy
  EXPECT_EQ(client("::ffff:10.0.0.2", "203.0.113.7"), "203.0.113.7");
}

}  // namespace
}  // namespace huddle::server
