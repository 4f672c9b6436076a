#include "rtc_bridge.hpp"

#include <emscripten/emscripten.h>

// The JavaScript half. Each link is {pc, dc, udc}: two negotiated data channels (same ids on both
// sides, so there is no ondatachannel race and both sides wire them the same way): id 0 ordered
// and reliable for the streams, id 1 unordered without retransmits for unreliable messages. Events go to
// Module.huddleLinkEvent(key, peer, kind, a, b, index), kind one of Module.LinkEvent (the
// huddle::wasm::LinkEvent enum, registered through Embind in bindings.cpp).
// Every handler checks the link is still in the table, so nothing reports after close().
//
// A spare (hd_rtc_prepare, one per bridge key at most) is a link made before anyone needs it: the
// connection, its two channels and an offer created but not applied, so no ICE gathering and no
// ICE servers yet (they come with welcome). The next hd_rtc_open takes it, sets the ICE servers
// (setConfiguration is allowed until gathering starts) and applies the offer, or answers on it
// (a connection whose offer was never applied is still "stable"). In a fresh page the first
// RTCPeerConnection and its first offer take tens of ms; made while the connection to the server
// opens (WasmClient::createRoom/joinRoom) and the server answers the join, they are off the path
// to the first link.

EM_JS(void, hd_rtc_prepare, (int key, const char* policyPtr), {
  const spares = Module.hdSpares || (Module.hdSpares = new Map());
  if (spares.has(key)) return;
  try {
    const config = { iceServers: [] };
    const policy = UTF8ToString(policyPtr);
    if (policy) config.iceTransportPolicy = policy;
    const pc = new RTCPeerConnection(config);
    const dc = pc.createDataChannel("huddle", { negotiated: true, id: 0, ordered: true });
    const udc = pc.createDataChannel("huddle-unreliable", { negotiated: true, id: 1, ordered: false, maxRetransmits: 0 });
    const offer = pc.createOffer();
    offer.catch(() => {});  // whoever takes the spare hears of a failure
    spares.set(key, { pc, dc, udc, offer });
  } catch (err) {
    // No WebRTC here: hd_rtc_open finds no spare and reports it.
  }
});

EM_JS(void, hd_rtc_discard_spare, (int key), {
  const spare = Module.hdSpares && Module.hdSpares.get(key);
  if (!spare) return;
  Module.hdSpares.delete(key);
  spare.pc.close();
});

EM_JS(void, hd_rtc_open, (int key, const char* peerPtr, const char* iceJson, const char* policyPtr, int offerer), {
  const peer = UTF8ToString(peerPtr);
  const links = Module.hdLinks || (Module.hdLinks = new Map());
  const id = key + "/" + peer;
  const report = (kind, a, b, index) => {
    const current = links.get(id);
    if (current && current.pc === pc) {
      Module.huddleLinkEvent(key, peer, kind, a || "", b || "", index === undefined || index === null ? -1 : index);
    }
  };
  let pc, dc, udc, offer;
  try {
    const config = { iceServers: JSON.parse(UTF8ToString(iceJson)) };
    const policy = UTF8ToString(policyPtr);
    if (policy) config.iceTransportPolicy = policy;
    const spare = Module.hdSpares && Module.hdSpares.get(key);
    if (spare) {
      Module.hdSpares.delete(key);
      try {
        spare.pc.setConfiguration(config);
        pc = spare.pc;
        dc = spare.dc;
        udc = spare.udc;
        offer = spare.offer;
      } catch (err) {
        spare.pc.close();  // this browser will not take the ICE servers now: make a new one
      }
    }
    if (!pc) {
      pc = new RTCPeerConnection(config);
      dc = pc.createDataChannel("huddle", { negotiated: true, id: 0, ordered: true });
      udc = pc.createDataChannel("huddle-unreliable", { negotiated: true, id: 1, ordered: false, maxRetransmits: 0 });
    }
  } catch (err) {
    // No WebRTC here (or a bad ICE configuration): report it as a failed link, later, because
    // the session is in the middle of opening it.
    const failed = { pc: null, dc: null };
    links.set(id, failed);
    setTimeout(() => { if (links.get(id) === failed) Module.huddleLinkEvent(key, peer, Module.LinkEvent.Failed, "WebRTC unavailable: " + err, "", -1); }, 0);
    return;
  }
  const link = { pc, dc, udc, report };
  links.set(id, link);
  pc.onicecandidate = (e) => {
    if (e.candidate && e.candidate.candidate) {
      report(Module.LinkEvent.LocalCandidate, e.candidate.candidate, e.candidate.sdpMid, e.candidate.sdpMLineIndex);
    }
  };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === "failed") report(Module.LinkEvent.Failed, "ICE failed");
  };
  dc.onopen = () => report(Module.LinkEvent.Open);
  dc.onmessage = udc.onmessage = (e) => {
    if (typeof e.data === "string") report(Module.LinkEvent.Message, e.data);
    else report(Module.LinkEvent.Failed, "binary data on a huddle channel");
  };
  dc.onclose = () => report(Module.LinkEvent.Closed);
  if (offerer) {
    (offer || pc.createOffer())
      .then((description) => pc.setLocalDescription(description))
      .then(() => report(Module.LinkEvent.LocalDescription, "offer", pc.localDescription.sdp))
      .catch((err) => report(Module.LinkEvent.Failed, "offer failed: " + err));
  }
});

EM_JS(void, hd_rtc_apply_remote, (int key, const char* peerPtr, int isOffer, const char* sdpPtr), {
  const link = Module.hdLinks && Module.hdLinks.get(key + "/" + UTF8ToString(peerPtr));
  if (!link || !link.pc) return;
  const pc = link.pc;
  const type = isOffer ? "offer" : "answer";
  let chain = pc.setRemoteDescription({ type, sdp: UTF8ToString(sdpPtr) });
  if (isOffer) {
    chain = chain.then(() => pc.createAnswer())
                 .then((answer) => pc.setLocalDescription(answer))
                 .then(() => link.report(Module.LinkEvent.LocalDescription, "answer", pc.localDescription.sdp));
  }
  chain.catch((err) => link.report(Module.LinkEvent.Failed, "applying the " + type + " failed: " + err));
});

EM_JS(void, hd_rtc_add_candidate, (int key, const char* peerPtr, const char* candPtr, const char* midPtr, int index), {
  const link = Module.hdLinks && Module.hdLinks.get(key + "/" + UTF8ToString(peerPtr));
  if (!link || !link.pc) return;
  const init = { candidate: UTF8ToString(candPtr) };
  const mid = UTF8ToString(midPtr);
  if (mid) init.sdpMid = mid;
  if (index >= 0) init.sdpMLineIndex = index;
  if (!init.sdpMid && init.sdpMLineIndex === undefined) init.sdpMLineIndex = 0;
  // A candidate the browser cannot use is not fatal: others may still connect.
  link.pc.addIceCandidate(init).catch(() => {});
});

EM_JS(int, hd_rtc_send, (int key, const char* peerPtr, const char* textPtr), {
  const link = Module.hdLinks && Module.hdLinks.get(key + "/" + UTF8ToString(peerPtr));
  if (!link || !link.dc || link.dc.readyState !== "open") return 0;
  try {
    link.dc.send(UTF8ToString(textPtr));
    return 1;
  } catch (err) {
    link.report(Module.LinkEvent.Failed, "send failed: " + err);
    return 0;
  }
});

// Unreliable: on the unordered channel when it is open (else the reliable one, which is open
// first or at the same time), and dropped rather than queued behind a backlog.
EM_JS(void, hd_rtc_send_unreliable, (int key, const char* peerPtr, const char* textPtr), {
  const link = Module.hdLinks && Module.hdLinks.get(key + "/" + UTF8ToString(peerPtr));
  if (!link || !link.dc) return;
  const channel = link.udc.readyState === "open" ? link.udc : link.dc;
  if (channel.readyState !== "open" || channel.bufferedAmount > 65536) return;
  try {
    channel.send(UTF8ToString(textPtr));
  } catch (err) {
    // A datagram that could not go is lost, as it may be on the wire.
  }
});

EM_JS(void, hd_rtc_close, (int key, const char* peerPtr), {
  const id = key + "/" + UTF8ToString(peerPtr);
  const link = Module.hdLinks && Module.hdLinks.get(id);
  if (!link) return;
  Module.hdLinks.delete(id);
  if (link.pc) {
    link.dc.close();
    link.udc.close();
    link.pc.close();
  }
});

namespace huddle::wasm {

// WasmClient closes links through the session first; a spare nobody took goes here.
RtcBridge::~RtcBridge() { hd_rtc_discard_spare(key_); }

void RtcBridge::prepare() { hd_rtc_prepare(key_, iceTransportPolicy_.c_str()); }

void RtcBridge::open(const PeerId& peer, const std::string& iceServersJson, bool offerer) {
  hd_rtc_open(key_, peer.c_str(), iceServersJson.c_str(), iceTransportPolicy_.c_str(), offerer ? 1 : 0);
}

void RtcBridge::applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) {
  hd_rtc_apply_remote(key_, peer.c_str(), kind == SignalKind::Offer ? 1 : 0, sdp.c_str());
}

void RtcBridge::addRemoteCandidate(const PeerId& peer, const IceCandidate& c) {
  hd_rtc_add_candidate(key_, peer.c_str(), c.candidate.c_str(), c.sdpMid.c_str(), c.sdpMLineIndex);
}

void RtcBridge::send(const PeerId& peer, const std::string& text) { hd_rtc_send(key_, peer.c_str(), text.c_str()); }

void RtcBridge::sendUnreliable(const PeerId& peer, const std::string& text) {
  hd_rtc_send_unreliable(key_, peer.c_str(), text.c_str());
}

void RtcBridge::close(const PeerId& peer) { hd_rtc_close(key_, peer.c_str()); }

}  // namespace huddle::wasm
