// The lobby: create a room or join one by code, with validation, a pending state and
// plain-language errors. On success it hands the Room to `onEnter`.
import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { ConnectOptions, ErrorCode, HuddleApi, Room } from '../../lib';
import { DEFAULT_ROOM_SIZE, MAX_ROOM_PASSWORD_BYTES, MAX_ROOM_SIZE, MIN_ROOM_SIZE } from '../../lib/limits';
import type { Place } from '../../lib/place';
import { newRoomSecret } from '../../lib/room_secret';
import { normalizeCode, validateCode } from './codes';
import { errorCode, friendlyError } from './errors';
import { validateName, type Identity } from './identity';


export type LobbyAction = 'create' | 'join';

/**
 * Who may join a room the lobby creates: anyone with its code, only people with its link (a
 * generated secret in the link's fragment, `#k=…`), or people who know a password typed here.
 */
export type RoomAccess = 'code' | 'link' | 'password';

export interface LobbyError {
  /** The field the error is about, so the UI can mark it invalid. */
  readonly field: 'name' | 'code' | 'password' | 'new-password' | null;
  readonly message: string;
  /** The library's code, when the error came from the library. */
  readonly code: ErrorCode | null;
}

export interface LobbyDeps {
  readonly api: HuddleApi;
  readonly identity: Identity;
  /** Passed to createRoom/joinRoom. */
  readonly debug: boolean;
  /** Passed to createRoom/joinRoom when set (see readIcePolicy in app.ts). */
  readonly iceTransportPolicy?: ConnectOptions['iceTransportPolicy'];
  /** Code from an invite link (`/r/CODE`), already validated. */
  readonly inviteCode: string | null;
  /** The room secret from the invite link's fragment (`#k=…`), if any: the join's password. */
  readonly linkSecret?: string | null;
  /** Makes a room secret (default: the library's newRoomSecret); tests pass a fixed one. */
  readonly newSecret?: () => string;
  /** The page was opened from a `/r/...` link without a valid code (Router.badRoomLink). */
  readonly badRoomLink?: boolean;
  /**
   * Called once per successful create/join, with the room now owned by the caller and the secret
   * its share link carries (a room created for "only people with the link", or joined from such
   * a link), or null.
   */
  readonly onEnter: (room: Room, linkSecret: string | null) => void;
}

export interface Lobby {
  /** The room code as normalized from input (uppercase, at most 6 characters). */
  readonly code: ReadonlySignal<string>;
  readonly roomSize: Signal<number>;
  /** Create the room relay-only: no direct links, for networks that block them. */
  readonly relayOnly: Signal<boolean>;
  /** Who may join the room create() makes. */
  readonly access: Signal<RoomAccess>;
  /** The password create() gives the room when `access` is 'password'. */
  readonly newPassword: Signal<string>;
  /** The password join() brings (typed after the room asked for one). */
  readonly password: Signal<string>;
  /** The room to join needs a password and none came with the link: the lobby asks for one. */
  readonly needsPassword: ReadonlySignal<boolean>;
  /** True when the page was opened from an invite link (`/r/CODE`), until the next reset. */
  readonly invited: ReadonlySignal<boolean>;
  /**
   * True when the page was opened from a `/r/...` link with no valid code, until the next reset:
   * the person came to join, so the lobby puts joining first and says what is wrong with the link.
   */
  readonly badLink: ReadonlySignal<boolean>;
  readonly pending: ReadonlySignal<LobbyAction | null>;
  readonly error: ReadonlySignal<LobbyError | null>;
  setName(name: string): void;
  /** Normalizes and stores the code; returns the normalized form (for the input's value). */
  setCode(input: string): string;
  create(): Promise<void>;
  join(): Promise<void>;
  /**
   * Takes a reloaded page's place back (same peer id, via its resume token), shown as a join of
   * `place.code`. Resolves to whether the room was entered; a failure shows as any join error.
   */
  resume(place: Place): Promise<boolean>;
  dismissError(): void;
  /** Back to a fresh lobby (after leaving a room). */
  reset(): void;
  /** Stops caring about a pending attempt; a room that still arrives is left at once. */
  dispose(): void;
}

/** What the lobby says about a `/r/...` link that holds no valid code (DESIGN.md: codes). */
export const BAD_LINK_MESSAGE =
  "This link isn't a valid room link. Room codes are 6 letters and digits, like ABC234: " +
  'type the code in the box above, or ask for a new link.';

/** Joining from an invite link whose room is gone: likely everyone left, so say what to do. */
export const invitedRoomGoneMessage = (code: string) =>
  `Room ${code} isn't open anymore: rooms end when everyone has left. ` +
  'Ask for a new link, or start a new room below.';

const sizeFrom = (n: number) =>
  Number.isInteger(n) && n >= MIN_ROOM_SIZE && n <= MAX_ROOM_SIZE ? n : DEFAULT_ROOM_SIZE;

export function createLobby(deps: LobbyDeps): Lobby {
  const { api, identity } = deps;
  const inviteCode = signal(deps.inviteCode);
  const code = signal(deps.inviteCode ?? '');
  const roomSize = signal(DEFAULT_ROOM_SIZE);
  const relayOnly = signal(false);
  const access = signal<RoomAccess>('code');
  const newPassword = signal('');
  const password = signal('');
  const needsPassword = signal(false);
  // The link's secret is the join's password until the person types another.
  const linkSecret = signal(deps.linkSecret ?? null);
  const pending = signal<LobbyAction | null>(null);
  const badLink = signal(deps.badRoomLink === true);
  const error = signal<LobbyError | null>(
    badLink.peek() ? { field: 'code', message: BAD_LINK_MESSAGE, code: null } : null,
  );
  const invited = computed(() => inviteCode.value !== null);
  // Bumped on every attempt, reset and dispose, so a late answer for an old attempt is not used.
  let attempt = 0;

  // Only what was asked for, so the library's defaults apply otherwise.
  const connect = (): ConnectOptions => ({
    debug: deps.debug,
    ...(deps.iceTransportPolicy ? { iceTransportPolicy: deps.iceTransportPolicy } : {}),
  });

  const fail = (field: LobbyError['field'], message: string, libCode: ErrorCode | null = null) => {
    error.value = { field, message, code: libCode };
  };

  // What a wrong_password means depends on what the join brought.
  const passwordProblem = (sent: 'none' | 'link' | 'typed', roomCode: string): string =>
    sent === 'none' ? `Room ${roomCode} needs a password. Type it to join.`
      : sent === 'link' ? `This link's key doesn't open room ${roomCode}. Type the password, or ask for a new link.`
      : "That password isn't right. Check it and try again.";

  /** Resolves to true when the room was entered. */
  async function run(action: LobbyAction, start: () => Promise<Room>, secret: string | null = null,
                     sent: 'none' | 'link' | 'typed' = 'none'): Promise<boolean> {
    const mine = ++attempt;
    batch(() => {
      pending.value = action;
      error.value = null;
    });
    let room: Room;
    try {
      room = await start();
    } catch (err) {
      if (mine !== attempt) return false;
      const libCode = errorCode(err);
      const field = libCode === 'invalid_name' || libCode === 'name_taken' ? 'name'
        : libCode === 'invalid_code' || libCode === 'room_not_found' ? 'code'
        : libCode === 'wrong_password' ? 'password' : null;
      // The code came from the link, not from typing: "check the code" would not help.
      const fromLink = libCode === 'room_not_found' && inviteCode.peek() !== null && inviteCode.peek() === code.peek();
      const message = libCode === 'wrong_password' ? passwordProblem(sent, code.peek())
        : fromLink ? invitedRoomGoneMessage(code.peek()) : friendlyError(err);
      batch(() => {
        pending.value = null;
        if (libCode === 'wrong_password') needsPassword.value = true;
        fail(field, message, libCode);
      });
      return false;
    }
    if (mine !== attempt) {
      room.leave();
      return false;
    }
    pending.value = null;
    identity.remember();
    deps.onEnter(room, secret);
    return true;
  }

  const checkName = (): boolean => {
    const problem = validateName(identity.name.value);
    if (problem) fail('name', problem);
    return problem === null;
  };

  return {
    code,
    roomSize,
    relayOnly,
    access,
    newPassword,
    password,
    needsPassword,
    invited,
    badLink,
    pending,
    error,
    setName(name) {
      identity.name.value = name;
      if (error.value?.field === 'name') error.value = null;
    },
    setCode(input) {
      const next = normalizeCode(input);
      if (next !== code.value) {
        // Another room: what was asked or typed for the last one does not apply.
        batch(() => {
          needsPassword.value = false;
          password.value = '';
          linkSecret.value = null;
        });
      }
      code.value = next;
      if (error.value?.field === 'code' || error.value?.field === 'password') error.value = null;
      return next;
    },
    async create() {
      if (pending.value || !checkName()) return;
      const typed = newPassword.value;
      if (access.value === 'password' && (typed === '' || new TextEncoder().encode(typed).length > MAX_ROOM_PASSWORD_BYTES)) {
        fail('new-password', typed === '' ? 'Type the password people will need to join.'
          : `That password is too long: at most ${MAX_ROOM_PASSWORD_BYTES} bytes.`);
        return;
      }
      const secret = access.value === 'link' ? (deps.newSecret ?? newRoomSecret)() : null;
      const roomPassword = access.value === 'link' ? secret : access.value === 'password' ? typed : null;
      await run('create', () =>
        api.createRoom({
          name: identity.trimmedName.value,
          maxMembers: sizeFrom(roomSize.value),
          relayOnly: relayOnly.value,
          ...(roomPassword ? { password: roomPassword } : {}),
          ...connect(),
        }),
      secret);
    },
    async join() {
      if (pending.value || !checkName()) return;
      const problem = validateCode(code.value);
      if (problem) {
        fail('code', problem);
        return;
      }
      if (needsPassword.value && password.value === '') {
        fail('password', `Room ${code.value} needs a password. Type it to join.`);
        return;
      }
      // A typed password wins over the link's (which may be what did not work).
      const typed = password.value;
      const fromLink = typed === '' ? linkSecret.value : null;
      const sent = typed !== '' ? 'typed' : fromLink ? 'link' : 'none';
      const roomPassword = typed || fromLink;
      await run('join', () => api.joinRoom({
        code: code.value,
        name: identity.trimmedName.value,
        ...(roomPassword ? { password: roomPassword } : {}),
        ...connect(),
      }), fromLink, sent);
    },
    resume(place) {
      if (pending.value) return Promise.resolve(false);
      code.value = place.code;
      return run('join', () =>
        api.joinRoom({
          code: place.code,
          name: place.name,
          peerId: place.peerId,
          resumeToken: place.token,
          ...connect(),
        }),
        // (the place needs no password; the link it was opened with keeps its secret)
        inviteCode.peek() === place.code ? linkSecret.peek() : null,
      );
    },
    dismissError() {
      error.value = null;
    },
    reset() {
      attempt++;
      batch(() => {
        inviteCode.value = null;
        badLink.value = false;
        code.value = '';
        linkSecret.value = null;
        password.value = '';
        newPassword.value = '';
        needsPassword.value = false;
        pending.value = null;
        error.value = null;
      });
    },
    dispose() {
      attempt++;
    },
  };
}
