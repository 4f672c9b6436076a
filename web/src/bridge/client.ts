// The iframe's end of the bridge (p2p.js; the page's end is host.ts): says hello to window.parent
// with a MessageChannel port, answers the parent's probe, and then talks only over that port.
// (A closure, not a class: class fields would be downlevelled for es2020 into helpers bigger than
// this file.)
import { BRIDGE_VERSION, HELLO, PROBE, type IframeFrame } from './protocol';

/** What the bridge needs from the iframe's window (a real Window in the browser, a fake in tests). */
export interface ClientWindow {
  readonly parent: { postMessage(message: unknown, targetOrigin: string, transfer: Transferable[]): void } | null;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface BridgeClient {
  /** Posts on the current port; false when there is none. */
  post(frame: IframeFrame): boolean;
}

/**
 * Says hello to `win.parent` and returns the client end.
 * @param onFrame every frame the parent sends on the current port (unchecked: the caller checks).
 * @param canReattach whether a probe may replace an existing port. Only while not connected: then
 *   nothing of ours is in flight on the old port, so closing it loses nothing.
 */
export function startBridgeClient(win: ClientWindow, onFrame: (frame: unknown) => void, canReattach: () => boolean): BridgeClient {
  let port: MessagePort | null = null;
  const parent = win.parent;

  function hello(): void {
    port?.close();
    const channel = new MessageChannel();
    const own = channel.port1;
    port = own;
    own.onmessage = (event) => {
      if (port === own) onFrame(event.data);
    };
    // '*': the parent's origin is never needed or trusted (sandboxed frames have none of their own);
    // the parent accepts this hello only because it comes from its own iframe's window.
    parent!.postMessage({ huddle: HELLO, v: BRIDGE_VERSION }, '*', [channel.port2]);
  }

  // A top-level page has no embedder to talk to (its parent is itself).
  if (parent && parent !== (win as unknown)) {
    win.addEventListener('message', (event) => {
      // Only the embedding page may ask for a new hello; a sibling frame posting a probe is ignored.
      if (event.source !== parent || (event.data as { huddle?: unknown } | null)?.huddle !== PROBE) return;
      if (!port || canReattach()) hello();
    });
    hello();
  }

  return {
    post(frame) {
      if (!port) return false;
      port.postMessage(frame);
      return true;
    },
  };
}
