// huddle-server: parse options, raise the open-file limit, start, print the listening line, run
// until SIGINT/SIGTERM.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "server/config.hpp"
#include "server/file_limit.hpp"
#include "server/join_token.hpp"
#include "server/log.hpp"
#include "server/server.hpp"

int main(int argc, char** argv) {
  using namespace huddle::server;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "token") {
    std::string out, err;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    const int code = runTokenCommand({args.begin() + 1, args.end()}, std::getenv("HUDDLE_AUTH_SECRET"), now, out, err);
    std::cout << out << std::flush;
    std::cerr << err;
    return code;
  }
  const ParseOutcome parsed = parseCommandLine(args, [](const char* name) { return std::getenv(name); });
  switch (parsed.action) {
    case ParseOutcome::Action::Help:
      std::cout << parsed.message << std::flush;
      return 0;
    case ParseOutcome::Action::Error:
      // Always text: the options that would say otherwise did not parse.
      std::cerr << "huddle-server: " << parsed.message << "\n";
      return 2;
    case ParseOutcome::Action::Run:
      break;
  }

  // Before anything opens a socket: the soft limit is often 1,024, far below what the caps need.
  ServerConfig config = parsed.config;
  const auto openFiles = raiseOpenFileLimit();
  // Written even with --quiet, like every line of this function: they are about the server itself.
  if (auto lowered = fitToOpenFileLimit(config, openFiles); !lowered.empty())
    logLine(lowered, config.logFormat, {.event = "open_file_limit", .level = "warn"});

  try {
    Server server(config);
    server.handleSignals();
    if (auto ec = server.start()) {
      logLine("cannot listen on " + config.host + ":" + std::to_string(config.port) + ": " + ec.message(),
              config.logFormat, {.event = "listen_failed", .level = "error"});
      return 1;
    }
    // Scripts and tests parse this line; keep its shape.
    std::cout << "huddle-server listening on " << server.url() << std::endl;
    server.wait();
    return 0;
  } catch (const std::exception& e) {
    logLine(std::string("fatal: ") + e.what(), config.logFormat, {.event = "fatal", .level = "error"});
    return 1;
  }
}
