// The bounds of file transfer (room.sendFile, the `file` event; docs/protocol.md "Files").
// They belong to the TypeScript library alone: the C++ core carries file chunks as ordinary
// messages and knows nothing of files, so these are not in limits.hpp.

/**
 * Largest file `sendFile` takes, in bytes (64 MiB). A recipient holds the whole file in memory
 * until it has checked its SHA-256 and handed it over as a Blob, and so does the sender while it
 * sends; the cap keeps that within what a phone can spare. Over it, `sendFile` throws
 * `file_too_large` before anything is sent; recipients refuse offers over it too.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Bytes a member receives at once, over every file still arriving from every sender (two files
 * at the cap). An offer past it is refused (the sender sees `file_cancelled`), so a room full of
 * senders cannot make a page hold more than this.
 */
export const MAX_RECEIVING_BYTES = 2 * MAX_FILE_BYTES;

/**
 * Files still arriving from one sender at once. A huddle sender streams one file at a time to
 * each recipient (the rest wait their turn), so more than a few means a confused or hostile
 * sender; further offers are refused.
 */
export const MAX_FILES_PER_SENDER = 4;

/**
 * A transfer that makes no progress this long (ms) ends with `file_stalled` on the side that
 * notices: nothing acknowledged by a recipient, nothing arriving from a sender. Longer than the
 * server's grace period (30 s), so a member that comes back in time carries on where it was.
 */
export const FILE_STALL_MS = 60_000;
