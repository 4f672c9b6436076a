// Runs the real Wasm client under Node: WebSocket comes from the `ws` package (Node 20 has none),
// the module bytes are passed in (Emscripten 3.1.6 cannot fetch a relative URL under Node), and
// huddle-server is the real binary. There is no RTCPeerConnection in Node, so direct links fail
// here by design; data channels are covered end to end in Chromium (tests/e2e).
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import path from 'node:path';
import { WebSocket } from 'ws';
import { configureGameWasm, configureStateWasm, configureWasm, createRoom, HuddleError, joinRoom, type Room } from '../../../web/src/lib';
import { repoRoot, startServer, type RunningServer } from '../../support/huddle_server.mjs';

export function useRealWasm(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  configureWasm({ wasmBinary: readFileSync(path.join(repoRoot, 'web/src/generated/huddle_client.wasm')) });
  configureStateWasm({ wasmBinary: readFileSync(path.join(repoRoot, 'web/src/generated/huddle_state.wasm')) });
  configureGameWasm({ wasmBinary: readFileSync(path.join(repoRoot, 'web/src/generated/huddle_game.wasm')) });
}

export { startServer, type RunningServer };

/** What useServerAndRooms gives a test file. */
export interface ServerAndRooms {
  /** The file's huddle-server. Its origin is there once the tests run (it starts in beforeAll). */
  readonly server: Pick<RunningServer, 'origin'>;
  /** Rooms to leave after the current test: push every room a test makes. */
  readonly open: Room[];
  /**
   * A relay-only room (Node has no RTCPeerConnection) created by `names[0]` and joined by the
   * others in turn, once every member sees every other; the rooms in the order of `names`. They
   * are in `open`.
   */
  relayRoom(...names: string[]): Promise<Room[]>;
}

/**
 * For a test file whose tests share one real huddle-server (started with `args`): loads the real
 * Wasm client and starts the server before the file's tests, leaves every room in `open` after
 * each test, and stops the server after them all. Call it at the top of the file.
 */
export function useServerAndRooms(args: string[] = []): ServerAndRooms {
  let running: RunningServer | undefined;
  const open: Room[] = [];

  beforeAll(async () => {
    useRealWasm();
    running = await startServer(args);
  });

  afterAll(async () => {
    await running?.stop();
  });

  afterEach(() => {
    for (const room of open.splice(0)) room.leave();
  });

  const server = {
    get origin(): string {
      if (!running) throw new Error('huddle-server starts in beforeAll: read its origin inside a test');
      return running.origin;
    },
  };

  async function relayRoom(...names: string[]): Promise<Room[]> {
    const first = await createRoom({ server: server.origin, name: names[0], relayOnly: true });
    open.push(first);
    const rooms = [first];
    for (const name of names.slice(1)) {
      const room = await joinRoom({ server: server.origin, code: first.code, name });
      open.push(room);
      rooms.push(room);
    }
    await until(() => rooms.every((r) => r.peers().length === names.length), 'everyone to see everyone');
    return rooms;
  }

  return { server, open, relayRoom };
}

/** Resolves once `check()` is true, polling; rejects after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The HuddleError `p` rejects with; a test failure when it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<HuddleError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HuddleError);
    if (err instanceof HuddleError) return err;
  }
  throw new Error('expected a rejection');
}

/** A socket as `ws` gives it: terminate() cuts it as a network would, without a closing handshake. */
export interface RecordedSocket {
  terminate(): void;
}

/**
 * Runs `open` with every WebSocket it makes recorded, in order, so a test can cut one (a tab
 * that closes, a network that drops) without the page saying goodbye.
 */
export async function withRecordedSockets<T>(open: () => Promise<T>): Promise<{ result: T; sockets: RecordedSocket[] }> {
  const Native = globalThis.WebSocket;
  const sockets: RecordedSocket[] = [];
  globalThis.WebSocket = class extends (Native as unknown as new (...a: unknown[]) => object) {
    constructor(...args: unknown[]) {
      super(...args);
      sockets.push(this as unknown as RecordedSocket);
    }
  } as unknown as typeof globalThis.WebSocket;
  try {
    return { result: await open(), sockets };
  } finally {
    globalThis.WebSocket = Native;
  }
}
