// Renders the whole app against a FakeHuddle, with the URL, localStorage and sessionStorage a test asks for.
import { afterEach, beforeAll } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { App } from '../../../web/src/app/app';
import { loadInRoom } from '../../../web/src/app/load_in_room';
import { createAppModel, type AppModel } from '../../../web/src/app/models/app';
import { fakeFetch } from './fake_fetch';
import { FakeHuddle, FakeRoom } from './fake_room';

export interface RenderOptions {
  /** Path (and query) the page was opened at. */
  readonly url?: string;
  /** Name remembered from an earlier visit. */
  readonly rememberedName?: string;
  readonly room?: FakeRoom;
  /** Keep createRoom/joinRoom pending from the start (even a resume at start) until `api.settle()`. */
  readonly hold?: boolean;
  readonly storage?: Record<string, string>;
  /** This tab's sessionStorage (e.g. a resume record left by the page before a reload). */
  readonly sessionStorage?: Record<string, string>;
  /** Answers the experiences listing; default: draw and pong. */
  readonly fetch?: ReturnType<typeof fakeFetch>;
}

const models: AppModel[] = [];

// The room part of the app is loaded when a join starts (load_in_room.ts). Loaded once here
// first, so that a test's waits time the app, not Vite preparing the chunk's modules on a busy
// machine. A file that makes it fail to load sees that failure in the test instead.
beforeAll(() => loadInRoom().then(() => {}, () => {}), 60_000);

afterEach(() => {
  cleanup();
  while (models.length) models.pop()!.dispose();
  localStorage.clear();
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

export function renderApp(opts: RenderOptions = {}) {
  localStorage.clear();
  if (opts.rememberedName !== undefined) localStorage.setItem('huddle.name', opts.rememberedName);
  for (const [k, v] of Object.entries(opts.storage ?? {})) localStorage.setItem(k, v);
  sessionStorage.clear();
  for (const [k, v] of Object.entries(opts.sessionStorage ?? {})) sessionStorage.setItem(k, v);
  window.history.replaceState(null, '', opts.url ?? '/');
  const api = new FakeHuddle();
  if (opts.room) api.room = opts.room;
  api.hold = opts.hold ?? false;
  const fetch = opts.fetch ?? fakeFetch();
  const model = createAppModel({ api, hostExperience: api.hostExperience, fetch });
  models.push(model);
  const utils = render(<App model={model} />);
  return { api, model, fetch, ...utils };
}

/** Creates a room from the lobby as `name` and waits for the room view. */
export async function enterRoom(name = 'Me', room = new FakeRoom({ others: ['Ann', 'Bob'] }), opts: RenderOptions = {}) {
  const r = renderApp({ ...opts, rememberedName: name, room });
  screen.getByTestId('create-button').click();
  await waitFor(() => screen.getByTestId('room-code'));
  return { ...r, room };
}
