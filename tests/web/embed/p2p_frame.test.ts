// <p2p-frame>: its attributes, lifecycle, events and bar, with a fake client library.
import { describe, expect, it, vi } from 'vitest';
import { P2PFrame } from '../../../web/src/embed/p2p_frame';
import { framePlace } from '../../../web/src/lib/place';
import { HuddleError, type SessionStatus } from '../../../web/src/lib/types';
import { FakeRoom } from '../app/fake_room';
import { settle } from '../bridge/bridge_fakes';
import { barPart, env, mount, SERVER, useFrameEnv } from './frame_env';
import { LinkRoom } from '../bridge/link_room';

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

  it('passes a signed token on, taking session-id, peer-id and name from it when they are left out', async () => {
    // {"v":1,"room":"standup-42","peer":"user_42","name":"Ann","exp":1900000000}, signature not checked here
    const body = btoa(JSON.stringify({ v: 1, room: 'standup-42', peer: 'user_42', name: 'Ann', exp: 1900000000 }))
      .replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const token = `${body}.c2lnbmF0dXJl`;
    await mount({ token });
    expect(joinOptions()).toEqual({ code: 'standup-42', name: 'Ann', create: true, server: SERVER, peerId: 'user_42', token });
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

describe('taking the place back after a reload', () => {
  const KEY = framePlace(SERVER, 's').key;
  const saved = () => JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  const savePlace = (place: object) => sessionStorage.setItem(KEY, JSON.stringify(place));
  const PLACE = { peerId: 'old_id', token: 'OLDTOKEN_0123456789abc', name: 'Guest-ABCD' };

  it('keeps peer id, resume token and name in sessionStorage under the server and session-id', async () => {
    const { el } = await mount({ 'session-id': 's' });
    expect(saved()).toEqual({ peerId: 'self', token: env.fake.room.token, name: joinOptions().name });
    expect(el.room).toBe(env.fake.room);
  });

  it('joins with them after a reload, keeping the guest name', async () => {
    savePlace(PLACE);
    await mount({ 'session-id': 's' });
    expect(joinOptions()).toMatchObject({ code: 's', peerId: 'old_id', resumeToken: PLACE.token, name: 'Guest-ABCD' });
    // The token is refreshed with what the room gives after the join.
    expect(saved()).toEqual({ peerId: 'self', token: env.fake.room.token, name: 'Guest-ABCD' });
  });

  it('uses a place of another room or server for nothing', async () => {
    sessionStorage.setItem(framePlace(SERVER, 'other').key, JSON.stringify(PLACE));
    sessionStorage.setItem(framePlace('http://elsewhere.test', 's').key, JSON.stringify(PLACE));
    await mount({ 'session-id': 's' });
    expect(joinOptions().resumeToken).toBeUndefined();
    expect(joinOptions().peerId).toBeUndefined();
  });

  it('with a peer-id attribute, uses only a place saved for that same id', async () => {
    savePlace(PLACE);
    await mount({ 'session-id': 's', 'peer-id': 'someone_else' });
    expect(joinOptions()).toMatchObject({ peerId: 'someone_else' });
    expect(joinOptions().resumeToken).toBeUndefined();
    document.body.replaceChildren();

    savePlace(PLACE);
    await mount({ 'session-id': 's', 'peer-id': 'old_id' });
    expect(joinOptions(1)).toMatchObject({ peerId: 'old_id', resumeToken: PLACE.token });
  });

  it.each(['peer_id_taken', 'invalid_peer_id'] as const)('forgets a place refused with %s and joins afresh', async (code) => {
    savePlace(PLACE);
    env.fake.joinRoom.mockImplementationOnce(() => Promise.reject(new HuddleError(code, 'refused')));
    const { el, events } = await mount({ 'session-id': 's' });
    expect(env.fake.joinRoom).toHaveBeenCalledTimes(2);
    expect(joinOptions(0).resumeToken).toBe(PLACE.token);
    expect(joinOptions(1).resumeToken).toBeUndefined();
    expect(joinOptions(1).peerId).toBeUndefined();
    expect(el.status).toBe('connected');
    expect(detailsOf(events, 'p2p-error')).toEqual([]);
    expect(saved()).toMatchObject({ peerId: 'self', token: env.fake.room.token });
  });

  it('ignores a malformed saved place', async () => {
    sessionStorage.setItem(KEY, '{"peerId":"has space","token":"t","name":"n"}');
    await mount({ 'session-id': 's' });
    expect(joinOptions().resumeToken).toBeUndefined();
  });

  it('forgets the place when removed (a deliberate leave) or when it joins another room', async () => {
    const { el } = await mount({ 'session-id': 's' });
    el.setAttribute('session-id', 'other');
    await settle();
    expect(sessionStorage.getItem(KEY)).toBeNull();
    expect(sessionStorage.getItem(framePlace(SERVER, 'other').key)).not.toBeNull();
    el.remove();
    expect(sessionStorage.getItem(framePlace(SERVER, 'other').key)).toBeNull();
  });

  it('of two elements in one room, only the first resumes (they would take the id from each other)', async () => {
    savePlace(PLACE);
    await mount({ 'session-id': 's' });
    await mount({ 'session-id': 's' });
    expect(joinOptions(0).resumeToken).toBe(PLACE.token);
    expect(joinOptions(1).resumeToken).toBeUndefined();
  });

  it('works without sessionStorage (sandboxed frames and private modes may throw)', async () => {
    const denied = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const spies = [
      vi.spyOn(Storage.prototype, 'getItem').mockImplementation(denied),
      vi.spyOn(Storage.prototype, 'setItem').mockImplementation(denied),
      vi.spyOn(Storage.prototype, 'removeItem').mockImplementation(denied),
    ];
    try {
      const { el } = await mount({ 'session-id': 's' });
      expect(el.status).toBe('connected');
      el.remove();
      expect(el.room).toBeNull();
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });
});

describe('the bar marks members reached through the relay', () => {
  it('and follows transport changes', async () => {
    const room = new LinkRoom({ others: ['Ann', 'Ben'] });
    env.fake.room = room;
    const { el } = await mount({ 'session-id': 's', name: 'Zoe' });
    const texts = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="member"]')].map((li) => li.textContent);
    expect(texts()).toEqual(['Ann', 'Ben', 'Zoe (you)']);
    room.setTransport('ben', 'relay');
    expect(texts()).toEqual(['Ann', 'Ben relay', 'Zoe (you)']);
    expect(barPart(el, 'relay').title).toContain('huddle server');
    room.setTransport('ben', 'direct');
    expect(texts()).toEqual(['Ann', 'Ben', 'Zoe (you)']);
  });
});
