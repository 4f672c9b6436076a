// The bounds and words of the C++ core that pages need too (a lobby offers room sizes, checks a
// code or a name as it is typed). Written from cpp/core/include/huddle/limits.hpp into the
// generated core.ts by huddle-codegen: never retyped here.
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_ROOM_SIZE,
  MAX_APP_DATA_BYTES,
  MAX_GAME_INPUT_BYTES,
  MAX_GAME_STATE_BYTES,
  MAX_INCOMING_REQUESTS,
  MAX_PENDING_REQUESTS,
  MAX_REQUEST_ERROR_BYTES,
  MAX_REQUEST_TIMEOUT_MS,
  MAX_NAME_CHARS,
  MAX_PEER_ID_CHARS,
  MAX_ROOM_NAME_CHARS,
  MAX_ROOM_PASSWORD_BYTES,
  MAX_ROOM_SIZE,
  MAX_STATE_BYTES,
  MAX_STATE_KEY_BYTES,
  MAX_STATE_KEYS,
  MAX_STATE_PENDING_WRITES,
  MAX_STATE_VALUE_BYTES,
  MIN_ROOM_SIZE,
  READY_QUEUED_BYTES,
  READY_QUEUED_MESSAGES,
  ROOM_CODE_ALPHABET,
  ROOM_CODE_LENGTH,
} from '../generated/core';
// Game sync's loop rate: the library's timer, not the core's.
export { DEFAULT_GAME_TICK_HZ, MAX_GAME_TICK_HZ } from './game';
// File transfer's own bounds (the core knows nothing of files).
export { FILE_STALL_MS, MAX_FILE_BYTES, MAX_FILES_PER_SENDER, MAX_RECEIVING_BYTES } from './file_limits';
