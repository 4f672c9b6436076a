// One file being sent (room.sendFile): per recipient, the offer, then chunks paced by delivery
// receipts (a bounded window of unacknowledged chunks), until the recipient says `received`
// (its SHA-256 matched) or the transfer ends for it some other way. The exchange (files.ts) owns
// the message ids, the windows and the order of transfers per member.
import { toBase64 } from './base64';
import type { Emitter } from './emitter';
import type { FileDeps } from './file_deps';
import { sha256Hex, type CancelReason, type FileMessage, type RefuseReason } from './file_wire';
import { StallTimer } from './stall_timer';
import type { FileSent, FileTransfer, FileTransferEvents, HuddleError } from './types';

/** What a transfer needs from the exchange. */
export interface SendContext {
  /**
   * Sends `message` to `peer` as one reliable message; null once it is queued, else the refusal
   * (`send_queue_full`: try again after the next delivery to that member). `windowed` messages
   * (the offer and chunks) come back through onDelivered.
   */
  send(transfer: OutgoingTransfer, peer: string, message: FileMessage, windowed: boolean): HuddleError | null;
  /** Unacknowledged messages this transfer may have towards `peer` now (it depends on the transport). */
  window(peer: string): number;
  /** The transfer is over for `peer` (next in that member's queue, please). */
  finished(transfer: OutgoingTransfer, peer: string): void;
  /** The transfer is over for everyone. */
  ended(transfer: OutgoingTransfer): void;
  readonly chunkBytes: number;
  readonly stallMs: number;
  /** The library's classes and limits (file_deps.ts). */
  readonly deps: FileDeps;
}

interface Recipient {
  readonly peer: string;
  /** waiting: behind another of our files to this member; sending: offer, chunks, then its verdict. */
  phase: 'waiting' | 'sending' | 'delivered' | 'failed';
  offered: boolean;
  /** The next chunk to send. */
  next: number;
  /** Chunks the recipient acknowledged. */
  acked: number;
  /** Windowed messages sent and not yet acknowledged. */
  inFlight: number;
  error: HuddleError | null;
  readonly stall: StallTimer;
}

// What the recipient's refusal means to the sender, in its stable code.
const REFUSALS: Record<RefuseReason, [HuddleError['code'], string]> = {
  cancelled: ['file_cancelled', 'cancelled it'],
  declined: ['file_cancelled', 'does not take files (nothing listens for them)'],
  busy: ['file_cancelled', 'is receiving too much at once'],
  too_large: ['file_too_large', 'does not take files this large'],
  corrupt: ['file_corrupt', 'received it damaged'],
  unknown: ['file_cancelled', 'no longer knows this transfer (its page reloaded)'],
  stalled: ['file_stalled', 'got nothing for too long'],
};

export class OutgoingTransfer implements FileTransfer {
  readonly done: Promise<FileSent>;
  readonly size: number;
  readonly type: string;
  private readonly events: Emitter<FileTransferEvents>;
  private readonly recipients = new Map<string, Recipient>();
  private readonly chunkCount: number;
  private reading: Promise<void> | null = null;
  // The file's bytes and hash, read when the first recipient's turn comes, dropped at the end.
  private content: { bytes: Uint8Array; sha256: string } | null = null;
  private settled = false;
  private cancelled = false;
  private reported = 0; // progress reported so far: nothing until the first chunk is acknowledged
  private resolveDone!: (sent: FileSent) => void;
  private rejectDone!: (error: HuddleError) => void;

  constructor(
    readonly id: string,
    readonly to: readonly string[],
    readonly name: string,
    type: string,
    private readonly file: Blob,
    private readonly ctx: SendContext,
  ) {
    this.size = file.size;
    this.type = type;
    this.events = new ctx.deps.Emitter<FileTransferEvents>();
    this.chunkCount = Math.ceil(this.size / ctx.chunkBytes);
    this.done = new Promise<FileSent>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => {}); // an app that does not await done must not see an unhandled rejection
    for (const peer of to) {
      const stall = new StallTimer(ctx.stallMs, () =>
        this.failRecipient(peer, this.error('file_stalled', `${peer} acknowledged nothing for ${ctx.stallMs} ms`), 'stalled'),
      );
      this.recipients.set(peer, { peer, phase: 'waiting', offered: false, next: 0, acked: 0, inFlight: 0, error: null, stall });
    }
  }

  on<E extends keyof FileTransferEvents>(event: E, handler: FileTransferEvents[E]): () => void {
    return this.events.on(event, handler);
  }

  cancel(): void {
    if (this.settled) return;
    this.cancelled = true;
    for (const r of this.recipients.values()) {
      this.failRecipient(r.peer, this.error('file_cancelled', 'the transfer was cancelled'), 'cancelled');
    }
  }

  // ---- driven by the exchange --------------------------------------------------------------------

  /** `peer`'s turn: read the file if nobody did yet, then offer and stream. */
  start(peer: string): void {
    const r = this.recipients.get(peer);
    if (!r || r.phase !== 'waiting') return;
    r.phase = 'sending';
    r.stall.start();
    this.read().then(
      () => this.pump(peer),
      (err: unknown) => {
        const error = this.error('data_invalid', `could not read the file: ${String(err)}`);
        for (const other of this.recipients.values()) this.failRecipient(other.peer, error, null);
      },
    );
  }

  /** Sends to `peer` what its window allows. Called again after every delivery to it. */
  pump(peer: string): void {
    const r = this.recipients.get(peer);
    const content = this.content;
    if (!r || r.phase !== 'sending' || !content) return;
    if (!r.offered) {
      const offer: FileMessage = {
        op: 'offer', id: this.id, name: this.name, size: this.size, type: this.type,
        chunk: this.ctx.chunkBytes, sha256: content.sha256,
      };
      if (!this.trySend(r, offer)) return;
      r.offered = true;
    }
    const window = this.ctx.window(peer);
    const chunk = this.ctx.chunkBytes;
    while (r.phase === 'sending' && r.inFlight < window && r.next < this.chunkCount) {
      const bytes = content.bytes.subarray(r.next * chunk, (r.next + 1) * chunk);
      if (!this.trySend(r, { op: 'chunk', id: this.id, i: r.next, d: toBase64(bytes) })) return;
      r.next++;
    }
  }

  /** One of our windowed messages to `peer` was acknowledged. */
  onDelivered(peer: string, chunk: boolean): void {
    const r = this.recipients.get(peer);
    if (!r) return;
    r.inFlight = Math.max(0, r.inFlight - 1);
    if (r.phase !== 'sending') return;
    if (chunk) r.acked = Math.min(r.acked + 1, this.chunkCount);
    r.stall.touch();
    this.reportProgress();
    this.pump(peer);
  }

  /** `peer` has the whole file and its hash matched. */
  onReceived(peer: string): void {
    const r = this.recipients.get(peer);
    if (!r || r.phase !== 'sending' || !r.offered) return;
    r.phase = 'delivered';
    r.acked = this.chunkCount;
    this.finishRecipient(r);
  }

  /** `peer` stopped the transfer. */
  onRefused(peer: string, reason: RefuseReason): void {
    const r = this.recipients.get(peer);
    if (!r || !r.offered) return;
    const [code, what] = REFUSALS[reason];
    this.failRecipient(peer, this.error(code, `${peer} ${what}`), null);
  }

  peerLeft(peer: string): void {
    this.failRecipient(peer, this.error('peer_not_in_room', `${peer} left the room`), null);
  }

  /** The room was left (or the client gave up): nothing more can be sent. */
  abort(error: HuddleError): void {
    for (const r of this.recipients.values()) this.failRecipient(r.peer, error, null);
  }

  // ---- inside ----------------------------------------------------------------------------------

  private error(code: HuddleError['code'], message: string): HuddleError {
    return new this.ctx.deps.HuddleError(code, message);
  }

  private read(): Promise<void> {
    this.reading ??= (async () => {
      const bytes = new Uint8Array(await this.file.arrayBuffer());
      if (bytes.length !== this.size) throw new Error('the file changed while it was being sent');
      const sha256 = await sha256Hex(bytes);
      if (!this.settled) this.content = { bytes, sha256 };
    })();
    return this.reading;
  }

  private trySend(r: Recipient, message: FileMessage): boolean {
    const error = this.ctx.send(this, r.peer, message, true);
    if (!error) {
      r.inFlight++;
      return true;
    }
    // A full queue (the app's own messages fill it too) empties as acks come: the exchange pumps
    // again after every delivery to this member.
    if (error.code !== 'send_queue_full') this.failRecipient(r.peer, error, null);
    return false;
  }

  private failRecipient(peer: string, error: HuddleError, tell: CancelReason | null): void {
    const r = this.recipients.get(peer);
    if (!r || r.phase === 'delivered' || r.phase === 'failed') return;
    // Only a recipient that got the offer knows the transfer; others are simply never offered it.
    if (tell && r.offered) this.ctx.send(this, peer, { op: 'cancel', id: this.id, reason: tell }, false);
    r.phase = 'failed';
    r.error = error;
    this.finishRecipient(r);
  }

  private finishRecipient(r: Recipient): void {
    r.stall.stop();
    this.ctx.finished(this, r.peer);
    this.reportProgress();
    if ([...this.recipients.values()].every((x) => x.phase === 'delivered' || x.phase === 'failed')) this.settle();
  }

  private reportProgress(): void {
    let sent = Infinity;
    for (const r of this.recipients.values()) {
      if (r.phase === 'failed') continue;
      sent = Math.min(sent, r.phase === 'delivered' ? this.size : Math.min(r.acked * this.ctx.chunkBytes, this.size));
    }
    if (sent === Infinity || sent <= this.reported) return;
    this.reported = sent;
    this.events.emit('progress', { sent, total: this.size });
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.content = null;
    this.ctx.ended(this);
    const all = [...this.recipients.values()];
    const delivered = all.filter((r) => r.phase === 'delivered').map((r) => r.peer);
    const failed = all.flatMap((r) => (r.error ? [{ peerId: r.peer, error: r.error }] : []));
    if (delivered.length > 0 && !this.cancelled) return this.resolveDone({ delivered, failed });
    this.rejectDone(this.cancelled ? this.error('file_cancelled', 'the transfer was cancelled') : failed[0].error);
  }
}
