// File transfer, loaded when a page first needs it: the file code (files.ts and its parts, about
// a fifth of huddle.js) is a chunk of its own, fetched next to the script that imports it
// (import(), so relative to import.meta.url: an embedding page loads it from huddle-server like
// huddle.js). It starts loading when the page calls sendFile or a file message arrives. Until it
// is there, sendFile hands back a stand-in transfer (checked, with its id, recipients and name,
// exactly as before), and what the room reports for files waits in one queue, in order, to be
// handed to the file code when it arrives. Afterwards everything goes straight to it.
import { Emitter } from './emitter';
import type { FileDeps } from './file_deps';
import { FILE_STALL_MS, MAX_FILE_BYTES, MAX_FILES_PER_SENDER, MAX_RECEIVING_BYTES } from './file_limits';
import { planFile, safeFileName, safeMimeType, type FilePlan } from './file_plan';
import type { FileExchange, FilePort, FileTuning } from './files';
import { LIBRARY_KEY } from './library_key';
import { HuddleError, type FileSent, type FileTransfer, type FileTransferEvents, type Json, type SendFileOptions } from './types';

/** The file code's module (files.ts), as import() gives it. */
export type FilesModule = typeof import('./files');

/**
 * What this copy of the library hands the file code with each exchange (file_deps.ts): its own
 * classes and functions, so the chunk imports nothing from huddle.js, and its errors are this
 * copy's HuddleError whatever URL the page loaded huddle.js by.
 */
export const FILE_DEPS: FileDeps = {
  HuddleError, Emitter, planFile, safeFileName, safeMimeType, LIBRARY_KEY,
  MAX_FILE_BYTES, MAX_FILES_PER_SENDER, MAX_RECEIVING_BYTES, FILE_STALL_MS,
};

/**
 * How much may wait for the file code: a sender does not wait for us (the core acknowledges its
 * chunks on arrival), so over a fast link chunks keep coming while the code loads. 16 MiB of
 * chunk text is 256 chunks of 47 KiB, seconds of a direct link's rate; a page receives up to
 * 128 MiB of files anyway. A chunk that does not fit is dropped, and its transfer ends once the
 * code is there (file_cancelled on both sides: "receiving too much at once"), never silently.
 * Other messages are a few dozen bytes; only a peer flooding us with them meets the count.
 */
export const MAX_QUEUED_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_QUEUED_FILE_MESSAGES = 4096;

/** Tests stand in for import() and shrink the bounds. */
export interface FilesOnDemandOptions {
  /** Loads the file code. Default: import('./files'). */
  load?: () => Promise<FilesModule>;
  tuning?: FileTuning;
  maxQueuedBytes?: number;
  maxQueuedMessages?: number;
}

/** What waits for the file code, in the order the room reported it. */
type Pending =
  | { readonly kind: 'send'; readonly plan: FilePlan; readonly transfer: PendingTransfer }
  | { readonly kind: 'message'; readonly from: string; readonly data: Json; readonly bytes: number }
  | { readonly kind: 'peerLeft'; readonly peer: string };

export class FilesOnDemand {
  private exchange: FileExchange | null = null;
  private loading = false;
  private pending: Pending[] = [];
  private queuedBytes = 0;
  private queuedMessages = 0;
  private closedWith: HuddleError | null = null;
  /** Incoming transfers that lost a chunk to a full queue, by sender and id. */
  private readonly lost = new Map<string, { from: string; id: string }>();

  private readonly load: () => Promise<FilesModule>;
  private readonly maxQueuedBytes: number;
  private readonly maxQueuedMessages: number;

  constructor(
    private readonly port: FilePort,
    private readonly options: FilesOnDemandOptions = {},
  ) {
    this.load = options.load ?? (() => import('./files'));
    this.maxQueuedBytes = options.maxQueuedBytes ?? MAX_QUEUED_FILE_BYTES;
    this.maxQueuedMessages = options.maxQueuedMessages ?? MAX_QUEUED_FILE_MESSAGES;
  }

  sendFile(file: Blob, options: SendFileOptions = {}): FileTransfer {
    if (this.exchange) return this.exchange.sendFile(file, options);
    if (this.closedWith) throw new HuddleError('not_in_room', 'this room was left');
    const plan = planFile(file, options, this.port.peers());
    const transfer = new PendingTransfer(plan);
    this.pending.push({ kind: 'send', plan, transfer });
    this.startLoading();
    return transfer;
  }

  /** A reliable app message whose `$huddle` is "file", from `from`. */
  onMessage(from: string, data: Json): void {
    if (this.exchange) return this.exchange.onMessage(from, data);
    if (this.closedWith) return;
    const bytes = chunkText(data);
    const chunkId = chunkTransfer(data);
    const key = `${from}\n${chunkId}`;
    if (chunkId !== null && this.lost.has(key)) return; // its transfer lost a chunk already: it ends anyway
    if (this.queuedMessages >= this.maxQueuedMessages || this.queuedBytes + bytes > this.maxQueuedBytes) {
      if (chunkId !== null) this.lost.set(key, { from, id: chunkId });
      return;
    }
    this.queuedMessages++;
    this.queuedBytes += bytes;
    this.pending.push({ kind: 'message', from, data, bytes });
    this.startLoading();
  }

  /**
   * A delivery receipt; true when the message was one of ours. Before the file code is there,
   * none can be: every file message is sent by it.
   */
  onDelivered(peer: string, messageId: number): boolean {
    return this.exchange?.onDelivered(peer, messageId) ?? false;
  }

  onPeerLeft(peer: string): void {
    if (this.exchange) return this.exchange.onPeerLeft(peer);
    // Only what waits can concern it: a transfer to it, a file from it.
    if (this.pending.length > 0) this.pending.push({ kind: 'peerLeft', peer });
  }

  /** The room is gone: every transfer ends with `error`, and what waits with it. */
  close(error: HuddleError): void {
    if (this.exchange) return this.exchange.close(error);
    if (this.closedWith) return;
    this.closedWith = error;
    this.failPending(error);
  }

  private startLoading(): void {
    if (this.loading) return;
    this.loading = true;
    this.load().then(
      (module) => {
        if (this.closedWith) return;
        const exchange = new module.FileExchange(this.port, FILE_DEPS, this.options.tuning);
        // In order; what the room reports meanwhile (a transfer's own sends can lead to events)
        // joins the end of the queue, so nothing overtakes what waited.
        while (this.pending.length > 0) {
          const next = this.pending.shift()!;
          if (next.kind === 'send') {
            if (!next.transfer.settled) next.transfer.attach(exchange.start(next.plan));
          } else if (next.kind === 'message') {
            exchange.onMessage(next.from, next.data);
          } else {
            exchange.onPeerLeft(next.peer);
          }
        }
        for (const { from, id } of this.lost.values()) exchange.onChunksLost(from, id);
        this.lost.clear();
        this.queuedBytes = 0;
        this.queuedMessages = 0;
        this.exchange = exchange;
      },
      (err: unknown) => {
        this.loading = false; // the next sendFile or file message tries again
        this.failPending(new HuddleError('server_unreachable', `could not load huddle's file transfer code: ${String(err)}`));
      },
    );
  }

  /**
   * Ends everything that waits: transfers with `error`; files arriving are dropped (their sender
   * learns it when its next chunk reaches a page that has the code, or by its stall timer).
   */
  private failPending(error: HuddleError): void {
    const pending = this.pending;
    this.pending = [];
    this.queuedBytes = 0;
    this.queuedMessages = 0;
    this.lost.clear();
    for (const p of pending) if (p.kind === 'send') p.transfer.fail(error);
  }
}

/** The size of a chunk message's data, what a queue of them holds; other messages are small. */
function chunkText(data: Json): number {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 0;
  const d = data.d;
  return typeof d === 'string' ? d.length : 0;
}

/** The transfer id of a chunk message, else null (checked no further: the file code does that). */
function chunkTransfer(data: Json): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || data.op !== 'chunk') return null;
  return typeof data.id === 'string' ? data.id : null;
}

/**
 * The transfer sendFile returns while the file code loads: the same id, recipients, name, size
 * and type the real one gets; handlers subscribed here hear the real one's progress, and `done`
 * settles as its does. Cancelled before the code is there, it ends at once as the real one would
 * (file_cancelled) and is never started; a code that cannot load ends it with that error.
 */
class PendingTransfer implements FileTransfer {
  readonly id: string;
  readonly to: readonly string[];
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly done: Promise<FileSent>;
  settled = false;
  private readonly events = new Emitter<FileTransferEvents>();
  private real: FileTransfer | null = null;
  private resolveDone!: (sent: FileSent) => void;
  private rejectDone!: (error: HuddleError) => void;

  constructor(plan: FilePlan) {
    this.id = plan.id;
    this.to = plan.to;
    this.name = plan.name;
    this.size = plan.file.size;
    this.type = plan.type;
    this.done = new Promise<FileSent>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => {}); // as the real one: an app that does not await done sees no unhandled rejection
  }

  on<E extends keyof FileTransferEvents>(event: E, handler: FileTransferEvents[E]): () => void {
    return this.events.on(event, handler);
  }

  cancel(): void {
    if (this.real) return this.real.cancel();
    this.fail(new HuddleError('file_cancelled', 'the transfer was cancelled'));
  }

  /** The file code is here: `real` carries this transfer from now on. */
  attach(real: FileTransfer): void {
    this.real = real;
    real.on('progress', (progress) => this.events.emit('progress', progress));
    real.done.then(this.resolveDone, this.rejectDone);
  }

  fail(error: HuddleError): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectDone(error);
  }
}
