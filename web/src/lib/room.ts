// A joined (or joining) room: wraps one WasmClient, turns its events into typed RoomEvents, and
// owns its lifetime (delete() on leave). All room and protocol logic stays in the C++ core; this
// file only translates, except for the library's own messages (app data with the key `$huddle`,
// library_key.ts), which it hands to their owner (files_on_demand.ts, which loads the file code
// when first needed) instead of the app.
import { Emitter } from './emitter';
import { FilesOnDemand } from './files_on_demand';
import { LIBRARY_KEY, libraryKind } from './library_key';
import { toJsonText } from './json_text';
import { ReadyWaiters } from './ready';
import { Requests } from './requests';
import { WasmGame } from './game';
import { WasmRoomState } from './room_state';
import {
  HuddleError,
  type FileTransfer,
  type Json,
  type Peer,
  type RequestHandler,
  type RequestOptions,
  type Room,
  type RoomEvents,
  type SendFileOptions,
  type SendOptions,
  type SessionStatus,
} from './types';
import type { HuddleModule, WasmClient, WasmClientOptions, WasmError, WasmEvent, WasmSent, WasmStatus } from './wasm_module';

export interface WasmRoomOptions {
  origin: string;
  signalingUrl: string;
  debug: boolean;
  client: WasmClientOptions;
}

// An error that does not mean the create/join failed: a peer broke the protocol.
const NON_FATAL = 'protocol_violation';

// Leaving the page does not leave the room: the server keeps the place for its grace period, so a
// reload (which passes peerId and resumeToken) takes it back. leave() is the way to go at once.

export class WasmRoom implements Room {
  private client: WasmClient | null;
  private readonly events = new Emitter<RoomEvents>();
  private joined: { resolve: (room: Room) => void; reject: (err: HuddleError) => void } | null = null;
  private code_ = '';
  private selfId_ = '';
  private relayOnly_ = false;
  private password_ = false;
  private maxMembers_ = 0;
  private readonly files = new FilesOnDemand({
    // Built by the library: plain JSON that fits by construction (file_wire.ts), so the app-data
    // check, a few per cent of a sending page's time, is skipped.
    sendTo: (peerId, data) => this.sendText((client, text) => client.sendTo(peerId, text, true), JSON.stringify(data)),
    peers: () => this.peers(),
    wantsFiles: () => this.events.has('file'),
    emitFile: (incoming) => this.events.emit('file', incoming),
  });

  private readonly waiters = new ReadyWaiters({
    queued: (peerId) => this.client?.queued(peerId) ?? { messages: 0, bytes: 0 },
    isMember: (peerId) => this.peers().some((p) => p.id === peerId && !p.isSelf),
  });

  private readonly requests = new Requests(() => this.client);

  readonly state = new WasmRoomState({
    client: () => this.client,
    selfId: () => this.selfId_,
    peers: () => this.peers(),
    hostId: () => this.hostId(),
    reportError: (error) => this.events.emit('error', error),
  });

  readonly game = new WasmGame({
    client: () => this.client,
    selfId: () => this.selfId_,
    peers: () => this.peers(),
    hostId: () => this.hostId(),
    connected: () => this.status() === 'in_room',
    reportError: (error) => this.events.emit('error', error),
  });

  constructor(module: HuddleModule, private readonly options: WasmRoomOptions) {
    this.client = new module.WasmClient(
      options.signalingUrl,
      { onEvent: (event) => this.onEvent(event) },
      options.client,
    );
  }

  /** Sends the create/join request and settles when the server answers. */
  start(request: (client: WasmClient) => WasmStatus): Promise<Room> {
    return new Promise<Room>((resolve, reject) => {
      this.joined = { resolve, reject };
      const result = request(this.client!);
      if (!result.ok) this.failJoin(toError(result));
    });
  }

  get code(): string {
    return this.code_;
  }

  get selfId(): string {
    return this.selfId_;
  }

  get shareUrl(): string {
    return `${this.options.origin}/r/${encodeURIComponent(this.code_)}`;
  }

  get relayOnly(): boolean {
    return this.relayOnly_;
  }

  get password(): boolean {
    return this.password_;
  }

  get maxMembers(): number {
    return this.maxMembers_;
  }

  resumeToken(): string {
    return this.client?.resumeToken() ?? '';
  }

  status(): SessionStatus {
    return this.client?.status() ?? 'idle';
  }

  peers(): readonly Peer[] {
    return this.client?.peers() ?? [];
  }

  hostId(): string {
    return this.client?.host() ?? '';
  }

  send(data: Json, options?: SendOptions): number {
    const reliable = options?.reliable !== false;
    return this.sendWith((client, text) => client.send(text, reliable), appData(data));
  }

  sendTo(peerId: string, data: Json, options?: SendOptions): number {
    const reliable = options?.reliable !== false;
    return this.sendWith((client, text) => client.sendTo(String(peerId), text, reliable), appData(data));
  }

  bufferedAmount(peerId?: string): number {
    return this.client?.queued(peerId === undefined ? '' : String(peerId)).bytes ?? 0;
  }

  ready(peerId?: string): Promise<void> {
    return this.waiters.wait(peerId === undefined ? '' : String(peerId));
  }

  request(peerId: string, data: Json, options?: RequestOptions): Promise<Json> {
    return this.requests.request(peerId, data, options);
  }

  onRequest(handler: RequestHandler): () => void {
    return this.requests.onRequest(handler);
  }

  sendFile(file: Blob, options?: SendFileOptions): FileTransfer {
    if (!this.client) throw new HuddleError('not_in_room', 'this room was left');
    return this.files.sendFile(file, options);
  }

  on<E extends keyof RoomEvents>(event: E, handler: RoomEvents[E]): () => void {
    return this.events.on(event, handler);
  }

  leave(): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.files.close(new HuddleError('not_in_room', 'the room was left'));
    this.waiters.close(new HuddleError('not_in_room', 'the room was left'));
    this.requests.close(new HuddleError('not_in_room', 'the room was left'));
    this.state.close();
    this.game.close();
    client.leave(); // emits the final status event to our listeners
    // Not delete() right away: leave() may run inside one of this client's own event callbacks,
    // and the Wasm side is still delivering. A microtask runs after it returns.
    queueMicrotask(() => client.delete());
    this.failJoin(new HuddleError('not_in_room', 'left before the room was joined'));
  }

  private sendWith(op: (client: WasmClient, text: string) => WasmSent, data: Json): number {
    return this.sendText(op, toJsonText(data));
  }

  private sendText(op: (client: WasmClient, text: string) => WasmSent, text: string): number {
    if (!this.client) throw new HuddleError('not_in_room', 'this room was left');
    const result = op(this.client, text);
    if (!result.ok) throw toError(result);
    return result.id;
  }

  private failJoin(error: HuddleError): void {
    const pending = this.joined;
    if (!pending) return;
    this.joined = null;
    pending.reject(error);
    this.leave();
  }

  private onEvent(e: WasmEvent): void {
    if (this.options.debug && e.type !== 'log') console.debug(`[huddle] ${e.type}`, e);
    switch (e.type) {
      case 'log':
        if (this.options.debug) console.debug(`[huddle] ${e.line}`);
        return;
      case 'status':
        // The client gave up (or another page took our place): no transfer can go on.
        if (e.status === 'offline') {
          const lost = new HuddleError('server_unreachable', 'the connection to the room is lost');
          this.files.close(lost);
          this.waiters.close(lost);
          this.requests.close(lost);
          this.state.close();
          this.game.close();
        }
        this.events.emit('status', e.status);
        // Back in the room after a reconnect: members may be away, back or new.
        if (e.status === 'in_room' && !this.joined) this.emitPeers();
        return;
      case 'welcome':
        this.selfId_ = e.id;
        return;
      case 'room_joined':
        this.code_ = e.code;
        this.selfId_ = e.you;
        this.relayOnly_ = e.relayOnly;
        this.password_ = e.password;
        this.maxMembers_ = e.maxMembers;
        if (this.joined) {
          const { resolve } = this.joined;
          this.joined = null;
          resolve(this);
        }
        this.emitPeers();
        return;
      case 'peer_joined': {
        const peers = this.peers();
        const peer = peers.find((p) => p.id === e.id);
        if (peer) this.events.emit('peerJoin', peer);
        this.emitPeers(peers);
        return;
      }
      case 'peer_left':
        this.files.onPeerLeft(e.id);
        this.waiters.check();
        this.events.emit('peerLeave', e.id, e.reason);
        this.emitPeers();
        return;
      case 'peer_away':
        this.events.emit('peerAway', e.id);
        this.emitPeers();
        return;
      case 'peer_back':
        this.events.emit('peerBack', e.id);
        this.emitPeers();
        return;
      case 'host_changed':
        this.events.emit('hostChange', e.host);
        this.emitPeers();
        return;
      case 'link_state':
        this.events.emit('linkState', e.peer, e.state);
        this.emitPeers();
        return;
      case 'transport':
        this.events.emit('transport', e.peer, e.transport === 'none' ? null : e.transport);
        this.emitPeers();
        return;
      case 'link_rtt':
        this.events.emit('linkRtt', e.peer, e.rttMs);
        this.emitPeers();
        return;
      case 'message': {
        const data: Json = JSON.parse(e.data);
        const kind = libraryKind(data);
        if (kind !== null) {
          // The library's own: never the app's. Unreliable or unknown kinds (a newer peer's) are dropped.
          if (kind === 'file' && e.reliable) this.files.onMessage(e.from, data);
          return;
        }
        this.events.emit('message', { from: e.from, data, id: e.id, ts: e.ts, broadcast: e.broadcast, reliable: e.reliable });
        return;
      }
      case 'delivered':
        if (!this.files.onDelivered(e.peer, e.id)) this.events.emit('delivered', e.peer, e.id);
        this.waiters.check();
        return;
      case 'request':
        this.requests.onAsked(e.from, e.id, e.data);
        return;
      case 'response':
        this.requests.onAnswer(e.id, e.data);
        return;
      case 'request_failed':
        this.requests.onFailed(e.id, e.code, e.message);
        return;
      case 'state_frame':
        this.state.onFrame(e.from, e.frame);
        return;
      case 'game_frame':
        this.game.onFrame(e.from, e.frame);
        return;
      case 'error': {
        const error = new HuddleError(e.code, e.message);
        if (this.options.debug) console.warn(`[huddle] ${e.code}: ${e.message}`);
        if (this.joined && e.code !== NON_FATAL) this.failJoin(error);
        else this.events.emit('error', error);
        return;
      }
    }
  }

  private emitPeers(peers = this.peers()): void {
    this.state.follow(peers); // (every change to members or host comes through here)
    this.game.follow(peers);
    this.events.emit('peers', peers);
  }
}

/** `data`, unless it claims the library's reserved key. */
function appData(data: Json): Json {
  if (libraryKind(data) !== null) throw new HuddleError('data_invalid', `the key ${LIBRARY_KEY} is reserved for huddle's own messages`);
  return data;
}

function toError(result: WasmError): HuddleError {
  return new HuddleError(result.code, result.message);
}
