// The lobby: your name, then join a room by code or start a new one.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { JSX } from 'preact';
import { isValidCode } from '../models/codes';
import type { Identity } from '../models/identity';
import { DEFAULT_ROOM_SIZE, MAX_ROOM_SIZE, MIN_ROOM_SIZE } from '../../lib/limits';
import type { Lobby as LobbyModel, RoomAccess } from '../models/lobby';

export interface LobbyProps {
  readonly lobby: LobbyModel;
  readonly identity: Identity;
}

const ACCESS: readonly { value: RoomAccess; label: string }[] = [
  { value: 'code', label: 'Anyone with the code' },
  { value: 'link', label: 'Only people with the link' },
  { value: 'password', label: 'People who know a password' },
];

const accessFrom = (value: string): RoomAccess => ACCESS.find((a) => a.value === value)?.value ?? 'code';

const SIZES = Array.from({ length: MAX_ROOM_SIZE - MIN_ROOM_SIZE + 1 }, (_, i) => MIN_ROOM_SIZE + i);
const ERROR_ID = 'lobby-error';

export function Lobby({ lobby, identity }: LobbyProps) {
  const nameRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const joinRef = useRef<HTMLButtonElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const newPasswordRef = useRef<HTMLInputElement>(null);
  const needsPassword = lobby.needsPassword.value;
  const access = lobby.access.value;
  const error = lobby.error.value;
  const pending = lobby.pending.value;
  const invited = lobby.invited.value;
  // A broken invite link still means the person came to join: joining goes first.
  const joinFirst = invited || lobby.badLink.value;
  const code = lobby.code.value;

  useLayoutEffect(() => {
    const named = identity.trimmedName.peek() !== '';
    // Invited and already named: one click (or Enter) away from the room. A broken link and a
    // name: the code is what is missing.
    if (lobby.invited.peek() && named) joinRef.current?.focus();
    else if (lobby.badLink.peek() && named) codeRef.current?.focus();
    else nameRef.current?.focus();
  }, []);

  // The room asked for a password (or said it was wrong): the field to type it in gets focus.
  useLayoutEffect(() => {
    if (error?.field === 'password') passwordRef.current?.focus();
    else if (error?.field === 'new-password') newPasswordRef.current?.focus();
  }, [error]);
  // Choosing a password for a new room: type it next.
  const onAccessChange = (value: RoomAccess) => {
    lobby.access.value = value;
    if (value === 'password') queueMicrotask(() => newPasswordRef.current?.focus());
  };

  const errorText = (field: 'name' | 'code' | 'password' | 'new-password' | null) =>
    error && error.field === field ? (
      <p class="field-error" id={ERROR_ID} data-testid="lobby-error" role="alert">
        {error.message}
      </p>
    ) : null;
  const invalid = (field: 'name' | 'code' | 'password' | 'new-password') =>
    error?.field === field ? { 'aria-invalid': true, 'aria-describedby': ERROR_ID } : {};

  const onCodeInput = (e: JSX.TargetedEvent<HTMLInputElement>) => {
    const el = e.currentTarget;
    const caret = el.selectionStart ?? el.value.length;
    const typed = el.value;
    const next = lobby.setCode(typed);
    if (typed !== next) {
      // Rewrite in place and keep the caret where the person was typing.
      el.value = next;
      const pos = Math.min(next.length, caret - (typed.length - next.length));
      try {
        el.setSelectionRange(Math.max(0, pos), Math.max(0, pos));
      } catch {
        /* some input types do not support selection */
      }
    }
  };
  const submit = (action: () => Promise<void>) => (e: Event) => {
    e.preventDefault();
    void action();
  };

  const joinSection = (
    <section class={joinFirst ? 'choice primary' : 'choice'} aria-labelledby="join-title">
      <h2 id="join-title">{invited && isValidCode(code) ? `Join room ${code}` : 'Join a room'}</h2>
      <form onSubmit={submit(lobby.join)} noValidate>
        <label for="code-input">Room code</label>
        <div class="row">
          <input
            id="code-input"
            ref={codeRef}
            class="code-input"
            data-testid="code-input"
            value={code}
            onInput={onCodeInput}
            placeholder="ABC234"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            {...invalid('code')}
          />
          <button
            ref={joinRef}
            type="submit"
            class={joinFirst ? 'button primary' : 'button'}
            data-testid="join-button"
            disabled={pending !== null}
          >
            {pending === 'join' ? 'Joining…' : isValidCode(code) ? `Join room ${code}` : 'Join'}
          </button>
        </div>
        {errorText('code')}
        {needsPassword && (
          <>
            <label for="password-input">Room password</label>
            <input
              id="password-input"
              ref={passwordRef}
              type="password"
              data-testid="password-input"
              value={lobby.password.value}
              onInput={(e) => {
                lobby.password.value = e.currentTarget.value;
                if (error?.field === 'password') lobby.dismissError();
              }}
              autoComplete="off"
              {...invalid('password')}
            />
            {errorText('password')}
          </>
        )}
      </form>
    </section>
  );
  const createSection = (
    <section class={joinFirst ? 'choice' : 'choice primary'} aria-labelledby="create-title">
      <h2 id="create-title">{joinFirst ? 'Or start a new room' : 'Start a new room'}</h2>
      <form onSubmit={submit(lobby.create)} noValidate>
        <label for="room-size">Room size</label>
        <div class="row">
          <select
            id="room-size"
            data-testid="room-size-select"
            value={String(lobby.roomSize.value)}
            onChange={(e) => (lobby.roomSize.value = Number(e.currentTarget.value))}
          >
            {SIZES.map((n) => (
              <option value={String(n)} key={n}>
                {`Up to ${n} people${n === DEFAULT_ROOM_SIZE ? ' (default)' : ''}`}
              </option>
            ))}
          </select>
          <button
            type="submit"
            class={joinFirst ? 'button' : 'button primary'}
            data-testid="create-button"
            disabled={pending !== null}
          >
            {pending === 'create' ? 'Creating…' : 'Create room'}
          </button>
        </div>
        <label for="access-select">Who can join</label>
        <select
          id="access-select"
          data-testid="access-select"
          value={access}
          onChange={(e) => onAccessChange(accessFrom(e.currentTarget.value))}
        >
          {ACCESS.map((a) => (
            <option value={a.value} key={a.value}>
              {a.label}
            </option>
          ))}
        </select>
        {access === 'link' && (
          <p class="lobby-hint" data-testid="link-only-hint">
            The share link carries a secret key: the room code alone won't let anyone in.
          </p>
        )}
        {access === 'password' && (
          <>
            <label for="new-password-input">Password for the room</label>
            <input
              id="new-password-input"
              ref={newPasswordRef}
              type="password"
              data-testid="new-password-input"
              value={lobby.newPassword.value}
              onInput={(e) => {
                lobby.newPassword.value = e.currentTarget.value;
                if (error?.field === 'new-password') lobby.dismissError();
              }}
              autoComplete="new-password"
              {...invalid('new-password')}
            />
            {errorText('new-password')}
          </>
        )}
        <label class="check">
          <input
            type="checkbox"
            data-testid="relay-only-checkbox"
            checked={lobby.relayOnly.value}
            onChange={(e) => (lobby.relayOnly.value = e.currentTarget.checked)}
          />
          <span>Send everything through the server (for networks that block direct connections)</span>
        </label>
      </form>
    </section>
  );

  return (
    <main class="lobby" aria-busy={pending !== null}>
      <header class="brand">
        <h1>huddle</h1>
        <p>Small rooms, browser to browser. No account needed.</p>
      </header>
      <div class="card">
        <label for="name-input">Your name</label>
        <input
          id="name-input"
          ref={nameRef}
          data-testid="name-input"
          value={identity.name.value}
          onInput={(e) => lobby.setName(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.isComposing) {
              e.preventDefault();
              void (lobby.invited.peek() || lobby.badLink.peek() ? lobby.join() : lobby.create());
            }
          }}
          placeholder="How others see you"
          autoComplete="nickname"
          {...invalid('name')}
        />
        {errorText('name')}
        <div class="choices">
          {joinFirst ? (
            <>
              {joinSection}
              <Or />
              {createSection}
            </>
          ) : (
            <>
              {createSection}
              <Or />
              {joinSection}
            </>
          )}
        </div>
        {errorText(null)}
      </div>
    </main>
  );
}

function Or() {
  return (
    <div class="or" aria-hidden="true">
      <span>or</span>
    </div>
  );
}
