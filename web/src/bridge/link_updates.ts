// Tells an experience's iframe how each member is reached (direct link or the server's relay) and
// its round-trip time, without flooding the port: the room measures every member's round trip
// every 2 s, which in a room of six is three measurements a second that no game needs one by one.
import type { Peer, Room } from '../lib/types';
import type { ParentFrame, PeerLink } from './protocol';

/** Round-trip times reach the iframe at most this often; transport changes go at once. */
export const RTT_UPDATE_INTERVAL_MS = 1000;

/** A member's link as the iframe sees it; round-trip times in whole ms (finer is noise). */
export function peerLink(peer: Peer): PeerLink {
  return { id: peer.id, transport: peer.transport ?? null, rttMs: typeof peer.rttMs === 'number' ? Math.round(peer.rttMs) : null };
}

export interface LinkUpdates {
  /** `peerId`'s transport changed: post it now (with anything else pending). */
  transport(peerId: string): void;
  /** `peerId` has a new round-trip time: post it within RTT_UPDATE_INTERVAL_MS. */
  rtt(peerId: string): void;
  /** Drops whatever is pending; nothing is posted afterwards. */
  stop(): void;
}

/** Collects link changes of `room`'s members and posts them to `post` as `links` frames. */
export function linkUpdates(room: Room, post: (frame: ParentFrame) => void): LinkUpdates {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPost = -Infinity;
  let stopped = false;

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    if (stopped || pending.size === 0) return;
    // Read now, not when measured: the latest smoothed value, and members gone meanwhile drop out.
    const links = room.peers().filter((p) => pending.has(p.id)).map(peerLink);
    pending.clear();
    lastPost = Date.now();
    if (links.length > 0) post({ t: 'links', links });
  }

  return {
    transport(peerId) {
      pending.add(peerId);
      flush();
    },
    rtt(peerId) {
      pending.add(peerId);
      if (timer !== undefined) return;
      const wait = lastPost + RTT_UPDATE_INTERVAL_MS - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}
