// One line about the connection: server status, member count, direct links.
import type { SessionStatus } from '../../lib';
import { describeStatus } from '../models/format';
import type { AlertState } from '../models/alerts';
import { BellIcon } from './icons';
import type { LinkSummary } from '../models/room';

export interface StatusBarProps {
  readonly status: SessionStatus;
  readonly members: number;
  readonly links: LinkSummary;
  /** The room's maxMembers, for "3 of 6 here"; 0 when unknown. */
  readonly capacity?: number;
  /** Notifications and sound for messages while the tab is in the background. */
  readonly alerts?: AlertState;
  readonly onToggleAlerts?: () => void;
}

const ALERT_TEXT: Record<AlertState, string> = {
  off: 'Alerts off',
  on: 'Alerts on',
  'sound-only': 'Sound on (notifications blocked)',
};

export function StatusBar({ status, members, links, capacity = 0, alerts, onToggleAlerts }: StatusBarProps) {
  return (
    <footer class={`status-bar status-${status}`} data-testid="status-bar" data-status={status}>
      <span class="dot" aria-hidden="true" />
      <span role="status">{describeStatus(status, members, links, capacity)}</span>
      {alerts && onToggleAlerts && (
        <button
          type="button"
          class="alerts"
          data-testid="alerts-toggle"
          aria-pressed={alerts !== 'off'}
          title="A notification and a sound for each message while this tab is in the background"
          onClick={onToggleAlerts}
        >
          <BellIcon off={alerts === 'off'} />
          {ALERT_TEXT[alerts]}
        </button>
      )}
    </footer>
  );
}
