// A room of FileExchanges (web/src/lib/files.ts) joined by a simulated network, standing in for
// the Room and the core's reliable streams: each sendTo gets a message id and waits in its pair's
// queue (in order, as the core's stream keeps it) until the test delivers it; delivering hands it
// to the recipient's exchange and the receipt back to the sender's. The core's per-member cap on
// unacknowledged messages is enforced (send_queue_full), so a test can prove it is never hit.
import { expect } from 'vitest';
import type { FileDeps } from '../../../web/src/lib/file_deps';
import { MAX_FILE_BYTES } from '../../../web/src/lib/file_limits';
import { libraryKind } from '../../../web/src/lib/library_key';
import { FileExchange, type FileTuning } from '../../../web/src/lib/files';
import { FILE_DEPS, FilesOnDemand, type FilesOnDemandOptions } from '../../../web/src/lib/files_on_demand';
import { HuddleError, type IncomingFile, type Json, type Peer, type Transport } from '../../../web/src/lib/types';

// File reads and SHA-256 digests in progress. They complete off the main thread, so "nothing on
// the wire" does not mean "done" while one runs; counting them makes settle() exact.
let working = 0;
function counted<T>(p: Promise<T>): Promise<T> {
  working++;
  return p.finally(() => working--);
}
const digest = crypto.subtle.digest.bind(crypto.subtle);
crypto.subtle.digest = (algorithm: AlgorithmIdentifier, data: BufferSource) => counted(digest(algorithm, data));
const readBlob = Blob.prototype.arrayBuffer;
Blob.prototype.arrayBuffer = function (this: Blob) {
  return counted(readBlob.call(this));
};

export interface Wire {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  data: Json;
}

export class Member {
  readonly exchange: FileExchange | FilesOnDemand;
  readonly incoming: IncomingFile[] = [];
  /** Messages this member could not send because its queue to that member was full. */
  refusedSends = 0;
  listening = true;
  /** Unacknowledged messages per recipient (what the core's queue holds), and the most seen. */
  readonly unacked = new Map<string, number>();
  readonly mostUnacked = new Map<string, number>();
  readonly transports = new Map<string, Transport | null>();

  constructor(
    readonly id: string,
    private readonly net: FileNet,
    tuning: FileTuning,
    onDemand?: FilesOnDemandOptions,
    deps: FileDeps = FILE_DEPS,
  ) {
    const port = {
      sendTo: (peerId: string, data: Json) => net.send(this, peerId, data),
      peers: () => net.peersSeenBy(this),
      wantsFiles: () => this.listening,
      emitFile: (incoming: IncomingFile) => this.incoming.push(incoming),
    };
    // As a room has it (the file code loaded on demand), or the exchange itself.
    this.exchange = onDemand ? new FilesOnDemand(port, { tuning, ...onDemand }) : new FileExchange(port, deps, tuning);
  }
}

export class FileNet {
  readonly members = new Map<string, Member>();
  /** Sent, not yet delivered, in sending order. */
  readonly wire: Wire[] = [];
  /** Every message ever sent, for inspection. */
  readonly log: Wire[] = [];
  /** The core's per-member queue cap (1024 in the real client). */
  queueCap = 1024;
  /** Pairs whose receipts are held back: "from>to". */
  readonly heldReceipts = new Set<string>();
  private readonly heldAcks: Wire[] = [];
  private nextId = 1;

  /**
   * `onDemand`: members whose file code loads on demand (files_on_demand.ts), and how. `deps`:
   * members whose exchange gets other classes than the library's (file_deps.ts).
   */
  constructor(
    names: string[],
    private readonly tuning: FileTuning,
    onDemand: Record<string, FilesOnDemandOptions> = {},
    deps: Record<string, FileDeps> = {},
  ) {
    for (const name of names) this.members.set(name, new Member(name, this, tuning, onDemand[name], deps[name]));
  }

  member(id: string): Member {
    const m = this.members.get(id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  }

  send(from: Member, to: string, data: Json): number {
    if (!this.members.has(to) || to === from.id) throw new HuddleError('peer_not_in_room', `no member ${to}`);
    const unacked = from.unacked.get(to) ?? 0;
    if (unacked >= this.queueCap) {
      from.refusedSends++;
      throw new HuddleError('send_queue_full', `queue to ${to} is full`);
    }
    from.unacked.set(to, unacked + 1);
    from.mostUnacked.set(to, Math.max(from.mostUnacked.get(to) ?? 0, unacked + 1));
    // Through JSON, as the core would carry it.
    const wire: Wire = { id: this.nextId++, from: from.id, to, data: JSON.parse(JSON.stringify(data)) };
    this.wire.push(wire);
    this.log.push(wire);
    return wire.id;
  }

  /** An app message that is not the library's (fills queues the way chat would). */
  sendApp(from: string, to: string, text: string): number {
    return this.send(this.member(from), to, { text });
  }

  peersSeenBy(self: Member): readonly Peer[] {
    let order = 0;
    return [...this.members.keys()].map((id) => ({
      id, name: id, joinOrder: ++order, isSelf: id === self.id, isHost: order === 1,
      link: id === self.id ? null : 'connected',
      transport: id === self.id ? null : (self.transports.get(id) ?? 'direct'),
      away: false, rttMs: null,
    }));
  }

  /** Delivers the oldest message on the wire (optionally only those matching `which`); false when none. */
  deliverOne(which: (w: Wire) => boolean = () => true): boolean {
    const at = this.wire.findIndex(which);
    if (at < 0) return false;
    const [w] = this.wire.splice(at, 1);
    const to = this.members.get(w.to);
    if (!to) return true; // gone meanwhile
    if (libraryKind(w.data) === 'file') to.exchange.onMessage(w.from, w.data);
    if (this.heldReceipts.has(`${w.from}>${w.to}`)) this.heldAcks.push(w);
    else this.receipt(w);
    return true;
  }

  /** Releases held receipts of `from>to`. */
  releaseReceipts(pair: string): void {
    this.heldReceipts.delete(pair);
    for (const w of this.heldAcks.filter((x) => `${x.from}>${x.to}` === pair)) {
      this.heldAcks.splice(this.heldAcks.indexOf(w), 1);
      this.receipt(w);
    }
  }

  /**
   * Delivers until nothing more moves, waiting out file reads and hashes (they finish off the
   * main thread; see `working`). setImmediate is real: tests fake only the timers.
   */
  async settle(which?: (w: Wire) => boolean): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      let moved = false;
      while (this.deliverOne(which)) moved = true;
      quiet = moved || working > 0 ? 0 : quiet + 1;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** `id` leaves: the others hear of it; whatever was on its way to or from it is lost. */
  leave(id: string): void {
    this.members.delete(id);
    for (let i = this.wire.length - 1; i >= 0; i--) {
      if (this.wire[i].from === id || this.wire[i].to === id) this.wire.splice(i, 1);
    }
    for (const m of this.members.values()) {
      m.unacked.delete(id);
      m.exchange.onPeerLeft(id);
    }
  }

  /** File messages of `op` that went from `from` to `to`. */
  fileMessages(op: string, from?: string, to?: string): Wire[] {
    return this.log.filter((w) => libraryKind(w.data) === 'file' && fileOp(w) === op && (!from || w.from === from) && (!to || w.to === to));
  }

  expectQueuesNeverFull(): void {
    for (const m of this.members.values()) expect(m.refusedSends, `${m.id} hit a full queue`).toBe(0);
  }

  private receipt(w: Wire): void {
    const from = this.members.get(w.from);
    if (!from) return;
    from.unacked.set(w.to, (from.unacked.get(w.to) ?? 1) - 1);
    from.exchange.onDelivered(w.to, w.id);
  }
}

export function fileOp(w: Wire): string {
  const d = w.data;
  return typeof d === 'object' && d !== null && !Array.isArray(d) && typeof d.op === 'string' ? d.op : '';
}

/** Random bytes as a Blob (and the bytes, to compare). */
export function randomFile(size: number, type = 'application/octet-stream'): { blob: Blob; bytes: Uint8Array<ArrayBuffer> } {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
  return { blob: new Blob([bytes], { type }), bytes };
}

export async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/** The HuddleError a promise rejects with. */
export { rejection } from './wasm_env';

/** A Blob one byte over the largest file sendFile takes, without holding 64 MiB. */
export function tooLargeFile(): Blob {
  return new (class extends Blob {
    get size(): number {
      return MAX_FILE_BYTES + 1;
    }
  })([]);
}
