// The room's share link: copy it, hand it to the phone's share sheet (where there is one), or
// show it as a QR code to scan from across the table.
import { useEffect, useRef, useState } from 'preact/hooks';
import { canShareLink, shareLink, type ShareNavigator } from '../models/share';
import type { QrDialog } from './QrDialog';

let qrDialog: Promise<typeof QrDialog> | null = null;

/**
 * The QR dialog and its encoder, a module of their own: most visits never open it, so the page
 * does not download it. The share link starts loading it when it shows, so it is there by the
 * time anyone asks for it (docs/decisions.md, "The JavaScript is built for size").
 */
export function loadQrDialog(): Promise<typeof QrDialog> {
  return (qrDialog ??= import('./QrDialog').then((m) => m.QrDialog));
}

export interface ShareLinkProps {
  /** The full link, e.g. https://huddle.example/r/ABC234. */
  readonly url: string;
  /** Where the share sheet comes from; default: the browser's navigator. */
  readonly nav?: ShareNavigator;
}

type ShareState = 'idle' | 'copied' | 'manual' | 'share_failed';

const HINTS: Record<ShareState, string> = {
  idle: '',
  copied: '',
  manual: 'Press Ctrl+C (⌘C) to copy the selected link.',
  share_failed: "Sharing didn't work here: copy the link instead.",
};

/**
 * Copies `text`: the async Clipboard API where allowed (secure contexts), else the selected
 * `field` with execCommand (older browsers, plain-http LAN hosts). Resolves to whether it worked.
 */
export async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission denied or not focused: try the fallback.
  }
  if (!field) return false;
  field.focus();
  field.select();
  try {
    return typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    return false;
  }
}

export function ShareLink({ url, nav = typeof navigator === 'undefined' ? undefined : navigator }: ShareLinkProps) {
  const field = useRef<HTMLInputElement>(null);
  const qrButton = useRef<HTMLButtonElement>(null);
  const [state, setState] = useState<ShareState>('idle');
  const [qrOpen, setQrOpen] = useState(false);
  const [Qr, setQr] = useState<typeof QrDialog | null>(null);
  const canShare = canShareLink(nav, url);

  useEffect(() => {
    let shown = true;
    void loadQrDialog().then((dialog) => shown && setQr(() => dialog));
    return () => {
      shown = false;
    };
  }, []);

  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);

  const copy = async () => {
    const ok = await copyText(url, field.current);
    if (!ok) field.current?.select(); // leave it selected for Ctrl+C / long-press
    setState(ok ? 'copied' : 'manual');
  };
  const share = async () => {
    if (!nav) return;
    if ((await shareLink(nav, url)) === 'failed') setState('share_failed');
  };
  const closeQr = () => {
    setQrOpen(false);
    qrButton.current?.focus(); // back where the person was
  };

  return (
    <div class="share">
      <label for="share-link">Share link</label>
      <div class="row">
        <input
          id="share-link"
          ref={field}
          data-testid="share-link"
          value={url}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
        />
        <div class="share-actions">
          <button type="button" class="button" data-testid="copy-link" onClick={copy}>
            {state === 'copied' ? 'Copied' : 'Copy link'}
          </button>
          {canShare && (
            <button type="button" class="button" data-testid="share-button" onClick={share}>
              Share…
            </button>
          )}
          <button
            ref={qrButton}
            type="button"
            class="button"
            data-testid="qr-button"
            aria-haspopup="dialog"
            aria-expanded={qrOpen}
            onClick={() => setQrOpen(true)}
          >
            QR code
          </button>
        </div>
      </div>
      <p class="hint" aria-live="polite">
        {HINTS[state]}
      </p>
      {qrOpen && Qr && <Qr url={url} onClose={closeQr} />}
    </div>
  );
}
