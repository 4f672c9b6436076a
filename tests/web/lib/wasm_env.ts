// Runs the real Wasm client under Node: WebSocket comes from the `ws` package (Node 20 has none),
// the module bytes are passed in (Emscripten 3.1.6 cannot fetch a relative URL under Node), and
// huddle-server is the real binary. There is no RTCPeerConnection in Node, so direct links fail
// here by design; data channels are covered end to end in Chromium (tests/e2e).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import path from 'node:path';
import { WebSocket } from 'ws';
import { configureWasm, HuddleError } from '../../../web/src/lib';
import { repoRoot, startServer, type RunningServer } from '../../support/huddle_server.mjs';

export function useRealWasm(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  configureWasm({ wasmBinary: readFileSync(path.join(repoRoot, 'web/src/generated/huddle_client.wasm')) });
}

export { startServer, type RunningServer };

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
