#include "server/config.hpp"

#include <optional>

#include "server/config_options.hpp"

namespace huddle::server {
namespace {

ParseOutcome fail(std::string message) {
  ParseOutcome out;
  out.action = ParseOutcome::Action::Error;
  out.message = std::move(message);
  return out;
}

}  // namespace

std::string validateIceServers(const nlohmann::json& servers) {
  if (!servers.is_array()) return "must be a JSON array of RTCIceServer objects";
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const auto& server = servers[i];
    const std::string where = "entry " + std::to_string(i);
    if (!server.is_object()) return where + " is not an object";
    auto urls = server.find("urls");
    if (urls == server.end()) return where + " has no \"urls\"";
    if (urls->is_string()) {
      if (urls->get_ref<const std::string&>().empty()) return where + " has an empty \"urls\"";
    } else if (urls->is_array() && !urls->empty()) {
      for (const auto& url : *urls)
        if (!url.is_string() || url.get_ref<const std::string&>().empty())
          return where + ": \"urls\" must hold non-empty strings";
    } else {
      return where + ": \"urls\" must be a string or a non-empty array of strings";
    }
  }
  return {};
}

ParseOutcome parseCommandLine(const std::vector<std::string>& args, const EnvLookup& env) {
  ParseOutcome out;

  // Environment first, so flags applied afterwards win.
  for (const auto& option : serverOptions()) {
    const char* value = env ? env(std::string(option.env).c_str()) : nullptr;
    if (value == nullptr) continue;
    if (auto problem = option.apply(out.config, value); !problem.empty())
      return fail(std::string(option.env) + "=" + value + ": " + problem);
  }

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.action = ParseOutcome::Action::Help;
      out.message = helpText();
      return out;
    }
    if (arg.rfind("--", 0) != 0) return fail("unexpected argument '" + arg + "' (see --help)");
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const Option* option = findOption(name);
    if (option == nullptr) return fail("unknown option '--" + name + "' (see --help)");
    if (option->valueName.empty()) {  // a switch
      if (value) return fail("--" + name + " takes no value");
      value = "1";
    } else if (!value) {
      if (i + 1 >= args.size()) return fail("--" + name + " needs a value (" + std::string(option->valueName) + ")");
      value = args[++i];
    }
    if (auto problem = option->apply(out.config, *value); !problem.empty())
      return fail("--" + name + " " + *value + ": " + problem);
  }

  if (!out.config.authSecretPrevious.empty() && out.config.authSecret.empty())
    return fail("--auth-secret-previous needs --auth-secret (the secret tokens are minted with now)");
  if (out.config.tokensForCodes && out.config.authSecret.empty())
    return fail("--require-token-for-codes needs --auth-secret");
  if (out.config.defaultRoomSize > out.config.maxRoomSize)
    return fail("default room size " + std::to_string(out.config.defaultRoomSize) +
                " is larger than the max room size " + std::to_string(out.config.maxRoomSize));
  return out;
}

}  // namespace huddle::server
