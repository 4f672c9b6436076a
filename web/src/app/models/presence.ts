// Who is at the keyboard, who is typing, and how each member reaches the others: the room's
// presence, told member to member in small unreliable messages (a lost one is replaced by the next).
//
// On the wire (app messages, next to chat):
//   {type: 'presence', activity: 'active' | 'idle', links: [{peer, transport, rttMs}]}
//     broadcast when your activity or links change (at most every PRESENCE_MIN_GAP_MS), every
//     PRESENCE_REFRESH_MS, and sent to each member who joins or comes back;
//   {type: 'typing', typing: boolean}
//     broadcast at most every TYPING_REPEAT_MS while you write, and `false` when you stop.
// "Away" is not told by anyone: the server says a member's connection dropped (Peer.away).
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Json, Peer, ReceivedMessage, Room, Transport } from '../../lib';

/** What a member is doing: `idle` after IDLE_AFTER_MS without input, or while its tab is hidden. */
export type Activity = 'active' | 'idle';
/** How a member shows in the list: its activity, or `away` while its connection is down. */
export type Presence = Activity | 'away';

export const IDLE_AFTER_MS = 60_000;
/** Presence is told again this often even when nothing changed (a lost message heals). */
export const PRESENCE_REFRESH_MS = 15_000;
/** At most one presence message per this long: round-trip times change every 2 s per member. */
export const PRESENCE_MIN_GAP_MS = 2_000;
/** While someone writes, "typing" is repeated this often… */
export const TYPING_REPEAT_MS = 2_500;
/** …and shown this long after the last one (a lost "stopped" message cannot leave it stuck). */
export const TYPING_SHOWN_MS = 6_000;
/** Links listed in one presence message: a room has at most 8 members. */
const MAX_LINKS = 16;
const PEER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** One member's path to another, as the sender reports it. */
export interface LinkReport {
  readonly peer: string;
  readonly transport: Transport | null;
  readonly rttMs: number | null;
}

/** What one member last said about itself. */
export interface MemberPresence {
  readonly activity: Activity;
  readonly links: readonly LinkReport[];
}

export type PresenceMessage =
  | { type: 'presence'; activity: Activity; links: LinkReport[] }
  | { type: 'typing'; typing: boolean };

/** The presence message in `data`, or null for anything else (chat, malformed, …). */
export function parsePresenceMessage(data: Json): PresenceMessage | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  if (data.type === 'typing') return typeof data.typing === 'boolean' ? { type: 'typing', typing: data.typing } : null;
  if (data.type !== 'presence') return null;
  if (data.activity !== 'active' && data.activity !== 'idle') return null;
  if (!Array.isArray(data.links)) return null;
  const links: LinkReport[] = [];
  for (const raw of data.links.slice(0, MAX_LINKS)) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const { peer, transport, rttMs } = raw;
    if (typeof peer !== 'string' || !PEER_ID.test(peer)) continue;
    if (transport !== null && transport !== 'direct' && transport !== 'relay') continue;
    const rtt = typeof rttMs === 'number' && Number.isFinite(rttMs) && rttMs >= 0 && rttMs < 600_000 ? Math.round(rttMs) : null;
    links.push({ peer, transport, rttMs: rtt });
  }
  return { type: 'presence', activity: data.activity, links };
}

/** The page's signals of a person being there; tests pass a fake. */
export interface PresencePage {
  hidden(): boolean;
  /** Calls `handler` on input (keys, pointer, focus) and on visibility changes; returns the cleanup. */
  watch(onInput: () => void, onVisibility: () => void): () => void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserPage: PresencePage = {
  hidden: () => document.visibilityState === 'hidden',
  watch(onInput, onVisibility) {
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'focus'] as const;
    for (const e of events) window.addEventListener(e, onInput, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      for (const e of events) window.removeEventListener(e, onInput, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
    };
  },
};

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface PresenceDeps {
  readonly room: Room;
  readonly peers: ReadonlySignal<readonly Peer[]>;
  readonly page?: PresencePage;
  readonly clock?: Clock;
}

export interface RoomPresence {
  /** Your own activity. */
  readonly self: ReadonlySignal<Activity>;
  /** Every member's presence (you included), by peer id. */
  readonly members: ReadonlySignal<ReadonlyMap<string, Presence>>;
  /** What each other member last reported about its links (for the picture of the mesh). */
  readonly reports: ReadonlySignal<ReadonlyMap<string, MemberPresence>>;
  /** Ids of the members writing right now, in join order. */
  readonly typing: ReadonlySignal<readonly string[]>;
  /** You are writing (true on each edit) or stopped (sent, cleared, left the box). */
  setTyping(typing: boolean): void;
  /** Takes the presence messages out of the stream; true when `m` was one. */
  receive(m: ReceivedMessage): boolean;
  /** `from` sent a chat message: it is no longer typing. */
  spoke(from: string): void;
  /** A member joined or came back: tell it where you are now. */
  greet(peerId: string): void;
  /** Starts watching the page and announcing; returns the cleanup. */
  attach(): () => void;
}

export function createPresence(deps: PresenceDeps): RoomPresence {
  const { room, peers } = deps;
  const page = deps.page ?? browserPage;
  const clock = deps.clock ?? systemClock;
  const self = signal<Activity>(page.hidden() ? 'idle' : 'active');
  const reports = signal<ReadonlyMap<string, MemberPresence>>(new Map());
  // Typing members and when their "typing" lapses.
  const typingUntil = signal<ReadonlyMap<string, number>>(new Map());
  let lastInput = clock.now();
  let idleTimer: unknown = null;
  let refreshTimer: unknown = null;
  let gapTimer: unknown = null;
  let lastSent = -Infinity;
  let typingSentAt = -Infinity;
  let typingTimer: unknown = null;
  let attached = false;

  const send = (data: PresenceMessage, to?: string) => {
    try {
      if (to) room.sendTo(to, data as unknown as Json, { reliable: false });
      else room.send(data as unknown as Json, { reliable: false });
    } catch {
      // Not in the room right now (reconnecting, left): the next refresh says it again.
    }
  };

  const myLinks = (): LinkReport[] =>
    peers.peek().filter((p) => !p.isSelf).map((p) => ({ peer: p.id, transport: p.transport, rttMs: p.rttMs === null ? null : Math.round(p.rttMs) }));
  const announcement = (): PresenceMessage => ({ type: 'presence', activity: self.peek(), links: myLinks() });

  // Broadcasts now, or as soon as the minimum gap since the last one has passed.
  const announce = () => {
    if (!attached || gapTimer !== null) return;
    const wait = lastSent + PRESENCE_MIN_GAP_MS - clock.now();
    if (wait > 0) {
      gapTimer = clock.setTimeout(() => {
        gapTimer = null;
        announce();
      }, wait);
      return;
    }
    lastSent = clock.now();
    send(announcement());
    if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
    refreshTimer = clock.setTimeout(() => {
      refreshTimer = null;
      announce();
    }, PRESENCE_REFRESH_MS);
  };

  const setActivity = (activity: Activity) => {
    if (self.peek() === activity) return;
    self.value = activity;
    announce();
  };

  const armIdle = () => {
    if (idleTimer !== null) clock.clearTimeout(idleTimer);
    idleTimer = clock.setTimeout(() => {
      idleTimer = null;
      if (clock.now() - lastInput >= IDLE_AFTER_MS) setActivity('idle');
      else armIdle();
    }, Math.max(0, lastInput + IDLE_AFTER_MS - clock.now()));
  };

  const onInput = () => {
    lastInput = clock.now();
    if (!page.hidden()) setActivity('active');
    // Re-armed lazily: the timer checks lastInput when it fires, so a stream of pointer moves
    // costs a timestamp each, not a timer each.
    if (idleTimer === null) armIdle();
  };
  const onVisibility = () => {
    if (page.hidden()) setActivity('idle');
    else onInput();
  };

  const setTypingUntil = (id: string, until: number | null) => {
    const next = new Map(typingUntil.peek());
    if (until === null) {
      if (!next.delete(id)) return;
    } else {
      next.set(id, until);
    }
    typingUntil.value = next;
    scheduleTypingExpiry();
  };
  const scheduleTypingExpiry = () => {
    if (typingTimer !== null) clock.clearTimeout(typingTimer);
    typingTimer = null;
    const until = [...typingUntil.peek().values()];
    if (until.length === 0) return;
    typingTimer = clock.setTimeout(() => {
      typingTimer = null;
      const now = clock.now();
      const next = new Map([...typingUntil.peek()].filter(([, t]) => t > now));
      if (next.size !== typingUntil.peek().size) typingUntil.value = next;
      scheduleTypingExpiry();
    }, Math.max(0, Math.min(...until) - clock.now()));
  };

  const members = computed<ReadonlyMap<string, Presence>>(() => {
    const out = new Map<string, Presence>();
    const told = reports.value;
    for (const p of peers.value) {
      if (p.isSelf) out.set(p.id, self.value);
      else out.set(p.id, p.away ? 'away' : (told.get(p.id)?.activity ?? 'active'));
    }
    return out;
  });

  const typing = computed<readonly string[]>(() => {
    const until = typingUntil.value;
    // An away member's last "typing" means nothing any more.
    return peers.value.filter((p) => !p.isSelf && !p.away && until.has(p.id)).map((p) => p.id);
  });

  return {
    self,
    members,
    reports,
    typing,
    setTyping(on) {
      const now = clock.now();
      if (on) {
        if (now - typingSentAt < TYPING_REPEAT_MS) return;
        typingSentAt = now;
        send({ type: 'typing', typing: true });
      } else if (typingSentAt !== -Infinity) {
        typingSentAt = -Infinity;
        send({ type: 'typing', typing: false });
      }
    },
    receive(m) {
      const msg = parsePresenceMessage(m.data);
      if (!msg) return false;
      if (msg.type === 'typing') {
        setTypingUntil(m.from, msg.typing ? clock.now() + TYPING_SHOWN_MS : null);
      } else {
        const next = new Map(reports.peek());
        next.set(m.from, { activity: msg.activity, links: msg.links });
        reports.value = next;
      }
      return true;
    },
    spoke(from) {
      setTypingUntil(from, null);
    },
    greet(peerId) {
      if (attached) send(announcement(), peerId);
    },
    attach() {
      attached = true;
      const unwatch = page.watch(onInput, onVisibility);
      armIdle();
      // Forget what members who left said; announce when your own links change.
      let known = '';
      const stopPeers = peers.subscribe((list) => {
        const ids = new Set(list.map((p) => p.id));
        const kept = [...reports.peek()].filter(([id]) => ids.has(id));
        if (kept.length !== reports.peek().size) reports.value = new Map(kept);
        const links = JSON.stringify(myLinks().map((l) => [l.peer, l.transport]));
        if (links !== known) {
          known = links;
          announce();
        }
      });
      return () => {
        attached = false;
        stopPeers();
        unwatch();
        for (const t of [idleTimer, refreshTimer, gapTimer, typingTimer]) if (t !== null) clock.clearTimeout(t);
        idleTimer = refreshTimer = gapTimer = typingTimer = null;
      };
    },
  };
}

/** "Ann is typing…", "Ann and Ben are typing…", "3 people are typing…", or ''. */
export function describeTyping(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
