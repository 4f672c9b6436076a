// A raw WebSocket client for tests that speak the signaling protocol to a real huddle-server
// frame by frame (no Wasm): it collects frames, and `next(t)` waits for one of type `t`.
import WebSocket from 'ws';
import type { RunningServer } from './huddle_server.mjs';

export type Frame = Record<string, unknown> & { t: string };

export interface RawClient {
  send(frame: object): void;
  /** The oldest frame of type `t` not yet taken; waits up to 3 s for one. */
  next(t: string): Promise<Frame>;
  close(): void;
}

/** Connects to the server's /ws; `localAddress` (e.g. 127.0.0.5) picks the address it comes from. */
export async function connect(server: RunningServer, localAddress?: string): Promise<RawClient> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/ws`, localAddress ? { localAddress } : {});
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    send: (frame: object) => ws.send(JSON.stringify(frame)),
    async next(t: string): Promise<Frame> {
      for (;;) {
        const at = frames.findIndex((f) => f.t === t);
        if (at >= 0) return frames.splice(at, 1)[0];
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${t} frame; got ${JSON.stringify(frames)}`)), 3000);
          waiters.push(() => { clearTimeout(timer); resolve(); });
        });
      }
    },
    close: () => ws.close(),
  };
}
