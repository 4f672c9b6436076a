// huddle-server's readers of request headers that choose a response: Accept-Encoding (which
// precompressed sibling to send) and If-None-Match (whether a 304 answers). The input is one
// header value; the bytes after a NUL, if any, are the entity tag it is compared with.
#include "fuzz_check.hpp"
#include "server/content_coding.hpp"
#include "server/entity_tag.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle::server;
  std::string_view text = huddle::fuzz::asText(data, size);
  AcceptedCodings accepted = parseAcceptEncoding(text);
  HUDDLE_FUZZ_CHECK(accepted.brotli >= 0 && accepted.brotli <= kQualityMax);
  HUDDLE_FUZZ_CHECK(accepted.gzip >= 0 && accepted.gzip <= kQualityMax);
  if (accepted.identity) HUDDLE_FUZZ_CHECK(*accepted.identity >= 0 && *accepted.identity <= kQualityMax);
  for (bool brotli : {false, true}) {
    for (bool gzip : {false, true}) {
      ContentCoding chosen = chooseCoding(accepted, Siblings{brotli, gzip});
      // Only a sibling that exists may be chosen.
      if (chosen == ContentCoding::Brotli) HUDDLE_FUZZ_CHECK(brotli);
      if (chosen == ContentCoding::Gzip) HUDDLE_FUZZ_CHECK(gzip);
    }
  }
  std::size_t nul = text.find('\0');
  std::string_view header = text.substr(0, nul);
  std::string etag = nul == std::string_view::npos ? contentEntityTag(text) : std::string(text.substr(nul + 1));
  (void)ifNoneMatchHits(header, etag);
  HUDDLE_FUZZ_CHECK(ifNoneMatchHits("*", contentEntityTag(text)));
  HUDDLE_FUZZ_CHECK(ifNoneMatchHits(contentEntityTag(text), contentEntityTag(text)));
  return 0;
}
