// What peer ids and resume tokens look like (docs/protocol.md, "Identity"), for checking one that
// comes from somewhere the server did not just hand it over: storage, or an experience's iframe.
// The bounds are the core's (limits.hpp, through the generated core.ts).
import { MAX_PEER_ID_CHARS } from '../generated/core';

/** Peer ids the server hands out or accepts: 1 to MAX_PEER_ID_CHARS of [A-Za-z0-9_-]. */
export const PEER_ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_PEER_ID_CHARS}}$`);

/**
 * Resume tokens: the server hands out 22 characters of the peer-id alphabet (and accepts 16–64);
 * this only keeps garbage out of a join, so it is looser on length (the server has the last word).
 */
export const RESUME_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
