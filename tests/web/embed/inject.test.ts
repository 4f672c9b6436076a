// How <p2p-frame> puts p2p.js into its iframe.
import { describe, expect, it } from 'vitest';
import { injectIntoDocument, p2pScriptUrl } from '../../../web/src/embed/inject';
import { settle } from '../bridge/bridge_fakes';
import { mount, SERVER, useFrameEnv } from './frame_env';

useFrameEnv();

const TAG = `<script src="${SERVER}/p2p.js"></script>`;

describe('srcdoc iframes', () => {
  it('start with the p2p.js tag of the server, so P2P exists before the page\'s own scripts', async () => {
    const { iframe } = await mount({ 'session-id': 's' }, { srcdoc: '<script>P2P.send(1)</script>', sandbox: 'allow-scripts' });
    expect(iframe.getAttribute('srcdoc')).toBe(`${TAG}<script>P2P.send(1)</script>`);
  });

  it('get the tag once, and again when the page sets a new srcdoc', async () => {
    const { iframe } = await mount({ 'session-id': 's' }, { srcdoc: '<p>one</p>' });
    await settle();
    expect(iframe.getAttribute('srcdoc')).toBe(`${TAG}<p>one</p>`);
    iframe.setAttribute('srcdoc', '<p>two</p>');
    await settle();
    expect(iframe.getAttribute('srcdoc')).toBe(`${TAG}<p>two</p>`);
  });

  it('are put back in place (the same element) so the new srcdoc is certainly loaded', async () => {
    const { el: element, iframe } = await mount({ 'session-id': 's' }, { srcdoc: '<p>one</p>' });
    const removals: Node[] = [];
    new MutationObserver((records) => records.forEach((r) => removals.push(...r.removedNodes))).observe(element, { childList: true });
    iframe.setAttribute('srcdoc', '<p>two</p>');
    await settle();
    expect(removals).toContain(iframe);  // taken out and put back: a fresh browsing context
    expect(element.querySelector('iframe')).toBe(iframe);
    expect(iframe.isConnected).toBe(true);
  });

  it('take p2p.js from the server attribute when there is one', async () => {
    const { iframe } = await mount({ 'session-id': 's', server: 'https://rooms.example.org' }, { srcdoc: '<p>x</p>' });
    expect(iframe.getAttribute('srcdoc')).toBe('<script src="https://rooms.example.org/p2p.js"></script><p>x</p>');
  });

  it('leave src iframes alone', async () => {
    const { iframe } = await mount({ 'session-id': 's' }, { src: 'about:blank#x' });
    expect(iframe.hasAttribute('srcdoc')).toBe(false);
  });
});

describe('same-origin documents', () => {
  // A stand-in iframe over a real (jsdom) document at a real URL.
  function iframeOver(url: string, win: object = {}) {
    const doc = document.implementation.createHTMLDocument('experience');
    Object.defineProperty(doc, 'URL', { value: url });
    return { doc, iframe: { contentDocument: doc, contentWindow: win } as unknown as HTMLIFrameElement };
  }

  it('get a p2p.js script when they have no P2P yet, only once', () => {
    const { doc, iframe } = iframeOver('http://page.test/experience/');
    expect(injectIntoDocument(iframe, SERVER)).toBe(true);
    expect([...doc.head.querySelectorAll('script')].map((s) => s.getAttribute('src'))).toEqual([p2pScriptUrl(SERVER)]);
    expect(injectIntoDocument(iframe, SERVER)).toBe(false);
    expect(doc.scripts).toHaveLength(1);
  });

  it('are left alone when P2P is already there, or while still about:blank', () => {
    const withP2P = iframeOver('http://page.test/x', { P2P: {} });
    expect(injectIntoDocument(withP2P.iframe, SERVER)).toBe(false);
    const blank = iframeOver('about:blank');
    expect(injectIntoDocument(blank.iframe, SERVER)).toBe(false);
    expect(withP2P.doc.scripts).toHaveLength(0);
    expect(blank.doc.scripts).toHaveLength(0);
  });

  it('cross-origin documents are out of reach, which is not an error', () => {
    const crossOrigin = { get contentDocument(): Document { throw new DOMException('blocked', 'SecurityError'); }, contentWindow: {} };
    expect(injectIntoDocument(crossOrigin as unknown as HTMLIFrameElement, SERVER)).toBe(false);
    expect(injectIntoDocument({ contentDocument: null, contentWindow: {} } as unknown as HTMLIFrameElement, SERVER)).toBe(false);
  });
});
