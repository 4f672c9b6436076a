// The page's end of the bridge to one iframe (a <p2p-frame>'s, or one hostExperience lends a room
// to): accepts a hello only from that iframe's window, then talks only over the port that hello
// carried (docs/experiences.md, "How the bridge works"). Everything else posted to the page's
// window is ignored. The iframe's end is client.ts.
import {
  BRIDGE_VERSION, DETACHED_STATE, HELLO, MAX_QUEUED_SENDS, PROBE, type IframeFrame, type ParentFrame,
} from './protocol';
import { checkIframeFrame } from './frame_check';

export interface BridgeHostHandlers {
  /** The full picture, posted first on every newly adopted port. */
  state(): ParentFrame;
  /** A frame from the iframe that passed checkIframeFrame. */
  frame(frame: IframeFrame): void;
  /** The iframe's page said hello and got the state: it is running and connected. */
  attached?(): void;
}

export class BridgeHost {
  private iframe: HTMLIFrameElement | null = null;
  private port: MessagePort | null = null;
  // Messages that arrive while no iframe is attached (e.g. a member greets us before our iframe has
  // loaded): delivered after the state on attach, so none is lost. Bounded like every queue.
  private pending: ParentFrame[] = [];
  private dropped = 0;
  private listening = false;

  constructor(private readonly win: Window, private readonly handlers: BridgeHostHandlers) {}

  start(): void {
    if (this.listening) return;
    this.listening = true;
    this.win.addEventListener('message', this.onWindowMessage);
  }

  /** Stops listening, detaches the iframe and forgets held messages. */
  stop(): void {
    this.listening = false;
    this.win.removeEventListener('message', this.onWindowMessage);
    this.detach();
    this.iframe = null;
    this.pending = [];
    this.dropped = 0;
  }

  /** Follows `iframe` (null: none). Another iframe than before detaches the old one and is probed. */
  watch(iframe: HTMLIFrameElement | null): void {
    if (iframe === this.iframe) return;
    this.detach();
    this.iframe = iframe;
    this.probe();
  }

  get attached(): boolean {
    return this.port !== null;
  }

  /** Asks the iframe for a hello, in case its p2p.js said hello before anyone listened. */
  probe(): void {
    const probe = { huddle: PROBE };
    // '*': the probe carries nothing, and a sandboxed iframe has an opaque origin.
    this.iframe?.contentWindow?.postMessage(probe, '*');
  }

  /** A room event for the iframe, in the order the room emitted it. */
  post(frame: ParentFrame): void {
    if (this.port) {
      this.port.postMessage(frame);
      return;
    }
    // Without a port only messages are held: the state posted on attach covers everything else.
    // Unreliable ones are never held (never queued, by their contract): stale by the time the
    // iframe attaches, they would only push reliable ones out of the bounded queue.
    if (frame.t !== 'message' || frame.reliable === false) return;
    if (this.pending.length >= MAX_QUEUED_SENDS) {
      this.pending.shift();
      this.dropped++;
    }
    this.pending.push(frame);
  }

  private readonly onWindowMessage = (event: MessageEvent): void => {
    // The one check that matters: only our own iframe's window can be the source. A sibling frame,
    // a popup or the page itself fails it, whatever it posts.
    const own = this.iframe?.contentWindow;
    if (!own || event.source !== own) return;
    const data = event.data as { huddle?: unknown; v?: unknown } | null;
    if (data?.huddle !== HELLO || data.v !== BRIDGE_VERSION || event.ports.length !== 1) return;
    this.adopt(event.ports[0]);
  };

  private adopt(port: MessagePort): void {
    // A second hello means the iframe reloaded or answered a probe: its old port is dead or abandoned.
    this.port?.close();
    this.port = port;
    port.onmessage = (event) => {
      if (this.port !== port) return;
      const checked = checkIframeFrame(event.data);
      if ('error' in checked) port.postMessage({ t: 'error', ...checked.error } satisfies ParentFrame);
      else this.handlers.frame(checked.frame);
    };
    port.postMessage(this.handlers.state());
    if (this.dropped > 0) {
      port.postMessage({
        t: 'error', code: 'internal',
        message: `${this.dropped} messages arrived while no frame was attached and were dropped (at most ${MAX_QUEUED_SENDS} are held)`,
      } satisfies ParentFrame);
      this.dropped = 0;
    }
    for (const frame of this.pending.splice(0)) port.postMessage(frame);
    this.handlers.attached?.();
  }

  private detach(): void {
    if (!this.port) return;
    this.port.postMessage(DETACHED_STATE);
    this.port.close();
    this.port = null;
  }
}
