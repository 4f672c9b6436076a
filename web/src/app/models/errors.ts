// Plain-language text for the library's stable error codes (web/src/lib/types.ts ErrorCode).
// Types from the library, values only from lib/limits (generated constants): the app's models
// never load the library (and its Wasm glue) themselves; only main.tsx does. That keeps them
// testable with a fake HuddleApi and no Wasm build.
import type { ErrorCode, HuddleError } from '../../lib';
import { MAX_FILE_BYTES, MAX_NAME_CHARS, MAX_PEER_ID_CHARS, MAX_ROOM_SIZE, MIN_ROOM_SIZE } from '../../lib/limits';

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  room_not_found: 'Room not found. Check the code.',
  room_full: 'That room is full.',
  server_unreachable: "Can't reach the huddle server.",
  invalid_name: `That name can't be used. Pick 1–${MAX_NAME_CHARS} characters.`,
  name_taken: 'Someone in that room already uses that name.',
  invalid_code: "That isn't a valid room code. Codes are 6 letters and digits.",
  invalid_room_size: `Room size must be between ${MIN_ROOM_SIZE} and ${MAX_ROOM_SIZE}.`,
  server_full: 'The huddle server is full right now. Try again in a little while.',
  rate_limited: 'Too many attempts at once. Wait a moment and try again.',
  unsupported_version: 'This page is out of date. Reload it to continue.',
  send_queue_full: 'Messages are piling up faster than they can be sent. Wait a moment.',
  peer_not_in_room: 'That person is no longer in the room.',
  data_invalid: "That message couldn't be sent.",
  frame_too_large: 'That message is too large to send.',
  session_replaced: 'This room was opened again in another tab or window, so this one stopped.',
  peer_id_taken: 'Someone with the same id is already in that room.',
  invalid_peer_id: `That peer id can't be used. Use 1–${MAX_PEER_ID_CHARS} letters, digits, _ or -.`,
  file_too_large: `That file is too large: files can be at most ${Math.round(MAX_FILE_BYTES / (1024 * 1024))} MB.`,
  file_cancelled: 'The file transfer was cancelled.',
  file_corrupt: 'The file arrived damaged and was discarded. Ask for it again.',
  file_stalled: 'The file transfer stopped making progress.',
  invalid_token: "This page's pass to the room isn't valid. Reload it, or ask the site for a new link.",
  token_expired: "This page's pass to the room has expired. Reload the page to get a new one.",
  token_required: 'This room can only be joined from the site that runs it.',
  service_unavailable: "The huddle server can't reach its other servers right now. Try again in a moment.",
  room_expired: 'This room was closed because nobody had used it for a long while. Start a new one from the lobby.',
  wrong_password: "That password isn't right. Check it and try again.",
};

/** True for the library's errors (checked by shape, so a second copy of the class still counts). */
export function isHuddleError(err: unknown): err is HuddleError {
  return err instanceof Error && err.name === 'HuddleError' && typeof (err as { code?: unknown }).code === 'string';
}

/** The error code of anything thrown or emitted; non-huddle errors count as `internal`. */
export function errorCode(err: unknown): ErrorCode {
  return isHuddleError(err) ? err.code : 'internal';
}

/** What to tell the person about `err`. */
export function friendlyError(err: unknown): string {
  const code = errorCode(err);
  const known = MESSAGES[code];
  if (known) return known;
  const detail = err instanceof Error && err.message ? ` (${err.message})` : '';
  return `Something went wrong${detail}. Try again.`;
}
