// The file transfer's messages (docs/protocol.md "Files"): what they look like on the wire, and
// the checks every inbound one passes before the transfer logic sees it. They travel as ordinary
// reliable app messages (sendTo, one recipient each), so the core's streams give them order,
// exactly-once delivery and acks; the reserved key keeps them away from the app's `message` event.
import type { Json } from './types';

/**
 * App data that is an object with this key is the library's own (room.ts routes it by the key's
 * value, e.g. "file"), never the app's: it never reaches `message`, and `send`/`sendTo` refuse it.
 */
export const LIBRARY_KEY = '$huddle';

/** The library kind of `data` ("file"), or null for the app's own data. */
export function libraryKind(data: Json): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.hasOwn(data, LIBRARY_KEY)) return null;
  const kind = data[LIBRARY_KEY];
  return typeof kind === 'string' ? kind : '';
}

/** Why a recipient stops a transfer (the `refuse` message); the sender turns it into an error code. */
export type RefuseReason = 'cancelled' | 'declined' | 'busy' | 'too_large' | 'corrupt' | 'unknown' | 'stalled';
/** Why a sender stops a transfer (the `cancel` message). */
export type CancelReason = 'cancelled' | 'stalled';

/** One file message, without its envelope. `id` names the transfer: the sender's, random. */
export type FileMessage =
  | { op: 'offer'; id: string; name: string; size: number; type: string; chunk: number; sha256: string }
  | { op: 'chunk'; id: string; i: number; d: string }
  | { op: 'cancel'; id: string; reason: CancelReason }
  | { op: 'received'; id: string }
  | { op: 'refuse'; id: string; reason: RefuseReason };

/** The app data that carries `message`. */
export function fileEnvelope(message: FileMessage): Json {
  return { [LIBRARY_KEY]: 'file', ...message };
}

// Chunk sizes a recipient accepts: every chunk, base64 in its envelope, must fit one app message
// (MAX_APP_DATA_BYTES, 64 512 bytes): 47 KiB of file is 64 172 characters of base64.
export const MIN_CHUNK_BYTES = 1024;
export const MAX_CHUNK_BYTES = 47 * 1024;

const TRANSFER_ID = /^[A-Za-z0-9_-]{8,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const REFUSE_REASONS: readonly string[] = ['cancelled', 'declined', 'busy', 'too_large', 'corrupt', 'unknown', 'stalled'];
// Names and types longer than this are cut (names) or dropped (types).
const MAX_NAME_CHARS = 255;

/**
 * A checked file message from `data` (an object with LIBRARY_KEY "file"), or null when any field
 * is missing or of the wrong type. Names and types come back made safe. The transfer logic checks
 * the rest against what it knows (the size cap, the offer's size, the next chunk expected).
 */
export function parseFileMessage(data: Json): FileMessage | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { op, id } = data;
  if (typeof id !== 'string' || !TRANSFER_ID.test(id)) return null;
  switch (op) {
    case 'offer': {
      const { name, size, type, chunk, sha256 } = data;
      if (typeof name !== 'string' || typeof type !== 'string' || typeof sha256 !== 'string') return null;
      if (!isInt(size) || !isInt(chunk) || chunk < MIN_CHUNK_BYTES || chunk > MAX_CHUNK_BYTES) return null;
      if (!SHA256_HEX.test(sha256)) return null;
      return { op, id, name: safeFileName(name), size, type: safeMimeType(type), chunk, sha256 };
    }
    case 'chunk': {
      const { i, d } = data;
      if (!isInt(i) || typeof d !== 'string') return null;
      return { op, id, i, d };
    }
    case 'cancel':
      return { op, id, reason: data.reason === 'stalled' ? 'stalled' : 'cancelled' };
    case 'received':
      return { op, id };
    case 'refuse': {
      const reason = data.reason;
      // A reason from a newer version still stops the transfer.
      return { op, id, reason: typeof reason === 'string' && isRefuseReason(reason) ? reason : 'cancelled' };
    }
    default:
      return null;
  }
}

function isRefuseReason(reason: string): reason is RefuseReason {
  return REFUSE_REASONS.includes(reason);
}

/** A whole number from 0 to 2^53 - 1 (what a JS number holds exactly). */
function isInt(value: Json | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A file name safe to show and to offer as a download name: no directory part, no control or
 * bidirectional-override characters (a name must not be able to disguise its extension), at most
 * 255 characters; "file" when nothing is left.
 */
export function safeFileName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return [...clean].slice(0, MAX_NAME_CHARS).join('') || 'file';
}

/** A MIME type as sent, if it looks like one (type/subtype, printable ASCII); otherwise "". */
export function safeMimeType(type: string): string {
  return type.length <= MAX_NAME_CHARS && /^[\w.+-]+\/[\w.+-]+(\s*;[\x20-\x7e]*)?$/.test(type) ? type : '';
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A new transfer id: 16 random characters (96 bits), so a sender's ids never meet again. */
export function newTransferId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => ID_ALPHABET[b & 63]).join('');
}

/** Lower-case hex SHA-256 of `bytes` (WebCrypto). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
