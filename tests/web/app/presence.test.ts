// Presence: active / idle / away, typing, and what members report about their links, told in
// unreliable messages; a fake clock and a fake page stand in for time and the person.
import { describe, expect, it } from 'vitest';
import { signal } from '@preact/signals';
import type { Peer, ReceivedMessage } from '../../../web/src/lib/types';
import {
  IDLE_AFTER_MS, PRESENCE_MIN_GAP_MS, PRESENCE_REFRESH_MS, TYPING_REPEAT_MS, TYPING_SHOWN_MS,
  createPresence, describeTyping, parsePresenceMessage, type Clock, type PresencePage,
} from '../../../web/src/app/models/presence';
import { FakeRoom } from './fake_room';

class FakeClock implements Clock {
  t = 1_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

class FakePage implements PresencePage {
  isHidden = false;
  onInput: () => void = () => {};
  onVisibility: () => void = () => {};
  hidden = () => this.isHidden;
  watch(onInput: () => void, onVisibility: () => void) {
    this.onInput = onInput;
    this.onVisibility = onVisibility;
    return () => {};
  }
  setHidden(hidden: boolean) {
    this.isHidden = hidden;
    this.onVisibility();
  }
}

function setup(others = ['Ann', 'Bob']) {
  const room = new FakeRoom({ others });
  const peers = signal<readonly Peer[]>(room.peers());
  room.on('peers', (list) => (peers.value = list));
  const clock = new FakeClock();
  const page = new FakePage();
  const presence = createPresence({ room, peers, page, clock });
  const detach = presence.attach();
  const told = () => room.sentUnreliable.filter((s) => (s.data as { type: string }).type === 'presence');
  return { room, peers, clock, page, presence, detach, told };
}

const from = (peer: string, data: ReceivedMessage['data']): ReceivedMessage => ({ from: peer, data, id: 0, ts: 0, broadcast: true, reliable: false });

describe('your own activity', () => {
  it('is active, turns idle after a minute without input or when the tab is hidden, and says so', () => {
    const { presence, clock, page, told } = setup();
    expect(presence.self.value).toBe('active');
    expect(told()).toHaveLength(1); // announced on attach, unreliably, to everyone
    expect(told()[0]).toMatchObject({ data: { type: 'presence', activity: 'active' } });
    expect(told()[0].to).toBeUndefined();

    clock.advance(IDLE_AFTER_MS - 1);
    expect(presence.self.value).toBe('active');
    clock.advance(1);
    expect(presence.self.value).toBe('idle');
    expect(told().at(-1)!.data).toMatchObject({ activity: 'idle' });

    page.onInput();
    expect(presence.self.value).toBe('active');
    page.setHidden(true);
    expect(presence.self.value).toBe('idle');
    page.setHidden(false);
    expect(presence.self.value).toBe('active');
  });

  it('input keeps it active (a stream of input costs no timer each)', () => {
    const { presence, clock, page } = setup();
    for (let i = 0; i < 10; i++) {
      clock.advance(IDLE_AFTER_MS / 2);
      page.onInput();
    }
    expect(presence.self.value).toBe('active');
  });

  it('says it at most every PRESENCE_MIN_GAP_MS, and again every PRESENCE_REFRESH_MS', () => {
    const { clock, page, told } = setup();
    page.setHidden(true);
    page.setHidden(false);
    page.setHidden(true);
    expect(told()).toHaveLength(1); // the changes wait for the gap…
    clock.advance(PRESENCE_MIN_GAP_MS);
    expect(told()).toHaveLength(2); // …and then the latest state goes once
    expect(told()[1].data).toMatchObject({ activity: 'idle' });
    clock.advance(PRESENCE_REFRESH_MS);
    expect(told()).toHaveLength(3);
  });

  it('greets a member who joins with the current state, to them alone', () => {
    const { presence, room } = setup();
    presence.greet('cy');
    expect(room.sentUnreliable.at(-1)).toMatchObject({ to: 'cy', data: { type: 'presence', activity: 'active' } });
  });

  it('reports its links: transport and round-trip time per member', () => {
    const { room, clock, told } = setup();
    room.setTransport('bob', 'relay');
    clock.advance(PRESENCE_MIN_GAP_MS);
    const links = (told().at(-1)!.data as { links: unknown[] }).links;
    expect(links).toEqual([
      { peer: 'ann', transport: 'direct', rttMs: null },
      { peer: 'bob', transport: 'relay', rttMs: null },
    ]);
  });
});

describe('others', () => {
  it('shows what each member says, and away from the server whatever they said', () => {
    const { presence, room } = setup();
    expect(presence.members.value.get('ann')).toBe('active');
    expect(presence.receive(from('ann', { type: 'presence', activity: 'idle', links: [] }))).toBe(true);
    expect(presence.members.value.get('ann')).toBe('idle');
    room.setAway('ann', true);
    expect(presence.members.value.get('ann')).toBe('away');
    room.setAway('ann', false);
    expect(presence.members.value.get('ann')).toBe('idle');
    expect(presence.members.value.get('self')).toBe('active');
  });

  it('forgets a member who left', () => {
    const { presence, room } = setup();
    presence.receive(from('ann', { type: 'presence', activity: 'idle', links: [{ peer: 'bob', transport: 'direct', rttMs: 3 }] }));
    expect(presence.reports.value.get('ann')?.links).toEqual([{ peer: 'bob', transport: 'direct', rttMs: 3 }]);
    room.removePeer('ann');
    expect(presence.reports.value.has('ann')).toBe(false);
  });

  it('is not chat: anything else is left to the others', () => {
    const { presence } = setup();
    expect(presence.receive(from('ann', { type: 'chat', text: 'hi' }))).toBe(false);
    expect(presence.receive(from('ann', { type: 'presence', activity: 'asleep', links: [] }))).toBe(false);
  });
});

describe('typing', () => {
  it('tells the others at most every TYPING_REPEAT_MS, and that you stopped', () => {
    const { presence, room, clock } = setup();
    const typing = () => room.sentUnreliable.filter((s) => (s.data as { type: string }).type === 'typing').map((s) => (s.data as { typing: boolean }).typing);
    presence.setTyping(false); // never started: nothing to stop
    presence.setTyping(true);
    presence.setTyping(true);
    clock.advance(TYPING_REPEAT_MS - 1);
    presence.setTyping(true);
    expect(typing()).toEqual([true]);
    clock.advance(1);
    presence.setTyping(true);
    presence.setTyping(false);
    presence.setTyping(false);
    expect(typing()).toEqual([true, true, false]);
  });

  it('shows who is typing until they stop, speak, go away, or TYPING_SHOWN_MS pass', () => {
    const { presence, clock, room } = setup();
    presence.receive(from('ann', { type: 'typing', typing: true }));
    presence.receive(from('bob', { type: 'typing', typing: true }));
    expect(presence.typing.value).toEqual(['ann', 'bob']);
    presence.receive(from('bob', { type: 'typing', typing: false }));
    expect(presence.typing.value).toEqual(['ann']);
    presence.spoke('ann');
    expect(presence.typing.value).toEqual([]);

    presence.receive(from('ann', { type: 'typing', typing: true }));
    room.setAway('ann', true);
    expect(presence.typing.value).toEqual([]);
    room.setAway('ann', false);

    clock.advance(TYPING_SHOWN_MS);
    expect(presence.typing.value).toEqual([]); // a lost "stopped" cannot leave it stuck
  });

  it('reads as a sentence', () => {
    expect(describeTyping([])).toBe('');
    expect(describeTyping(['Ann'])).toBe('Ann is typing…');
    expect(describeTyping(['Ann', 'Bob'])).toBe('Ann and Bob are typing…');
    expect(describeTyping(['Ann', 'Bob', 'Cy'])).toBe('3 people are typing…');
  });
});

describe('hostile presence messages', () => {
  it('are refused whole or cleaned: bad activity, bad links, too many links', () => {
    expect(parsePresenceMessage({ type: 'presence', activity: 'idle' })).toBeNull();
    expect(parsePresenceMessage({ type: 'presence', activity: 'x', links: [] })).toBeNull();
    expect(parsePresenceMessage({ type: 'typing', typing: 'yes' })).toBeNull();
    const many = Array.from({ length: 100 }, (_, i) => ({ peer: `p${i}`, transport: 'direct', rttMs: 1 }));
    const capped = parsePresenceMessage({ type: 'presence', activity: 'idle', links: many });
    expect(capped?.type === 'presence' ? capped.links.length : -1).toBe(16);
    expect(parsePresenceMessage({
      type: 'presence', activity: 'active',
      links: [{ peer: '../x', transport: 'direct', rttMs: 1 }, { peer: 'ok', transport: 'warp', rttMs: 1 }, { peer: 'fine', transport: null, rttMs: -5 }, 7],
    })).toEqual({ type: 'presence', activity: 'active', links: [{ peer: 'fine', transport: null, rttMs: null }] });
  });
});
