// huddle-server's option table, internal to config*.cpp: every flag, its environment variable,
// its default as --help prints it, and how one value of it is read and checked. parseCommandLine
// (config.cpp) walks it; helpText (config_options.cpp) prints it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "server/config.hpp"

namespace huddle::server {

// One configurable value. `apply` checks the text and stores it; on failure it returns what is
// wrong (without the option name, which the caller adds).
struct Option {
  std::string_view flag;       // without the leading "--"
  std::string_view env;        // "" when there is none
  std::string_view valueName;  // "" for a switch (a flag that takes no value)
  std::string_view help;
  std::string (*defaultText)(const ServerConfig&);
  std::string (*apply)(ServerConfig&, const std::string&);
};

// Every option, in the order --help lists them.
std::span<const Option> serverOptions();

// The option named `flag` (without "--"); nullptr when there is none.
const Option* findOption(std::string_view flag);

}  // namespace huddle::server
