// What peer ids and resume tokens look like (docs/protocol.md, "Identity"), for checking one that
// comes from somewhere the server did not just hand it over: storage, or an experience's iframe.

/** Peer ids the server hands out or accepts (limits::kMaxPeerIdChars, [A-Za-z0-9_-]). */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Resume tokens: 22 characters of the peer-id alphabet (the server accepts 16–64); a little slack costs nothing. */
export const RESUME_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
