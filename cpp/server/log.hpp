// Connection events on stderr, one line each. Never pass payloads here (DESIGN.md "Privacy").
#pragma once

#include <string_view>

namespace huddle::server {

// Writes "huddle-server: <line>\n" to stderr atomically with respect to other logLine calls.
void logLine(std::string_view line);

}  // namespace huddle::server
