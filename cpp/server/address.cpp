#include "server/address.hpp"

#include <charconv>

namespace huddle::server {
namespace {

// An IPv4 address written as IPv6 is that IPv4 address, everywhere here.
net::ip::address unmapped(const net::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  return address;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string addressKey(const net::ip::address& address) {
  const auto a = unmapped(address);
  if (a.is_v4()) return a.to_v4().to_string();
  auto bytes = a.to_v6().to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return net::ip::address_v6(bytes).to_string() + "/64";
}

bool Network::contains(const net::ip::address& address) const {
  const auto a = unmapped(address);
  if (a.is_v4() != base.is_v4()) return false;
  const auto compare = [this](const auto& x, const auto& y) {
    unsigned bits = prefixBits;
    for (std::size_t i = 0; i < x.size() && bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
      const unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
      if ((x[i] & mask) != (y[i] & mask)) return false;
    }
    return true;
  };
  return a.is_v4() ? compare(a.to_v4().to_bytes(), base.to_v4().to_bytes())
                   : compare(a.to_v6().to_bytes(), base.to_v6().to_bytes());
}

std::optional<Network> parseNetwork(std::string_view text) {
  const auto slash = text.find('/');
  boost::system::error_code ec;
  const auto base = net::ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return std::nullopt;
  Network network{unmapped(base), 0};
  const unsigned maxBits = network.base.is_v4() ? 32 : 128;
  network.prefixBits = maxBits;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    auto [end, err] = std::from_chars(bits.data(), bits.data() + bits.size(), network.prefixBits);
    if (bits.empty() || err != std::errc{} || end != bits.data() + bits.size() || network.prefixBits > maxBits)
      return std::nullopt;
  }
  return network;
}

net::ip::address clientAddress(const net::ip::address& peer, std::string_view forwardedFor,
                               const std::vector<Network>& trustedProxies) {
  const auto trusted = [&](const net::ip::address& a) {
    for (const auto& network : trustedProxies)
      if (network.contains(a)) return true;
    return false;
  };
  net::ip::address client = unmapped(peer);
  while (trusted(client)) {
    if (forwardedFor.empty()) break;
    const auto comma = forwardedFor.rfind(',');
    const std::string_view hop = trim(comma == std::string_view::npos ? forwardedFor : forwardedFor.substr(comma + 1));
    forwardedFor = comma == std::string_view::npos ? std::string_view() : forwardedFor.substr(0, comma);
    boost::system::error_code ec;
    const auto address = net::ip::make_address(std::string(hop), ec);
    if (ec) break;
    client = unmapped(address);
  }
  return client;
}

}  // namespace huddle::server
