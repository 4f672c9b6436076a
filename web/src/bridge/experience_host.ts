// Lends a room the page has already joined to the experience in one iframe, without joining again.
// The room is shared (the huddle app's chat uses it too), so the experience's messages travel on
// one channel: wrapped as {type: 'experience', channel, data} going out, and only envelopes of that
// channel, unwrapped, coming in. Same bridge and same checks as <p2p-frame> (docs/experiences.md).
import type { HostExperience, HostExperienceOptions, Room } from '../lib/types';
import { BridgeHost } from './host';
import { channelScope, forwardRoomEvents, messageFrame, roomState, sendFromIframe } from './room_bridge';

/** Longest channel name; the envelope rides in every message, so it stays short. */
export const MAX_CHANNEL_LENGTH = 128;

/**
 * Bridges `iframe` (whose page runs p2p.js) to `room` on `channel` until the returned function is
 * called. Only a hello from that iframe's window is accepted. Call it right after putting the
 * iframe in the document: the bridge attaches when the iframe's page has loaded, and holds the
 * channel's messages until then. The room stays joined afterwards: leaving it is its owner's
 * business. Calling the returned function again does nothing. `options.earlier`: messages the
 * room received before this call that the experience must not miss (those of its channel are
 * delivered first, in order).
 * Throws a TypeError for an empty or overlong channel (a programming error, not a runtime one).
 * Its type is the library's HostExperience; huddle.js and the app's main.tsx hand it on.
 */
export const hostExperience: HostExperience = (
  room: Room,
  iframe: HTMLIFrameElement,
  channel: string,
  options: HostExperienceOptions = {},
): (() => void) => {
  if (typeof channel !== 'string' || channel.length === 0 || channel.length > MAX_CHANNEL_LENGTH) {
    throw new TypeError(`hostExperience: channel must be 1–${MAX_CHANNEL_LENGTH} characters`);
  }
  const scope = channelScope(channel);
  const win = iframe.ownerDocument.defaultView ?? window;
  const bridge: BridgeHost = new BridgeHost(win, {
    state: () => roomState(room),
    frame(frame) {
      sendFromIframe(room, frame, scope, (answer) => bridge.post(answer));
    },
    attached: () => options.onReady?.(),
  });
  bridge.start();
  // p2p.js says hello as soon as it runs, before the experience's own scripts (loaded after it)
  // have set P2P.onMessage; messages posted then would fire into nothing. A member who joins while
  // the experience is open gets its history exactly then. So the bridge takes the iframe on only
  // once its page has loaded (every classic script has run), probing it for a fresh hello; the
  // messages that arrive meanwhile wait in the bridge's bounded queue.
  const onLoad = () => bridge.watch(iframe);
  iframe.addEventListener('load', onLoad);
  for (const m of options.earlier ?? []) {
    const frame = messageFrame(m, scope);
    if (frame) bridge.post(frame);
  }
  const stopForwarding = forwardRoomEvents(room, bridge, scope);

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    iframe.removeEventListener('load', onLoad);
    stopForwarding();
    // Tells an iframe that outlives us (the page kept it) that it is no longer connected.
    bridge.stop();
  };
};
