// One joined room as the UI sees it: members, chat lines with delivery receipts, connection
// status and the latest error. `attach()` subscribes to the Room's events and returns the cleanup.
import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type {
  HostExperience, HuddleError, Json, LeaveReason, LinkState, Peer, ReceivedMessage, Room, SessionStatus, Transport,
} from '../../lib';
import { friendlyError } from './errors';
import { browserStore, type KeyValueStore } from '../../lib/storage';
import { createAlerts, type AlertPage, type Alerts } from './alerts';
import { createFileShare, type FileLine } from './file_share';
import type { History } from './history';
import { createExperiences, type Experiences, type FetchLike } from './experience';
import { createPresence, describeTyping, type Clock, type PresencePage, type RoomPresence } from './presence';

/** Chat history kept in memory; older lines are dropped first. */
export const MAX_LINES = 500;
/** Longest chat text sent or shown, in UTF-16 units. */
export const MAX_TEXT_LENGTH = 2000;

/** Someone a message of yours was sent to, as they were named at send time. */
export interface Recipient {
  readonly id: string;
  readonly name: string;
}

export interface ChatMessage {
  readonly kind: 'chat';
  /** Unique within the room model: `${from}:${id}`. */
  readonly key: string;
  /** The sender's message number. */
  readonly id: number;
  readonly from: string;
  readonly fromName: string;
  readonly text: string;
  /** The sender's wall clock when sent, ms since the Unix epoch. */
  readonly ts: number;
  readonly mine: boolean;
  /** false when the sender addressed only you. */
  readonly broadcast: boolean;
  /** Your messages: the other members at send time. Empty for received ones. */
  readonly recipients: readonly Recipient[];
  /** Your messages: ids of recipients that confirmed receipt, in confirmation order. */
  readonly delivered: ReadonlySignal<readonly string[]>;
}

export interface SystemLine {
  readonly kind: 'system';
  readonly key: string;
  readonly text: string;
  readonly ts: number;
}

/** A file sent or received (models/file_share.ts): never kept in the history (its data is not). */
export type ChatLine = ChatMessage | SystemLine | FileLine;

/** How messages reach the other members: over a direct link, through the server's relay, or not yet. */
export interface LinkSummary {
  readonly direct: number;
  readonly relay: number;
  /** Other members whose connection to the server dropped (they keep their place for a while). */
  readonly away: number;
  /** Every other member, including those with no transport yet and those away. */
  readonly total: number;
}

export interface RoomModelDeps {
  /** Lends the room to experiences. */
  readonly hostExperience: HostExperience;
  /** The huddle-server origin, for the experiences listing. */
  readonly origin: string;
  readonly fetch: FetchLike;
  /** Wall clock for system lines, ms since the Unix epoch. */
  readonly now?: () => number;
  /**
   * This member's chat history (models/history.ts), opening. Its lines are shown before any new
   * one; until it has opened, new lines wait (`historyReady`). Absent: nothing is kept.
   */
  readonly history?: Promise<History>;
  /** Where the alerts setting is remembered (localStorage). */
  readonly store?: KeyValueStore;
  /** Alerts: visibility, notifications and sound; defaults to the browser's. */
  readonly alertPage?: AlertPage;
  /** Presence: the page's input and visibility, and timers; defaults to the browser's. */
  readonly page?: PresencePage;
  readonly clock?: Clock;
}

export interface RoomModel {
  readonly code: string;
  readonly selfId: string;
  /** The room was created relay-only: no direct links, everything goes through the server. */
  readonly relayOnly: boolean;
  /** The room needs a password (or its link) to join. */
  readonly password: boolean;
  /** How many members the room takes. */
  readonly maxMembers: number;
  readonly status: ReadonlySignal<SessionStatus>;
  /** Every member including you, in join order. */
  readonly peers: ReadonlySignal<readonly Peer[]>;
  readonly lines: ReadonlySignal<readonly ChatLine[]>;
  /** The history has been read (or there is none): `lines` starts with what earlier pages kept. */
  readonly historyReady: ReadonlySignal<boolean>;
  /** Why the conversation is not kept on this device, or null. */
  readonly historyProblem: ReadonlySignal<string | null>;
  /** Empties the conversation here and in this device's history. */
  clearHistory(): void;
  readonly links: ReadonlySignal<LinkSummary>;
  /** The latest error, in plain language, until dismissed. */
  readonly error: ReadonlySignal<string | null>;
  /** The experience the room has open together, and the ones it could open. */
  readonly experiences: Experiences;
  /** Who is active, idle or away, who is typing, and how each member reaches the others. */
  readonly presence: RoomPresence;
  /** "Ann is typing…", or ''. */
  readonly typingText: ReadonlySignal<string>;
  /** Unread count while hidden, and the notification/sound setting. */
  readonly alerts: Alerts;
  /** You are writing (true on each edit) or stopped. */
  setTyping(typing: boolean): void;
  /** The room's current resume token (room.resumeToken()), for a reload to take this place back. */
  resumeToken(): string;
  /** Sends `file` to everyone, shown as a line with its progress; false (with `error` set) when it could not start. */
  sendFile(file: File): boolean;
  /** Sends `text` as a chat message; false (with `error` set) when it could not be sent. */
  send(text: string): boolean;
  dismissError(): void;
  /** Subscribes to the room; returns the function that unsubscribes. */
  attach(): () => void;
  /** Leaves the room. Idempotent. */
  leave(): void;
}

/**
 * The `data` of a chat message on the wire: `{type: 'chat', text}`. Everything else (experience
 * messages and their envelopes included) is not chat and reads as null.
 */
export function chatText(data: Json): string | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  if (data.type !== 'chat' || typeof data.text !== 'string') return null;
  return data.text.slice(0, MAX_TEXT_LENGTH);
}

const LEAVE_TEXT: Record<LeaveReason, string> = {
  left: 'left',
  disconnected: 'lost connection',
  timed_out: 'timed out',
};

export function createRoomModel(room: Room, deps: RoomModelDeps): RoomModel {
  const now = deps.now ?? Date.now;
  const status = signal<SessionStatus>(room.status());
  const peers = signal<readonly Peer[]>(room.peers());
  const lines = signal<readonly ChatLine[]>([]);
  const error = signal<string | null>(null);
  let host = room.hostId();
  // The history once it has opened (stays set after a leave; a cleared, closed store ignores writes).
  const opened = signal<History | null>(null);
  const historyReady = computed(() => deps.history === undefined || opened.value !== null);
  const historyProblem = computed(() => opened.value?.problem.value ?? null);
  let systemCount = 0;
  // Names of everyone seen, so a line about someone who just left can still name them.
  const names = new Map<string, string>();
  // Your own messages still in `lines`, by message id, with their receipt signal.
  const receipts = new Map<number, { recipients: Set<string>; delivered: Signal<readonly string[]> }>();

  const learnNames = (list: readonly Peer[]) => {
    if (names.size > 256) names.clear(); // long-lived rooms with heavy churn stay bounded
    for (const p of list) names.set(p.id, p.name);
  };
  learnNames(peers.value);
  const nameOf = (id: string) => names.get(id) ?? `Member ${id.slice(0, 6)}`;

  const links = computed<LinkSummary>(() => {
    const others = peers.value.filter((p) => !p.isSelf);
    // An away member's transport is what carried messages before it dropped: not counted as a link.
    const count = (t: Transport) => others.filter((p) => !p.away && p.transport === t).length;
    return { direct: count('direct'), relay: count('relay'), away: others.filter((p) => p.away).length, total: others.length };
  });

  const append = (line: ChatLine) => {
    const next = [...lines.value, line];
    while (next.length > MAX_LINES) {
      const dropped = next.shift()!;
      if (dropped.kind === 'chat' && dropped.mine) receipts.delete(dropped.id);
      if (dropped.kind === 'file') dropped.release();
    }
    lines.value = next;
    if (line.kind !== 'file') opened.peek()?.append(line);
  };
  const system = (text: string) =>
    append({ kind: 'system', key: `sys:${++systemCount}`, text, ts: now() });

  const experiences = createExperiences({
    room,
    hostExperience: deps.hostExperience,
    origin: deps.origin,
    fetch: deps.fetch,
    nameOf,
    system,
    reportError: (err) => (error.value = friendlyError(err)),
  });

  const presence = createPresence({ room, peers, page: deps.page, clock: deps.clock });
  const files = createFileShare({ room, nameOf, append, now, reportError: (err) => (error.value = friendlyError(err)) });
  const alerts = createAlerts({ code: room.code, lines, store: deps.store ?? browserStore, page: deps.alertPage });
  const typingText = computed(() => describeTyping(presence.typing.value.map(nameOf)));

  const onPeers = (list: readonly Peer[]) => {
    learnNames(list);
    peers.value = list;
  };
  const onPeerJoin = (peer: Peer) => {
    names.set(peer.id, peer.name);
    if (!peer.isSelf) {
      system(`${peer.name} joined`);
      presence.greet(peer.id);
    }
  };
  const onPeerLeave = (peerId: string, reason: LeaveReason) => {
    system(`${nameOf(peerId)} ${LEAVE_TEXT[reason] ?? 'left'}`);
  };
  // An away host is still host (a game can pause for it); the line says so.
  const onPeerAway = (peerId: string) => {
    const who = nameOf(peerId);
    system(peerId === host ? `${who} (host) lost connection; waiting for them to come back` : `${who} lost connection; waiting for them to come back`);
  };
  const onPeerBack = (peerId: string) => {
    system(`${nameOf(peerId)} is back`);
    presence.greet(peerId);
  };
  const onHostChange = (hostId: string) => {
    if (hostId === host) return;
    host = hostId;
    system(hostId === room.selfId ? 'You are now host' : `${nameOf(hostId)} is now host`);
  };
  const onLinkState = (peerId: string, state: LinkState) => {
    // `peers` also reports link changes; patching here keeps the list right whichever comes first.
    const list = peers.value;
    const i = list.findIndex((p) => p.id === peerId);
    if (i < 0 || list[i].link === state) return;
    const next = list.slice();
    next[i] = { ...list[i], link: state };
    peers.value = next;
  };
  const onTransport = (peerId: string, transport: Transport | null) => {
    // Same as onLinkState; a new transport's round-trip time is not measured yet.
    const list = peers.value;
    const i = list.findIndex((p) => p.id === peerId);
    if (i < 0 || list[i].transport === transport) return;
    const next = list.slice();
    next[i] = { ...list[i], transport, rttMs: null };
    peers.value = next;
  };
  const onMessage = (m: ReceivedMessage) => {
    if (presence.receive(m)) return;
    const text = chatText(m.data);
    if (text === null) return; // not chat: experience messages are the experiences model's business
    presence.spoke(m.from);
    append({
      kind: 'chat',
      key: `${m.from}:${m.id}`,
      id: m.id,
      from: m.from,
      fromName: nameOf(m.from),
      text,
      ts: m.ts,
      mine: false,
      broadcast: m.broadcast,
      recipients: [],
      delivered: signal<readonly string[]>([]),
    });
  };
  const onDelivered = (peerId: string, messageId: number) => {
    const r = receipts.get(messageId);
    if (!r || !r.recipients.has(peerId) || r.delivered.value.includes(peerId)) return;
    r.delivered.value = [...r.delivered.value, peerId];
    opened.peek()?.updateDelivered(`${room.selfId}:${messageId}`, r.delivered.value);
  };
  const onError = (err: HuddleError) => {
    error.value = friendlyError(err);
  };

  let left = false;

  // What earlier pages of this member kept goes first; lines that arrived while it was being read
  // follow (and are stored now).
  void deps.history?.then((kept) => {
    if (left) {
      void kept.close();
      return;
    }
    const arrived = lines.peek();
    batch(() => {
      lines.value = [...kept.restored, ...arrived].slice(-MAX_LINES);
      opened.value = kept;
    });
    for (const line of arrived) if (line.kind !== 'file') kept.append(line);
  });

  return {
    code: room.code,
    selfId: room.selfId,
    relayOnly: room.relayOnly,
    password: room.password,
    maxMembers: room.maxMembers,
    status,
    peers,
    lines,
    links,
    historyReady,
    historyProblem,
    sendFile: (file) => !left && files.send(file),
    clearHistory() {
      for (const line of lines.peek()) {
        if (line.kind === 'chat' && line.mine) receipts.delete(line.id);
        if (line.kind === 'file') line.release();
      }
      lines.value = [];
      void opened.peek()?.clear();
    },
    error,
    experiences,
    presence,
    typingText,
    alerts,
    setTyping: (typing) => presence.setTyping(typing),
    send(raw) {
      const text = raw.trim();
      if (!text || left) return false;
      if (text.length > MAX_TEXT_LENGTH) {
        error.value = `Messages can be at most ${MAX_TEXT_LENGTH} characters.`;
        return false;
      }
      // Recipients are fixed now: someone who joins later never gets this message.
      const recipients = peers.value.filter((p) => !p.isSelf).map((p) => ({ id: p.id, name: p.name }));
      let id: number;
      try {
        id = room.send({ type: 'chat', text });
      } catch (err) {
        error.value = friendlyError(err);
        return false;
      }
      const delivered = signal<readonly string[]>([]);
      receipts.set(id, { recipients: new Set(recipients.map((r) => r.id)), delivered });
      append({
        kind: 'chat',
        key: `${room.selfId}:${id}`,
        id,
        from: room.selfId,
        fromName: nameOf(room.selfId),
        text,
        ts: now(),
        mine: true,
        broadcast: true,
        recipients,
        delivered,
      });
      return true;
    },
    resumeToken: () => room.resumeToken(),
    dismissError() {
      error.value = null;
    },
    attach() {
      const offs = [
        room.on('status', (s) => (status.value = s)),
        room.on('peers', onPeers),
        room.on('peerJoin', onPeerJoin),
        room.on('peerLeave', onPeerLeave),
        room.on('hostChange', onHostChange),
        room.on('peerAway', onPeerAway),
        room.on('peerBack', onPeerBack),
        room.on('linkState', onLinkState),
        room.on('transport', onTransport),
        room.on('message', onMessage),
        room.on('delivered', onDelivered),
        room.on('error', onError),
      ];
      // After ours, so "Cat joined" comes before anything the experiences model says about Cat.
      const detachExperiences = experiences.attach();
      const detachPresence = presence.attach();
      const detachAlerts = alerts.attach();
      const detachFiles = files.attach();
      // Catch up on anything that changed between the room resolving and now.
      batch(() => {
        status.value = room.status();
        onPeers(room.peers());
        host = room.hostId();
      });
      return () => {
        detachFiles();
        detachAlerts();
        detachPresence();
        detachExperiences();
        offs.forEach((off) => off());
      };
    },
    leave() {
      if (left) return;
      left = true;
      room.leave();
      for (const line of lines.peek()) if (line.kind === 'file') line.release();
      // A deliberate leave: a later join is a new member (a new peer id) who could never find
      // this history again, so it goes now (the Leave dialog says so).
      const kept = opened.peek();
      if (kept) void kept.clear().then(() => kept.close());
    },
  };
}
