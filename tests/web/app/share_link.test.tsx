// The share link's extras: the share sheet where there is one, and the QR code dialog.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { loadQrDialog, ShareLink } from '../../../web/src/app/components/ShareLink';
import { canShareLink, shareLink, type ShareNavigator } from '../../../web/src/app/models/share';

const URL_ = 'https://huddle.example/r/ABC234';

afterEach(cleanup);

function fakeNav(result: 'ok' | 'abort' | 'deny' = 'ok', canShare?: boolean): ShareNavigator & { share: ReturnType<typeof vi.fn> } {
  const share = vi.fn(async () => {
    if (result === 'abort') throw new DOMException('closed', 'AbortError');
    if (result === 'deny') throw new DOMException('no', 'NotAllowedError');
  });
  return { share, ...(canShare === undefined ? {} : { canShare: () => canShare }) };
}

describe('share sheet', () => {
  it('offers "Share…" only where the browser has a share sheet that takes links', () => {
    expect(canShareLink(undefined, URL_)).toBe(false);
    expect(canShareLink({}, URL_)).toBe(false);
    expect(canShareLink(fakeNav(), URL_)).toBe(true);
    expect(canShareLink(fakeNav('ok', false), URL_)).toBe(false);

    render(<ShareLink url={URL_} nav={{}} />);
    expect(screen.queryByTestId('share-button')).toBeNull();
    cleanup();
    render(<ShareLink url={URL_} nav={fakeNav()} />);
    expect(screen.getByTestId('share-button').textContent).toBe('Share…');
  });

  it('hands the link to the share sheet', async () => {
    const nav = fakeNav();
    render(<ShareLink url={URL_} nav={nav} />);
    fireEvent.click(screen.getByTestId('share-button'));
    expect(nav.share).toHaveBeenCalledWith({ title: 'huddle', text: 'Join my room on huddle', url: URL_ });
    expect(await shareLink(nav, URL_)).toBe('shared');
  });

  it('says nothing when the person closes the sheet, and suggests copying when sharing fails', async () => {
    expect(await shareLink(fakeNav('abort'), URL_)).toBe('cancelled');
    expect(await shareLink(fakeNav('deny'), URL_)).toBe('failed');

    render(<ShareLink url={URL_} nav={fakeNav('abort')} />);
    fireEvent.click(screen.getByTestId('share-button'));
    await Promise.resolve();
    expect(document.querySelector('.hint')!.textContent).toBe('');
    cleanup();

    render(<ShareLink url={URL_} nav={fakeNav('deny')} />);
    fireEvent.click(screen.getByTestId('share-button'));
    await waitFor(() => expect(document.querySelector('.hint')!.textContent).toBe("Sharing didn't work here: copy the link instead."));
  });
});

describe('QR code dialog', () => {
  // The dialog is a module of its own, loaded when the share link shows (loadQrDialog).
  it('opens on demand as a labelled dialog with the code, the link and focus on Close', async () => {
    render(<ShareLink url={URL_} nav={{}} />);
    expect(screen.queryByRole('dialog')).toBeNull();
    const button = screen.getByTestId('qr-button');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);

    // The first import of the module: Vite prepares it, which takes a while on a busy machine.
    const dialog = await screen.findByRole('dialog', { name: 'Scan to join' }, { timeout: 30_000 });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const svg = screen.getByRole('img', { name: `QR code of ${URL_}` });
    // Version 3 (29 modules) plus 4 light modules on each side.
    expect(svg.getAttribute('viewBox')).toBe('0 0 37 37');
    // Black on white whatever the theme: painted by the SVG itself, not by CSS variables.
    expect(svg.querySelector('rect')!.getAttribute('fill')).toBe('#ffffff');
    expect(svg.querySelector('path')!.getAttribute('fill')).toBe('#000000');
    expect(screen.getByTestId('qr-url').textContent).toBe(URL_);
    expect(document.activeElement).toBe(screen.getByTestId('qr-close'));
  });

  it('is there at once when the share link has been showing', async () => {
    render(<ShareLink url={URL_} nav={{}} />);
    await loadQrDialog();
    await Promise.resolve();
    fireEvent.click(screen.getByTestId('qr-button'));
    expect(screen.getByRole('dialog', { name: 'Scan to join' })).toBeTruthy();
  });

  it('closes on Escape and gives focus back to the QR button', async () => {
    render(<ShareLink url={URL_} nav={{}} />);
    fireEvent.click(screen.getByTestId('qr-button'));
    fireEvent.keyDown(await screen.findByTestId('qr-close'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('qr-button'));
  });

  it('keeps Tab inside, and closes on Close or a click beside it', async () => {
    render(<ShareLink url={URL_} nav={{}} />);
    fireEvent.click(screen.getByTestId('qr-button'));
    const close = await screen.findByTestId('qr-close');
    fireEvent.keyDown(close, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(close);

    fireEvent.click(screen.getByRole('dialog')); // inside: stays open
    expect(screen.queryByRole('dialog')).not.toBeNull();
    fireEvent.click(screen.getByTestId('qr-backdrop'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('qr-button'));

    fireEvent.click(screen.getByTestId('qr-button'));
    fireEvent.click(screen.getByTestId('qr-close'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
