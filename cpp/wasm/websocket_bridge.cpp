#include "websocket_bridge.hpp"

#include <cstring>
#include <map>

namespace huddle::wasm {
namespace {

// Events may arrive after a bridge is destroyed; user data is a key into this table, never a
// raw pointer, so late events find nothing and are dropped.
std::map<std::uintptr_t, WebSocketBridge*> gBridges;
std::uintptr_t gNextKey = 1;

}  // namespace

WebSocketBridge::WebSocketBridge(Handlers handlers) : handlers_(std::move(handlers)), key_(gNextKey++) {
  gBridges[key_] = this;
}

WebSocketBridge::~WebSocketBridge() {
  close();
  gBridges.erase(key_);
}

WebSocketBridge* WebSocketBridge::lookup(void* userData) {
  auto it = gBridges.find(reinterpret_cast<std::uintptr_t>(userData));
  return it == gBridges.end() ? nullptr : it->second;
}

void WebSocketBridge::open(const std::string& url) {
  close();
  // A new key per connection, so events from the previous socket cannot reach this one.
  gBridges.erase(key_);
  key_ = gNextKey++;
  gBridges[key_] = this;
  EmscriptenWebSocketCreateAttributes attrs;
  emscripten_websocket_init_create_attributes(&attrs);
  attrs.url = url.c_str();
  int result = emscripten_websocket_new(&attrs);
  if (result <= 0) {
    handlers_.onClosed("could not create a WebSocket for " + url);
    return;
  }
  socket_ = result;
  void* user = reinterpret_cast<void*>(key_);
  emscripten_websocket_set_onopen_callback(socket_, user, &WebSocketBridge::onOpenEvent);
  emscripten_websocket_set_onmessage_callback(socket_, user, &WebSocketBridge::onMessageEvent);
  emscripten_websocket_set_onerror_callback(socket_, user, &WebSocketBridge::onErrorEvent);
  emscripten_websocket_set_onclose_callback(socket_, user, &WebSocketBridge::onCloseEvent);
}

void WebSocketBridge::send(const std::string& text) {
  if (socket_ > 0) emscripten_websocket_send_utf8_text(socket_, text.c_str());
}

void WebSocketBridge::close() {
  if (socket_ <= 0) return;
  emscripten_websocket_close(socket_, 1000, "leaving");
  emscripten_websocket_delete(socket_);  // also detaches the handlers
  socket_ = 0;
}

void WebSocketBridge::closed(const std::string& reason) {
  if (socket_ <= 0) return;  // report once
  emscripten_websocket_delete(socket_);
  socket_ = 0;
  handlers_.onClosed(reason);
}

EM_BOOL WebSocketBridge::onOpenEvent(int, const EmscriptenWebSocketOpenEvent*, void* user) {
  if (auto* self = lookup(user)) self->handlers_.onOpen();
  return EM_TRUE;
}

EM_BOOL WebSocketBridge::onMessageEvent(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
  auto* self = lookup(user);
  if (!self) return EM_TRUE;
  if (!e->isText) {
    self->handlers_.onBinary();
    return EM_TRUE;
  }
  // Text arrives NUL-terminated, and numBytes counts the NUL.
  auto text = reinterpret_cast<const char*>(e->data);
  self->handlers_.onText(std::string_view(text, e->numBytes > 0 ? e->numBytes - 1 : 0));
  return EM_TRUE;
}

EM_BOOL WebSocketBridge::onErrorEvent(int, const EmscriptenWebSocketErrorEvent*, void* user) {
  if (auto* self = lookup(user)) self->closed("connection error");
  return EM_TRUE;
}

EM_BOOL WebSocketBridge::onCloseEvent(int, const EmscriptenWebSocketCloseEvent* e, void* user) {
  if (auto* self = lookup(user)) {
    self->closed("closed with code " + std::to_string(e->code) + (e->reason[0] ? std::string(": ") + e->reason : ""));
  }
  return EM_TRUE;
}

}  // namespace huddle::wasm
