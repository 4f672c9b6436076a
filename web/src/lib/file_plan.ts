// What room.sendFile decides before anything is sent: its checks (each throws the HuddleError
// the app sees from sendFile) and the transfer's id, recipients, name and type. Apart from the
// rest of the file code because sendFile returns its transfer, with these, synchronously, while
// that code may still be loading (files_on_demand.ts).
import { MAX_FILE_BYTES } from './file_limits';
import { HuddleError, type Peer, type SendFileOptions } from './types';

/** A file to send, checked: what its transfer will be. */
export interface FilePlan {
  readonly id: string;
  readonly to: readonly string[];
  readonly name: string;
  readonly type: string;
  readonly file: Blob;
}

/** Checks a sendFile call against the members in `peers` (yourself included). Throws HuddleError. */
export function planFile(file: Blob, options: SendFileOptions, peers: readonly Peer[]): FilePlan {
  if (!(file instanceof Blob)) throw new HuddleError('data_invalid', 'sendFile takes a File or a Blob');
  if (file.size > MAX_FILE_BYTES) {
    throw new HuddleError('file_too_large', `the file is ${file.size} bytes; at most ${MAX_FILE_BYTES} can be sent`);
  }
  const others = peers.filter((p) => !p.isSelf).map((p) => p.id);
  let to = others;
  if (options.to !== undefined) {
    const peer = String(options.to);
    if (!others.includes(peer)) throw new HuddleError('peer_not_in_room', `no other member ${peer.slice(0, 64)} in this room`);
    to = [peer];
  } else if (others.length === 0) {
    throw new HuddleError('peer_not_in_room', 'nobody else is in the room');
  }
  const fileName = 'name' in file && typeof file.name === 'string' ? file.name : '';
  const name = safeFileName(options.name !== undefined ? String(options.name) : fileName);
  return { id: newTransferId(), to, name, type: safeMimeType(file.type), file };
}

// Names and types longer than this are cut (names) or dropped (types).
const MAX_NAME_CHARS = 255;

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
