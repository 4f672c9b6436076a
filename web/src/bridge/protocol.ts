// The bridge between the embedding page (<p2p-frame>, or hostExperience in the huddle app) and
// p2p.js inside an experience's iframe. Shared by both ends (host.ts on the page, client.ts in the
// iframe); types and constants only, so p2p.js stays tiny. docs/experiences.md describes the
// handshake; the frames are listed here once.
import type { Json, Transport } from '../lib/types';

/** iframe → window.parent, with the iframe's end of a fresh MessageChannel transferred. */
export interface HelloMessage {
  huddle: 'p2p-hello';
  v: 1;
}
/** window.parent → iframe: "say hello again" (the element started listening after the iframe's script ran). */
export interface ProbeMessage {
  huddle: 'p2p-probe';
}
export const HELLO = 'p2p-hello';
export const PROBE = 'p2p-probe';
export const BRIDGE_VERSION = 1;

/**
 * A member of the room as the iframe sees it (`state.members`, `peer_join.peer`). Type names here
 * are free to change; field and frame names are the wire's and are only ever added to, since a
 * p2p.js of another version may be on the other end.
 */
export interface BridgePeer {
  id: string;
  name: string;
  /** Its connection to the server dropped; it keeps its place (and host role) for a while. */
  away?: boolean;
  /** What carries messages to it (null: yourself, or no link yet). Absent from older parents. */
  transport?: Transport | null;
  /** Round-trip time over that transport, whole ms; null until measured. */
  rttMs?: number | null;
}

/** One member's transport and round-trip time, as a `links` frame carries them. */
export interface PeerLink {
  id: string;
  transport: Transport | null;
  rttMs: number | null;
}

/**
 * Port frames, parent → iframe. `state` is the full picture (sent on attach and whenever the
 * connection changes); the others are room events, in the order the room emitted them.
 */
export type ParentFrame =
  | {
      t: 'state';
      /** Your peer id; null while the element is not in a room. */
      selfId: string | null;
      hostId: string | null;
      /** The element is in the room with a live server connection. */
      connected: boolean;
      /** Every member, yourself included, oldest first. */
      members: BridgePeer[];
    }
  /** `reliable: false` only for an unreliable message (absent means reliable, as before it existed). */
  | { t: 'message'; from: string; data: Json; reliable?: false }
  | { t: 'peer_join'; peer: BridgePeer }
  | { t: 'peer_leave'; id: string }
  | { t: 'peer_away'; id: string }
  | { t: 'peer_back'; id: string }
  | { t: 'host'; hostId: string }
  /** These members' transport or round-trip time changed (round-trip times at most once a second). */
  | { t: 'links'; links: PeerLink[] }
  | { t: 'error'; code: string; message: string }
  /** The answer to the iframe's `ready` of the same id: the room is ready, or `code` says why not. */
  | { t: 'ready'; id: number; code?: string; message?: string }
  /** A member asks the experience (P2P.onRequest); the iframe answers with an `answer` of the same id. */
  | { t: 'request'; id: number; from: string; data: Json }
  /** The outcome of the iframe's `request` of the same id: the answer's `data`, or `code` and `message` when it failed. */
  | { t: 'response'; id: number; data?: Json; code?: string; message?: string }
  /**
   * The room state's whole document (the experience's keys, in key order), answering the
   * iframe's `state_watch`: [key, value, writer] (writer '' when the page does not know it).
   */
  | { t: 'state_doc'; entries: [string, Json, string][] }
  /** A key of the room state changed (value absent: deleted), written by `from`. */
  | { t: 'state_change'; key: string; value?: Json; from: string }
  /**
   * One per `state_set`/`state_delete` of the iframe, in order, after the room took it (or refused
   * it: then an `error` frame came first): what the room holds at `key` now, written by `from`.
   */
  | { t: 'state_ack'; key: string; value?: Json; from: string }
  /**
   * Game sync (P2P.game), while the iframe runs a game (`game_start`). Host, every tick: each
   * present member's input by peer id; the iframe answers with a `game_publish`.
   */
  | { t: 'game_tick'; tick: number; inputs: Record<string, GameInputFrame> }
  /** A newer complete state from the host (members). */
  | { t: 'game_state'; tick: number; state: Json }
  /** This member became the host: go on from `state` (null when it had none). */
  | { t: 'game_host'; tick: number; state: Json | null }
  /** The host went away (paused) or is back, or another took over. */
  | { t: 'game_paused'; paused: boolean };

/** One member's input in a `game_tick`: its newest, and every one since the previous tick. */
export interface GameInputFrame {
  latest: Json;
  fresh: Json[];
}

/**
 * Port frames, iframe → parent. `reliable: false` asks for an unreliable send (room.send's
 * `{reliable: false}`); absent means reliable, so frames from an older p2p.js mean what they did.
 */
export type IframeFrame =
  | { t: 'send'; data: Json; reliable?: false }
  | { t: 'send_to'; to: string; data: Json; reliable?: false }
  /** P2P.ready(): answered by a `ready` of the same id once room.ready(to) settles. */
  | { t: 'ready'; id: number; to?: string }
  /** P2P.request(): answered by a `response` of the same id once room.request settles. */
  | { t: 'request'; id: number; to: string; data: Json; timeoutMs?: number }
  /**
   * The answer to the parent's `request` of the same id: `data`, or a refusal: `code`
   * 'request_failed' (the handler threw; `message` is its error's) or 'no_handler'.
   */
  | { t: 'answer'; id: number; data: Json }
  | { t: 'answer'; id: number; code: 'request_failed' | 'no_handler'; message: string }
  /**
   * P2P.state was first used (and again on every later connection): answered by `state_doc`,
   * then `state_change` for every change. Until it, the page leaves the room state alone (a room
   * whose experiences never use it loads nothing for it).
   */
  | { t: 'state_watch' }
  /** P2P.state.set / delete: room.state.set / delete, answered by a `state_ack`. */
  | { t: 'state_set'; key: string; value: Json }
  | { t: 'state_delete'; key: string }
  /** P2P.game.start(): room.game.start; again on every later connection while it runs. */
  | { t: 'game_start'; tickHz?: number }
  | { t: 'game_stop' }
  /** P2P.game.setInput(): sent from the next tick on (the newest only; never queued). */
  | { t: 'game_input'; input: Json }
  /** P2P.game.publish(), or what onTick returned: room.game.publish (never queued). */
  | { t: 'game_publish'; state: Json };

/** Sends either side holds while it cannot deliver them (docs/experiences.md: "The queue holds 1024"). */
export const MAX_QUEUED_SENDS = 1024;

// The bridge accepts exactly what the room accepts.
export { MAX_DATA_BYTES } from '../lib/json_check';

/** The state of a frame that is attached to nothing (before joining, after leaving). */
export const DETACHED_STATE: ParentFrame = { t: 'state', selfId: null, hostId: null, connected: false, members: [] };
