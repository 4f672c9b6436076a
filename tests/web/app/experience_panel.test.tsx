// The experience panel in the room view: the picker, the open experience in its iframe with the
// room lent to it, closing, others opening and closing, failures, and chat beside it.
import { describe, expect, it, vi } from 'vitest';
import { READY_TIMEOUT_MS } from '../../../web/src/app/components/ExperiencePanel';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { fakeFetch } from './fake_fetch';
import { FakeRoom } from './fake_room';
import { enterRoom } from './render_app';

const options = () => screen.getAllByTestId('experience-option');
const option = (name: string) => options().find((el) => el.dataset.name === name)!;
const frame = () => screen.queryByTestId('experience-frame') as HTMLIFrameElement | null;
const systemLines = () => screen.queryAllByTestId('system-line').map((el) => el.textContent);

/** In a room with Ann (host) and Bob. */
function inRoom(opts: Parameters<typeof enterRoom>[2] = {}) {
  return enterRoom('Me', new FakeRoom({ others: ['Ann', 'Bob'] }), opts);
}

/** In that room, the listing shown. */
async function withListing() {
  const r = await inRoom();
  await screen.findAllByTestId('experience-option');
  return r;
}

describe('the picker', () => {
  it("lists the server's experiences with their player counts", async () => {
    const { fetch } = await withListing();
    expect(fetch).toHaveBeenCalledWith('http://localhost:3000/experiences/', expect.anything());
    expect(options().map((el) => el.dataset.name)).toEqual(['draw', 'pong']);
    expect(option('draw').textContent).toContain('Draw together');
    expect(option('draw').textContent).toContain('1–8 players');
    expect(option('pong').textContent).toContain('Pong');
    expect(option('pong').textContent).toContain('2–6 players');
    expect(within(option('pong')).getByTestId('experience-open').getAttribute('aria-label')).toBe('Open Pong for everyone');
    expect(frame()).toBeNull();
  });

  it('shows a listing failure with a way to try again', async () => {
    const fetch = fakeFetch();
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await inRoom({ fetch });
    const error = await screen.findByTestId('experience-list-error');
    expect(error.textContent).toBe("Couldn't load the experiences. Check the connection and try again.");
    fireEvent.click(screen.getByTestId('experience-retry'));
    await screen.findAllByTestId('experience-option');
    expect(screen.queryByTestId('experience-list-error')).toBeNull();
  });

  it('says so when the server has none', async () => {
    await inRoom({ fetch: fakeFetch({ body: [] }) });
    await screen.findByText('This server has no experiences.');
  });
});

describe('opening one', () => {
  it('Open shows it large in an iframe, lends it the room, and tells the others', async () => {
    const { api, room } = await withListing();
    fireEvent.click(within(option('draw')).getByTestId('experience-open'));

    const iframe = frame()!;
    expect(iframe.getAttribute('src')).toBe('/experiences/draw/');
    expect(iframe.dataset.name).toBe('draw');
    expect(iframe.getAttribute('sandbox')).toBe('allow-scripts');
    expect(screen.getByRole('heading', { name: 'Draw together' })).toBeTruthy();
    expect(screen.queryByTestId('experience-picker')).toBeNull();
    expect(document.querySelector('.room')!.classList.contains('with-experience')).toBe(true);

    expect(room.sent).toEqual([{ type: 'experience_open', name: 'draw' }]);
    expect(api.loans).toHaveLength(1);
    expect(api.loans[0]).toMatchObject({ room, iframe, channel: 'experience:draw', disposed: false });
    expect(systemLines()).toEqual(['You opened Draw together']);
    // Members and chat stay there beside it.
    expect(screen.getAllByTestId('peer-item')).toHaveLength(3);
    expect(screen.getByTestId('chat-input')).toBeTruthy();
  });

  it('Close ends the loan, tells the others and brings the picker back', async () => {
    const { api, room } = await withListing();
    fireEvent.click(within(option('draw')).getByTestId('experience-open'));
    fireEvent.click(screen.getByTestId('experience-close'));
    expect(frame()).toBeNull();
    expect(api.loans[0].disposed).toBe(true);
    expect(room.sent.at(-1)).toEqual({ type: 'experience_close' });
    expect(screen.getByTestId('experience-picker')).toBeTruthy();
    expect(document.querySelector('.room')!.classList.contains('with-experience')).toBe(false);
  });
});

describe('when others open and close', () => {
  it("Ann's open shows it here; her close removes it; each leaves a line", async () => {
    const { api, room } = await withListing();
    act(() => void room.receive('ann', { type: 'experience_open', name: 'draw' }));
    expect(frame()!.dataset.name).toBe('draw');
    expect(api.loans.map((l) => l.channel)).toEqual(['experience:draw']);
    act(() => void room.receive('ann', { type: 'experience_close' }));
    expect(frame()).toBeNull();
    expect(api.loans[0].disposed).toBe(true);
    expect(systemLines()).toEqual(['Ann opened Draw together', 'Ann closed Draw together']);
    expect(screen.queryAllByTestId('chat-message')).toHaveLength(0);
  });

  it('another experience replaces the open one: a new iframe and a new loan', async () => {
    const { api, room } = await withListing();
    act(() => void room.receive('ann', { type: 'experience_open', name: 'draw' }));
    const first = frame();
    act(() => void room.receive('bob', { type: 'experience_open', name: 'pong' }));
    expect(frame()).not.toBe(first);
    expect(frame()!.getAttribute('src')).toBe('/experiences/pong/');
    expect(api.loans.map((l) => [l.channel, l.disposed])).toEqual([['experience:draw', true], ['experience:pong', false]]);
    expect(api.loans[1].iframe).toBe(frame());
  });
});

describe('alongside the rest of the room', () => {
  it('chat works while an experience is open', async () => {
    const { room } = await withListing();
    fireEvent.click(within(option('draw')).getByTestId('experience-open'));
    fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'nice drawing' } });
    fireEvent.click(screen.getByTestId('chat-send'));
    act(() => void room.receiveChat('ann', 'thanks'));
    act(() => void room.receive('ann', { type: 'experience', channel: 'experience:draw', data: { t: 'seg' } }));
    expect(room.sent.at(-1)).toEqual({ type: 'chat', text: 'nice drawing' });
    expect(screen.getAllByTestId('chat-text').map((el) => el.textContent)).toEqual(['nice drawing', 'thanks']);
  });

  it('leaving the room ends the loan', async () => {
    const { api } = await withListing();
    fireEvent.click(within(option('draw')).getByTestId('experience-open'));
    fireEvent.click(screen.getByTestId('leave-button'));
    fireEvent.click(screen.getByTestId('leave-confirm'));
    await waitFor(() => expect(screen.getByTestId('create-button')).toBeTruthy());
    expect(api.loans[0].disposed).toBe(true);
  });
});

describe('while the server is out of reach', () => {
  it('Open waits for the connection, and says so', async () => {
    const { room } = await withListing();
    act(() => room.setStatus('reconnecting'));
    expect((within(option('draw')).getByTestId('experience-open') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('experience-offline').textContent).toBe('Experiences open once the connection is back.');
    act(() => room.setStatus('in_room'));
    expect((within(option('draw')).getByTestId('experience-open') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('experience-offline')).toBeNull();
  });

  it('a page that loads but never connects shows as failed, and loads again when the connection is back', async () => {
    const { room } = await withListing();
    vi.useFakeTimers();
    try {
      act(() => room.emit('message', { from: 'ann', id: 9, data: { type: 'experience_open', name: 'draw' }, ts: 0, broadcast: true, reliable: true }));
      const first = frame()!;
      act(() => room.setStatus('reconnecting'));
      fireEvent.load(first); // the browser's error page: it loads, and p2p.js never says hello
      act(() => void vi.advanceTimersByTime(READY_TIMEOUT_MS - 1));
      expect(screen.getByTestId('experience-stage').dataset.load).toBe('loading');
      act(() => void vi.advanceTimersByTime(1));
      expect(screen.getByTestId('experience-stage').dataset.load).toBe('failed');
      expect(screen.getByTestId('experience-failed').textContent).toContain('the huddle server is out of reach');
      act(() => room.setStatus('in_room'));
      expect(frame()).not.toBe(first); // a fresh iframe, a fresh loan
      expect(screen.getByTestId('experience-stage').dataset.load).toBe('loading');
    } finally {
      vi.useRealTimers();
    }
  });
});
