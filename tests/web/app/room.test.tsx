// The room view: share link, members, chat, receipts, status, errors, leaving.
import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/preact';
import { HuddleError } from '../../../web/src/lib/types';
import { FakeRoom } from './fake_room';
import { enterRoom, renderApp } from './render_app';

const items = () => screen.getAllByTestId('peer-item');
const item = (id: string) => items().find((el) => el.dataset.peerId === id)!;
const systemLines = () => screen.queryAllByTestId('system-line').map((el) => el.textContent);
const messages = () => screen.queryAllByTestId('chat-message');

function say(text: string) {
  fireEvent.input(screen.getByTestId('chat-input'), { target: { value: text } });
  fireEvent.click(screen.getByTestId('chat-send'));
}

describe('entering a room', () => {
  it('shows the code and the full share link and puts /r/CODE in the address bar', async () => {
    await enterRoom();
    expect(screen.getByTestId('room-code').textContent).toBe('ABC234');
    expect((screen.getByTestId('share-link') as HTMLInputElement).value).toBe('http://localhost:3000/r/ABC234');
    expect(window.location.pathname).toBe('/r/ABC234');
    expect(screen.queryByTestId('create-button')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('chat-input'));
  });

  it('copies the link with the Clipboard API and says "Copied"', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    try {
      await enterRoom();
      fireEvent.click(screen.getByTestId('copy-link'));
      await vi.waitFor(() => expect(screen.getByTestId('copy-link').textContent).toBe('Copied'));
      expect(writeText).toHaveBeenCalledWith('http://localhost:3000/r/ABC234');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('falls back to selecting the field and execCommand("copy") without the Clipboard API', async () => {
    const exec = vi.fn(() => true);
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    try {
      await enterRoom();
      expect('clipboard' in navigator && navigator.clipboard).toBeFalsy();
      fireEvent.click(screen.getByTestId('copy-link'));
      await vi.waitFor(() => expect(screen.getByTestId('copy-link').textContent).toBe('Copied'));
      expect(exec).toHaveBeenCalledWith('copy');
      expect(document.activeElement).toBe(screen.getByTestId('share-link'));
    } finally {
      delete (document as { execCommand?: unknown }).execCommand;
    }
  });
});

describe('member list', () => {
  it('marks you, the host and each link state', async () => {
    const { room } = await enterRoom('Me', new FakeRoom({ others: ['Ann', 'Bob', 'Cy'] }));
    act(() => room.setLink('bob', 'failed'));
    act(() => room.setLink('cy', 'connecting'));

    expect(items().map((el) => el.dataset.peerId)).toEqual(['ann', 'bob', 'cy', 'self']);
    expect(item('ann').dataset).toMatchObject({ self: 'false', host: 'true', link: 'connected' });
    expect(item('bob').dataset).toMatchObject({ self: 'false', host: 'false', link: 'failed' });
    expect(item('cy').dataset).toMatchObject({ link: 'connecting' });
    expect(item('self').dataset).toMatchObject({ self: 'true', host: 'false', link: 'self' });

    expect(within(item('ann')).getByText('host')).toBeTruthy();
    expect(within(item('self')).queryByText('host')).toBeNull();
    expect(item('self').textContent).toContain('Me (you)');
    expect(item('bob').textContent).toContain('failed');
    expect(item('cy').textContent).toContain('connecting');
    expect(item('ann').querySelector('.link-direct')).not.toBeNull();
    expect(item('bob').querySelector('.link-failed')).not.toBeNull();
  });

  it('shows what carries messages to each member, with its round-trip time', async () => {
    const { room } = await enterRoom('Me', new FakeRoom({ others: ['Ann', 'Bob', 'Cy'] }));
    act(() => room.setRtt('ann', 12.4));
    act(() => room.setTransport('bob', 'relay'));
    act(() => room.setRtt('bob', 40));
    act(() => room.setLink('bob', 'failed')); // the relay carries it: still "relay", not "failed"
    act(() => room.setTransport('cy', null));
    act(() => room.setLink('cy', 'connecting'));

    expect(item('ann').dataset).toMatchObject({ transport: 'direct', link: 'connected' });
    expect(item('ann').querySelector('.link')!.textContent).toBe('direct · 12 ms');
    expect(item('bob').dataset).toMatchObject({ transport: 'relay', link: 'failed' });
    expect(item('bob').querySelector('.link')!.textContent).toBe('relay (via server) · 40 ms');
    expect(within(item('bob')).getByTestId('peer-rtt').textContent).toBe(' · 40 ms');
    expect(item('bob').querySelector('.link-relay')).not.toBeNull();
    expect(item('cy').dataset.transport).toBe('none');
    expect(item('cy').querySelector('.link')!.textContent).toBe('connecting');
    expect(within(item('cy')).queryByTestId('peer-rtt')).toBeNull();
    expect(item('self').dataset.transport).toBe('none');
    expect(item('self').querySelector('.link')).toBeNull();

    // Back to a direct link: the relay's round-trip time no longer applies until measured again.
    act(() => room.setTransport('bob', 'direct'));
    expect(item('bob').dataset.transport).toBe('direct');
    expect(item('bob').querySelector('.link')!.textContent).toBe('direct');
    act(() => room.setRtt('bob', 8));
    expect(item('bob').querySelector('.link')!.textContent).toBe('direct · 8 ms');
  });

  it('follows a `transport` event even before the next `peers` list', async () => {
    const { room } = await enterRoom();
    act(() => room.emit('transport', 'ann', 'relay'));
    expect(item('ann').dataset.transport).toBe('relay');
    expect(item('ann').querySelector('.link')!.textContent).toBe('relay (via server)');
  });

  it('says "failed" or "closed" only while nothing carries messages to the member', async () => {
    const { room } = await enterRoom();
    act(() => room.setTransport('ann', null));
    act(() => room.setLink('ann', 'failed'));
    act(() => room.setTransport('bob', null));
    act(() => room.setLink('bob', 'closed'));
    expect(item('ann').querySelector('.link')!.textContent).toBe('failed');
    expect(item('bob').querySelector('.link')!.textContent).toBe('closed');
  });

  it('adds a joining member with a connecting link and a system line', async () => {
    const { room } = await enterRoom();
    act(() => void room.addPeer('Cara'));
    expect(item('cara').dataset.link).toBe('connecting');
    expect(systemLines()).toEqual(['Cara joined']);
    act(() => room.setLink('cara', 'connected'));
    expect(item('cara').dataset.link).toBe('connected');
  });

  it('removes a member who leaves and says why', async () => {
    const { room } = await enterRoom('Me', new FakeRoom({ others: ['Ann', 'Bob', 'Cy'] }));
    act(() => room.removePeer('bob', 'left'));
    act(() => room.removePeer('cy', 'disconnected'));
    expect(items().map((el) => el.dataset.peerId)).toEqual(['ann', 'self']);
    expect(systemLines()).toEqual(['Bob left', 'Cy lost connection']);
  });

  it('marks a member whose connection dropped as away, says so, and unmarks it when it is back', async () => {
    const { room } = await enterRoom('Me', new FakeRoom({ others: ['Ann', 'Bob'] }));
    act(() => room.setAway('ann', true));
    expect(item('ann').dataset.away).toBe('true');
    expect(item('ann').dataset.host).toBe('true'); // an away host is still host
    act(() => room.setAway('bob', true));
    act(() => room.setAway('bob', false));
    expect(item('bob').dataset.away).toBe('false');
    expect(systemLines()).toEqual([
      'Ann (host) lost connection; waiting for them to come back',
      'Bob lost connection; waiting for them to come back',
      'Bob is back',
    ]);
  });

  it('moves the host marker when the host leaves', async () => {
    const { room } = await enterRoom();
    act(() => room.removePeer('ann'));
    expect(item('bob').dataset.host).toBe('true');
    expect(items().filter((el) => el.dataset.host === 'true')).toHaveLength(1);
    expect(systemLines()).toEqual(['Ann left', 'Bob is now host']);

    act(() => room.removePeer('bob', 'timed_out'));
    expect(item('self').dataset.host).toBe('true');
    expect(systemLines()).toEqual(['Ann left', 'Bob is now host', 'Bob timed out', 'You are now host']);
  });
});

describe('relay-only rooms', () => {
  it('says so in the room view', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    room.relayOnly = true;
    await enterRoom('Me', room);
    expect(screen.getByTestId('relay-only-note').textContent).toBe('Relay-only room: messages go through the server');
  });

  it('shows no note for an ordinary room', async () => {
    await enterRoom();
    expect(screen.queryByTestId('relay-only-note')).toBeNull();
  });
});

describe('status bar', () => {
  it('sums up server status, members and how they are reached', async () => {
    const { room } = await enterRoom('Me', new FakeRoom({ others: ['Ann', 'Bob', 'Cy'] }));
    const bar = screen.getByTestId('status-bar');
    expect(bar.dataset.status).toBe('in_room');
    expect(bar.querySelector('[role=status]')!.textContent).toBe('Connected · 4 of 6 here · 3 direct');

    act(() => room.setTransport('bob', 'relay'));
    expect(bar.querySelector('[role=status]')!.textContent).toBe('Connected · 4 of 6 here · 2 direct · 1 via relay');

    act(() => room.setTransport('cy', null));
    expect(bar.querySelector('[role=status]')!.textContent).toBe('Connected · 4 of 6 here · 1 direct · 1 via relay · 1 connecting');

    act(() => room.setStatus('offline'));
    expect(bar.dataset.status).toBe('offline');
    expect(bar.querySelector('[role=status]')!.textContent).toBe('Offline · 4 of 6 here · 1 direct · 1 via relay · 1 connecting');
  });

  it('says when you are alone', async () => {
    await enterRoom('Me', new FakeRoom());
    expect(screen.getByTestId('status-bar').querySelector('[role=status]')!.textContent).toBe('Connected · 1 of 6 here · waiting for others');
  });
});

describe('chat', () => {
  it('sends with the button: room.send gets {type:"chat", text} and the message shows as yours', async () => {
    const { room } = await enterRoom('Me');
    say('  hello all ');
    expect(room.sent).toEqual([{ type: 'chat', text: 'hello all' }]);
    const [m] = messages();
    expect(m.dataset).toMatchObject({ from: 'self', mine: 'true', messageId: '1', deliveredCount: '0' });
    expect(m.textContent).toContain('hello all');
    expect(m.textContent).toContain('Me (you)');
    expect((screen.getByTestId('chat-input') as HTMLInputElement).value).toBe('');
  });

  it('sends on Enter, but not blank text', async () => {
    const { room } = await enterRoom();
    const input = screen.getByTestId('chat-input');
    fireEvent.input(input, { target: { value: '   ' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.click(screen.getByTestId('chat-send'));
    expect(room.sent).toEqual([]);
    // Send never disables itself: a disabled button would drop focus to the page.
    expect((screen.getByTestId('chat-send') as HTMLButtonElement).disabled).toBe(false);
    expect(document.activeElement).toBe(input);

    fireEvent.input(input, { target: { value: 'via enter' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(room.sent).toEqual([{ type: 'chat', text: 'via enter' }]);
    expect(messages()).toHaveLength(1);
  });

  it('shows a received chat message with the sender name and local HH:MM', async () => {
    const { room } = await enterRoom();
    const ts = new Date(2024, 0, 2, 9, 5).getTime();
    act(() => void room.receiveChat('ann', 'hi there', { id: 7, ts }));
    act(() => room.emit('message', { from: 'bob', id: 1, data: { type: 'move', x: 1 }, ts, broadcast: true, reliable: true }));

    const all = messages();
    expect(all).toHaveLength(1); // the non-chat message is not shown
    expect(all[0].dataset).toMatchObject({ from: 'ann', mine: 'false', messageId: '7' });
    expect(all[0].dataset.deliveredCount).toBeUndefined();
    expect(all[0].querySelector('.sender')!.textContent).toBe('Ann');
    expect(all[0].querySelector('time')!.textContent).toBe('09:05');
    expect(all[0].querySelector('.text')!.textContent).toBe('hi there');
    expect(screen.getByRole('log').contains(all[0])).toBe(true); // announced (aria-live)
  });

  it('counts delivery receipts per recipient from `delivered` events', async () => {
    const { room } = await enterRoom(); // Ann and Bob are the recipients
    say('ping');
    const m = () => messages()[0];
    expect(m().dataset.deliveredCount).toBe('0');
    expect(m().querySelector('summary')!.textContent).toBe('✓ delivered to 0/2');

    act(() => room.emit('delivered', 'ann', 1));
    act(() => room.emit('delivered', 'ann', 1)); // duplicates do not count twice
    act(() => room.emit('delivered', 'bob', 99)); // other message ids do not count
    expect(m().dataset.deliveredCount).toBe('1');
    expect(m().querySelector('summary')!.textContent).toBe('✓ delivered to 1/2');
    expect(m().querySelector('summary')!.getAttribute('title')).toBe('Delivered to Ann · Waiting for Bob');

    act(() => void room.addPeer('Cara'));
    act(() => room.emit('delivered', 'cara', 1)); // joined after the send: not a recipient
    expect(m().dataset.deliveredCount).toBe('1');

    act(() => room.emit('delivered', 'bob', 1));
    expect(m().dataset.deliveredCount).toBe('2');
    expect(m().querySelector('summary')!.textContent).toBe('✓ delivered to 2/2');
    expect([...m().querySelectorAll('.receipt li.got')].map((li) => li.textContent)).toEqual([
      '✓ Ann has it', '✓ Bob has it',
    ]);
  });

  it('keeps the text and shows the error when sending fails', async () => {
    const { room } = await enterRoom();
    room.sendError = new HuddleError('send_queue_full', 'queue full');
    say('too fast');
    expect(messages()).toHaveLength(0);
    expect((screen.getByTestId('chat-input') as HTMLInputElement).value).toBe('too fast');
    expect(screen.getByTestId('room-error').textContent).toContain(
      'Messages are piling up faster than they can be sent. Wait a moment.',
    );
  });
});

describe('room errors', () => {
  it('shows `error` events in a dismissable banner', async () => {
    const { room } = await enterRoom();
    expect(screen.queryByTestId('room-error')).toBeNull();
    act(() => room.emit('error', new HuddleError('rate_limited', 'slow down')));
    const banner = screen.getByTestId('room-error');
    expect(banner.textContent).toContain('Too many attempts at once. Wait a moment and try again.');
    expect(banner.closest('[role="alert"]')).not.toBeNull();
    fireEvent.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('room-error')).toBeNull();
  });
});

describe('leaving', () => {
  it('Leave calls room.leave(), unsubscribes and returns to the lobby at /', async () => {
    const { room } = await enterRoom();
    expect(room.listenerCount()).toBeGreaterThan(0);
    fireEvent.click(screen.getByTestId('leave-button'));
    fireEvent.click(screen.getByTestId('leave-confirm'));
    expect(room.leaveCalls).toBe(1);
    expect(room.listenerCount()).toBe(0);
    expect(window.location.pathname).toBe('/');
    expect(screen.getByTestId('create-button')).toBeTruthy();
    expect(screen.queryByTestId('room-code')).toBeNull();
    expect((screen.getByTestId('name-input') as HTMLInputElement).value).toBe('Me');
  });

  it('does not leave on pagehide: a reload resumes the place instead', async () => {
    const { room } = await enterRoom();
    act(() => void window.dispatchEvent(new Event('pagehide')));
    expect(room.leaveCalls).toBe(0);
    expect(screen.getByTestId('room-code')).toBeTruthy();
    expect(sessionStorage.getItem('huddle.session')).not.toBeNull();
  });

  it('returns to a fresh lobby after leaving a room joined from an invite link', async () => {
    renderApp({ url: '/r/ABC234', rememberedName: 'Me' });
    fireEvent.click(screen.getByTestId('join-button'));
    await screen.findByTestId('room-code');
    fireEvent.click(screen.getByTestId('leave-button'));
    fireEvent.click(screen.getByTestId('leave-confirm'));
    expect((screen.getByTestId('code-input') as HTMLInputElement).value).toBe('');
    expect(screen.getByTestId('join-button').textContent).toBe('Join');
  });
});

describe('the composer', () => {
  it('Shift+Enter starts a new line; Enter sends both lines', async () => {
    const { room } = await enterRoom();
    const input = screen.getByTestId('chat-input') as HTMLTextAreaElement;
    fireEvent.input(input, { target: { value: 'line one' } });
    expect(fireEvent.keyDown(input, { key: 'Enter', shiftKey: true })).toBe(true); // not prevented: the newline goes in
    expect(room.sent).toEqual([]);
    fireEvent.input(input, { target: { value: 'line one\nline two' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(room.sent).toEqual([{ type: 'chat', text: 'line one\nline two' }]);
  });

  it('keeps a paste over the limit whole, says by how much, and sends nothing', async () => {
    const { room } = await enterRoom();
    const input = screen.getByTestId('chat-input') as HTMLTextAreaElement;
    fireEvent.input(input, { target: { value: 'x'.repeat(2500) } });
    expect(input.value).toHaveLength(2500);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('chat-count').textContent).toBe('500 characters too long (at most 2,000)');
    fireEvent.click(screen.getByTestId('chat-send'));
    expect(room.sent).toEqual([]);
    expect(input.value).toHaveLength(2500);
    expect(screen.getByTestId('room-error').textContent).toContain('at most 2000 characters');
    fireEvent.input(input, { target: { value: 'x'.repeat(1900) } });
    expect(screen.getByTestId('chat-count').textContent).toBe('100 characters left');
  });

  it('a click on Send leaves focus in the box', async () => {
    await enterRoom();
    say('hello');
    expect(document.activeElement).toBe(screen.getByTestId('chat-input'));
  });

  it('lays a right-to-left message out right to left', async () => {
    const { room } = await enterRoom();
    act(() => void room.receiveChat('ann', 'שלום!'));
    expect(messages()[0].querySelector('.text')!.getAttribute('dir')).toBe('auto');
  });
});

describe('presence in the room view', () => {
  it('shows who is typing, and clears it when they speak', async () => {
    const { room } = await enterRoom();
    act(() => room.emit('message', { from: 'ann', id: 0, data: { type: 'typing', typing: true }, ts: 0, broadcast: true, reliable: false }));
    expect(screen.getByTestId('typing').textContent).toBe('Ann is typing…');
    act(() => void room.receiveChat('ann', 'done'));
    expect(screen.getByTestId('typing').textContent).toBe('');
    expect(messages()).toHaveLength(1); // the typing message is not chat
  });

  it('tells the others while you write (unreliably), and that you stopped when you send', async () => {
    const { room } = await enterRoom();
    fireEvent.input(screen.getByTestId('chat-input'), { target: { value: 'h' } });
    const typing = () => room.sentUnreliable.filter((s) => (s.data as { type: string }).type === 'typing').map((s) => (s.data as { typing: boolean }).typing);
    expect(typing()).toEqual([true]);
    fireEvent.keyDown(screen.getByTestId('chat-input'), { key: 'Enter' });
    expect(typing()).toEqual([true, false]);
  });

  it('an idle member shows idle; an away one shows away with no link, and does not count as here', async () => {
    const { room } = await enterRoom();
    act(() => room.emit('message', { from: 'ann', id: 0, data: { type: 'presence', activity: 'idle', links: [] }, ts: 0, broadcast: true, reliable: false }));
    expect(item('ann').dataset.presence).toBe('idle');
    expect(within(item('ann')).getByTestId('peer-presence').textContent).toBe('idle');
    act(() => room.setAway('bob', true));
    expect(item('bob').dataset.presence).toBe('away');
    expect(item('bob').textContent).toContain('connection lost');
    expect(item('bob').textContent).not.toContain('direct');
    expect(screen.getByTestId('status-bar').querySelector('[role=status]')!.textContent).toBe('Connected · 2 of 6 here · 1 direct · 1 away');
  });
});

describe('leaving', () => {
  it('asks first; Stay keeps you in the room with focus back on Leave', async () => {
    const { room } = await enterRoom();
    fireEvent.click(screen.getByTestId('leave-button'));
    expect(screen.getByTestId('leave-dialog').textContent).toContain('Leave room ABC234?');
    expect(screen.getByTestId('leave-dialog').textContent).toContain('The 2 others see you leave');
    expect(document.activeElement).toBe(screen.getByTestId('leave-stay'));
    fireEvent.click(screen.getByTestId('leave-stay'));
    expect(screen.queryByTestId('leave-dialog')).toBeNull();
    expect(room.leaveCalls).toBe(0);
    expect(document.activeElement).toBe(screen.getByTestId('leave-button'));
  });
});
