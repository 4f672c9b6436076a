// Mounts <p2p-frame> under jsdom with a fake client library (tests/web/app/fake_room.ts).
import { afterEach, beforeEach } from 'vitest';
import { defineP2PFrame, P2PFrame } from '../../../web/src/embed/p2p_frame';
import { FakeHuddle } from '../app/fake_room';
import { settle, type PortEnd } from '../bridge/bridge_fakes';

export const SERVER = 'http://huddle.test:8080';

export const env = { fake: new FakeHuddle(), ports: [] as PortEnd[] };

/** Fresh fake library per test; everything mounted is removed afterwards. */
export function useFrameEnv(): void {
  defineP2PFrame();
  beforeEach(() => {
    sessionStorage.clear(); // places saved for a reload (lib/place.ts)
    env.fake = new FakeHuddle();
    P2PFrame.api = env.fake;
    P2PFrame.defaultServer = SERVER;
  });
  afterEach(() => {
    document.body.replaceChildren();
    for (const p of env.ports.splice(0)) p.close();
  });
}

/** Keeps a port end to close after the test. */
export function track(port: PortEnd): PortEnd {
  env.ports.push(port);
  return port;
}

export interface Mounted {
  el: P2PFrame;
  iframe: HTMLIFrameElement;
  /** Every p2p-status, p2p-peers and p2p-error event, in order. */
  events: CustomEvent[];
}

/** A <p2p-frame> with these attributes around one iframe, in the document, after its join settled. */
export async function mount(attrs: Record<string, string>, iframeAttrs: Record<string, string> = {}): Promise<Mounted> {
  const el = document.createElement('p2p-frame') as P2PFrame;
  const events: CustomEvent[] = [];
  for (const type of ['p2p-status', 'p2p-peers', 'p2p-error']) el.addEventListener(type, (e) => events.push(e as CustomEvent));
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const iframe = document.createElement('iframe');
  for (const [k, v] of Object.entries(iframeAttrs)) iframe.setAttribute(k, v);
  el.appendChild(iframe);
  document.body.appendChild(el);
  await settle();
  return { el, iframe, events };
}

/** The element's bar, from its shadow root. */
export function barPart(el: P2PFrame, part: string): HTMLElement {
  const node = el.shadowRoot!.querySelector<HTMLElement>(`[part~="${part}"]`);
  if (!node) throw new Error(`no part ${part}`);
  return node;
}
