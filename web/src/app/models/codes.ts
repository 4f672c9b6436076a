// Room codes as people type, paste and share them. The server is the authority on which codes
// exist; these rules only catch typos early. Alphabet: DESIGN.md "Rooms, codes, host".
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from '../../lib/limits';

// The core's alphabet: no I, O, 0 or 1, which people confuse.
const CODE_RE = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);

/**
 * Turns what someone typed or pasted into code form: a pasted share link yields its code;
 * separators and spaces go; letters are uppercased; anything past 6 characters is cut.
 */
export function normalizeCode(input: string): string {
  const fromLink = /\/r\/([A-Za-z0-9]+)/.exec(input);
  const raw = fromLink ? fromLink[1] : input;
  return raw.replace(/[\s-]+/g, '').toUpperCase().slice(0, ROOM_CODE_LENGTH);
}

export function isValidCode(code: string): boolean {
  return CODE_RE.test(code);
}

/** Returns a message for the person when `code` (already normalized) is not a code, else null. */
export function validateCode(code: string): string | null {
  if (code.length === 0) return 'Enter the 6-character room code.';
  if (!isValidCode(code)) {
    return 'Room codes are 6 characters: letters A–Z without I or O, and digits 2–9.';
  }
  return null;
}

/** The app path of a room: `/r/CODE`. */
export function roomPath(code: string): string {
  return `/r/${code}`;
}

/** True for any path under `/r/`: the shape of a share link, whether or not its code is valid. */
export function isRoomPath(pathname: string): boolean {
  return /^\/r(\/|$)/.test(pathname);
}

/** The room code in an app path (`/r/code`, any case, optional trailing slash), or null. */
export function parseRoomPath(pathname: string): string | null {
  const m = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  let raw: string;
  try {
    raw = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  const code = raw.toUpperCase();
  return isValidCode(code) ? code : null;
}
