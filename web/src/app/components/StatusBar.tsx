// One line about the connection: server status, member count, direct links.
import type { SessionStatus } from '../../lib';
import { describeStatus } from '../models/format';
import type { LinkSummary } from '../models/room';

export interface StatusBarProps {
  readonly status: SessionStatus;
  readonly members: number;
  readonly links: LinkSummary;
}

export function StatusBar({ status, members, links }: StatusBarProps) {
  return (
    <footer class={`status-bar status-${status}`} data-testid="status-bar" data-status={status}>
      <span class="dot" aria-hidden="true" />
      <span role="status">{describeStatus(status, members, links)}</span>
    </footer>
  );
}
