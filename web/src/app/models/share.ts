// The phone's share sheet (Web Share API) for a room's link, where the browser has one: most
// phones and some desktops; not Firefox on desktop, nor Chromium on Linux.

/** The part of `navigator` used here; tests pass a fake. */
export interface ShareNavigator {
  share?: (data: ShareData) => Promise<void>;
  canShare?: (data: ShareData) => boolean;
}

/** What became of a share: sent somewhere, closed by the person, or refused by the browser. */
export type ShareOutcome = 'shared' | 'cancelled' | 'failed';

/** What the share sheet is handed: the link, with a line for apps that show text too. */
export function shareData(url: string): ShareData {
  return { title: 'huddle', text: 'Join my room on huddle', url };
}

/** True when a "Share…" button would do something for `url`. */
export function canShareLink(nav: ShareNavigator | undefined, url: string): boolean {
  if (!nav || typeof nav.share !== 'function') return false;
  // canShare is missing in older browsers that still share links fine.
  return typeof nav.canShare !== 'function' || nav.canShare(shareData(url));
}

/** Opens the share sheet. Never throws: closing the sheet is 'cancelled', any other error 'failed'. */
export async function shareLink(nav: ShareNavigator, url: string): Promise<ShareOutcome> {
  if (typeof nav.share !== 'function') return 'failed';
  try {
    await nav.share(shareData(url));
    return 'shared';
  } catch (err) {
    // A DOMException (not an Error in every engine): the sheet was closed without sharing.
    const name = typeof err === 'object' && err !== null && 'name' in err ? err.name : '';
    return name === 'AbortError' ? 'cancelled' : 'failed';
  }
}
