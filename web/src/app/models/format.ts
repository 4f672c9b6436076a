// Small formatting rules shared by components.
import type { Peer, SessionStatus } from '../../lib';
import type { LinkSummary } from './room';

/** Local wall-clock time as HH:MM (24-hour). */
export function formatTime(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const STATUS_TEXT: Record<SessionStatus, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  online: 'Connected',
  joining: 'Joining…',
  in_room: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/**
 * The status bar line, e.g. "Connected · 4 of 6 here · 2 direct · 1 via relay · 1 away".
 * `members` counts everyone listed, you and away members included; away members are not "here".
 * `capacity` (the room's maxMembers) is left out when unknown (0).
 */
export function describeStatus(status: SessionStatus, members: number, links: LinkSummary, capacity = 0): string {
  const here = members - links.away;
  const count = capacity > 0 ? `${here} of ${capacity} here` : `${here} ${here === 1 ? 'member' : 'members'}`;
  const parts = [STATUS_TEXT[status] ?? status, count];
  if (links.total === 0) {
    parts.push('waiting for others');
  } else {
    // Only the counts that are not zero: "2 direct" alone when every link is up.
    const pending = links.total - links.away - links.direct - links.relay;
    if (links.direct > 0) parts.push(`${links.direct} direct`);
    if (links.relay > 0) parts.push(`${links.relay} via relay`);
    if (pending > 0) parts.push(`${pending} connecting`);
    if (links.away > 0) parts.push(`${links.away} away`);
  }
  return parts.join(' · ');
}

/**
 * How messages reach another member, for the member list: its transport, or while there is none
 * yet, the state of the direct link being made ("failed"/"closed" only then; a failed link with
 * the relay carrying traffic reads "relay").
 */
export type ConnectionState = 'direct' | 'relay' | 'connecting' | 'failed' | 'closed';

export function connectionState(peer: Pick<Peer, 'transport' | 'link'>): ConnectionState {
  if (peer.transport) return peer.transport;
  return peer.link === 'failed' || peer.link === 'closed' ? peer.link : 'connecting';
}

/** How a member's connection reads in the member list (the round-trip time follows it). */
export const CONNECTION_TEXT: Record<ConnectionState, string> = {
  direct: 'direct',
  relay: 'relay (via server)',
  connecting: 'connecting',
  failed: 'failed',
  closed: 'closed',
};

/** How many can play, e.g. "1–8 players", "2+ players", "up to 6 players"; '' when unknown. */
export function describePlayers(min: number | undefined, max: number | undefined): string {
  const plural = (n: number) => (n === 1 ? 'player' : 'players');
  if (min !== undefined && max !== undefined) return min === max ? `${min} ${plural(min)}` : `${min}–${max} players`;
  if (min !== undefined) return `${min}+ players`;
  if (max !== undefined) return `up to ${max} ${plural(max)}`;
  return '';
}
