#include "server/content_coding.hpp"

#include <algorithm>
#include <string>

namespace huddle::server {
namespace {

bool isWhitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )   (RFC 9110 §12.4.2)
std::optional<int> parseQuality(std::string_view value) {
  if (value.empty() || (value[0] != '0' && value[0] != '1')) return std::nullopt;
  const int whole = value[0] - '0';
  value.remove_prefix(1);
  if (value.empty()) return whole * kQualityMax;
  if (value[0] != '.' || value.size() > 4) return std::nullopt;
  int thousandths = 0;
  int scale = 100;
  for (char c : value.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    thousandths += (c - '0') * scale;
    scale /= 10;
  }
  if (whole == 1 && thousandths != 0) return std::nullopt;
  return whole * kQualityMax + thousandths;
}

// The q-value of one list element's parameters (";q=0.5;..."): the default when there is none,
// nullopt when it is malformed.
std::optional<int> qualityOf(std::string_view params) {
  while (!params.empty()) {
    params.remove_prefix(1);  // the ';'
    const std::size_t end = params.find(';');
    const std::string_view param = trim(params.substr(0, end));
    params = end == std::string_view::npos ? std::string_view() : params.substr(end);
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (equalsIgnoringCase(trim(param.substr(0, eq)), "q")) return parseQuality(trim(param.substr(eq + 1)));
  }
  return kQualityMax;
}

void setOnce(std::optional<int>& slot, int quality) {
  if (!slot) slot = quality;
}

}  // namespace

std::string_view codingToken(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::Brotli:
      return "br";
    case ContentCoding::Gzip:
      return "gzip";
    case ContentCoding::Identity:
      break;
  }
  return {};
}

std::string_view siblingSuffix(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::Brotli:
      return ".br";
    case ContentCoding::Gzip:
      return ".gz";
    case ContentCoding::Identity:
      break;
  }
  return {};
}

std::filesystem::path siblingPath(const std::filesystem::path& file, ContentCoding coding) {
  std::filesystem::path sibling = file;
  sibling += siblingSuffix(coding);
  return sibling;
}

AcceptedCodings parseAcceptEncoding(std::string_view header) {
  std::optional<int> brotli, gzip, identity, any;
  while (!header.empty()) {
    const std::size_t end = header.find(',');
    const std::string_view element = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);

    const std::size_t paramsAt = element.find(';');
    const std::string_view coding = trim(element.substr(0, paramsAt));
    if (coding.empty()) continue;  // "a, ,b": empty list elements are allowed (§5.6.1)
    const auto quality = qualityOf(paramsAt == std::string_view::npos ? std::string_view() : element.substr(paramsAt));
    if (!quality) continue;
    if (equalsIgnoringCase(coding, "br")) setOnce(brotli, *quality);
    else if (equalsIgnoringCase(coding, "gzip") || equalsIgnoringCase(coding, "x-gzip")) setOnce(gzip, *quality);
    else if (equalsIgnoringCase(coding, "identity")) setOnce(identity, *quality);
    else if (coding == "*") setOnce(any, *quality);
  }
  AcceptedCodings accepted;
  accepted.brotli = brotli.value_or(any.value_or(0));
  accepted.gzip = gzip.value_or(any.value_or(0));
  accepted.identity = identity;
  return accepted;
}

ContentCoding chooseCoding(const AcceptedCodings& accepted, Siblings siblings) {
  const int brotli = siblings.brotli ? accepted.brotli : 0;
  const int gzip = siblings.gzip ? accepted.gzip : 0;
  const int best = std::max(brotli, gzip);
  if (best == 0) return ContentCoding::Identity;
  if (accepted.identity && *accepted.identity > best) return ContentCoding::Identity;
  return brotli >= gzip ? ContentCoding::Brotli : ContentCoding::Gzip;
}

}  // namespace huddle::server
