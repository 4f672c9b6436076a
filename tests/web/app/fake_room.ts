// In-memory stand-ins for the huddle library (web/src/lib/types.ts), for app tests.
// FakeRoom behaves like the facade: `peers` snapshots in join order with isHost/isSelf/link/
// transport, plus the finer events (peerJoin, peerLeave, hostChange, linkState, transport,
// linkRtt) in the same order a real room would emit them.
import { vi } from 'vitest';
import {
  HuddleError,
  type CreateRoomOptions, type ErrorCode, type FileSent, type FileTransfer, type HostExperienceOptions, type HuddleApi,
  type JoinRoomOptions, type Json, type LeaveReason, type LinkState, type Peer, type Room, type RoomEvents,
  type RequestHandler, type RequestOptions, type RoomState, type RoomStateEvents, type RoomGame, type RoomGameEvents, type GameOptions, type SendFileOptions, type SendOptions, type SessionStatus, type Transport,
} from '../../../web/src/lib/types';

type Handlers = { [E in keyof RoomEvents]: Set<RoomEvents[E]> };

interface Member {
  id: string;
  name: string;
  joinOrder: number;
  link: LinkState | null;
  transport?: Transport | null;
  rttMs?: number | null;
  away?: boolean;
}

export class FakeRoom implements Room {
  readonly code: string;
  readonly selfId: string;
  readonly shareUrl: string;
  relayOnly = false;
  password = false;
  maxMembers = 6;
  token = 'TOKEN-fake-0123456789';
  /** Everything passed to send() reliably (the default), in order. */
  readonly sent: Json[] = [];
  readonly sentTo: { peerId: string; data: Json }[] = [];
  /** Unreliable sends (presence, typing), to everyone (`to` absent) or one member. */
  readonly sentUnreliable: { to?: string; data: Json }[] = [];
  /** Every sendFile() call, with the transfer it returned (its done never settles). */
  readonly sentFiles: { file: Blob; options: SendFileOptions | undefined; transfer: FileTransfer }[] = [];
  leaveCalls = 0;
  /** When set, the next reliable send()/sendTo() throws it (then it is cleared). */
  sendError: HuddleError | null = null;
  /** The same for the next unreliable one (kept apart: the app's presence chatter is unreliable). */
  unreliableSendError: HuddleError | null = null;

  private members: Member[] = [];
  private nextOrder = 1;
  private nextMessageId = 1;
  private currentStatus: SessionStatus = 'in_room';
  private readonly handlers: Handlers = {
    status: new Set(), peers: new Set(), peerJoin: new Set(), peerLeave: new Set(),
    hostChange: new Set(), peerAway: new Set(), peerBack: new Set(), linkState: new Set(), transport: new Set(), linkRtt: new Set(), message: new Set(), delivered: new Set(),
    file: new Set(), error: new Set(),
  };

  constructor(opts: { code?: string; selfId?: string; selfName?: string; others?: string[] } = {}) {
    this.code = opts.code ?? 'ABC234';
    this.selfId = opts.selfId ?? 'self';
    this.shareUrl = `http://localhost:3000/r/${this.code}`;
    // Others listed first joined earlier, so the first of them is host.
    for (const name of opts.others ?? []) this.members.push(this.member(name.toLowerCase(), name, 'connected'));
    this.members.push(this.member(this.selfId, opts.selfName ?? 'Me', null));
  }

  // --- Room ---
  status(): SessionStatus {
    return this.currentStatus;
  }
  resumeToken(): string {
    return this.token;
  }
  peers(): readonly Peer[] {
    const host = this.hostId();
    return this.members.map((m) => ({
      id: m.id, name: m.name, joinOrder: m.joinOrder,
      isSelf: m.id === this.selfId, isHost: m.id === host,
      link: m.id === this.selfId ? null : m.link,
      // Unless a test set one: direct while the link is up, none otherwise.
      transport: m.id === this.selfId ? null : m.transport !== undefined ? m.transport : m.link === 'connected' ? 'direct' : null,
      away: m.away ?? false,
      rttMs: m.rttMs ?? null,
    }));
  }
  hostId(): string {
    return this.members.reduce((a, b) => (b.joinOrder < a.joinOrder ? b : a)).id;
  }
  send(data: Json, options?: SendOptions): number {
    // sendError is for the app's own (reliable) sends; presence chatter must not use it up.
    if (options?.reliable === false) {
      const err = this.unreliableSendError;
      this.unreliableSendError = null;
      if (err) throw err;
      this.sentUnreliable.push({ data });
      return 0; // its own numbering in the core; tests only count reliable ids
    }
    this.throwIfSendError();
    this.sent.push(data);
    return this.nextMessageId++;
  }
  sendTo(peerId: string, data: Json, options?: SendOptions): number {
    if (options?.reliable === false) {
      const err = this.unreliableSendError;
      this.unreliableSendError = null;
      if (err) throw err;
      this.sentUnreliable.push({ to: peerId, data });
      return 0;
    }
    this.throwIfSendError();
    this.sentTo.push({ peerId, data });
    return this.nextMessageId++;
  }
  /** The app never streams: nothing waits for acknowledgement. */
  bufferedAmount(): number {
    return 0;
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  /** Every request() call; each settles when a test answers it (`answer`, `fail`). */
  readonly requests: { peerId: string; data: Json; timeoutMs?: number; answer: (data: Json) => void; fail: (e: HuddleError) => void }[] = [];
  /** What onRequest set (null: none); tests call it as a member would. */
  requestHandler: RequestHandler | null = null;
  request(peerId: string, data: Json, options?: RequestOptions): Promise<Json> {
    return new Promise((resolve, reject) => {
      this.requests.push({ peerId, data, timeoutMs: options?.timeoutMs, answer: resolve, fail: reject });
    });
  }
  onRequest(handler: RequestHandler): () => void {
    this.requestHandler = handler;
    return () => {
      if (this.requestHandler === handler) this.requestHandler = null;
    };
  }

  /** A local document: what this member wrote, and what a test puts as another member's write (`state.put`). */
  readonly state = new FakeState(() => this.selfId);
  readonly game = new FakeGame();

  sendFile(file: Blob, options?: SendFileOptions): FileTransfer {
    this.throwIfSendError();
    const others = this.members.filter((m) => m.id !== this.selfId).map((m) => m.id);
    const transfer: FileTransfer = {
      id: `file-${this.sentFiles.length + 1}`, to: options?.to ? [options.to] : others, name: options?.name ?? 'file',
      size: file.size, type: file.type, on: () => () => {}, cancel: vi.fn(), done: new Promise<FileSent>(() => {}),
    };
    this.sentFiles.push({ file, options, transfer });
    return transfer;
  }
  on<E extends keyof RoomEvents>(event: E, handler: RoomEvents[E]): () => void {
    (this.handlers[event] as Set<RoomEvents[E]>).add(handler);
    return () => {
      (this.handlers[event] as Set<RoomEvents[E]>).delete(handler);
    };
  }
  leave(): void {
    this.leaveCalls++;
  }

  // --- test controls ---
  /** Sets your own display name (the server knows you by the name you joined with). */
  rename(name: string): void {
    this.members.find((m) => m.id === this.selfId)!.name = name;
  }
  /** How many handlers are subscribed to `event` (or to all events). */
  listenerCount(event?: keyof RoomEvents): number {
    if (event) return this.handlers[event].size;
    return Object.values(this.handlers).reduce((n, s) => n + s.size, 0);
  }
  emit<E extends keyof RoomEvents>(event: E, ...args: Parameters<RoomEvents[E]>): void {
    for (const h of [...this.handlers[event]]) (h as (...a: Parameters<RoomEvents[E]>) => void)(...args);
  }
  setStatus(status: SessionStatus): void {
    this.currentStatus = status;
    this.emit('status', status);
  }
  /** A new member arrives with a link still connecting; returns its id. */
  addPeer(name: string, id = name.toLowerCase()): string {
    const m = this.member(id, name, 'connecting');
    this.members.push(m);
    this.emit('peerJoin', this.peers().find((p) => p.id === id)!);
    this.emit('peers', this.peers());
    return id;
  }
  /** A member leaves; if it was host, the next oldest becomes host. */
  removePeer(id: string, reason: LeaveReason = 'left'): void {
    const wasHost = this.hostId() === id;
    this.members = this.members.filter((m) => m.id !== id);
    this.emit('peerLeave', id, reason);
    if (wasHost) this.emit('hostChange', this.hostId());
    this.emit('peers', this.peers());
  }
  /** The server says `id`'s connection dropped (away), or that it came back. */
  setAway(id: string, away: boolean): void {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id}`);
    m.away = away;
    this.emit(away ? 'peerAway' : 'peerBack', id);
    this.emit('peers', this.peers());
  }
  setLink(id: string, state: LinkState): void {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id}`);
    m.link = state;
    this.emit('linkState', id, state);
    this.emit('peers', this.peers());
  }
  /** What carries messages to `id` changes; its round-trip time starts over, as in the library. */
  setTransport(id: string, transport: Transport | null): void {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id}`);
    m.transport = transport;
    m.rttMs = null;
    this.emit('transport', id, transport);
    this.emit('peers', this.peers());
  }
  /** A round-trip time to `id` is measured over its current transport. */
  setRtt(id: string, rttMs: number): void {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id}`);
    m.rttMs = rttMs;
    this.emit('linkRtt', id, rttMs);
    this.emit('peers', this.peers());
  }
  /** A chat message from `from` arrives; returns its message id. */
  receiveChat(from: string, text: string, opts: { id?: number; ts?: number; broadcast?: boolean } = {}): number {
    return this.receive(from, { type: 'chat', text }, opts);
  }
  /** Any app message from `from` arrives (broadcast unless told otherwise); returns its message id. */
  receive(from: string, data: Json, opts: { id?: number; ts?: number; broadcast?: boolean; reliable?: boolean } = {}): number {
    const id = opts.id ?? this.nextMessageId++;
    this.emit('message', {
      from, id, data, ts: opts.ts ?? Date.now(), broadcast: opts.broadcast ?? true, reliable: opts.reliable ?? true,
    });
    return id;
  }

  private member(id: string, name: string, link: LinkState | null): Member {
    return { id, name, joinOrder: this.nextOrder++, link };
  }
  private throwIfSendError(): void {
    const err = this.sendError;
    if (err) {
      this.sendError = null;
      throw err;
    }
  }
}

/** One hostExperience call: what was lent to which iframe, and whether the loan has ended. */
export interface ExperienceLoan {
  readonly room: Room;
  readonly iframe: HTMLIFrameElement;
  readonly channel: string;
  readonly options: HostExperienceOptions | undefined;
  disposed: boolean;
}

/**
 * A HuddleApi whose createRoom/joinRoom are spies answering with `room` or failing with `failWith`,
 * with a HostExperience (`hostExperience`, what in_room.ts and huddle.js add from the bridge) that
 * records each loan in `loans`.
 */
export class FakeHuddle implements HuddleApi {
  room: FakeRoom = new FakeRoom();
  failWith: ErrorCode | null = null;
  readonly loans: ExperienceLoan[] = [];
  /** When true, calls stay pending until `settle()`. */
  hold = false;
  private waiting: (() => void)[] = [];

  readonly createRoom = vi.fn((opts: CreateRoomOptions) => this.answer(opts.name));
  readonly joinRoom = vi.fn((opts: JoinRoomOptions) => this.answer(opts.name));
  readonly hostExperience = vi.fn((room: Room, iframe: HTMLIFrameElement, channel: string, options?: HostExperienceOptions) => {
    const loan: ExperienceLoan = { room, iframe, channel, options, disposed: false };
    this.loans.push(loan);
    return () => {
      loan.disposed = true;
    };
  });

  /** Lets held calls answer. */
  settle(): void {
    const w = this.waiting;
    this.waiting = [];
    w.forEach((go) => go());
  }

  private answer(name: string): Promise<Room> {
    return new Promise<Room>((resolve, reject) => {
      const go = () => {
        if (this.failWith) {
          reject(new HuddleError(this.failWith, `fake ${this.failWith}`));
          return;
        }
        this.room.rename(name);
        resolve(this.room);
      };
      if (this.hold) this.waiting.push(go);
      else go();
    });
  }
}

/** Room.state as one member sees it, with no host behind it: writes apply at once. */
export class FakeState implements RoomState {
  private readonly doc = new Map<string, Json>();
  private readonly handlers = { change: new Set(), healed: new Set(), refused: new Set() } as {
    [E in keyof RoomStateEvents]: Set<RoomStateEvents[E]>;
  };
  constructor(private readonly selfId: () => string) {}
  get(key: string): Json | undefined {
    return this.doc.get(key);
  }
  entries(): [string, Json][] {
    return [...this.doc.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  set(key: string, value: Json): void {
    this.put(key, value, this.selfId());
  }
  delete(key: string): void {
    this.put(key, undefined, this.selfId());
  }
  /** A change as the room would report it (another member's write: `from`). */
  put(key: string, value: Json | undefined, from: string): void {
    if (value === undefined) this.doc.delete(key);
    else this.doc.set(key, value);
    for (const h of [...this.handlers.change]) h({ key, value, from });
  }
  on<E extends keyof RoomStateEvents>(event: E, handler: RoomStateEvents[E]): () => void {
    this.handlers[event].add(handler);
    return () => {
      this.handlers[event].delete(handler);
    };
  }
}

/** A game alone in its room: this member is host; what it publishes is the state; events on demand. */
export class FakeGame implements RoomGame {
  running = false;
  tickHz = 0;
  input: Json = null;
  state: Json | null = null;
  tick = 0;
  isHost = true;
  paused = false;
  private readonly handlers = { tick: new Set(), state: new Set(), host: new Set(), pause: new Set(), resume: new Set() } as {
    [E in keyof RoomGameEvents]: Set<RoomGameEvents[E]>;
  };
  start(options: GameOptions = {}): void {
    this.running = true;
    this.tickHz = options.tickHz ?? 60;
  }
  stop(): void {
    this.running = false;
  }
  setInput(input: Json): void {
    this.input = input;
  }
  publish(state: Json): void {
    this.state = state;
    this.tick++;
  }
  render(): Json | null {
    return this.state;
  }
  on<E extends keyof RoomGameEvents>(event: E, handler: RoomGameEvents[E]): () => void {
    this.handlers[event].add(handler);
    return () => {
      this.handlers[event].delete(handler);
    };
  }
  /** An event as the room would give it. */
  emit<E extends keyof RoomGameEvents>(event: E, ...args: Parameters<RoomGameEvents[E]>): void {
    for (const h of [...this.handlers[event]]) (h as (...a: Parameters<RoomGameEvents[E]>) => void)(...args);
  }
}
