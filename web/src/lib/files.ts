// File transfer for one room: sendFile, the inbound file messages (room.ts hands over every app
// message whose `$huddle` is "file"), and the delivery receipts that pace the chunks. This module
// and what it imports are a chunk of their own, loaded when a page first sends or receives a file
// (files_on_demand.ts). What they share with the rest of the library (HuddleError, the Emitter,
// planFile, the file limits) they are handed with each exchange (file_deps.ts), never import: the
// chunk imports nothing from huddle.js. A transfer sends each chunk with sendTo, one recipient at
// a time, and keeps at most a window of them unacknowledged per recipient: far below the core's
// 1,024-message queue, and over the relay few enough that the server's rate limits and its
// per-connection queue are never at stake (docs/protocol.md "Files").
import type { FileDeps } from './file_deps';
import type { FilePlan } from './file_plan';
import { IncomingTransfer, type ReceiveContext } from './file_receive';
import { OutgoingTransfer, type SendContext } from './file_send';
import { fileEnvelope, MAX_CHUNK_BYTES, parseFileMessage, type FileMessage, type RefuseReason } from './file_wire';
import type { FileTransfer, HuddleError, IncomingFile, Json, Peer, SendFileOptions } from './types';

/** What the exchange needs from its room. */
export interface FilePort {
  /** One reliable message to one member; returns its message id; throws HuddleError. */
  sendTo(peerId: string, data: Json): number;
  /** Every member including yourself (for recipients and their transports). */
  peers(): readonly Peer[];
  /** True while the app listens for the `file` event. */
  wantsFiles(): boolean;
  /** Emits the `file` event. */
  emitFile(incoming: IncomingFile): void;
}

/** The pacing of transfers; tests shrink it. Why the defaults: docs/protocol.md "Files". */
export interface FileTuning {
  /** File bytes per chunk message. */
  chunkBytes: number;
  /** Unacknowledged file messages (the offer, chunks) per recipient over a direct link. */
  directWindow: number;
  /** The same through the server relay. */
  relayWindow: number;
  stallMs: number;
}

/** The default pacing, but for stallMs: FILE_STALL_MS (file_limits.ts), which comes with FileDeps. */
export const DEFAULT_FILE_TUNING: Omit<FileTuning, 'stallMs'> = {
  // The largest that fits one app message. Through the relay (paced frames of at most 64 KiB,
  // so one chunk per frame) 47 KiB moved 1.5 MB/s where 16 KiB moved 1.1 (bench/file_transfer.mjs).
  chunkBytes: MAX_CHUNK_BYTES,
  // Windows from 4 to 32 measured alike on one machine (CPU-bound); 16 keeps 7.5 MB/s going over
  // a 100 ms round trip for at most 1 MiB of the core's queue per recipient.
  directWindow: 16,
  // 2, 4 and 8 measured alike locally (the relay's frame rate is the limit); 8 keeps that rate
  // over a 200 ms round trip, and a sender holds at most 512 KiB in huddle-server's 4 MiB queue
  // towards a slow reader.
  relayWindow: 8,
};

// Incoming transfers that ended, remembered so their late chunks (already on the way when either
// side stopped) are dropped quietly instead of answered as unknown.
const REMEMBERED_ENDINGS = 256;

/** Our own messages awaiting their receipt: whose, and whether they count against a window. */
interface Sent {
  readonly peer: string;
  readonly transfer: OutgoingTransfer | null;
  readonly chunk: boolean;
}

export class FileExchange {
  private readonly outgoing = new Map<string, OutgoingTransfer>();
  /** Per member, our transfers to it in the order sent; the first one is streaming. */
  private readonly queues = new Map<string, OutgoingTransfer[]>();
  private readonly incoming = new Map<string, IncomingTransfer>();
  private readonly sent = new Map<number, Sent>();
  private readonly endedIncoming = new Set<string>();
  private closedWith: HuddleError | null = null;
  private readonly tuning: FileTuning;
  private readonly sendContext: SendContext;
  private readonly receiveContext: ReceiveContext;

  /** `deps`: what the library hands the file code (file_deps.ts; files_on_demand.ts FILE_DEPS). */
  constructor(
    private readonly port: FilePort,
    private readonly deps: FileDeps,
    tuning?: FileTuning,
  ) {
    this.tuning = tuning ?? { ...DEFAULT_FILE_TUNING, stallMs: deps.FILE_STALL_MS };
    this.sendContext = {
      chunkBytes: this.tuning.chunkBytes,
      stallMs: this.tuning.stallMs,
      deps,
      send: (transfer, peer, message, windowed) => this.send(peer, message, windowed ? transfer : null),
      window: (peer) => this.windowFor(peer),
      finished: (transfer, peer) => this.finished(transfer, peer),
      ended: (transfer) => this.outgoing.delete(transfer.id),
    };
    this.receiveContext = {
      stallMs: this.tuning.stallMs,
      deps,
      reply: (to, message) => void this.send(to, message, null),
      ended: (incoming) => this.forget(incoming.from, incoming.id),
    };
  }

  sendFile(file: Blob, options: SendFileOptions = {}): FileTransfer {
    if (this.closedWith) throw new this.deps.HuddleError('not_in_room', 'this room was left');
    return this.start(this.deps.planFile(file, options, this.port.peers()));
  }

  /**
   * Starts sending a file checked by planFile: each recipient gets it after our files to it
   * that came before. A recipient who left since is failed by onPeerLeft, as any other.
   */
  start(plan: FilePlan): OutgoingTransfer {
    const { id, to, name, type, file } = plan;
    const transfer = new OutgoingTransfer(id, to, name, type, file, this.sendContext);
    if (this.closedWith) {
      transfer.abort(this.closedWith);
      return transfer;
    }
    this.outgoing.set(transfer.id, transfer);
    for (const peer of to) {
      const queue = this.queues.get(peer) ?? [];
      this.queues.set(peer, queue);
      queue.push(transfer);
      if (queue.length === 1) transfer.start(peer);
    }
    return transfer;
  }

  /** A reliable app message whose `$huddle` is "file", from `from`. Malformed ones are dropped. */
  onMessage(from: string, data: Json): void {
    if (this.closedWith) return;
    const message = parseFileMessage(data, this.deps);
    if (!message) return;
    const key = incomingKey(from, message.id);
    switch (message.op) {
      case 'offer':
        return this.onOffer(from, message);
      case 'chunk': {
        const incoming = this.incoming.get(key);
        if (incoming) return incoming.onChunk(message.i, message.d);
        // Chunks of a transfer we never heard of (this page reloaded since the offer): say so
        // once, so the sender stops instead of waiting for a verdict that cannot come.
        if (this.endedIncoming.has(key)) return;
        this.remember(key);
        return this.refuse(from, message.id, 'unknown');
      }
      case 'cancel':
        return this.incoming.get(key)?.onCancel(message.reason);
      case 'received':
        return this.outgoing.get(message.id)?.onReceived(from);
      case 'refuse':
        return this.outgoing.get(message.id)?.onRefused(from, message.reason);
    }
  }

  /**
   * Chunks of `from`'s transfer `id` were dropped before they reached us (they came faster than
   * the file code loaded, files_on_demand.ts): it cannot complete, so it ends now.
   */
  onChunksLost(from: string, id: string): void {
    this.incoming.get(incomingKey(from, id))?.chunksLost();
  }

  /**
   * A delivery receipt. True when the message was one of ours (the room does not report it to the
   * app). Any receipt frees room in that member's queue, so a transfer held up by a full queue
   * (the app's own messages count too) tries again.
   */
  onDelivered(peer: string, messageId: number): boolean {
    const mine = this.sent.get(messageId);
    if (mine) {
      this.sent.delete(messageId);
      mine.transfer?.onDelivered(peer, mine.chunk);
    }
    this.queues.get(peer)?.[0]?.pump(peer);
    return mine !== undefined;
  }

  /** `peer` left the room: its transfers end both ways (none waits forever on a member who is gone). */
  onPeerLeft(peer: string): void {
    this.queues.delete(peer); // first: nothing of ours may start towards it now
    for (const transfer of [...this.outgoing.values()]) transfer.peerLeft(peer);
    for (const incoming of [...this.incoming.values()]) if (incoming.from === peer) incoming.senderLeft();
    for (const [id, sent] of this.sent) if (sent.peer === peer) this.sent.delete(id); // no receipt will come
  }

  /** The room is gone (left, or the client gave up): every transfer ends with `error`. */
  close(error: HuddleError): void {
    if (this.closedWith) return;
    this.closedWith = error;
    this.queues.clear();
    for (const transfer of [...this.outgoing.values()]) transfer.abort(error);
    for (const incoming of [...this.incoming.values()]) incoming.abort(error);
    this.sent.clear();
  }

  // ---- inside ----------------------------------------------------------------------------------

  private onOffer(from: string, offer: Extract<FileMessage, { op: 'offer' }>): void {
    const key = incomingKey(from, offer.id);
    if (this.incoming.has(key) || this.endedIncoming.has(key)) return; // a repeated offer: ignored
    const refuse = (reason: RefuseReason) => {
      this.remember(key);
      this.refuse(from, offer.id, reason);
    };
    const { MAX_FILE_BYTES, MAX_FILES_PER_SENDER, MAX_RECEIVING_BYTES } = this.deps;
    if (offer.size > MAX_FILE_BYTES) return refuse('too_large');
    let fromSender = 0;
    let pendingBytes = 0;
    for (const incoming of this.incoming.values()) {
      if (incoming.from === from) fromSender++;
      pendingBytes += incoming.pendingBytes;
    }
    if (fromSender >= MAX_FILES_PER_SENDER || pendingBytes + offer.size > MAX_RECEIVING_BYTES) return refuse('busy');
    if (!this.port.wantsFiles()) return refuse('declined');
    const incoming = new IncomingTransfer(from, offer, this.receiveContext);
    this.incoming.set(key, incoming);
    this.port.emitFile(incoming);
    incoming.begin();
  }

  private refuse(to: string, id: string, reason: RefuseReason): void {
    this.send(to, { op: 'refuse', id, reason }, null);
  }

  /** Sends a file message; windowed ones (with their transfer) are paced by their receipts. */
  private send(peer: string, message: FileMessage, transfer: OutgoingTransfer | null): HuddleError | null {
    if (this.closedWith) return this.closedWith;
    let id: number;
    try {
      id = this.port.sendTo(peer, fileEnvelope(message, this.deps.LIBRARY_KEY));
    } catch (err) {
      return err instanceof this.deps.HuddleError ? err : new this.deps.HuddleError('internal', String(err));
    }
    this.sent.set(id, { peer, transfer, chunk: message.op === 'chunk' });
    return null;
  }

  private windowFor(peer: string): number {
    const transport = this.port.peers().find((p) => p.id === peer)?.transport;
    return transport === 'relay' ? this.tuning.relayWindow : this.tuning.directWindow;
  }

  private finished(transfer: OutgoingTransfer, peer: string): void {
    const queue = this.queues.get(peer);
    if (!queue) return;
    const at = queue.indexOf(transfer);
    if (at < 0) return;
    queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(peer);
    else if (at === 0) queue[0].start(peer);
  }

  private forget(from: string, id: string): void {
    const key = incomingKey(from, id);
    this.incoming.delete(key);
    this.remember(key);
  }

  private remember(key: string): void {
    this.endedIncoming.add(key);
    // A Set iterates in insertion order: the first is the oldest.
    for (const oldest of this.endedIncoming) {
      if (this.endedIncoming.size <= REMEMBERED_ENDINGS) break;
      this.endedIncoming.delete(oldest);
    }
  }
}

function incomingKey(from: string, id: string): string {
  return `${from}\n${id}`;
}
