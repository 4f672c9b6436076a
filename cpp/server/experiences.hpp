// The experiences huddle-server hosts (docs/experiences.md): GET /experiences/NAME/... serves
// experiencesDir/NAME/... with the static files' safety rules, and GET /experiences/ lists them
// as JSON, described by each one's experience.json. The directory is read on every request, so
// experiences can be added or changed while the server runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "server/static_files.hpp"

namespace huddle::server {

// Where experiences live in the URL space.
inline constexpr std::string_view kExperiencesPath = "/experiences";
// The file an experience describes itself in: {"title", "description", "minPlayers", "maxPlayers"}.
inline constexpr std::string_view kExperienceDescriptionFile = "experience.json";
// Names are 1 to kMaxExperienceNameLength characters from a-z, 0-9 and '-'.
inline constexpr std::size_t kMaxExperienceNameLength = 64;
// Experiences listed at most (the first ones by name); the listing stays a small response.
inline constexpr std::size_t kMaxListedExperiences = 1000;
// A bigger experience.json counts as invalid (it is read whole for every listing).
inline constexpr std::uintmax_t kMaxExperienceDescriptionBytes = 64 * 1024;
// Longer texts in experience.json are left out of the listing.
inline constexpr std::size_t kMaxExperienceTitleLength = 200;
inline constexpr std::size_t kMaxExperienceDescriptionLength = 2000;
// minPlayers/maxPlayers outside this range are left out (a room holds at most kMaxRoomSizeCap).
inline constexpr int kMinExperiencePlayers = 1;
// HTML pages are read into memory to insert p2p.js; a bigger one is answered 500.
inline constexpr std::uintmax_t kMaxExperiencePageBytes = 8 * 1024 * 1024;

// Which part of the experiences URL space a request path (no query) falls in. Decided on the path
// as sent, before the web app's routes, so its fallback never answers for an experience.
enum class ExperiencesRoute {
  None,     // not under /experiences
  Listing,  // "/experiences" or "/experiences/"
  File,     // "/experiences/NAME..." (whether or not NAME is valid)
};
ExperiencesRoute experiencesRoute(std::string_view path);

// [a-z0-9-]{1,kMaxExperienceNameLength}
bool isExperienceName(std::string_view name);

// One entry of the listing: name and title always (title falls back to the name), description,
// minPlayers and maxPlayers when experience.json gives them with the right type and in range.
// `descriptionJson` that is not a JSON object (empty, malformed, an array, ...) gives the
// fallback. minPlayers above maxPlayers leaves both out.
nlohmann::json listingEntry(std::string_view name, std::string_view descriptionJson);

enum class ReadResult { Ok, Unreadable, TooLarge };
// Reads a whole file into `out`, refusing one bigger than `maxBytes`.
ReadResult readFileUpTo(const std::filesystem::path& file, std::uintmax_t maxBytes, std::string& out);

class Experiences {
 public:
  // `root` may be relative (to the working directory at construction) and need not exist yet.
  explicit Experiences(const std::filesystem::path& root);

  // Resolves a target whose path is under "/experiences/" (ExperiencesRoute::File). An invalid
  // NAME is NotFound; HTML files come back with insertP2pScript set; "/experiences/NAME" (a
  // directory without its slash) is a Redirect.
  StaticTarget resolve(std::string_view target) const;

  // The JSON array of listingEntry()s, sorted by name, of the directories with a valid name that
  // hold an index.html. A missing experiences directory gives "[]".
  std::string listingJson() const;

  const std::filesystem::path& root() const { return files_.root(); }

 private:
  StaticFiles files_;
};

}  // namespace huddle::server
