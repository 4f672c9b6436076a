// One line about the connection: server status, member count, direct links.
import type { SessionStatus } from '../../lib';
import { describeStatus } from '../models/format';
import type { LinkSummary } from '../models/room';

export interface StatusBarProps {
  readonly status: SessionStatus;
  readonly members: number;
  readonly links: LinkSummary;
  /** The room's maxMembers, for "3 of 6 here"; 0 when unknown. */
  readonly capacity?: number;
}

export function StatusBar({ status, members, links, capacity = 0 }: StatusBarProps) {
  return (
    <footer class={`status-bar status-${status}`} data-testid="status-bar" data-status={status}>
      <span class="dot" aria-hidden="true" />
      <span role="status">{describeStatus(status, members, links, capacity)}</span>
    </footer>
  );
}
