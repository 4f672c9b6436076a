// The signaling connection on the browser's WebSocket, through Emscripten's websocket.h.
#pragma once

#include <functional>
#include <string>

#include <emscripten/val.h>
#include <emscripten/websocket.h>

namespace huddle::wasm {

class WebSocketBridge {
 public:
  struct Handlers {
    std::function<void()> onOpen;
    std::function<void(std::string_view text)> onText;
    std::function<void()> onBinary;  // the protocol is text only
    std::function<void(const std::string& reason)> onClosed;  // after error or close, once
  };
  explicit WebSocketBridge(Handlers handlers);
  ~WebSocketBridge();
  WebSocketBridge(const WebSocketBridge&) = delete;
  WebSocketBridge& operator=(const WebSocketBridge&) = delete;

  // A WebSocket the page opened already (WasmClientOptions.socket): the first open() to its URL
  // takes it over instead of making one, if it is still opening or open.
  // (undefined: none.)
  void adopt(emscripten::val socket) { preopened_ = std::move(socket); }
  // Opens a connection to a ws:// or wss:// URL; a previous one is closed first.
  void open(const std::string& url);
  void send(const std::string& text);
  // Closes without reporting onClosed (the caller asked for it).
  void close();

 private:
  static EM_BOOL onOpenEvent(int, const EmscriptenWebSocketOpenEvent*, void*);
  static EM_BOOL onMessageEvent(int, const EmscriptenWebSocketMessageEvent*, void*);
  static EM_BOOL onErrorEvent(int, const EmscriptenWebSocketErrorEvent*, void*);
  static EM_BOOL onCloseEvent(int, const EmscriptenWebSocketCloseEvent*, void*);
  static WebSocketBridge* lookup(void* userData);
  void closed(const std::string& reason);

  Handlers handlers_;
  EMSCRIPTEN_WEBSOCKET_T socket_ = 0;
  emscripten::val preopened_ = emscripten::val::undefined();
  std::uintptr_t key_;
};

}  // namespace huddle::wasm
