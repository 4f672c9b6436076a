// huddle-server's readers of who a request comes from: the Origin header (checked on /ws), the
// trusted-proxy networks of the configuration and X-Forwarded-For. The input's lines are: an
// Origin, a Host, a network, and an X-Forwarded-For value.
#include "fuzz_check.hpp"
#include "server/address.hpp"
#include "server/origin_policy.hpp"

namespace {

std::string_view nextLine(std::string_view& text) {
  std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle::server;
  std::string_view text = huddle::fuzz::asText(data, size);
  std::string_view origin = nextLine(text);
  std::string_view host = nextLine(text);
  std::string_view network = nextLine(text);
  std::string_view forwardedFor = text;

  std::string normalized = normalizeOrigin(origin);
  HUDDLE_FUZZ_CHECK(normalizeOrigin(normalized) == normalized);  // normalizing is idempotent
  OriginPolicy configured({std::string(origin)}, "https://huddle.example");
  if (!normalized.empty()) (void)configured.allows(origin, host);
  OriginPolicy sameHost({}, "");
  (void)sameHost.allows(origin, host);
  OriginPolicy any({"*"}, "");
  HUDDLE_FUZZ_CHECK(any.allows(origin, host));

  std::vector<Network> trusted;
  if (auto parsed = parseNetwork(network)) {
    HUDDLE_FUZZ_CHECK(parsed->prefixBits <= (parsed->base.is_v4() ? 32u : 128u));
    HUDDLE_FUZZ_CHECK(parsed->contains(parsed->base));
    trusted.push_back(*parsed);
  }
  trusted.push_back(*parseNetwork("127.0.0.0/8"));
  const auto peer = net::ip::make_address("127.0.0.1");
  const auto client = clientAddress(peer, forwardedFor, trusted);
  (void)addressKey(client);
  const auto direct = net::ip::make_address("192.0.2.7");  // not a proxy: its header is ignored
  HUDDLE_FUZZ_CHECK(clientAddress(direct, forwardedFor, trusted) == direct || trusted.size() > 1);
  return 0;
}
