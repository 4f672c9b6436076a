// The `P2P` global an experience uses inside its iframe (docs/experiences.md, "The P2P API").
// Everything works before a connection exists: reliable sends queue, getters answer from the last state.
import type { Json, SendOptions, Transport } from '../lib/types';
import { startBridgeClient, type ClientWindow } from '../bridge/client';
import { jsonText } from '../lib/json_check';
import { MAX_QUEUED_SENDS, type BridgePeer, type IframeFrame, type ParentFrame } from '../bridge/protocol';
import { P2PError } from './p2p_error';
import { createGame, type P2PGame } from './p2p_game';
import { createStateMirror, type P2PState } from './p2p_state';

export { P2PError };
export type { P2PGame, P2PState };

export interface P2PPeer {
  id: string;
  name: string;
  isHost: boolean;
  isSelf: boolean;
  /** Its connection dropped; it keeps its place (and the host role) while it may come back. */
  isAway: boolean;
  /** What carries messages to it: a direct link, or the server's relay; null for yourself or before the first link. */
  transport: Transport | null;
  /** Round-trip time to it over that transport, ms (updated about once a second); null until measured. */
  rttMs: number | null;
}

/** What onMessage gets besides sender and data (the `message` event's detail has it too). */
export interface MessageInfo {
  /** false when the sender used `{reliable: false}`. */
  reliable: boolean;
}

export interface P2PApi {
  /** The room state: a key → JSON document every member holds a copy of (docs/state.md). */
  readonly state: P2PState;
  /** Game sync for host-authoritative games (docs/game.md): inputs in, states out, deltas between. */
  readonly game: P2PGame;
  send(data: Json, options?: SendOptions): void;
  sendTo(peerId: string, data: Json, options?: SendOptions): void;
  /**
   * Resolves when the room's queue to `peerId` (without it: to every member) is low enough to
   * send more, as the room's `ready()`; a stream that awaits it never meets send_queue_full.
   * Rejects with P2PError (`peer_not_in_room`, `not_in_room`, …).
   */
  ready(peerId?: string): Promise<void>;
  /**
   * Asks one member's experience (its P2P.onRequest) and resolves with the answer. Rejects with
   * P2PError: `request_timeout`, `peer_not_in_room` (not here, or left before answering),
   * `request_failed` (its handler threw: the message is the handler's), `no_handler`,
   * `too_many_requests`, `data_invalid`, `not_in_room`. Options: `{timeoutMs}` (default 10 s).
   */
  request(peerId: string, data: Json, options?: { timeoutMs?: number }): Promise<Json>;
  getPeers(): string[];
  isConnected(): boolean;
  getPeerId(): string | null;
  getPeer(peerId: string): P2PPeer | null;
  getHostId(): string | null;
  isHost(): boolean;
  onMessage: ((senderId: string, data: Json, info: MessageInfo) => void) | null;
  /**
   * Answers other members' P2P.request: return the answer (undefined answers null) or a Promise
   * of it; a throw or a rejection refuses it (`request_failed` with the error's message). With no
   * handler set, requests are refused with `no_handler`.
   */
  onRequest: ((senderId: string, data: Json) => Json | undefined | Promise<Json | undefined>) | null;
  onPeerJoin: ((peerId: string) => void) | null;
  onPeerLeave: ((peerId: string) => void) | null;
  onPeerAway: ((peerId: string) => void) | null;
  onPeerBack: ((peerId: string) => void) | null;
  onHostChange: ((hostId: string) => void) | null;
  onConnectionChange: ((connected: boolean) => void) | null;
  onError: ((error: P2PError) => void) | null;
  addEventListener: EventTarget['addEventListener'];
  removeEventListener: EventTarget['removeEventListener'];
  readonly P2PError: typeof P2PError;
}

type Handler =
  | 'onMessage' | 'onPeerJoin' | 'onPeerLeave' | 'onPeerAway' | 'onPeerBack' | 'onHostChange' | 'onConnectionChange' | 'onError';

/** Creates the P2P object for `win` and says hello to its parent. */
export function createP2P(win: ClientWindow & { reportError?: (error: unknown) => void }): P2PApi {
  const events = new EventTarget();
  let selfId: string | null = null;
  let hostId: string | null = null;
  let connected = false;
  let members: BridgePeer[] = [];
  const queue: IframeFrame[] = [];
  // Messages that arrive before the experience listens (p2p.js says hello before the page's own
  // scripts have run, and a host may greet a newcomer at once). Held, bounded, until it does.
  let listening = false;
  let onMessage: P2PApi['onMessage'] = null;
  const held: [string, Json, boolean][] = [];
  let droppedBeforeListening = 0;

  const others = () => members.filter((m) => m.id !== selfId);

  // Property handler first, then the DOM event. A throwing handler is reported like an uncaught
  // error and does not stop the bridge.
  function fire(handler: Handler, type: string, detail: object, ...args: unknown[]): void {
    call(api[handler], type, detail, args);
  }

  function call(handler: unknown, type: string, detail: object, args: unknown[]): void {
    const fn = handler as ((...a: unknown[]) => void) | null;
    if (typeof fn === 'function') {
      try {
        fn(...args);
      } catch (err) {
        (win.reportError ?? console.error)(err);
      }
    }
    events.dispatchEvent(new CustomEvent(type, { detail }));
  }

  function checked(data: unknown): Json {
    const result = jsonText(data);
    if ('problem' in result) throw new P2PError('data_invalid', result.problem);
    // A copy taken now, so the page changing its object later does not change what is sent.
    return JSON.parse(result.text) as Json;
  }

  // Only {reliable: boolean} is understood. Anything else is refused like bad data: a typo such as
  // {reliabel: false} would otherwise quietly send reliably.
  function isReliable(options: unknown): boolean {
    if (options === undefined) return true;
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new P2PError('data_invalid', 'options must be an object such as {reliable: false}');
    }
    for (const key of Object.keys(options)) {
      if (key !== 'reliable') throw new P2PError('data_invalid', `options.${key.slice(0, 64)} is not an option (only reliable is)`);
    }
    const reliable = (options as { reliable?: unknown }).reliable;
    if (reliable !== undefined && typeof reliable !== 'boolean') {
      throw new P2PError('data_invalid', `options.reliable must be true or false, not ${typeof reliable}`);
    }
    return reliable !== false;
  }

  function deliver(frame: IframeFrame): void {
    if (connected && bridge.post(frame)) return;
    // Unreliable sends are never queued: by the time a connection is back they are stale.
    if ('reliable' in frame && frame.reliable === false) return;
    if (queue.length >= MAX_QUEUED_SENDS) {
      throw new P2PError('send_queue_full', `${MAX_QUEUED_SENDS} messages are already waiting for a connection`);
    }
    queue.push(frame);
  }

  function applyState(frame: Extract<ParentFrame, { t: 'state' }>): void {
    const before = others();
    const hostBefore = hostId;
    const wasConnected = connected;
    members = Array.isArray(frame.members)
      ? frame.members.map((m) => ({ id: String(m.id), name: String(m.name), away: m.away === true, ...linkOf(m) }))
      : [];
    // getPeerId() keeps your last id between rooms ("null before the first connection").
    if (frame.selfId) selfId = frame.selfId;
    hostId = frame.hostId ?? null;
    connected = frame.connected === true;
    // The room state first: its document (asked for again) precedes the writes made meanwhile.
    if (connected && !wasConnected) mirror.connected(queue);
    if (connected && !wasConnected) gameSide.connected();
    // Queued sends go out before any handler below can send, so order is kept.
    if (connected) for (const queued of queue.splice(0)) bridge.post(queued);
    const after = others();
    for (const m of before) if (!after.some((a) => a.id === m.id)) fire('onPeerLeave', 'peerleave', { peerId: m.id }, m.id);
    for (const m of after) if (!before.some((b) => b.id === m.id)) fire('onPeerJoin', 'peerjoin', { peerId: m.id }, m.id);
    if (hostId !== null && hostId !== hostBefore) fire('onHostChange', 'hostchange', { hostId }, hostId);
    if (connected !== wasConnected) fire('onConnectionChange', 'connectionchange', { connected }, connected);
  }

  function onFrame(raw: unknown): void {
    const frame = raw as ParentFrame;
    switch (frame?.t) {
      case 'state':
        applyState(frame);
        return;
      case 'message': {
        const reliable = frame.reliable !== false;
        if (!listening || held.length > 0) hold(frame.from, frame.data, reliable);
        else message(frame.from, frame.data, reliable);
        return;
      }
      case 'peer_join':
        if (!frame.peer || members.some((m) => m.id === frame.peer.id)) return;
        members.push({ id: String(frame.peer.id), name: String(frame.peer.name), ...linkOf(frame.peer) });
        fire('onPeerJoin', 'peerjoin', { peerId: frame.peer.id }, frame.peer.id);
        return;
      case 'peer_leave': {
        const count = members.length;
        members = members.filter((m) => m.id !== frame.id);
        if (members.length !== count) fire('onPeerLeave', 'peerleave', { peerId: frame.id }, frame.id);
        return;
      }
      case 'peer_away':
      case 'peer_back': {
        const member = members.find((m) => m.id === frame.id);
        const away = frame.t === 'peer_away';
        if (!member || member.away === away) return;
        member.away = away;
        if (away) fire('onPeerAway', 'peeraway', { peerId: frame.id }, frame.id);
        else fire('onPeerBack', 'peerback', { peerId: frame.id }, frame.id);
        return;
      }
      case 'host':
        if (frame.hostId === hostId) return;
        hostId = frame.hostId;
        fire('onHostChange', 'hostchange', { hostId }, hostId);
        return;
      case 'links':
        // No event: transports change rarely and round-trip times often; getPeer() is current.
        if (!Array.isArray(frame.links)) return;
        for (const link of frame.links) {
          const member = members.find((m) => m.id === link?.id);
          if (member) Object.assign(member, linkOf(link));
        }
        return;
      case 'error':
        fire('onError', 'error', { code: frame.code, message: frame.message }, new P2PError(frame.code, frame.message));
        return;
      case 'request':
        answer(frame.id, frame.from, frame.data);
        return;
      case 'response': {
        const waiter = requests.get(frame.id);
        if (!waiter) return;
        requests.delete(frame.id);
        if (typeof frame.code === 'string') waiter.reject(new P2PError(frame.code, String(frame.message ?? '')));
        else waiter.resolve(frame.data ?? null);
        return;
      }
      case 'state_doc':
      case 'state_change':
      case 'state_ack':
        mirror.frame(frame);
        return;
      case 'game_tick':
      case 'game_state':
      case 'game_host':
      case 'game_paused':
        gameSide.frame(frame);
        return;
      case 'ready': {
        const waiter = readies.get(frame.id);
        if (!waiter) return;
        readies.delete(frame.id);
        if (typeof frame.code === 'string') waiter.reject(new P2PError(frame.code, String(frame.message ?? '')));
        else waiter.resolve();
        return;
      }
    }
  }

  // The third argument and detail.reliable are new; handlers written before them see what they did.
  function message(from: string, data: Json, reliable: boolean): void {
    fire('onMessage', 'message', { senderId: from, data, reliable }, from, data, { reliable });
  }

  function hold(from: string, data: Json, reliable: boolean): void {
    if (held.length >= MAX_QUEUED_SENDS) {
      held.shift();
      droppedBeforeListening++;
    }
    held.push([from, data, reliable]);
  }

  // The first handler or 'message' listener gets every held message, in order, once the script
  // that set it has finished (so the rest of its set-up runs first).
  function startListening(): void {
    if (listening) return;
    listening = true;
    queueMicrotask(() => {
      if (droppedBeforeListening > 0) {
        const message = `${droppedBeforeListening} messages arrived before the experience listened and were dropped (at most ${MAX_QUEUED_SENDS} are held)`;
        droppedBeforeListening = 0;
        fire('onError', 'error', { code: 'internal', message }, new P2PError('internal', message));
      }
      while (held.length > 0) message(...held.shift()!);
    });
  }

  // Runs P2P.onRequest for a member's request and posts its answer (or why there is none).
  function answer(id: number, from: string, data: Json): void {
    const handler = api.onRequest;
    if (typeof handler !== 'function') {
      bridge.post({ t: 'answer', id, code: 'no_handler', message: 'this experience has no P2P.onRequest handler' });
      return;
    }
    // Called now, not in a continuation: the experience hears requests in order with messages.
    let result: ReturnType<typeof handler>;
    try {
      result = handler(from, data);
    } catch (err) {
      result = Promise.reject(err);
    }
    Promise.resolve(result)
      .then((value) => checked(value === undefined ? null : value))
      .then(
        (value) => bridge.post({ t: 'answer', id, data: value }),
        (err: unknown) =>
          bridge.post({ t: 'answer', id, code: 'request_failed', message: err instanceof Error ? err.message : String(err) }),
      );
  }

  // P2P.request() calls waiting for the parent's response, by id.
  const requests = new Map<number, { resolve: (data: Json) => void; reject: (error: P2PError) => void }>();
  let nextRequest = 1;

  // P2P.ready() calls waiting for the parent's answer, by id.
  const readies = new Map<number, { resolve: () => void; reject: (error: P2PError) => void }>();
  let nextReady = 1;

  const mirror = createStateMirror({
    deliver,
    post: (frame) => bridge.post(frame),
    isConnected: () => connected,
    selfId: () => selfId,
    changed: (key, value, from) => call(mirror.state.onChange, 'statechange', { key, value, from }, [key, value, from]),
  });

  const gameSide = createGame({
    post: (frame) => connected && bridge.post(frame),
    call(handler, ...args) {
      if (typeof handler !== 'function') return undefined;
      try {
        return handler(...args);
      } catch (err) {
        (win.reportError ?? console.error)(err);
        return undefined;
      }
    },
  });

  const api: P2PApi = {
    state: mirror.state,
    game: gameSide.game,
    send(data, options) {
      const copy = checked(data);
      deliver(isReliable(options) ? { t: 'send', data: copy } : { t: 'send', data: copy, reliable: false });
    },
    sendTo(peerId, data, options) {
      const copy = checked(data);
      const reliable = isReliable(options);
      // While disconnected the member list may be stale, so the parent checks on delivery instead.
      if (typeof peerId !== 'string' || (connected && !others().some((m) => m.id === peerId))) {
        throw new P2PError('peer_not_in_room', `no other member ${String(peerId).slice(0, 64)} in this room`);
      }
      deliver(reliable ? { t: 'send_to', to: peerId, data: copy } : { t: 'send_to', to: peerId, data: copy, reliable: false });
    },
    ready(peerId) {
      return new Promise((resolve, reject) => {
        if (peerId !== undefined && typeof peerId !== 'string') {
          throw new P2PError('peer_not_in_room', `no other member ${String(peerId).slice(0, 64)} in this room`);
        }
        const id = nextReady++;
        readies.set(id, { resolve, reject });
        try {
          // Queued like a send while there is no connection, so it answers after what came before.
          deliver(peerId === undefined ? { t: 'ready', id } : { t: 'ready', id, to: peerId });
        } catch (err) {
          readies.delete(id);
          throw err;
        }
      });
    },
    request(peerId, data, options) {
      return new Promise((resolve, reject) => {
        const copy = checked(data);
        const timeoutMs = timeoutOf(options);
        if (typeof peerId !== 'string' || (connected && !others().some((m) => m.id === peerId))) {
          throw new P2PError('peer_not_in_room', `no other member ${String(peerId).slice(0, 64)} in this room`);
        }
        const id = nextRequest++;
        requests.set(id, { resolve, reject });
        try {
          const frame: Extract<IframeFrame, { t: 'request' }> = { t: 'request', id, to: peerId, data: copy };
          if (timeoutMs !== undefined) frame.timeoutMs = timeoutMs;
          deliver(frame);
        } catch (err) {
          requests.delete(id);
          throw err;
        }
      });
    },
    onRequest: null,
    getPeers: () => others().map((m) => m.id),
    isConnected: () => connected,
    getPeerId: () => selfId,
    getPeer(peerId) {
      const m = members.find((x) => x.id === peerId);
      if (!m) return null;
      return {
        id: m.id, name: m.name, isHost: m.id === hostId, isSelf: m.id === selfId, isAway: m.away === true,
        transport: m.transport ?? null, rttMs: m.rttMs ?? null,
      };
    },
    getHostId: () => hostId,
    isHost: () => selfId !== null && selfId === hostId,
    get onMessage() {
      return onMessage;
    },
    set onMessage(handler) {
      onMessage = handler;
      if (typeof handler === 'function') startListening();
    },
    onPeerJoin: null,
    onPeerLeave: null,
    onPeerAway: null,
    onPeerBack: null,
    onHostChange: null,
    onConnectionChange: null,
    onError: null,
    addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
      events.addEventListener(type, listener, options);
      if (type === 'message' && listener) startListening();
    },
    removeEventListener: events.removeEventListener.bind(events),
    P2PError,
  };
  const bridge = startBridgeClient(win, onFrame, () => !connected);
  return api;
}

/** P2P.request's options: only {timeoutMs: number}. */
function timeoutOf(options: unknown): number | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new P2PError('data_invalid', 'options must be an object such as {timeoutMs: 5000}');
  }
  for (const key of Object.keys(options)) {
    if (key !== 'timeoutMs') throw new P2PError('data_invalid', `options.${key.slice(0, 64)} is not an option (only timeoutMs is)`);
  }
  const timeoutMs = (options as { timeoutMs?: unknown }).timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs))) {
    throw new P2PError('data_invalid', 'options.timeoutMs must be a number of milliseconds');
  }
  return timeoutMs as number | undefined;
}

/** A member's transport and round-trip time from a frame, anything unexpected as null. */
function linkOf(m: Partial<BridgePeer> | null | undefined): Pick<BridgePeer, 'transport' | 'rttMs'> {
  const transport = m?.transport === 'direct' || m?.transport === 'relay' ? m.transport : null;
  const rttMs = typeof m?.rttMs === 'number' && Number.isFinite(m.rttMs) ? m.rttMs : null;
  return { transport, rttMs };
}
