// <p2p-frame>: its attributes, lifecycle, events and bar, with a fake client library.
import { describe, expect, it, vi } from 'vitest';
import { P2PFrame } from '../../../web/src/embed/p2p_frame';
import { HuddleError, type SessionStatus } from '../../../web/src/lib/types';
import { FakeRoom } from '../app/fake_room';
import { settle } from './bridge_fakes';
import { barPart, env, mount, SERVER, useFrameEnv } from './frame_env';

useFrameEnv();

const joinOptions = (call = 0) => env.fake.joinRoom.mock.calls[call][0] as unknown as Record<string, unknown>;
const detailsOf = (events: CustomEvent[], type: string) => events.filter((e) => e.type === type).map((e) => e.detail);

describe('joining', () => {
  it('joins session-id (created on first join) as a Guest-XXXX through the server huddle.js came from', async () => {
    const { el } = await mount({ 'session-id': 'session_123' });
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(1);
    expect(joinOptions()).toEqual({ code: 'session_123', name: expect.stringMatching(/^Guest-[A-Z2-9]{4}$/), create: true, server: SERVER });
    expect(el.status).toBe('connected');
    expect(el.room).toBe(env.fake.room);
  });

  it('passes peer-id, name, server and max-members on', async () => {
    await mount({ 'session-id': 'K7QXPA', 'peer-id': 'peer_456', name: 'Ann', server: 'http://other.test:9000/some/path', 'max-members': '4' });
    expect(joinOptions()).toEqual({
      code: 'K7QXPA', name: 'Ann', create: true, server: 'http://other.test:9000', peerId: 'peer_456', maxMembers: 4,
    });
  });

  it('uses the page origin when it does not know where huddle.js came from', async () => {
    P2PFrame.defaultServer = undefined;
    await mount({ 'session-id': 's' });
    expect(joinOptions().server).toBe(window.location.origin);
  });

  it('without session-id joins nothing and shows why, in the bar and as p2p-error', async () => {
    const { el, events } = await mount({});
    expect(env.fake.joinRoom).not.toHaveBeenCalled();
    expect(detailsOf(events, 'p2p-error')).toEqual([{ code: 'invalid_code', message: expect.stringContaining('session-id') }]);
    expect(barPart(el, 'error').textContent).toContain('session-id is required');
    expect(barPart(el, 'error').hidden).toBe(false);
    expect(el.status).toBe('offline');
  });

  it('refuses a server that is not an http(s) origin, leaving a srcdoc as it was', async () => {
    const { events, iframe } = await mount({ 'session-id': 's', server: 'not a url' }, { srcdoc: '<p>x</p>' });
    expect(env.fake.joinRoom).not.toHaveBeenCalled();
    expect(detailsOf(events, 'p2p-error')[0]).toEqual({ code: 'server_unreachable', message: expect.stringContaining('not a url') });
    expect(iframe.getAttribute('srcdoc')).toBe('<p>x</p>');
  });

  it('refuses a max-members that is not a whole number', async () => {
    const { events } = await mount({ 'session-id': 's', 'max-members': 'four' });
    expect(env.fake.joinRoom).not.toHaveBeenCalled();
    expect(detailsOf(events, 'p2p-error')[0].code).toBe('invalid_room_size');
  });

  it('shows a failed join in the bar and fires p2p-error with its code', async () => {
    env.fake.failWith = 'room_full';
    const { el, events } = await mount({ 'session-id': 's', name: 'Ann' });
    expect(detailsOf(events, 'p2p-error')).toEqual([{ code: 'room_full', message: 'fake room_full' }]);
    expect(barPart(el, 'error').textContent).toBe('fake room_full');
    expect(detailsOf(events, 'p2p-status')).toEqual([{ status: 'connecting' }, { status: 'offline' }]);
  });

  it('tries a fresh guest name when the generated one is taken, but never renames a given name', async () => {
    env.fake.joinRoom.mockImplementationOnce(() => Promise.reject(new HuddleError('name_taken', 'taken')));
    const guest = await mount({ 'session-id': 's' });
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(2);
    expect(joinOptions(1).name).not.toBe(joinOptions(0).name);
    expect(guest.el.status).toBe('connected');

    env.fake.joinRoom.mockImplementationOnce(() => Promise.reject(new HuddleError('name_taken', 'taken')));
    const named = await mount({ 'session-id': 's', name: 'Ann' });
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(3);
    expect(detailsOf(named.events, 'p2p-error')[0].code).toBe('name_taken');
  });

  it('leaves when removed from the document', async () => {
    const { el } = await mount({ 'session-id': 's' });
    el.remove();
    expect(env.fake.room.leaveCalls).toBe(1);
    expect(el.room).toBeNull();
  });

  it('leaves a room whose join answers after the element was removed', async () => {
    env.fake.hold = true;
    const { el } = await mount({ 'session-id': 's' });
    el.remove();
    env.fake.settle();
    await settle();
    expect(env.fake.room.leaveCalls).toBe(1);
    expect(el.room).toBeNull();
  });

  it.each(['session-id', 'peer-id', 'server'])('leaves and joins again when %s changes', async (attr) => {
    const { el } = await mount({ 'session-id': 's', 'peer-id': 'p1', server: 'http://a.test' });
    const first = env.fake.room;
    env.fake.room = new FakeRoom({ code: 'NEXT22' });
    el.setAttribute(attr, attr === 'server' ? 'http://b.test' : 'changed');
    await settle();
    expect(first.leaveCalls).toBe(1);
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(2);
    expect(el.room).toBe(env.fake.room);
  });

  it('does not rejoin for a new name or max-members, and makes one join of several changes', async () => {
    const { el } = await mount({ 'session-id': 's' });
    el.setAttribute('name', 'Ann');
    el.setAttribute('max-members', '3');
    await settle();
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(1);
    el.setAttribute('session-id', 'other');
    el.setAttribute('peer-id', 'me');
    await settle();
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(2);
    expect(joinOptions(1)).toMatchObject({ code: 'other', peerId: 'me', name: 'Ann', maxMembers: 3 });
  });
});

describe('status and peers events', () => {
  it('fires p2p-status connecting, connected, reconnecting, and p2p-peers on every change (bubbling)', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const bubbled = vi.fn();
    document.body.addEventListener('p2p-status', bubbled);
    const { events } = await mount({ 'session-id': 's', name: 'Zoe' });
    env.fake.room.setStatus('reconnecting' as SessionStatus);
    env.fake.room.setStatus('in_room');
    env.fake.room.addPeer('Ben');
    expect(detailsOf(events, 'p2p-status').map((d) => d.status)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(detailsOf(events, 'p2p-peers').map((d) => d.peers.map((p: { name: string }) => p.name))).toEqual([
      ['Ann', 'Zoe'],
      ['Ann', 'Zoe', 'Ben'],
    ]);
    expect(bubbled).toHaveBeenCalled();
    document.body.removeEventListener('p2p-status', bubbled);
  });
});

describe('the bar', () => {
  it('shows the connection state, member count and members with the host marked', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const { el } = await mount({ 'session-id': 's', name: 'Zoe' });
    expect(barPart(el, 'state-text').textContent).toBe('connected');
    expect(barPart(el, 'count').textContent).toBe('2 members');
    const items = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="member"]')];
    expect(items.map((li) => [li.textContent, li.dataset.host, li.getAttribute('part')])).toEqual([
      ['Ann', 'true', 'member host'],
      ['Zoe (you)', 'false', 'member'],
    ]);
    env.fake.room.setStatus('reconnecting' as SessionStatus);
    expect(barPart(el, 'state-text').textContent).toBe('reconnecting');
    env.fake.room.removePeer('ann');
    expect(barPart(el, 'count').textContent).toBe('1 member');
    expect(barPart(el, 'member').dataset.host).toBe('true');
  });

  it('shows offline once removed, and connecting while the join is in flight', async () => {
    env.fake.hold = true;
    const { el } = await mount({ 'session-id': 's' });
    expect(barPart(el, 'state-text').textContent).toBe('connecting');
    expect((barPart(el, 'copy-link') as HTMLButtonElement).disabled).toBe(true);
    el.remove();
    expect(barPart(el, 'state-text').textContent).toBe('offline');
  });

  it('is hidden with no-bar, and shown again without it', async () => {
    const { el } = await mount({ 'session-id': 's', 'no-bar': '' });
    expect(barPart(el, 'bar').hidden).toBe(true);
    el.removeAttribute('no-bar');
    expect(barPart(el, 'bar').hidden).toBe(false);
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(1);
  });

  it('copies the room share link', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { el } = await mount({ 'session-id': 's' });
    const button = barPart(el, 'copy-link') as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    button.click();
    await settle();
    expect(writeText).toHaveBeenCalledWith(env.fake.room.shareUrl);
    expect(button.textContent).toBe('Copied');
  });
});
