// The file transfer's messages (docs/protocol.md "Files"): what they look like on the wire, and
// the checks every inbound one passes before the transfer logic sees it. They travel as ordinary
// reliable app messages (sendTo, one recipient each), so the core's streams give them order,
// exactly-once delivery and acks; the reserved key keeps them away from the app's `message` event.
import type { FileDeps } from './file_deps';
import type { Json } from './types';

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

/** The app data that carries `message` (`libraryKey`: library_key.ts LIBRARY_KEY). */
export function fileEnvelope(message: FileMessage, libraryKey: string): Json {
  return { [libraryKey]: 'file', ...message };
}

// Chunk sizes a recipient accepts: every chunk, base64 in its envelope, must fit one app message
// (MAX_APP_DATA_BYTES, 64 512 bytes): 47 KiB of file is 64 172 characters of base64.
export const MIN_CHUNK_BYTES = 1024;
export const MAX_CHUNK_BYTES = 47 * 1024;

const TRANSFER_ID = /^[A-Za-z0-9_-]{8,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const REFUSE_REASONS: readonly string[] = ['cancelled', 'declined', 'busy', 'too_large', 'corrupt', 'unknown', 'stalled'];

/**
 * A checked file message from `data` (an object with LIBRARY_KEY "file"), or null when any field
 * is missing or of the wrong type. Names and types come back made safe (by `safe`, file_plan.ts's
 * functions). The transfer logic checks the rest against what it knows (the size cap, the offer's
 * size, the next chunk expected).
 */
export function parseFileMessage(data: Json, safe: Pick<FileDeps, 'safeFileName' | 'safeMimeType'>): FileMessage | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { op, id } = data;
  if (typeof id !== 'string' || !TRANSFER_ID.test(id)) return null;
  switch (op) {
    case 'offer': {
      const { name, size, type, chunk, sha256 } = data;
      if (typeof name !== 'string' || typeof type !== 'string' || typeof sha256 !== 'string') return null;
      if (!isInt(size) || !isInt(chunk) || chunk < MIN_CHUNK_BYTES || chunk > MAX_CHUNK_BYTES) return null;
      if (!SHA256_HEX.test(sha256)) return null;
      return { op, id, name: safe.safeFileName(name), size, type: safe.safeMimeType(type), chunk, sha256 };
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

/** Lower-case hex SHA-256 of `bytes` (WebCrypto). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
