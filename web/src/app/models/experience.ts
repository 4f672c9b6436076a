// Experiences the room opens together (docs/experiences.md): the server's listing, the one open
// now, and the room messages that keep every member on the same one. One per RoomModel.
//
// On the wire (app messages, next to chat): `{type: 'experience_open', name}` and
// `{type: 'experience_close'}`, broadcast by whoever opens or closes; the host also sends
// `experience_open` to each member who joins later. The experience's own traffic travels in
// `{type: 'experience', channel, data}` envelopes (hostExperience) and never reaches this model.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { HostExperience, Json, Peer, ReceivedMessage, Room } from '../../lib';

/** Experience names as huddle-server serves them at /experiences/NAME/. */
export const EXPERIENCE_NAME_PATTERN = /^[a-z0-9-]{1,64}$/;
/** Entries of the listing kept; a server with more is misconfigured, not a reason to grow. */
export const MAX_LISTED = 64;
/** How long the listing may take before it counts as failed. */
export const LISTING_TIMEOUT_MS = 10_000;
/** Messages held for an experience between opening and its iframe borrowing the room (see `held`). */
export const MAX_HELD_MESSAGES = 1024;
const MAX_TITLE_LENGTH = 80;
const MAX_DESCRIPTION_LENGTH = 300;

/** One entry of GET /experiences/. */
export interface ExperienceInfo {
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly minPlayers?: number;
  readonly maxPlayers?: number;
}

/** The experience everyone in the room has open. */
export interface OpenExperience {
  readonly name: string;
  readonly title: string;
}

export type Listing =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly items: readonly ExperienceInfo[] }
  | { readonly state: 'failed'; readonly message: string };

export type ExperienceMessage = { type: 'experience_open'; name: string } | { type: 'experience_close' };

/** The part of `fetch` the listing uses; tests pass their own. */
export type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface ExperiencesDeps {
  readonly room: Room;
  readonly hostExperience: HostExperience;
  /** The huddle-server origin; the listing is `${origin}/experiences/`. */
  readonly origin: string;
  readonly fetch: FetchLike;
  /** A member's display name, also for members who just left. */
  nameOf(peerId: string): string;
  /** Adds a system line to the chat. */
  system(text: string): void;
  /** Shows a failure to send (e.g. send_queue_full) to the person. */
  reportError(err: unknown): void;
}

export interface Experiences {
  readonly listing: ReadonlySignal<Listing>;
  /** The open experience, or null. Its title comes from the listing once that has loaded. */
  readonly current: ReadonlySignal<OpenExperience | null>;
  /** (Re)loads the listing; failures end up in `listing`, never thrown. */
  load(): Promise<void>;
  /** Opens `name` for everyone; false (nothing changed) for a malformed name or a refused send. */
  open(name: string): boolean;
  /** Closes the open experience for everyone. */
  close(): void;
  /**
   * Lends the room to the iframe showing `name`, with whatever arrived since it opened; returns
   * the function that ends the loan. Call it as soon as the iframe is in the document.
   * `onReady` runs when the iframe's page has connected (see HostExperienceOptions.onReady).
   */
  host(iframe: HTMLIFrameElement, name: string, onReady?: () => void): () => void;
  /** Subscribes to the room and starts loading the listing; returns the cleanup. */
  attach(): () => void;
}

/** The room channel an experience's messages travel on. */
export function experienceChannel(name: string): string {
  return `experience:${name}`;
}

/** The app's experience message in `data`, or null for anything else (chat, malformed, …). */
export function parseExperienceMessage(data: Json): ExperienceMessage | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  if (data.type === 'experience_close') return { type: 'experience_close' };
  if (data.type !== 'experience_open') return null;
  const name = data.name;
  return typeof name === 'string' && EXPERIENCE_NAME_PATTERN.test(name) ? { type: 'experience_open', name } : null;
}

/**
 * The entries of a listing body that are well formed (at most MAX_LISTED), or null when the body
 * is not a list at all. One broken experience.json does not hide the others.
 */
export function parseListing(body: unknown): ExperienceInfo[] | null {
  if (!Array.isArray(body)) return null;
  const items: ExperienceInfo[] = [];
  for (const raw of body) {
    if (items.length >= MAX_LISTED) break;
    const info = parseEntry(raw);
    if (info && !items.some((i) => i.name === info.name)) items.push(info);
  }
  return items;
}

function parseEntry(raw: unknown): ExperienceInfo | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const e = raw as Record<string, unknown>;
  if (typeof e.name !== 'string' || !EXPERIENCE_NAME_PATTERN.test(e.name)) return null;
  const title = typeof e.title === 'string' ? e.title.trim().slice(0, MAX_TITLE_LENGTH) : '';
  const players = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 64 ? v : undefined);
  const description = typeof e.description === 'string' ? e.description.trim().slice(0, MAX_DESCRIPTION_LENGTH) : '';
  const minPlayers = players(e.minPlayers);
  const maxPlayers = players(e.maxPlayers);
  return {
    name: e.name,
    title: title || fallbackTitle(e.name),
    ...(description ? { description } : {}),
    ...(minPlayers !== undefined ? { minPlayers } : {}),
    ...(maxPlayers !== undefined && (minPlayers === undefined || maxPlayers >= minPlayers) ? { maxPlayers } : {}),
  };
}

/** A readable title from a name, for experiences the listing does not (yet) know: "my-game" → "My game". */
export function fallbackTitle(name: string): string {
  const words = name.replace(/-+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : name;
}

export function createExperiences(deps: ExperiencesDeps): Experiences {
  const { room } = deps;
  const listing = signal<Listing>({ state: 'loading' });
  const openName = signal<string | null>(null);
  // Bumped by every load and by detaching, so only the latest listing still wanted is shown.
  let loads = 0;
  // Everything received from the moment an experience opens here until its iframe borrows the room
  // (a render later): the host may already be sending it things (a newcomer's history). Handed to
  // hostExperience, which keeps only that experience's channel. null while nothing is waiting.
  let held: ReceivedMessage[] | null = null;
  const holdFromNow = () => {
    held = [];
  };

  const titleOf = (name: string): string => {
    const list = listing.value;
    const known = list.state === 'ready' ? list.items.find((i) => i.name === name) : undefined;
    return known?.title ?? fallbackTitle(name);
  };
  const current = computed<OpenExperience | null>(() => {
    const name = openName.value;
    return name === null ? null : { name, title: titleOf(name) };
  });

  async function load(): Promise<void> {
    const mine = ++loads;
    listing.value = { state: 'loading' };
    const next = await fetchListing(deps.fetch, `${deps.origin}/experiences/`);
    if (mine === loads) listing.value = next;
  }

  const onMessage = (m: ReceivedMessage) => {
    if (held) {
      if (held.length >= MAX_HELD_MESSAGES) held.shift();
      held.push(m);
    }
    const msg = parseExperienceMessage(m.data);
    if (!msg) return;
    const who = deps.nameOf(m.from);
    if (msg.type === 'experience_open') {
      if (openName.peek() === msg.name) return; // already open here (we opened it at the same time)
      holdFromNow();
      openName.value = msg.name;
      // A message to us alone is the host catching us up: it may not be who opened it.
      deps.system(m.broadcast ? `${who} opened ${titleOf(msg.name)}` : `${titleOf(msg.name)} is open`);
      return;
    }
    const name = openName.peek();
    if (name === null) return;
    held = null;
    openName.value = null;
    deps.system(`${who} closed ${titleOf(name)}`);
  };

  // Whoever joins later learns what is open from the host, so exactly one member tells them.
  const onPeerJoin = (peer: Peer) => {
    const name = openName.peek();
    if (name === null || peer.isSelf || room.hostId() !== room.selfId) return;
    try {
      room.sendTo(peer.id, { type: 'experience_open', name });
    } catch {
      // They already left (peer_not_in_room): nobody to catch up.
    }
  };

  return {
    listing,
    current,
    load,
    open(name) {
      if (!EXPERIENCE_NAME_PATTERN.test(name)) return false;
      if (openName.peek() === name) return true;
      try {
        room.send({ type: 'experience_open', name });
      } catch (err) {
        // Not sent means the others would not follow: stay where everyone is.
        deps.reportError(err);
        return false;
      }
      holdFromNow();
      openName.value = name;
      deps.system(`You opened ${titleOf(name)}`);
      return true;
    },
    close() {
      const name = openName.peek();
      if (name === null) return;
      try {
        room.send({ type: 'experience_close' });
      } catch (err) {
        // Leaving an experience is always yours to do; the others just keep theirs open.
        deps.reportError(err);
      }
      held = null;
      openName.value = null;
      deps.system(`You closed ${titleOf(name)}`);
    },
    host(iframe, name, onReady) {
      const earlier = name === openName.peek() && held ? held : [];
      held = null;
      return deps.hostExperience(room, iframe, experienceChannel(name), { earlier, ...(onReady ? { onReady } : {}) });
    },
    attach() {
      const offs = [room.on('message', onMessage), room.on('peerJoin', onPeerJoin)];
      void load();
      return () => {
        loads++; // a listing still on its way is no longer wanted
        offs.forEach((off) => off());
      };
    },
  };
}

async function fetchListing(fetchFn: FetchLike, url: string): Promise<Listing> {
  const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(LISTING_TIMEOUT_MS) : undefined;
  const unreadable = failed("The server's list of experiences could not be read.");
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch {
    return failed("Couldn't load the experiences. Check the connection and try again.");
  }
  if (!res.ok) return failed(`The server did not list its experiences (HTTP ${res.status}).`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return unreadable;
  }
  const items = parseListing(body);
  return items ? { state: 'ready', items } : unreadable;
}

function failed(message: string): Listing {
  return { state: 'failed', message };
}
