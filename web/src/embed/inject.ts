// Puts p2p.js into the iframe of a <p2p-frame> when the experience did not include it itself
// (docs/experiences.md, "How p2p.js gets into the iframe").

/** The p2p.js of a huddle-server origin. */
export function p2pScriptUrl(server: string): string {
  return new URL('/p2p.js', server).href;
}

// A `server` that is not a URL has no p2p.js (the join reports the bad attribute).
function scriptUrlOrNull(server: string): string | null {
  try {
    return p2pScriptUrl(server);
  } catch {
    return null;
  }
}

// Any p2p.js tag we put at the start of a srcdoc, whichever server it named: injected once only.
const INJECTED = /^<script src="[^"<>]*\/p2p\.js"><\/script>/;

/**
 * Starts a srcdoc with the p2p.js tag, so P2P exists before the document's own scripts run (a
 * sandbox="allow-scripts" iframe included). True when the srcdoc changed (the iframe reloads).
 */
export function injectIntoSrcdoc(iframe: HTMLIFrameElement, server: string): boolean {
  if (!iframe.hasAttribute('srcdoc')) return false;
  const srcdoc = iframe.getAttribute('srcdoc') ?? '';
  const src = scriptUrlOrNull(server);
  if (!src || INJECTED.test(srcdoc)) return false;
  iframe.setAttribute('srcdoc', `<script src="${src}"></script>${srcdoc}`);
  // Changing srcdoc while the first srcdoc is still being navigated to is not reliably a new
  // navigation in Chromium (seen in e2e: the frame kept the document without p2p.js). Taking the
  // iframe out and putting it back always loads its srcdoc afresh, and it stays the same element.
  const parent = iframe.parentNode;
  if (parent) {
    const next = iframe.nextSibling;
    parent.removeChild(iframe);
    parent.insertBefore(iframe, next);
  }
  return true;
}

/**
 * Adds p2p.js to a loaded same-origin document that has no P2P yet. Cross-origin and sandboxed
 * documents are out of reach (they include p2p.js themselves); that is not an error.
 */
export function injectIntoDocument(iframe: HTMLIFrameElement, server: string): boolean {
  try {
    const doc = iframe.contentDocument;
    const win = iframe.contentWindow as (Window & { P2P?: unknown }) | null;
    // about:blank is the placeholder before the real document arrives.
    if (!doc || !win || win.P2P || doc.URL === 'about:blank' || !doc.documentElement) return false;
    const src = scriptUrlOrNull(server);
    if (!src || [...doc.scripts].some((s) => s.src === src)) return false; // still loading
    const script = doc.createElement('script');
    script.src = src;
    (doc.head ?? doc.documentElement).appendChild(script);
    return true;
  } catch {
    return false; // cross-origin: reading contentDocument may throw in some browsers
  }
}
