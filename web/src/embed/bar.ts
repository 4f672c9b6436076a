// The multiplayer bar of <p2p-frame>, in its shadow root: connection state, members with a host
// marker (and a relay marker for those reached through the server), and "copy share link". Every piece has a `part` so pages can restyle it
// (p2p-frame::part(bar) { ... }). Names come from other people, so they are only ever text.
import type { FrameStatus } from '../bridge/room_bridge';
import type { Peer } from '../lib/types';

export interface BarView {
  status: FrameStatus;
  peers: readonly Peer[];
  shareUrl: string | null;
  /** A failure to show (e.g. the room is full); null when all is well. */
  error: string | null;
  /** The page asked for no bar (`no-bar`). */
  hidden: boolean;
}

const STYLE = `
:host { display: block; position: relative; }
:host([hidden]), [hidden] { display: none !important; }
.bar { display: flex; align-items: center; gap: 10px; min-height: 24px; padding: 2px 8px;
  font: 12px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #3b3b44;
  background: #f5f5f7; border-bottom: 1px solid #e1e1e6; }
.state { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
.dot { width: 7px; height: 7px; border-radius: 50%; background: #a0a0ab; }
.bar[data-status="connected"] .dot { background: #2e9d5b; }
.bar[data-status="connecting"] .dot, .bar[data-status="reconnecting"] .dot { background: #d69a1b; }
.bar[data-status="offline"] .dot { background: #c8453c; }
details { position: relative; }
summary { cursor: pointer; list-style: none; white-space: nowrap; }
summary::-webkit-details-marker { display: none; }
summary::after { content: " \\25BE"; color: #8a8a95; }
ul { position: absolute; z-index: 1; top: calc(100% + 4px); left: 0; min-width: 140px; margin: 0;
  padding: 4px 0; list-style: none; background: #fff; border: 1px solid #e1e1e6; border-radius: 6px;
  box-shadow: 0 4px 14px rgb(0 0 0 / 12%); }
li { padding: 2px 10px; white-space: nowrap; }
li[data-host="true"]::after { content: " \\2605 host"; color: #b8860b; font-size: 11px; }
li[data-self="true"] { font-weight: 600; }
li[data-away="true"] { color: #8a8a95; }
.relay { color: #8a8a95; font-size: 11px; }
.error { color: #b3261e; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.spacer { flex: 1; }
button { font: inherit; padding: 0 8px; border: 1px solid #cfcfd6; border-radius: 4px;
  background: #fff; color: inherit; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
@media (prefers-color-scheme: dark) {
  .bar { color: #e4e4ea; background: #202024; border-color: #34343b; }
  ul, button { background: #2a2a30; border-color: #3d3d45; }
}
`;

export class Bar {
  private readonly root: HTMLElement;
  private readonly stateText: HTMLElement;
  private readonly count: HTMLElement;
  private readonly list: HTMLElement;
  private readonly error: HTMLElement;
  private readonly copy: HTMLButtonElement;
  private shareUrl: string | null = null;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(shadow: ShadowRoot) {
    const doc = shadow.ownerDocument;
    const el = <K extends keyof HTMLElementTagNameMap>(tag: K, part: string, parent: Node): HTMLElementTagNameMap[K] => {
      const node = doc.createElement(tag);
      node.setAttribute('part', part);
      node.className = part;
      parent.appendChild(node);
      return node;
    };
    const style = doc.createElement('style');
    style.textContent = STYLE;
    shadow.appendChild(style);
    this.root = el('div', 'bar', shadow);
    const state = el('span', 'state', this.root);
    // Only the connection state is a live region: member and link churn would be noise.
    state.setAttribute('role', 'status');
    el('span', 'dot', state);
    this.stateText = el('span', 'state-text', state);
    const members = el('details', 'members', this.root);
    this.count = el('summary', 'count', members);
    this.list = el('ul', 'member-list', members);
    this.error = el('span', 'error', this.root);
    el('span', 'spacer', this.root);
    this.copy = el('button', 'copy-link', this.root);
    this.copy.type = 'button';
    this.copy.addEventListener('click', () => void this.copyLink());
    // The slot after the bar: the iframe renders below it.
    shadow.appendChild(doc.createElement('slot'));
  }

  render(view: BarView): void {
    this.root.hidden = view.hidden;
    this.root.dataset.status = view.status;
    this.stateText.textContent = view.status;
    const n = view.peers.length;
    this.count.textContent = `${n} ${n === 1 ? 'member' : 'members'}`;
    this.list.replaceChildren(...view.peers.map((p) => this.member(p)));
    this.error.textContent = view.error ?? '';
    this.error.hidden = !view.error;
    this.shareUrl = view.shareUrl;
    this.copy.disabled = !view.shareUrl;
    if (this.copiedTimer === undefined) this.copy.textContent = 'Copy share link';
  }

  private member(peer: Peer): HTMLElement {
    const li = this.root.ownerDocument.createElement('li');
    li.setAttribute('part', peer.isHost ? 'member host' : 'member');
    li.dataset.peerId = peer.id;
    li.dataset.host = String(peer.isHost);
    li.dataset.self = String(peer.isSelf);
    li.dataset.away = String(peer.away === true);
    li.textContent = peer.isSelf ? `${peer.name} (you)` : peer.away ? `${peer.name} (away)` : peer.name;
    // Only the exception is shown: a direct link is the normal case, the relay works but is slower.
    if (peer.transport === 'relay') {
      const relay = li.ownerDocument.createElement('span');
      relay.setAttribute('part', 'relay');
      relay.className = 'relay';
      relay.textContent = 'relay';
      relay.title = 'No direct link: messages go through the huddle server';
      li.append(' ', relay);
    }
    return li;
  }

  private async copyLink(): Promise<void> {
    if (!this.shareUrl) return;
    let ok = false;
    try {
      await navigator.clipboard.writeText(this.shareUrl);
      ok = true;
    } catch {
      // No clipboard API (insecure context) or permission refused: fall back to a hidden field.
      ok = copyWithSelection(this.root, this.shareUrl);
    }
    this.copy.textContent = ok ? 'Copied' : 'Copy failed';
    clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => {
      this.copiedTimer = undefined;
      this.copy.textContent = 'Copy share link';
    }, 1500);
  }
}

function copyWithSelection(host: HTMLElement, text: string): boolean {
  const field = host.ownerDocument.createElement('textarea');
  field.value = text;
  field.style.cssText = 'position:fixed;opacity:0;';
  host.appendChild(field);
  field.select();
  let ok = false;
  try {
    ok = host.ownerDocument.execCommand('copy');
  } catch {
    ok = false;
  }
  field.remove();
  return ok;
}
