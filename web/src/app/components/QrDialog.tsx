// The share link as a QR code, in a small modal dialog: focus moves in when it opens, Tab stays
// inside, Escape or a click beside it closes it, and the caller puts focus back where it was.
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { JSX } from 'preact';
import { encodeQr, qrSvgPath } from '../models/qr';

export interface QrDialogProps {
  readonly url: string;
  readonly onClose: () => void;
}

// Light modules round the symbol, as the standard asks, so a scanner finds its edges.
const QUIET_ZONE = 4;
const TITLE_ID = 'qr-title';

export function QrDialog({ url, onClose }: QrDialogProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  // M: survives a smudge or a glare spot; a share link still fits a small version (~29 modules).
  const code = useMemo(() => encodeQr(url, 'M'), [url]);

  useLayoutEffect(() => {
    closeRef.current?.focus();
  }, []);

  const onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !dialog.current) return;
    // Keep Tab inside: from the last control back to the first, and the other way round.
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>('button, a[href], input, [tabindex="0"]')];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const side = code ? code.size + 2 * QUIET_ZONE : 0;
  return (
    <div class="qr-backdrop" data-testid="qr-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialog}
        class="qr-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={TITLE_ID}
        data-testid="qr-dialog"
        onKeyDown={onKeyDown}
      >
        <h2 id={TITLE_ID}>Scan to join</h2>
        {code ? (
          // Fixed black on white in both themes: phone scanners expect dark modules on light.
          <svg
            class="qr-code"
            data-testid="qr-code"
            viewBox={`0 0 ${side} ${side}`}
            role="img"
            aria-label={`QR code of ${url}`}
            shape-rendering="crispEdges"
          >
            <rect width={side} height={side} fill="#ffffff" />
            <path d={qrSvgPath(code, QUIET_ZONE)} fill="#000000" />
          </svg>
        ) : (
          <p class="hint">This link is too long for a QR code: copy it instead.</p>
        )}
        <p class="qr-url" data-testid="qr-url">{url}</p>
        <button ref={closeRef} type="button" class="button" data-testid="qr-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
