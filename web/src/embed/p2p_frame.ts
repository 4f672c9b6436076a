// <p2p-frame>: joins a room with the Wasm client and lends it to the experience in its first
// <iframe> child through the bridge (docs/experiences.md, "Embedding").
import { BridgeHost } from '../bridge/host';
import { DETACHED_STATE, MAX_QUEUED_SENDS, type IframeFrame } from '../bridge/protocol';
import {
  WHOLE_ROOM, forwardRoomEvents, frameStatus, roomState, sendFromIframe, type FrameStatus,
} from '../bridge/room_bridge';
import { ROOM_CODE_ALPHABET, createRoom, joinRoom, readJoinToken } from '../lib/index';
import { claimPlace, createPlaceStore, framePlace, releasePlace, type PlaceSlot } from '../lib/place';
import type { HuddleApi, JoinRoomOptions, Peer, Room } from '../lib/types';
import { Bar } from './bar';
import { injectIntoDocument, injectIntoSrcdoc } from './inject';

// Attributes whose change means another room or another identity: leave and join again.
const REJOIN_ON = new Set(['session-id', 'peer-id', 'server', 'token']);
// A generated guest name may collide with another guest's; a few fresh tries make that invisible.
const GUEST_NAME_TRIES = 3;
// What a join with a saved resume token gets when that place cannot be taken back: join afresh.
const PLACE_REFUSED = new Set(['peer_id_taken', 'invalid_peer_id']);
// Where a reloaded page finds its place (this tab's sessionStorage).
const places = createPlaceStore();

export class P2PFrame extends HTMLElement {
  /** The client library the element joins with; tests put a fake here. */
  static api: HuddleApi = { createRoom, joinRoom };
  /** The huddle-server used without a `server` attribute; huddle.js sets it to its own origin. */
  static defaultServer: string | undefined;

  static readonly observedAttributes = ['session-id', 'peer-id', 'name', 'server', 'max-members', 'no-bar', 'token'];

  private readonly bar: Bar;
  private readonly bridge: BridgeHost;
  private readonly observer: MutationObserver;
  private iframe: HTMLIFrameElement | null = null;
  private room_: Room | null = null;
  private unsubscribe: (() => void) | null = null;
  private status_: FrameStatus = 'offline';
  private error: string | null = null;
  // Sends from the iframe that arrive while the room is not joined yet.
  private queue: IframeFrame[] = [];
  // Every join gets a number; an answer for an older one is stale and its room is left at once.
  private generation = 0;
  private joinScheduled = false;
  private guestName = randomGuestName();
  // Where this element keeps its place (lib/place.ts), while it holds the claim on it.
  private placeSlot: PlaceSlot | null = null;
  // The room code or name and the name the current room was joined with (saved with the place).
  private joined = { code: '', name: '' };

  constructor() {
    super();
    this.bar = new Bar(this.attachShadow({ mode: 'open' }));
    this.bridge = new BridgeHost(window, {
      state: () => roomState(this.room_),
      frame: (frame) => this.fromIframe(frame),
    });
    this.observer = new MutationObserver(() => this.followIframe());
    this.render();
  }

  /** The joined room, or null. */
  get room(): Room | null {
    return this.room_;
  }

  get status(): FrameStatus {
    return this.status_;
  }

  /** Every member including yourself, in join order; [] when not in a room. */
  get peers(): readonly Peer[] {
    return this.room_?.peers() ?? [];
  }

  /** The huddle-server origin this element uses. */
  get server(): string {
    const server = this.getAttribute('server') || P2PFrame.defaultServer || window.location.origin;
    try {
      return new URL(server).origin;
    } catch {
      return server;
    }
  }

  connectedCallback(): void {
    this.bridge.start();
    this.followIframe();
    this.scheduleJoin();
  }

  // Taken out of the document is a deliberate leave: the page's own script did it (a page being
  // closed or reloaded does not run this), and the room is left at once, so the saved place is
  // worthless and is forgotten. Closing or reloading the page leaves the place saved instead: the
  // server keeps it as away for its grace period, and the next page takes it back.
  disconnectedCallback(): void {
    this.generation++; // a join still in flight is now stale
    this.leaveRoom();
    this.dropPlace();
    this.observer.disconnect();
    this.setIframe(null);
    this.bridge.stop();
    this.queue = [];
    this.setStatus('offline');
  }

  attributeChangedCallback(name: string, oldValue: string | null, value: string | null): void {
    if (oldValue === value) return;
    if (name === 'no-bar') this.render();
    if (!this.isConnected) return;
    if (REJOIN_ON.has(name)) this.scheduleJoin();
  }

  // Several attributes changed in one go (or connect plus attributes) make one join, not several.
  private scheduleJoin(): void {
    if (this.joinScheduled) return;
    this.joinScheduled = true;
    queueMicrotask(() => {
      this.joinScheduled = false;
      if (this.isConnected) this.join(0);
    });
  }

  /** Joins as the attributes say; `resume`: with the place this tab saved for the room, if any. */
  private join(guestRetries: number, resume = true): void {
    this.leaveRoom();
    this.releaseClaim();
    const generation = ++this.generation;
    // A signed join token (docs/tokens.md) names the room, the id and the name; the attributes,
    // where given, must agree with it (the server refuses a token for another room).
    const token = this.getAttribute('token') || null;
    const claims = token === null ? null : readJoinToken(token);
    const code = this.getAttribute('session-id')?.trim() || claims?.room;
    if (!code) {
      this.fail('invalid_code', 'session-id is required: the room code or name to join');
      return;
    }
    if (!isHttpOrigin(this.server)) {
      this.fail('server_unreachable', `server must be an http(s) origin, not "${this.getAttribute('server')}"`);
      return;
    }
    const maxAttr = this.getAttribute('max-members');
    const maxMembers = maxAttr === null ? undefined : Number(maxAttr);
    if (maxMembers !== undefined && !Number.isInteger(maxMembers)) {
      this.fail('invalid_room_size', `max-members must be a whole number, not "${maxAttr}"`);
      return;
    }
    const ownName = this.getAttribute('name');
    const peerId = this.getAttribute('peer-id') || claims?.peer || null;
    const slot = framePlace(this.server, code);
    if (claimPlace(slot)) this.placeSlot = slot;
    // A place saved by this tab's previous page (a reload): taken back with its token. With a
    // peer-id attribute, only that id's place: the page said who we are.
    const saved = resume && this.placeSlot ? places.load(this.placeSlot) : null;
    const place = saved && (peerId === null || saved.peerId === peerId) ? saved : null;
    // A guest keeps its name across the reload (a retry after name_taken picks a new one).
    if (place && ownName === null && guestRetries === 0) this.guestName = place.name;
    const name = ownName ?? claims?.name ?? this.guestName;
    // A room by code or name, created on first join (named rooms), optionally with our own peer id.
    const options: JoinRoomOptions = {
      code,
      name,
      create: true,
      server: this.server,
      ...(place ? { peerId: place.peerId, resumeToken: place.token } : peerId ? { peerId } : {}),
      ...(maxMembers !== undefined ? { maxMembers } : {}),
      ...(token !== null ? { token } : {}),
    };
    this.error = null;
    this.setStatus('connecting');
    P2PFrame.api.joinRoom(options).then(
      (room) => {
        if (generation !== this.generation) room.leave();
        else this.adopt(room, { code, name });
      },
      (err: { code?: string; message?: string }) => {
        if (generation !== this.generation) return;
        if (place && PLACE_REFUSED.has(err?.code ?? '')) {
          // Another page holds the id now, or the saved one is no good: forget it and join afresh.
          places.forget(slot);
          this.join(guestRetries, false);
          return;
        }
        if (err?.code === 'name_taken' && ownName === null && guestRetries < GUEST_NAME_TRIES) {
          this.guestName = randomGuestName();
          this.join(guestRetries + 1, resume);
          return;
        }
        this.fail(err?.code ?? 'internal', err?.message ?? String(err));
      },
    );
  }

  private adopt(room: Room, joined: { code: string; name: string }): void {
    this.room_ = room;
    this.joined = joined;
    this.savePlace();
    // The room is the experience's alone, so its messages go through unwrapped.
    this.unsubscribe = forwardRoomEvents(room, this.bridge, WHOLE_ROOM, {
      status: (status) => {
        if (status === 'in_room') this.savePlace(); // back after a reconnect: the token may be new
        this.setStatus(frameStatus(status));
      },
      peers: (peers) => {
        this.render();
        this.emit('p2p-peers', { peers });
      },
      transport: () => this.render(),
      error: (error) => this.emit('p2p-error', { code: error.code, message: error.message }),
    });
    this.setStatus(frameStatus(room.status()));
    this.bridge.post(roomState(room));
    for (const frame of this.queue.splice(0)) this.fromIframe(frame);
    this.emit('p2p-peers', { peers: room.peers() });
  }

  // Leaving on purpose (removed, or another room or identity): the saved place goes with it.
  private leaveRoom(): void {
    const room = this.room_;
    if (!room) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.room_ = null;
    if (this.placeSlot) places.forget(this.placeSlot);
    room.leave();
    this.bridge.post(DETACHED_STATE);
    this.emit('p2p-peers', { peers: [] });
  }

  private savePlace(): void {
    const room = this.room_;
    if (room && this.placeSlot) places.save(this.placeSlot, { ...this.joined, peerId: room.selfId, token: room.resumeToken() });
  }

  private dropPlace(): void {
    if (this.placeSlot) places.forget(this.placeSlot);
    this.releaseClaim();
  }

  private releaseClaim(): void {
    if (this.placeSlot) releasePlace(this.placeSlot);
    this.placeSlot = null;
  }

  private fromIframe(frame: IframeFrame): void {
    const room = this.room_;
    if (!room) {
      // Unreliable sends are never queued (stale by the time the room is joined).
      if ('reliable' in frame && frame.reliable === false) return;
      if (this.queue.length >= MAX_QUEUED_SENDS) {
        this.bridge.post({ t: 'error', code: 'send_queue_full', message: `${MAX_QUEUED_SENDS} messages are already waiting for the room` });
      } else {
        this.queue.push(frame);
      }
      return;
    }
    sendFromIframe(room, frame, WHOLE_ROOM, (answer) => this.bridge.post(answer));
  }

  // The first <iframe> child is the experience; it may be added or replaced at any time.
  private followIframe(): void {
    const iframe = [...this.children].find((c): c is HTMLIFrameElement => c instanceof HTMLIFrameElement) ?? null;
    this.observer.disconnect();
    this.observer.observe(this, { childList: true });
    if (iframe) this.observer.observe(iframe, { attributes: true, attributeFilter: ['srcdoc'] });
    this.setIframe(iframe);
    if (iframe) injectIntoSrcdoc(iframe, this.server);
  }

  private setIframe(iframe: HTMLIFrameElement | null): void {
    if (iframe === this.iframe) return;
    this.iframe?.removeEventListener('load', this.onIframeLoad);
    this.iframe = iframe;
    iframe?.addEventListener('load', this.onIframeLoad);
    this.bridge.watch(iframe);
    // Already loaded before we looked (huddle.js is a module, so it runs after parsing).
    if (iframe) injectIntoDocument(iframe, this.server);
  }

  private readonly onIframeLoad = (): void => {
    if (this.iframe) injectIntoDocument(this.iframe, this.server);
  };

  private fail(code: string, message: string): void {
    this.error = message;
    this.setStatus('offline');
    this.bridge.post({ t: 'error', code, message });
    this.emit('p2p-error', { code, message });
  }

  private setStatus(status: FrameStatus): void {
    const changed = status !== this.status_;
    this.status_ = status;
    this.render();
    if (changed) this.emit('p2p-status', { status });
  }

  private render(): void {
    this.bar.render({
      status: this.status_, peers: this.peers, shareUrl: this.room_?.shareUrl ?? null, error: this.error,
      hidden: this.hasAttribute('no-bar'),
    });
  }

  private emit(type: string, detail: object): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

function isHttpOrigin(server: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(server).protocol);
  } catch {
    return false;
  }
}

function randomGuestName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `Guest-${[...bytes].map((b) => ROOM_CODE_ALPHABET[b % ROOM_CODE_ALPHABET.length]).join('')}`;
}

/** Registers <p2p-frame> once per page (loading huddle.js twice is harmless). */
export function defineP2PFrame(): void {
  if (!customElements.get('p2p-frame')) customElements.define('p2p-frame', P2PFrame);
}
