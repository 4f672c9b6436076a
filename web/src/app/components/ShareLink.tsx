// The room's share link with a copy button.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface ShareLinkProps {
  /** The full link, e.g. https://huddle.example/r/ABC234. */
  readonly url: string;
}

type CopyState = 'idle' | 'copied' | 'manual';

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

export function ShareLink({ url }: ShareLinkProps) {
  const field = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<CopyState>('idle');

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
        <button type="button" class="button" data-testid="copy-link" onClick={copy}>
          {state === 'copied' ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {state === 'manual' ? 'Press Ctrl+C (⌘C) to copy the selected link.' : ''}
      </p>
    </div>
  );
}
