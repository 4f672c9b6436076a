// Stand-ins for the two ends of the bridge, for Vitest under jsdom (MessageChannel comes from Node).
import { createP2P, type P2PApi } from '../../../web/src/p2p/p2p_api';
import type { ParentFrame } from '../../../web/src/bridge/protocol';

/** Resolves once `check()` holds (MessagePort delivery is asynchronous); fails after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets every message already posted on a port arrive (a few event-loop turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
}

/** The element's end of one port: records what the iframe posts, posts frames back. */
export class PortEnd {
  readonly received: unknown[] = [];
  constructor(readonly port: MessagePort) {
    port.onmessage = (e) => this.received.push(e.data);
  }
  post(frame: ParentFrame | unknown): void {
    this.port.postMessage(frame);
  }
  close(): void {
    this.port.close();
  }
}

interface Hello {
  message: unknown;
  targetOrigin: string;
  port: MessagePort;
}

/**
 * An iframe window for createP2P whose parent is a fake embedding page: it records every hello,
 * and `probe()` delivers a message event as if `source` posted it.
 */
export class FakeFrameWindow {
  readonly hellos: Hello[] = [];
  readonly errors: unknown[] = [];
  private readonly listeners: ((e: MessageEvent) => void)[] = [];
  readonly parent = {
    postMessage: (message: unknown, targetOrigin: string, transfer: Transferable[]) => {
      this.hellos.push({ message, targetOrigin, port: transfer[0] as MessagePort });
    },
  };
  reportError = (err: unknown) => this.errors.push(err);

  addEventListener(_type: 'message', listener: (e: MessageEvent) => void): void {
    this.listeners.push(listener);
  }

  deliver(data: unknown, source: unknown): void {
    const event = { data, source } as unknown as MessageEvent;
    for (const l of this.listeners) l(event);
  }

  /** The element's end of the latest hello's port. */
  lastPort(): PortEnd {
    const hello = this.hellos.at(-1);
    if (!hello) throw new Error('no hello yet');
    return new PortEnd(hello.port);
  }
}

/** A P2P on a fake window, and the element's end of its port. */
export function p2pWithParent(): { p2p: P2PApi; win: FakeFrameWindow; parent: PortEnd } {
  const win = new FakeFrameWindow();
  const p2p = createP2P(win);
  return { p2p, win, parent: win.lastPort() };
}

/** A `state` frame for the given members (ids; the first is host unless `hostId` says otherwise). */
export function state(selfId: string | null, ids: string[], opts: { connected?: boolean; hostId?: string | null } = {}): ParentFrame {
  return {
    t: 'state',
    selfId,
    hostId: opts.hostId !== undefined ? opts.hostId : (ids[0] ?? null),
    connected: opts.connected ?? true,
    members: ids.map((id) => ({ id, name: id.toUpperCase() })),
  };
}

/**
 * What the iframe's p2p.js does: posts a hello to the page's window as `source` with a fresh
 * port. Returns the iframe's end (frames from the element land in `received`).
 */
export function helloFrom(source: Window | null, data: unknown = { huddle: 'p2p-hello', v: 1 }): PortEnd {
  const channel = new MessageChannel();
  window.dispatchEvent(new MessageEvent('message', { data, source, ports: [channel.port2] }));
  return new PortEnd(channel.port1);
}
