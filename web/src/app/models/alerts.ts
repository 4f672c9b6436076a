// While the tab is in the background: how many messages came in (the tab title shows "(3) huddle ·
// ABC234"), and, if the person asked for it, a notification and a short sound for each. Off by
// default; the browser's permission is asked the first time it is turned on, never before.
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { KeyValueStore } from '../../lib/storage';
import type { FileLine } from './file_share';
import type { ChatLine, ChatMessage } from './room';

/** localStorage key: "1" when the person turned alerts on. */
export const ALERTS_KEY = 'huddle.alerts';

/** The browser's side: visibility, notifications, a sound. Tests pass a fake. */
export interface AlertPage {
  hidden(): boolean;
  /** Calls `handler` when the tab is shown or hidden; returns the cleanup. */
  onVisibility(handler: () => void): () => void;
  /** 'unsupported' where the browser has no Notification API. */
  permission(): NotificationPermission | 'unsupported';
  requestPermission(): Promise<NotificationPermission>;
  notify(title: string, body: string, tag: string): void;
  chime(): void;
}

export type AlertState = 'off' | 'on' | 'sound-only';

export interface Alerts {
  /** Chat messages from others that arrived while the tab was hidden (0 while it is shown). */
  readonly unread: ReadonlySignal<number>;
  /** off; on (notification and sound); sound-only (notifications refused or unsupported). */
  readonly state: ReadonlySignal<AlertState>;
  /** Turns alerts on (asking for permission if the browser has not been asked) or off. */
  toggle(): Promise<void>;
  attach(): () => void;
}

export interface AlertsDeps {
  readonly code: string;
  readonly lines: ReadonlySignal<readonly ChatLine[]>;
  readonly store: KeyValueStore;
  readonly page?: AlertPage;
}

export const browserAlertPage: AlertPage = {
  hidden: () => document.visibilityState === 'hidden',
  onVisibility(handler) {
    document.addEventListener('visibilitychange', handler);
    return () => document.removeEventListener('visibilitychange', handler);
  },
  permission: () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission),
  requestPermission: () => Notification.requestPermission(),
  notify(title, body, tag) {
    try {
      new Notification(title, { body, tag });
    } catch {
      // Some browsers (Android Chrome) only allow notifications from a service worker: the sound stays.
    }
  },
  chime() {
    try {
      const ctx = new AudioContext();
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
      osc.onended = () => void ctx.close();
    } catch {
      // No audio (autoplay policy, no device): the title still counts.
    }
  },
};

const isNewFromOthers = (line: ChatLine): line is ChatMessage | FileLine => (line.kind === 'chat' || line.kind === 'file') && !line.mine;

export function createAlerts(deps: AlertsDeps): Alerts {
  const page = deps.page ?? browserAlertPage;
  const hidden = signal(page.hidden());
  const wanted = signal(deps.store.getItem(ALERTS_KEY) === '1');
  const permission = signal(page.permission());
  // The lines already seen when the tab was hidden: everything after them is unread.
  let seen: ReadonlySet<string> = new Set(deps.lines.peek().map((l) => l.key));

  const unread = computed(() => (hidden.value ? deps.lines.value.filter((l) => isNewFromOthers(l) && !seen.has(l.key)).length : 0));
  const state = computed<AlertState>(() => {
    if (!wanted.value) return 'off';
    return permission.value === 'granted' ? 'on' : 'sound-only';
  });

  return {
    unread,
    state,
    async toggle() {
      if (wanted.peek()) {
        wanted.value = false;
        deps.store.removeItem(ALERTS_KEY);
        return;
      }
      if (page.permission() === 'default') {
        try {
          await page.requestPermission();
        } catch {
          // Refused to ask (no user gesture): sound only.
        }
      }
      permission.value = page.permission();
      wanted.value = true;
      deps.store.setItem(ALERTS_KEY, '1');
    },
    attach() {
      const stopVisibility = page.onVisibility(() => {
        const now = page.hidden();
        if (now && !hidden.peek()) seen = new Set(deps.lines.peek().map((l) => l.key));
        hidden.value = now;
      });
      // Alert once per message that arrives while hidden.
      let known = new Set(deps.lines.peek().map((l) => l.key));
      const stopLines = effect(() => {
        const lines = deps.lines.value;
        const fresh = lines.filter((l) => !known.has(l.key));
        known = new Set(lines.map((l) => l.key));
        if (!hidden.peek() || state.peek() === 'off') return;
        for (const line of fresh) {
          if (!isNewFromOthers(line)) continue;
          const body = line.kind === 'file' ? `sent a file: ${line.name}` : line.text;
          if (state.peek() === 'on') page.notify(`${line.fromName} in ${deps.code}`, body.slice(0, 200), `huddle-${deps.code}`);
          page.chime();
        }
      });
      return () => {
        stopVisibility();
        stopLines();
      };
    },
  };
}
