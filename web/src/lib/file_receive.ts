// One file arriving (the room's `file` event). Chunks come in order (the core's reliable stream
// guarantees it from an honest sender), each decoded straight into one buffer of the announced
// size; anything else is a damaged or hostile transfer and ends it as `file_corrupt`. When the
// last chunk is in, the SHA-256 of the whole is compared with the offer's before blob() resolves.
import { decodeBase64Into } from './base64';
import type { Emitter } from './emitter';
import type { FileDeps } from './file_deps';
import { sha256Hex, type CancelReason, type FileMessage, type RefuseReason } from './file_wire';
import { StallTimer } from './stall_timer';
import type { HuddleError, IncomingFile, IncomingFileEvents } from './types';

/** What an incoming file needs from the exchange. */
export interface ReceiveContext {
  /** Sends `message` to the sender (best effort: a refusal that cannot go is not retried). */
  reply(to: string, message: FileMessage): void;
  /** The transfer is over (complete or not): forget it, and ignore its late chunks. */
  ended(incoming: IncomingTransfer): void;
  readonly stallMs: number;
  /** The library's classes and limits (file_deps.ts). */
  readonly deps: FileDeps;
}

type Offer = Extract<FileMessage, { op: 'offer' }>;

export class IncomingTransfer implements IncomingFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  private readonly chunkBytes: number;
  private readonly chunkCount: number;
  private readonly sha256: string;
  private readonly events: Emitter<IncomingFileEvents>;
  private readonly stall: StallTimer;
  private readonly result: Promise<Blob>;
  private resolveBlob!: (blob: Blob) => void;
  private rejectBlob!: (error: HuddleError) => void;
  // Allocated when the first chunk arrives, not at the offer: an offer alone costs no memory.
  private buffer: Uint8Array<ArrayBuffer> | null = null;
  private next = 0;
  private received = 0;
  private state: 'receiving' | 'verifying' | 'complete' | 'failed' = 'receiving';

  constructor(
    readonly from: string,
    offer: Offer,
    private readonly ctx: ReceiveContext,
  ) {
    this.id = offer.id;
    this.name = offer.name;
    this.size = offer.size;
    this.type = offer.type;
    this.chunkBytes = offer.chunk;
    this.chunkCount = Math.ceil(offer.size / offer.chunk);
    this.sha256 = offer.sha256;
    this.events = new ctx.deps.Emitter<IncomingFileEvents>();
    this.result = new Promise<Blob>((resolve, reject) => {
      this.resolveBlob = resolve;
      this.rejectBlob = reject;
    });
    this.result.catch(() => {}); // an app that never calls blob() must not see an unhandled rejection
    this.stall = new StallTimer(ctx.stallMs, () =>
      this.fail(this.error('file_stalled', `nothing from ${from} for ${ctx.stallMs} ms`), 'stalled'),
    );
  }

  /** Bytes this transfer may still need to hold. */
  get pendingBytes(): number {
    return this.state === 'receiving' || this.state === 'verifying' ? this.size : 0;
  }

  on<E extends keyof IncomingFileEvents>(event: E, handler: IncomingFileEvents[E]): () => void {
    return this.events.on(event, handler);
  }

  blob(): Promise<Blob> {
    return this.result;
  }

  cancel(): void {
    this.fail(this.error('file_cancelled', 'you cancelled the transfer'), 'cancelled');
  }

  // ---- driven by the exchange --------------------------------------------------------------------

  /** After the app has heard of it: a file of no bytes is complete at once. */
  begin(): void {
    if (this.state !== 'receiving') return;
    this.stall.start();
    if (this.chunkCount === 0) void this.verify();
  }

  onChunk(index: number, base64: string): void {
    if (this.state !== 'receiving') return;
    if (index !== this.next) return this.corrupt(`chunk ${index} came where ${this.next} was due`);
    const offset = index * this.chunkBytes;
    const length = Math.min(this.chunkBytes, this.size - offset);
    this.buffer ??= new Uint8Array(this.size);
    if (!decodeBase64Into(base64, this.buffer, offset, length)) {
      return this.corrupt(`chunk ${index} is not ${length} bytes of base64`);
    }
    this.next++;
    this.received += length;
    this.stall.touch();
    this.events.emit('progress', { received: this.received, total: this.size });
    if (this.next === this.chunkCount && this.state === 'receiving') void this.verify();
  }

  /** The sender stopped. */
  onCancel(reason: CancelReason): void {
    const error =
      reason === 'stalled'
        ? this.error('file_stalled', `${this.from} got no acknowledgement for too long`)
        : this.error('file_cancelled', `${this.from} cancelled the transfer`);
    this.fail(error, null);
  }

  /** Chunks were dropped on the way in (files.ts onChunksLost): the sender hears "busy". */
  chunksLost(): void {
    this.fail(this.error('file_cancelled', `${this.name} from ${this.from} came faster than this page could take it`), 'busy');
  }

  senderLeft(): void {
    this.fail(this.error('peer_not_in_room', `${this.from} left the room`), null);
  }

  /** The room was left: nothing more can arrive. */
  abort(error: HuddleError): void {
    this.fail(error, null);
  }

  // ---- inside ----------------------------------------------------------------------------------

  private error(code: HuddleError['code'], message: string): HuddleError {
    return new this.ctx.deps.HuddleError(code, message);
  }

  private async verify(): Promise<void> {
    this.state = 'verifying';
    this.stall.stop();
    const bytes = this.buffer ?? new Uint8Array(0);
    const digest = await sha256Hex(bytes);
    if (this.state !== 'verifying') return; // cancelled while hashing
    if (digest !== this.sha256) return this.corrupt('its SHA-256 does not match the offer');
    this.state = 'complete';
    this.buffer = null;
    this.ctx.reply(this.from, { op: 'received', id: this.id });
    this.ctx.ended(this);
    this.resolveBlob(new Blob([bytes], { type: this.type }));
  }

  private corrupt(why: string): void {
    this.fail(this.error('file_corrupt', `${this.name} from ${this.from}: ${why}`), 'corrupt');
  }

  private fail(error: HuddleError, tell: RefuseReason | null): void {
    if (this.state === 'complete' || this.state === 'failed') return;
    this.state = 'failed';
    this.buffer = null;
    this.stall.stop();
    if (tell) this.ctx.reply(this.from, { op: 'refuse', id: this.id, reason: tell });
    this.ctx.ended(this);
    this.rejectBlob(error);
  }
}
