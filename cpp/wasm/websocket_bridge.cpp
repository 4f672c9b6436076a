#include "websocket_bridge.hpp"

#include <emscripten/emscripten.h>

#include <cstring>
#include <map>

// A socket the page opened before the module was ready, entered in Emscripten's own table
// (websocket.h's WS.sockets) so that every emscripten_websocket_* call works on it. Only one to
// the same URL that is still opening or open; anything else is closed and 0 returned (the caller
// makes a new one).
EM_JS(int, hd_ws_adopt, (emscripten::EM_VAL handle, const char* urlPtr), {
  const socket = Emval.toValue(handle);
  let same = false;
  try {
    same = socket.url === new URL(UTF8ToString(urlPtr)).href;
  } catch (err) {
    // Not a WebSocket, or not a URL: make one.
  }
  if (same && socket.readyState <= 1) {
    socket.binaryType = "arraybuffer";
    const id = WS.sockets.length;
    WS.sockets[id] = socket;
    return id;
  }
  if (socket && typeof socket.close === "function") socket.close();
  return 0;
});

// An adopted socket whose open event fired before anyone listened: fire our handler once the
// call that adopted it has returned (the session is in the middle of asking for it).
EM_JS(void, hd_ws_replay_open, (int id), {
  const socket = WS.sockets[id];
  if (!socket || socket.readyState !== 1) return;
  queueMicrotask(() => {
    if (WS.sockets[id] === socket && socket.onopen) socket.onopen(new Event("open"));
  });
});

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
  if (!preopened_.isUndefined()) hd_ws_adopt(preopened_.as_handle(), "");  // never taken: closes it
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
  int result = 0;
  bool adopted = false;
  if (!preopened_.isUndefined()) {
    result = hd_ws_adopt(preopened_.as_handle(), url.c_str());
    preopened_ = emscripten::val::undefined();  // once: a reconnect makes its own
    adopted = result > 0;
  }
  if (!adopted) {
    EmscriptenWebSocketCreateAttributes attrs;
    emscripten_websocket_init_create_attributes(&attrs);
    attrs.url = url.c_str();
    result = emscripten_websocket_new(&attrs);
  }
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
  if (adopted) hd_ws_replay_open(socket_);
}

void WebSocketBridge::send(const std::string& text) {
  if (socket_ <= 0) return;
  // Between the server closing the socket and our close event it is CLOSING: what a send then
  // carries is lost either way (and resent after the reconnect), and the browser would log an
  // error for it (seen when a node of a cluster dies, tests/e2e/cluster_kill.test.mjs).
  unsigned short state = 0;
  if (emscripten_websocket_get_ready_state(socket_, &state) != EMSCRIPTEN_RESULT_SUCCESS || state != 1) return;
  emscripten_websocket_send_utf8_text(socket_, text.c_str());
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
