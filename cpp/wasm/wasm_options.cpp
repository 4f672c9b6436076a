#include "wasm_options.hpp"

namespace huddle::wasm {
namespace {

using emscripten::val;

void read(const val& options, const char* key, double& out) {
  val v = options[key];
  if (v.isNumber()) out = v.as<double>();
}

void read(const val& options, const char* key, int& out) {
  val v = options[key];
  if (v.isNumber()) out = v.as<int>();
}

void read(const val& options, const char* key, std::string& out) {
  val v = options[key];
  if (v.isString()) out = v.as<std::string>();
}

void read(const val& options, const char* key, bool& out) {
  val v = options[key];
  if (v.isTrue() || v.isFalse()) out = v.as<bool>();
}

bool absent(const val& options) { return options.isUndefined() || options.isNull(); }

}  // namespace

ClientConfig configFrom(const val& options) {
  ClientConfig config;
  if (absent(options)) return config;
#define HUDDLE_KNOB_READ(name, type, value, doc) read(options, #name, config.name);
  HUDDLE_CLIENT_KNOBS(HUDDLE_KNOB_READ)
#undef HUDDLE_KNOB_READ
  read(options, "peerId", config.peerId);
  read(options, "resumeToken", config.resumeToken);
  read(options, "joinToken", config.joinToken);
  read(options, "reportStats", config.reportStats);
  return config;
}

val preopenedSocketFrom(const val& options) {
  if (absent(options)) return val::undefined();
  val socket = options["socket"];
  return absent(socket) ? val::undefined() : socket;
}

std::string iceTransportPolicyFrom(const val& options) {
  if (absent(options)) return "";
  val policy = options["iceTransportPolicy"];
  return policy.isString() && policy.as<std::string>() == "relay" ? "relay" : "";
}

}  // namespace huddle::wasm
