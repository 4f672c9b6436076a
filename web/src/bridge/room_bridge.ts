// The one mapping between a joined Room and a bridge to an experience's iframe: room events become
// port frames (docs/experiences.md, "How the bridge works"), the iframe's sends become room sends.
// Used by <p2p-frame> (its own room, the whole of it) and by hostExperience (a room the app already
// joined, shared with chat, so the experience's messages travel in an envelope on one channel).
import { forwardGame, gameFromIframe } from './game_bridge';
import { linkUpdates, peerLink } from './link_updates';
import { answerRequestsInIframe, requestFromIframe } from './request_bridge';
import { forwardRoomState, stateFromIframe } from './state_bridge';
import type { HuddleError, Json, Peer, ReceivedMessage, Room, SendOptions, SessionStatus, Transport } from '../lib/types';
import { DETACHED_STATE, type BridgePeer, type IframeFrame, type ParentFrame } from './protocol';

/**
 * How an experience's messages are carried in the room. `wrap` turns what the iframe sends into
 * what the room sends; `unwrap` gives back what the iframe should see of a received message, or
 * undefined when the message is not the experience's.
 */
export interface MessageScope {
  wrap(data: Json): Json;
  unwrap(data: Json): Json | undefined;
  /** The room state's key for the experience's `key` (P2P.state). */
  stateKey(key: string): string;
  /** The experience's key for a room state key, or undefined when the key is not the experience's. */
  ownKey(roomKey: string): string | undefined;
}

/** The room belongs to the experience alone: messages and state keys go as they are (what <p2p-frame> does). */
export const WHOLE_ROOM: MessageScope = {
  wrap: (data) => data,
  unwrap: (data) => data,
  stateKey: (key) => key,
  ownKey: (key) => key,
};

/** The envelope's `type`; the app's own messages (chat, experience_open, …) never use it. */
export const ENVELOPE_TYPE = 'experience';

/**
 * The experience shares the room: its messages travel as `{type: 'experience', channel, data}`,
 * and only envelopes of this channel reach it. Anything else (chat, another channel, malformed
 * envelopes) is not its business. Its room state keys are `CHANNEL/KEY`, so two experiences (or
 * the app) never see or clear each other's.
 */
export function channelScope(channel: string): MessageScope {
  const prefix = `${channel}/`;
  return {
    stateKey: (key) => prefix + key,
    ownKey: (key) => (key.startsWith(prefix) ? key.slice(prefix.length) : undefined),
    wrap: (data) => ({ type: ENVELOPE_TYPE, channel, data }),
    unwrap(data) {
      if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
      if (data.type !== ENVELOPE_TYPE || data.channel !== channel) return undefined;
      return Object.prototype.hasOwnProperty.call(data, 'data') ? data.data : undefined;
    },
  };
}

/** Where room events go: a BridgeHost, or anything that takes port frames in order. */
export interface FrameSink {
  post(frame: ParentFrame): void;
}

/** What the owner of the bridge wants to hear besides the frames (the element updates its bar). */
export interface RoomBridgeHooks {
  status?(status: SessionStatus): void;
  peers?(peers: readonly Peer[]): void;
  /** What carries messages to `peerId` changed (the bar marks relayed members). */
  transport?(peerId: string, transport: Transport | null): void;
  error?(error: HuddleError): void;
}

/**
 * Posts `room`'s events to `sink` as port frames, in the order the room emits them, until the
 * returned function is called. Messages pass through `scope.unwrap`; others are dropped here.
 * The experience answers the room's requests while this runs (request_bridge.ts).
 * Link states and delivery receipts are not an experience's business and are not forwarded;
 * transports and round-trip times are, as `links` frames (see link_updates.ts for how often).
 */
export function forwardRoomEvents(room: Room, sink: FrameSink, scope: MessageScope, hooks: RoomBridgeHooks = {}): () => void {
  const links = linkUpdates(room, (frame) => sink.post(frame));
  const offs = [
    answerRequestsInIframe(room, sink, scope),
    forwardRoomState(room, sink, scope),
    forwardGame(room, sink),
    room.on('status', (status) => {
      sink.post(roomState(room));
      hooks.status?.(status);
    }),
    room.on('peers', (peers) => hooks.peers?.(peers)),
    room.on('peerJoin', (peer) => sink.post({ t: 'peer_join', peer: bridgePeer(peer) })),
    room.on('peerLeave', (id) => sink.post({ t: 'peer_leave', id })),
    room.on('peerAway', (id) => sink.post({ t: 'peer_away', id })),
    room.on('peerBack', (id) => sink.post({ t: 'peer_back', id })),
    room.on('hostChange', (hostId) => sink.post({ t: 'host', hostId })),
    room.on('transport', (id, transport) => {
      links.transport(id);
      hooks.transport?.(id, transport);
    }),
    room.on('linkRtt', (id) => links.rtt(id)),
    room.on('message', (m) => {
      const frame = messageFrame(m, scope);
      if (frame) sink.post(frame);
    }),
    room.on('error', (error) => {
      sink.post({ t: 'error', code: error.code, message: error.message });
      hooks.error?.(error);
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    links.stop();
  };
}

/** The `message` frame for a received message, or null when it is not the experience's. */
export function messageFrame(m: ReceivedMessage, scope: MessageScope): ParentFrame | null {
  const data = scope.unwrap(m.data);
  if (data === undefined) return null;
  // Only an unreliable message says so: reliable ones look as they did before the flag existed.
  return m.reliable === false ? { t: 'message', from: m.from, data, reliable: false } : { t: 'message', from: m.from, data };
}

/** The `state` frame for `room` (the detached state without one). */
export function roomState(room: Room | null): ParentFrame {
  if (!room) return DETACHED_STATE;
  return {
    t: 'state',
    selfId: room.selfId || null,
    hostId: room.hostId() || null,
    connected: frameStatus(room.status()) === 'connected',
    members: room.peers().map(bridgePeer),
  };
}

/** A member as port frames describe it. */
function bridgePeer(peer: Peer): BridgePeer {
  const { transport, rttMs } = peerLink(peer);
  return peer.away ? { id: peer.id, name: peer.name, away: true, transport, rttMs } : { id: peer.id, name: peer.name, transport, rttMs };
}

/**
 * Carries a checked frame from the iframe into `room` through `scope`, posting back what the
 * iframe must hear: an error frame when the room refused a send (send_queue_full,
 * peer_not_in_room, …), and the answer to a `ready`.
 */
export function sendFromIframe(room: Room, frame: IframeFrame, scope: MessageScope, post: (frame: ParentFrame) => void): void {
  if (frame.t === 'request' || frame.t === 'answer') {
    requestFromIframe(room, frame, scope, post);
    return;
  }
  if (frame.t === 'state_watch' || frame.t === 'state_set' || frame.t === 'state_delete') {
    stateFromIframe(room, frame, scope, post);
    return;
  }
  if (frame.t === 'game_start' || frame.t === 'game_stop' || frame.t === 'game_input' || frame.t === 'game_publish') {
    gameFromIframe(room, frame, post);
    return;
  }
  if (frame.t === 'ready') {
    room.ready(frame.to).then(
      () => post({ t: 'ready', id: frame.id }),
      (err: { code?: string; message?: string }) =>
        post({ t: 'ready', id: frame.id, code: err.code ?? 'internal', message: err.message ?? String(err) }),
    );
    return;
  }
  // No options means the room's default: reliable.
  const options: SendOptions | undefined = frame.reliable === false ? { reliable: false } : undefined;
  try {
    if (frame.t === 'send') room.send(scope.wrap(frame.data), options);
    else room.sendTo(frame.to, scope.wrap(frame.data), options);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    post({ t: 'error', code: e.code ?? 'internal', message: e.message ?? String(err) });
  }
}

/** A bridged room's connection as an embedder shows it: coarser than the facade's SessionStatus. */
export type FrameStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** The frame's state from the facade's SessionStatus (a string: 'reconnecting' is new). */
export function frameStatus(status: string): FrameStatus {
  switch (status) {
    case 'in_room':
      return 'connected';
    case 'reconnecting':
      return 'reconnecting';
    case 'offline':
    case 'idle':
      return 'offline';
    default:
      return 'connecting';
  }
}
