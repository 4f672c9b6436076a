// P2P.state inside the iframe: a mirror of the room state (the experience's keys), so that get and
// entries answer at once. The page sends the whole document when the iframe first uses P2P.state
// (and again on every later connection), then every change (web/src/bridge/state_bridge.ts).
// Own writes apply to the mirror at once and go to the page; each comes back as a `state_ack`
// with what the room holds then, which puts the mirror back where the room refused the write.
// While own writes to a key are on their way, what the page says of that key is left for their
// acks to settle: it is older than the writes, and showing it would flicker.
import { MAX_STATE_KEY_BYTES, MAX_STATE_VALUE_BYTES } from '../generated/core';
import { jsonText } from '../lib/json_check';
import type { Json } from '../lib/types';
import type { IframeFrame, ParentFrame } from '../bridge/protocol';
import { P2PError } from './p2p_error';

export interface P2PState {
  /** The key's value (a copy), or undefined. Until the room's document arrives, only own writes are here. */
  get(key: string): Json | undefined;
  /** Every key and its value, in key order. */
  entries(): [string, Json][];
  /**
   * Writes `value` under `key`: here at once (onChange fires now), in the room soon. Throws
   * P2PError `data_invalid` (a key of 1 to 256 bytes without control characters; a JSON value of
   * at most 60 416 bytes) or `send_queue_full`; the room's own refusals (`state_too_large`, …)
   * arrive at onError, and the key shows what the room holds.
   */
  set(key: string, value: Json): void;
  /** Deletes `key` (as `set`). */
  delete(key: string): void;
  /** Every change of the document, own writes included (value undefined: deleted); `from` wrote it (null: not known). */
  onChange: ((key: string, value: Json | undefined, from: string | null) => void) | null;
}

export interface StateMirror {
  readonly state: P2PState;
  /** A `state_doc`, `state_change` or `state_ack` frame from the page. */
  frame(frame: Extract<ParentFrame, { t: 'state_doc' | 'state_change' | 'state_ack' }>): void;
  /** A connection began; `queued`: the frames about to go out. Asks for the document again if used. */
  connected(queued: IframeFrame[]): void;
}

export interface MirrorIo {
  /** Posts at once while connected, else queues (throws P2PError send_queue_full). */
  deliver(frame: IframeFrame): void;
  post(frame: IframeFrame): void;
  isConnected(): boolean;
  selfId(): string | null;
  /** Tells onChange and `statechange` listeners. */
  changed(key: string, value: Json | undefined, from: string | null): void;
}

const encoder = new TextEncoder();

export function createStateMirror(io: MirrorIo): StateMirror {
  const doc = new Map<string, string>(); // key → JSON text
  const pending = new Map<string, number>(); // own writes per key the page has not acked yet
  let watching = false;
  let onChange: P2PState['onChange'] = null;

  function watch(): void {
    if (watching) return;
    watching = true;
    if (io.isConnected()) io.post({ t: 'state_watch' });
  }

  function put(key: string, text: string | undefined, from: string | null): void {
    if (doc.get(key) === text) return;
    if (text === undefined) doc.delete(key);
    else doc.set(key, text);
    io.changed(key, parse(text), from);
  }

  function write(key: unknown, value: unknown, isSet: boolean): void {
    const keyBytes = typeof key === 'string' ? encoder.encode(key).length : 0;
    if (typeof key !== 'string' || keyBytes < 1 || keyBytes > MAX_STATE_KEY_BYTES || /[\0-\x1f\x7f]|\p{Cs}/u.test(key)) {
      throw new P2PError('data_invalid', `a state key is a string of 1 to ${MAX_STATE_KEY_BYTES} bytes of UTF-8 without control characters`);
    }
    let text: string | undefined;
    if (isSet) {
      const checked = jsonText(value);
      if ('problem' in checked) throw new P2PError('data_invalid', checked.problem);
      text = checked.text;
      const bytes = encoder.encode(text).length;
      if (bytes > MAX_STATE_VALUE_BYTES) throw new P2PError('data_invalid', `a state value is at most ${MAX_STATE_VALUE_BYTES} bytes of JSON (this one is ${bytes})`);
    }
    watch();
    // A copy taken now: the page changing its object later does not change what is written.
    io.deliver(text === undefined ? { t: 'state_delete', key } : { t: 'state_set', key, value: JSON.parse(text) as Json });
    pending.set(key, (pending.get(key) ?? 0) + 1);
    put(key, text, io.selfId());
  }

  const state: P2PState = {
    get(key) {
      watch();
      return parse(doc.get(String(key)));
    },
    entries() {
      watch();
      return [...doc.keys()].sort().map((key) => [key, JSON.parse(doc.get(key)!) as Json]);
    },
    set: (key, value) => write(key, value, true),
    delete: (key) => write(key, undefined, false),
    get onChange() {
      return onChange;
    },
    // Setting a handler is taking part, like reading: the document then arrives as changes.
    set onChange(handler) {
      onChange = handler;
      watch();
    },
  };

  return {
    state,
    frame(frame) {
      if (frame.t === 'state_doc') {
        if (!Array.isArray(frame.entries)) return;
        const next = new Map<string, [string, string | null]>();
        for (const e of frame.entries) if (Array.isArray(e) && typeof e[0] === 'string') next.set(e[0], [JSON.stringify(e[1]), e[2] || null]);
        for (const key of [...new Set([...doc.keys(), ...next.keys()])].sort()) {
          const entry = next.get(key);
          if (!pending.has(key)) put(key, entry?.[0], entry ? entry[1] : null);
        }
        return;
      }
      if (typeof frame.key !== 'string') return;
      const text = frame.value === undefined ? undefined : JSON.stringify(frame.value);
      if (frame.t === 'state_ack') {
        const left = (pending.get(frame.key) ?? 1) - 1;
        if (left > 0) return void pending.set(frame.key, left);
        pending.delete(frame.key);
      } else if (pending.has(frame.key)) {
        return;
      }
      put(frame.key, text, frame.from || null);
    },
    connected(queued) {
      // Writes posted on an earlier connection may never be acked (its port may be gone); an ack
      // that does come for one finds no count and only confirms what the room holds.
      pending.clear();
      for (const f of queued) if (f.t === 'state_set' || f.t === 'state_delete') pending.set(f.key, (pending.get(f.key) ?? 0) + 1);
      if (watching) io.post({ t: 'state_watch' });
    },
  };
}

function parse(text: string | undefined): Json | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as Json);
}
