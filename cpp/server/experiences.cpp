#include "server/experiences.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <system_error>
#include <vector>

#include "huddle/limits.hpp"

namespace huddle::server {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

StaticTarget notFound() {
  StaticTarget t;
  t.kind = StaticTarget::Kind::NotFound;
  return t;
}

std::optional<std::string> textField(const json& description, const char* key, std::size_t maxLength) {
  auto it = description.find(key);
  if (it == description.end() || !it->is_string()) return std::nullopt;
  const auto& text = it->get_ref<const std::string&>();
  if (text.empty() || text.size() > maxLength) return std::nullopt;
  return text;
}

std::optional<int> playersField(const json& description, const char* key) {
  auto it = description.find(key);
  // Parsed JSON holds every non-negative integer as unsigned; 2.5, -1, "2" and true are not.
  if (it == description.end() || !it->is_number_unsigned()) return std::nullopt;
  // Compared as read, so a huge number cannot wrap into the range.
  const auto players = it->get<std::uint64_t>();
  if (players < static_cast<std::uint64_t>(kMinExperiencePlayers) ||
      players > static_cast<std::uint64_t>(limits::kMaxRoomSizeCap))
    return std::nullopt;
  return static_cast<int>(players);
}

}  // namespace

ExperiencesRoute experiencesRoute(std::string_view path) {
  if (!path.starts_with(kExperiencesPath)) return ExperiencesRoute::None;
  const std::string_view rest = path.substr(kExperiencesPath.size());
  if (rest.empty() || rest == "/") return ExperiencesRoute::Listing;
  return rest.front() == '/' ? ExperiencesRoute::File : ExperiencesRoute::None;
}

bool isExperienceName(std::string_view name) {
  if (name.empty() || name.size() > kMaxExperienceNameLength) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

json listingEntry(std::string_view name, std::string_view descriptionJson) {
  json entry = {{"name", name}, {"title", name}};
  const json description = json::parse(descriptionJson, nullptr, /*allow_exceptions=*/false);
  if (!description.is_object()) return entry;
  if (auto title = textField(description, "title", kMaxExperienceTitleLength)) entry["title"] = *title;
  if (auto text = textField(description, "description", kMaxExperienceDescriptionLength)) entry["description"] = *text;
  auto minPlayers = playersField(description, "minPlayers");
  auto maxPlayers = playersField(description, "maxPlayers");
  if (minPlayers && maxPlayers && *minPlayers > *maxPlayers) {
    // Contradictory: neither number can be trusted.
    minPlayers.reset();
    maxPlayers.reset();
  }
  if (minPlayers) entry["minPlayers"] = *minPlayers;
  if (maxPlayers) entry["maxPlayers"] = *maxPlayers;
  return entry;
}

ReadResult readFileUpTo(const fs::path& file, std::uintmax_t maxBytes, std::string& out) {
  out.clear();
  std::ifstream in(file, std::ios::binary);
  if (!in) return ReadResult::Unreadable;
  // Read in pieces rather than trusting the size on disk: the file may grow meanwhile.
  char chunk[16 * 1024];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    if (out.size() + static_cast<std::uintmax_t>(in.gcount()) > maxBytes) {
      out.clear();
      return ReadResult::TooLarge;
    }
    out.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  return in.bad() ? ReadResult::Unreadable : ReadResult::Ok;
}

Experiences::Experiences(const fs::path& root) : files_(root, StaticTree::Plain) {}

StaticTarget Experiences::resolve(std::string_view target) const {
  // "/experiences/NAME/..." is "/NAME/..." under the experiences directory.
  const std::string_view inner = target.substr(std::min(kExperiencesPath.size(), target.size()));
  StaticTarget t = files_.resolve(inner);
  if (t.kind == StaticTarget::Kind::BadRequest) return t;

  // The name as sent: an escaped one ("%64raw") is no name.
  const std::string_view path = inner.substr(0, inner.find_first_of("?#"));
  const std::size_t nameEnd = path.find('/', 1);
  if (!isExperienceName(path.substr(1, nameEnd - 1))) return notFound();
  // Only what is inside an experience's directory: a file lying next to them is not one.
  if (nameEnd == std::string_view::npos && t.kind == StaticTarget::Kind::File) return notFound();

  if (t.kind == StaticTarget::Kind::Redirect) t.location.insert(0, kExperiencesPath);
  if (t.kind == StaticTarget::Kind::File && t.contentType.starts_with("text/html")) {
    t.insertP2pScript = true;
    t.siblings = {};  // the page is rewritten per request: a compressed copy of the file is no use
  }
  return t;
}

std::string Experiences::listingJson() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(files_.root(), ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code typeError;
    std::string name = it->path().filename().string();
    if (isExperienceName(name) && it->is_directory(typeError)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());

  json listing = json::array();
  for (const auto& name : names) {
    if (listing.size() == kMaxListedExperiences) break;
    // Listed only if it can be served: an index.html inside the experiences directory.
    const std::string base = "/" + name + "/";
    if (files_.resolve(base).kind != StaticTarget::Kind::File) continue;
    std::string description;  // stays empty (the fallback) when missing, unreadable or too big
    const StaticTarget file = files_.resolve(base + std::string(kExperienceDescriptionFile));
    if (file.kind == StaticTarget::Kind::File) readFileUpTo(file.file, kMaxExperienceDescriptionBytes, description);
    listing.push_back(listingEntry(name, description));
  }
  // Titles come from files: replace invalid UTF-8 rather than throw.
  return listing.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace huddle::server
