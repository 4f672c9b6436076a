// Public types of the huddle client library. The UI and embedders import these (through
// web/src/lib/index.ts); nothing outside web/src/lib touches the generated Wasm module. The word
// lists (statuses, states, reasons, codes) and Peer are declared once, on the C++ side, and come
// from the generated core.ts and huddle_client.d.ts.
import type * as core from '../generated/core';
import type { Peer } from '../generated/huddle_client.js';
import type { RoomGame } from './game_types';
import type { RoomState } from './state_types';

export type { Peer };
// The room state's and game sync's types, each in a file of its own.
export type * from './state_types';
export type * from './game_types';

/** Any value JSON can carry. App messages must be of this type. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Where this client stands with the server. `reconnecting`: the connection to the server dropped
 * while in a room; the client retries by itself, keeping its peer id, room, links and queued
 * messages (sends keep working). `offline`: it gave up, or another connection took its place.
 */
export type SessionStatus = core.SessionStatus;

/**
 * State of the direct WebRTC link to one other member. `closed` is also how a relay-only room's
 * members stand (no direct links by design).
 */
export type LinkState = core.LinkState;

/**
 * What carries your messages to one member: its direct link, or the huddle server's relay (no
 * direct link could be made within 5 s, it failed, or the room is relay-only). Sends work the same
 * either way; traffic moves back to a direct link when one opens.
 */
export type Transport = Exclude<core.TransportName, 'none'>;

/** Why a member left: on purpose, its connection closed, or the server's heartbeat dropped it. */
export type LeaveReason = core.LeaveReason;

/** Stable error codes (docs/protocol.md lists them with their meaning). */
export type ErrorCode = core.ErrorCode;

/** Every failure the library reports carries one of the stable codes. */
export class HuddleError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'HuddleError';
    this.code = code;
  }
}

/** An app message received from another member. */
export interface ReceivedMessage {
  readonly from: string;
  readonly data: Json;
  /** The sender's message number (the same for every recipient of one send). */
  readonly id: number;
  /** The sender's wall clock when it sent, ms since the Unix epoch. */
  readonly ts: number;
  /** false when the sender addressed only you (sendTo). */
  readonly broadcast: boolean;
  /** false when it was sent with `{reliable: false}`. */
  readonly reliable: boolean;
}

export interface SendOptions {
  /**
   * Default true: exactly once and in order per sender, queued while a member is unreachable and
   * resent as needed. false: at most once, never older than one already delivered from you, never
   * queued or resent; for 60 Hz game state and inputs, cursors. Unreliable sends never throw
   * send_queue_full.
   */
  reliable?: boolean;
}

/** Options of `room.sendFile`. */
export interface SendFileOptions {
  /**
   * One member's peer id. Absent: every other member in the room now, away ones included (who
   * joins later does not get the file).
   */
  to?: string;
  /** The name recipients see. Default: the File's name, or "file" for a Blob without one. */
  name?: string;
}

/**
 * How far a file you send has got: `sent` bytes are acknowledged by the slowest recipient still
 * in the transfer (those that failed or left no longer count); `total` is the file's size.
 */
export interface FileSendProgress {
  readonly sent: number;
  readonly total: number;
}

/** How much of an incoming file has arrived (`received` of `total` bytes). */
export interface FileReceiveProgress {
  readonly received: number;
  readonly total: number;
}

/** Events of a file you send; `on(name, handler)` returns a function that unsubscribes. */
export interface FileTransferEvents {
  progress: (progress: FileSendProgress) => void;
}

/** Events of a file arriving; `on(name, handler)` returns a function that unsubscribes. */
export interface IncomingFileEvents {
  progress: (progress: FileReceiveProgress) => void;
}

/** How a file you sent ended: who has it, verified, and who does not, with why. */
export interface FileSent {
  /** Members that received the whole file and checked its SHA-256. Never empty. */
  readonly delivered: readonly string[];
  /**
   * Members that did not: `file_cancelled` (they cancelled, or their page takes no files, or they
   * are receiving too much already), `peer_not_in_room` (they left), `file_corrupt`,
   * `file_stalled` (no progress for FILE_STALL_MS), `file_too_large` (their cap is lower).
   */
  readonly failed: readonly { readonly peerId: string; readonly error: HuddleError }[];
}

/**
 * A file you send (`room.sendFile`). It goes in chunks, as reliable messages to each recipient,
 * at most a few unacknowledged at a time per recipient: it never fills the room's send queue (so
 * never throws `send_queue_full`) and keeps within the server's limits over the relay. Each
 * member gets your files one at a time, in the order you sent them.
 */
export interface FileTransfer {
  /** The transfer's id; recipients see the same `id` on their IncomingFile. */
  readonly id: string;
  /** The recipients' peer ids. */
  readonly to: readonly string[];
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  /** The MIME type recipients see ("" when the Blob has none). */
  readonly type: string;
  on<E extends keyof FileTransferEvents>(event: E, handler: FileTransferEvents[E]): () => void;
  /** Stops sending to everyone; recipients see `file_cancelled`. No effect once `done` settled. */
  cancel(): void;
  /**
   * Settles when every recipient has received and verified the file, cancelled, failed or left
   * the room (so it never waits forever on a member who is gone). Resolves when at least one
   * recipient has the file; otherwise rejects with a HuddleError: the error of the first
   * recipient in `to` (see FileSent.failed). After `cancel()` it rejects with `file_cancelled`.
   */
  readonly done: Promise<FileSent>;
}

/**
 * A file another member is sending you (the room's `file` event). It arrives whether or not you
 * ask for it (up to the limits in limits.ts); `blob()` hands it over once its SHA-256 is checked.
 */
export interface IncomingFile {
  /** The sender's id for the transfer (unique per sender). */
  readonly id: string;
  /** The sender's peer id. */
  readonly from: string;
  /**
   * The name the sender gave, made safe to show and to download as: no directory part, no
   * control or bidirectional-override characters, at most 255 characters.
   */
  readonly name: string;
  /** Bytes, as announced; what arrives must match it exactly. */
  readonly size: number;
  /** The MIME type the sender gave, if it looks like one; else "". */
  readonly type: string;
  on<E extends keyof IncomingFileEvents>(event: E, handler: IncomingFileEvents[E]): () => void;
  /** Stops the transfer; the sender sees `file_cancelled`. No effect once the file is complete. */
  cancel(): void;
  /**
   * The file, once it has all arrived and its SHA-256 matches the sender's. Rejects with a
   * HuddleError: `file_cancelled` (either side cancelled), `file_corrupt` (wrong sizes, chunks or
   * hash), `file_stalled` (nothing from the sender for FILE_STALL_MS), `peer_not_in_room` (the
   * sender left), `not_in_room` (you left). The same promise every call.
   */
  blob(): Promise<Blob>;
}

/** Events a Room emits; `on(name, handler)` returns a function that unsubscribes. */
export interface RoomEvents {
  status: (status: SessionStatus) => void;
  /** Any change to membership, host or link states: the full list, in join order. */
  peers: (peers: readonly Peer[]) => void;
  peerJoin: (peer: Peer) => void;
  peerLeave: (peerId: string, reason: LeaveReason) => void;
  hostChange: (hostId: string) => void;
  /**
   * A member's connection to the server dropped; it keeps its place (and the host role) for the
   * server's grace period (30 s by default). Compare with hostId() to pause a game for an away host.
   */
  peerAway: (peerId: string) => void;
  /** An away member resumed in time. (If it does not, peerLeave follows.) */
  peerBack: (peerId: string) => void;
  linkState: (peerId: string, state: LinkState) => void;
  /** What carries messages to `peerId` changed (its round-trip time starts over). */
  transport: (peerId: string, transport: Transport | null) => void;
  /** A new round-trip time measurement to `peerId` (every 2 s over its current transport). */
  linkRtt: (peerId: string, rttMs: number) => void;
  /** An app message. The library's own (file transfer: data with the key `$huddle`) never come here. */
  message: (message: ReceivedMessage) => void;
  /** `peerId` has received your message `messageId` (your file chunks are not reported). */
  delivered: (peerId: string, messageId: number) => void;
  /**
   * Another member is sending you a file. Subscribe to its progress and await `blob()`, or
   * `cancel()` it. While nothing listens to this event, offers are refused (the sender sees
   * `file_cancelled`).
   */
  file: (incoming: IncomingFile) => void;
  error: (error: HuddleError) => void;
}

/** Options of Room.request. */
export interface RequestOptions {
  /** How long to wait for the answer, ms (default DEFAULT_REQUEST_TIMEOUT_MS, at most MAX_REQUEST_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * Answers a member's request (Room.onRequest): return the answer (any JSON value; undefined
 * answers null), or a Promise of it. A throw or a rejection refuses the request: the asker's
 * promise rejects with `request_failed` and the error's message.
 */
export type RequestHandler = (from: string, data: Json) => Json | undefined | Promise<Json | undefined>;

export interface Room {
  /** The 6-character room code, or the room name it was joined by. */
  readonly code: string;
  /** Your own peer id: the one you asked for, or one the server picked. Kept across reconnects. */
  readonly selfId: string;
  /** Link that opens this room in the huddle app: `${origin}/r/${code}`. */
  readonly shareUrl: string;
  /** The room was created relay-only: every message goes through the server. */
  readonly relayOnly: boolean;
  /**
   * The room needs a password to join (it was created with one). The password itself is never
   * in `shareUrl`: put it in the link's fragment yourself (`#k=…`, see newRoomSecret).
   */
  readonly password: boolean;
  /** How many members the room takes (its creator's maxMembers, or the server's default). */
  readonly maxMembers: number;
  /**
   * The secret that lets a later page (a reload of this one) take selfId's place back: pass both
   * as `peerId` and `resumeToken` within the server's grace period (30 s). Keep it in
   * sessionStorage, not anywhere shared.
   */
  resumeToken(): string;
  status(): SessionStatus;
  /** Every member including yourself, in join order. */
  peers(): readonly Peer[];
  hostId(): string;
  /**
   * Sends to every other member (reliable and ordered unless told). Returns the message id. Throws
   * HuddleError. An object with the key `$huddle` is refused (`data_invalid`): that key marks the
   * library's own messages (file transfer), which never reach the `message` event.
   */
  send(data: Json, options?: SendOptions): number;
  /** Sends to one member (as `send`, `$huddle` reserved too). Returns the message id. Throws HuddleError. */
  sendTo(peerId: string, data: Json, options?: SendOptions): number;
  /**
   * Bytes of reliable messages to `peerId` not yet acknowledged (without `peerId`: the most to any
   * member, what a `send` waits behind). Like RTCDataChannel.bufferedAmount, but end to end.
   */
  bufferedAmount(peerId?: string): number;
  /**
   * Asks one member and resolves with its handler's answer (Room.onRequest on its side). The
   * request and the answer travel like reliable messages. Rejects with HuddleError:
   * `request_timeout` (no answer within `timeoutMs`), `peer_not_in_room` (it is not here, or left
   * before answering), `not_in_room` (you left), `request_failed` (its handler threw: the message
   * is the handler's), `no_handler` (it has none), `too_many_requests` (MAX_PENDING_REQUESTS of
   * yours await answers, or MAX_INCOMING_REQUESTS of its own are unanswered), `data_invalid`.
   */
  request(peerId: string, data: Json, options?: RequestOptions): Promise<Json>;
  /** Sets the handler that answers other members' requests (one at a time; a later call replaces it). Returns the function that removes it. */
  onRequest(handler: RequestHandler): () => void;
  /** The room state: a key → JSON document every member holds a copy of (see RoomState). */
  readonly state: RoomState;
  /** Game sync for host-authoritative games (see RoomGame). */
  readonly game: RoomGame;
  /**
   * Resolves when the queue to `peerId` (without it: to every member) is low enough to send more:
   * under READY_QUEUED_MESSAGES messages and READY_QUEUED_BYTES bytes awaiting acknowledgement.
   * A stream that awaits it before each send never meets `send_queue_full`. Rejects with
   * HuddleError `peer_not_in_room` (the member is not, or no longer, here) or `not_in_room`.
   */
  ready(peerId?: string): Promise<void>;
  /**
   * Sends a file (a File or Blob of at most MAX_FILE_BYTES) to one member (`to`) or to every
   * other member. Throws HuddleError before anything is sent: `file_too_large`,
   * `peer_not_in_room` (`to` is not another member, or nobody else is here), `not_in_room`,
   * `data_invalid` (not a Blob). Everything later is reported by the transfer (`done`).
   */
  sendFile(file: Blob, options?: SendFileOptions): FileTransfer;
  on<E extends keyof RoomEvents>(event: E, handler: RoomEvents[E]): () => void;
  /**
   * Leaves the room on purpose: the others see you leave at once (and the next member becomes
   * host). Closing or reloading the page does not leave: you are away for the server's grace
   * period, so a reload can resume your place. Idempotent.
   */
  leave(): void;
}

export interface ConnectOptions {
  /** huddle-server origin (http(s)://host:port); defaults to the page's origin. */
  server?: string;
  /** Log connection events to the browser console. */
  debug?: boolean;
  /**
   * Ask for this peer id (1–64 of A–Z a–z 0–9 _ -), e.g. your site's user id. Default: the
   * server picks one. Fails with peer_id_taken while another live member holds it.
   */
  peerId?: string;
  /**
   * With `peerId`: the token a previous page with this id had (`room.resumeToken()`), to take its
   * place back within the grace period (same join order, host role; the others see it come back).
   */
  resumeToken?: string;
  /**
   * A signed join token your site's backend minted (docs/tokens.md): it names the room, your peer
   * id and display name, and takes that id's place over from wherever it is (another tab of the
   * same person). Required by a server started with --auth-secret for named rooms. With a token,
   * joinRoom's `code` and `name` default to the token's.
   */
  token?: string;
  /**
   * 'relay': gather only TURN candidates (your address stays hidden from the other members). With
   * no TURN server configured on huddle-server, no direct link forms and huddle's relay carries
   * everything. Default 'all'.
   */
  iceTransportPolicy?: 'all' | 'relay';
  /**
   * false: do not tell the server how your links settled. By default each member sends one small
   * report per room it enters (direct or relay, how long each link took, its round trip; no ids,
   * no messages), which the server counts on /metrics (docs/protocol.md "Client stats").
   */
  reportStats?: boolean;
}

export interface CreateRoomOptions extends ConnectOptions {
  name: string;
  /** Members allowed, 2..server cap; default from the server (6). */
  maxMembers?: number;
  /** No direct links: every message goes through the server (for networks that block WebRTC). */
  relayOnly?: boolean;
  /**
   * Only people who know this password may join (at most MAX_ROOM_PASSWORD_BYTES of UTF-8). A
   * typed one, or newRoomSecret() for "only people with the link". The server keeps a salted hash.
   */
  password?: string;
}

export interface JoinRoomOptions extends ConnectOptions {
  /** A room code (any case), or a room name (1–64 of A–Z a–z 0–9 _ . -, case-sensitive). */
  code: string;
  name: string;
  /** Create the room if it does not exist (how named rooms work). Default false: room_not_found. */
  create?: boolean;
  /** Members allowed when this join creates the room; default from the server. */
  maxMembers?: number;
  /** When this join creates the room: make it relay-only (see CreateRoomOptions). */
  relayOnly?: boolean;
  /**
   * The room's password, if it has one (and the password of the room this join creates). A room
   * with one rejects a join without it, or with another, with `wrong_password`.
   */
  password?: string;
}

/** A join with a signed token alone: the room and name come from it (see ConnectOptions.token). */
export type TokenJoinOptions = Omit<JoinRoomOptions, 'code' | 'name'> & {
  token: string;
  code?: string;
  name?: string;
};

/** The library's entry points, as an interface so the UI can be tested with a fake. */
export interface HuddleApi {
  createRoom(options: CreateRoomOptions): Promise<Room>;
  joinRoom(options: JoinRoomOptions | TokenJoinOptions): Promise<Room>;
}

/**
 * Lends `room`, already joined, to the experience in `iframe` (a page running p2p.js) without
 * joining again. Its messages travel as `{type: 'experience', channel, data}`, and it sees only
 * envelopes of `channel`, so it can share the room with chat or other experiences. Call it right
 * after putting the iframe in the document. Returns the function that ends the loan (the room
 * stays joined). The bridge implements it (web/src/bridge/experience_host.ts) and huddle.js
 * exports it; it is typed here so that code using it needs only the library's types.
 */
export type HostExperience = (
  room: Room,
  iframe: HTMLIFrameElement,
  channel: string,
  options?: HostExperienceOptions,
) => () => void;

export interface HostExperienceOptions {
  /**
   * Messages the room received before the loan began that the experience must still get, oldest
   * first (e.g. what arrived while its iframe was being created). Only its channel's are delivered.
   */
  earlier?: readonly ReceivedMessage[];
  /**
   * Called each time the iframe's page connects (its p2p.js said hello and got the room's state).
   * An iframe whose page never connects did not load (e.g. the server was unreachable): show it
   * and retry.
   */
  onReady?: () => void;
}
