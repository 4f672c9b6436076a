// Small formatting rules shared by components.
import type { LinkState, SessionStatus } from '../../lib';
import type { LinkSummary } from './session';

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

/** The status bar line, e.g. "Connected · 3 members · 2/2 direct links". */
export function describeStatus(status: SessionStatus, members: number, links: LinkSummary): string {
  const parts = [STATUS_TEXT[status] ?? status, `${members} ${members === 1 ? 'member' : 'members'}`];
  parts.push(links.total === 0 ? 'waiting for others' : `${links.connected}/${links.total} direct links`);
  return parts.join(' · ');
}

/** How a member's link reads in the member list. */
export const LINK_TEXT: Record<LinkState, string> = {
  connecting: 'connecting',
  connected: 'connected',
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
