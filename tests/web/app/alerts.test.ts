// Alerts: unread messages counted while the tab is hidden, and (only when asked for) a notification
// and a sound for each; the permission is asked on first use, never before.
import { describe, expect, it, vi } from 'vitest';
import { signal } from '@preact/signals';
import { ALERTS_KEY, createAlerts, type AlertPage } from '../../../web/src/app/models/alerts';
import type { ChatLine } from '../../../web/src/app/models/room';

function chat(key: string, mine = false, text = key): ChatLine {
  return { kind: 'chat', key, id: 1, from: mine ? 'me' : 'ann', fromName: mine ? 'Me' : 'Ann', text, ts: 0, mine, broadcast: true, recipients: [], delivered: signal([]) };
}

function setup(permission: NotificationPermission | 'unsupported' = 'default', stored: Record<string, string> = {}) {
  const store = new Map(Object.entries(stored));
  const kv = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
  let visibility = () => {};
  const page = {
    isHidden: false,
    perm: permission,
    hidden() { return this.isHidden; },
    onVisibility(h: () => void) { visibility = h; return () => {}; },
    permission() { return this.perm; },
    requestPermission: vi.fn(async function (this: { perm: NotificationPermission }) { return 'granted' as NotificationPermission; }),
    notify: vi.fn(),
    chime: vi.fn(),
  };
  page.requestPermission = vi.fn(async () => {
    page.perm = 'granted';
    return 'granted' as NotificationPermission;
  });
  const lines = signal<readonly ChatLine[]>([chat('old')]);
  const alerts = createAlerts({ code: 'ABC234', lines, store: kv, page: page as AlertPage });
  alerts.attach();
  const hide = (h: boolean) => {
    page.isHidden = h;
    visibility();
  };
  return { alerts, lines, page, hide, store };
}

describe('unread while hidden', () => {
  it('counts messages from others that arrive while the tab is hidden, and resets when shown', () => {
    const { alerts, lines, hide } = setup();
    lines.value = [...lines.value, chat('a')];
    expect(alerts.unread.value).toBe(0); // visible: read as it arrives
    hide(true);
    lines.value = [...lines.value, chat('b'), chat('mine', true), { kind: 'system', key: 's', text: 'Cy joined', ts: 0 }, chat('c')];
    expect(alerts.unread.value).toBe(2); // not yours, not system lines
    hide(false);
    expect(alerts.unread.value).toBe(0);
  });
});

describe('notifications and sound', () => {
  it('are off by default: nothing is asked and nothing plays', () => {
    const { alerts, lines, page, hide } = setup();
    expect(alerts.state.value).toBe('off');
    hide(true);
    lines.value = [...lines.value, chat('x')];
    expect(page.notify).not.toHaveBeenCalled();
    expect(page.chime).not.toHaveBeenCalled();
    expect(page.requestPermission).not.toHaveBeenCalled();
  });

  it('turning them on asks once; then each message while hidden notifies and chimes; the choice is remembered', async () => {
    const { alerts, lines, page, hide, store } = setup();
    await alerts.toggle();
    expect(page.requestPermission).toHaveBeenCalledTimes(1);
    expect(alerts.state.value).toBe('on');
    expect(store.get(ALERTS_KEY)).toBe('1');
    lines.value = [...lines.value, chat('seen')];
    expect(page.notify).not.toHaveBeenCalled(); // visible
    hide(true);
    lines.value = [...lines.value, chat('k1', false, 'hello there'), chat('k2', true)];
    expect(page.notify).toHaveBeenCalledWith('Ann in ABC234', 'hello there', 'huddle-ABC234');
    expect(page.chime).toHaveBeenCalledTimes(1);
    await alerts.toggle();
    expect(alerts.state.value).toBe('off');
    expect(store.has(ALERTS_KEY)).toBe(false);
  });

  it('with notifications refused, the sound alone plays', async () => {
    const { alerts, lines, page, hide } = setup('denied');
    await alerts.toggle();
    expect(page.requestPermission).not.toHaveBeenCalled();
    expect(alerts.state.value).toBe('sound-only');
    hide(true);
    lines.value = [...lines.value, chat('z')];
    expect(page.notify).not.toHaveBeenCalled();
    expect(page.chime).toHaveBeenCalledTimes(1);
  });
});
