// The experiences model inside a room model: the listing, opening and closing together, what
// others' messages do, catching up members who join later, and what is ignored.
import { describe, expect, it } from 'vitest';
import { fallbackTitle, parseExperienceMessage, parseListing, MAX_LISTED } from '../../../web/src/app/models/experience';
import { describePlayers } from '../../../web/src/app/models/format';
import { chatText, createRoomModel } from '../../../web/src/app/models/room';
import { HuddleError, type Json } from '../../../web/src/lib/types';
import { fakeFetch, LISTING } from './fake_fetch';
import { FakeHuddle, FakeRoom } from './fake_room';

const ORIGIN = 'http://huddle.test:8080';
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A room model for `room` (Ann and Bob were there first: Ann is host), attached, listing loaded. */
async function inRoom(opts: { room?: FakeRoom; fetch?: ReturnType<typeof fakeFetch> } = {}) {
  const room = opts.room ?? new FakeRoom({ others: ['Ann', 'Bob'] });
  const api = new FakeHuddle();
  const fetch = opts.fetch ?? fakeFetch();
  const roomModel = createRoomModel(room, { hostExperience: api.hostExperience, origin: ORIGIN, fetch });
  const detach = roomModel.attach();
  await flush();
  const lines = () => roomModel.lines.value;
  return {
    room, api, fetch, roomModel, detach,
    experiences: roomModel.experiences,
    systemLines: () => lines().filter((l) => l.kind === 'system').map((l) => l.text),
    chatLines: () => lines().filter((l) => l.kind === 'chat'),
  };
}

describe('the listing', () => {
  it('is loaded from ORIGIN/experiences/ when the room model attaches', async () => {
    const { fetch, experiences } = await inRoom();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe(`${ORIGIN}/experiences/`);
    expect(experiences.listing.value).toEqual({ state: 'ready', items: LISTING });
  });

  it('says it is loading until the answer comes', async () => {
    const room = new FakeRoom();
    const roomModel = createRoomModel(room, { hostExperience: new FakeHuddle().hostExperience, origin: ORIGIN, fetch: fakeFetch() });
    expect(roomModel.experiences.listing.value).toEqual({ state: 'loading' });
  });

  it.each([
    ['the server is out of reach', fakeFetch({ error: new TypeError('Failed to fetch') }), "Couldn't load the experiences. Check the connection and try again."],
    ['an HTTP error', fakeFetch({ status: 503 }), 'The server did not list its experiences (HTTP 503).'],
    ['a body that is not JSON', fakeFetch({ text: '<html>' }), "The server's list of experiences could not be read."],
    ['JSON that is not a list', fakeFetch({ body: { experiences: [] } }), "The server's list of experiences could not be read."],
  ])('shows a failure when %s, without throwing', async (_what, fetch, message) => {
    const { experiences } = await inRoom({ fetch });
    expect(experiences.listing.value).toEqual({ state: 'failed', message });
  });

  it('loads again on request after a failure', async () => {
    const fetch = fakeFetch();
    fetch.mockRejectedValueOnce(new TypeError('offline'));
    const { experiences } = await inRoom({ fetch });
    expect(experiences.listing.value.state).toBe('failed');
    await experiences.load();
    expect(experiences.listing.value).toEqual({ state: 'ready', items: LISTING });
  });

  it('keeps only well-formed entries, each name once, at most MAX_LISTED', () => {
    expect(parseListing([
      { name: 'draw', title: ' Draw together ', minPlayers: 1, maxPlayers: 8, extra: true },
      { name: 'Draw', title: 'upper case' },
      { name: '../etc', title: 'path' },
      { title: 'no name' },
      'pong',
      null,
      { name: 'draw', title: 'again' },
      { name: 'my-game', minPlayers: 0, maxPlayers: 2.5, description: 5 },
      { name: 'quiz', title: 'Quiz', minPlayers: 4, maxPlayers: 2, description: ' Questions ' },
    ])).toEqual([
      { name: 'draw', title: 'Draw together', minPlayers: 1, maxPlayers: 8 },
      { name: 'my-game', title: 'My game' },
      { name: 'quiz', title: 'Quiz', minPlayers: 4, description: 'Questions' },
    ]);
    const many = Array.from({ length: MAX_LISTED + 5 }, (_, i) => ({ name: `x${i}`, title: `X${i}` }));
    expect(parseListing(many)).toHaveLength(MAX_LISTED);
    expect(parseListing({ name: 'draw' })).toBeNull();
  });

  it('describes player counts', () => {
    expect(describePlayers(1, 8)).toBe('1–8 players');
    expect(describePlayers(2, 2)).toBe('2 players');
    expect(describePlayers(2, undefined)).toBe('2+ players');
    expect(describePlayers(undefined, 1)).toBe('up to 1 player');
    expect(describePlayers(undefined, undefined)).toBe('');
  });
});

describe('opening and closing together', () => {
  it('open broadcasts experience_open and opens it here', async () => {
    const { room, experiences, systemLines } = await inRoom();
    expect(experiences.current.value).toBeNull();
    expect(experiences.open('draw')).toBe(true);
    expect(room.sent).toEqual([{ type: 'experience_open', name: 'draw' }]);
    expect(experiences.current.value).toEqual({ name: 'draw', title: 'Draw together' });
    expect(systemLines()).toEqual(['You opened Draw together']);
    experiences.open('draw'); // already open: nothing more to say
    expect(room.sent).toHaveLength(1);
  });

  it('close broadcasts experience_close and closes it here; with nothing open it does nothing', async () => {
    const { room, experiences, systemLines } = await inRoom();
    experiences.close();
    expect(room.sent).toEqual([]);
    experiences.open('draw');
    experiences.close();
    expect(room.sent).toEqual([{ type: 'experience_open', name: 'draw' }, { type: 'experience_close' }]);
    expect(experiences.current.value).toBeNull();
    expect(systemLines()).toEqual(['You opened Draw together', 'You closed Draw together']);
  });

  it('does not open a malformed name', async () => {
    const { room, experiences } = await inRoom();
    for (const name of ['', 'Draw', '../x', 'a'.repeat(65), 'draw/']) expect(experiences.open(name)).toBe(false);
    expect(room.sent).toEqual([]);
    expect(experiences.current.value).toBeNull();
  });

  it('stays closed and says why when the room refuses the send', async () => {
    const { room, roomModel, experiences } = await inRoom();
    room.sendError = new HuddleError('send_queue_full', 'full');
    expect(experiences.open('draw')).toBe(false);
    expect(experiences.current.value).toBeNull();
    expect(roomModel.error.value).toBe('Messages are piling up faster than they can be sent. Wait a moment.');
  });

  it('closes here even when the room refuses the close', async () => {
    const { room, roomModel, experiences } = await inRoom();
    experiences.open('draw');
    room.sendError = new HuddleError('send_queue_full', 'full');
    experiences.close();
    expect(experiences.current.value).toBeNull();
    expect(roomModel.error.value).not.toBeNull();
  });

  it('lends the room to the iframe on the channel experience:NAME', async () => {
    const { room, api, experiences } = await inRoom();
    experiences.open('draw');
    const iframe = document.createElement('iframe');
    const dispose = experiences.host(iframe, 'draw');
    expect(api.hostExperience).toHaveBeenCalledWith(room, iframe, 'experience:draw', { earlier: [] });
    dispose();
    expect(api.loans[0].disposed).toBe(true);
  });

  it('hands the loan what arrived between opening and the iframe borrowing the room, once', async () => {
    const { room, api, experiences } = await inRoom();
    room.receive('ann', { type: 'experience', channel: 'experience:draw', data: 'before opening' });
    room.receive('ann', { type: 'experience_open', name: 'draw' }, { broadcast: false });
    room.receive('ann', { type: 'experience', channel: 'experience:draw', data: { t: 'hist' } });
    room.receiveChat('bob', 'hi');
    experiences.host(document.createElement('iframe'), 'draw');
    room.receive('ann', { type: 'experience', channel: 'experience:draw', data: 'after' });
    experiences.host(document.createElement('iframe'), 'draw'); // a second loan starts afresh
    const earlier = api.loans.map((l) => l.options?.earlier?.map((m) => m.data));
    expect(earlier).toEqual([
      [{ type: 'experience', channel: 'experience:draw', data: { t: 'hist' } }, { type: 'chat', text: 'hi' }],
      [],
    ]);
  });

  it('holds nothing once closed, and nothing for another experience than the open one', async () => {
    const { room, api, experiences } = await inRoom();
    experiences.open('draw');
    room.receive('ann', { type: 'experience', channel: 'experience:draw', data: 1 });
    experiences.host(document.createElement('iframe'), 'pong');
    experiences.close();
    room.receive('ann', { type: 'experience', channel: 'experience:draw', data: 2 });
    experiences.host(document.createElement('iframe'), 'draw');
    expect(api.loans.map((l) => l.options?.earlier)).toEqual([[], []]);
  });
});

describe("others' messages", () => {
  it('open and close from Ann do the same here, with a line each, and are never chat', async () => {
    const { room, experiences, systemLines, chatLines } = await inRoom();
    room.receive('ann', { type: 'experience_open', name: 'draw' });
    expect(experiences.current.value).toEqual({ name: 'draw', title: 'Draw together' });
    room.receive('ann', { type: 'experience_open', name: 'pong' });
    expect(experiences.current.value).toEqual({ name: 'pong', title: 'Pong' });
    room.receive('bob', { type: 'experience_close' });
    expect(experiences.current.value).toBeNull();
    room.receive('bob', { type: 'experience_close' }); // nothing open: nothing to say
    expect(systemLines()).toEqual(['Ann opened Draw together', 'Ann opened Pong', 'Bob closed Pong']);
    expect(chatLines()).toEqual([]);
    expect(room.sent).toEqual([]); // receiving never echoes
  });

  it('an experience the listing does not know opens with a title made from its name', async () => {
    const { room, experiences, systemLines } = await inRoom();
    room.receive('ann', { type: 'experience_open', name: 'word-game' });
    expect(experiences.current.value).toEqual({ name: 'word-game', title: 'Word game' });
    expect(systemLines()).toEqual(['Ann opened Word game']);
    expect(fallbackTitle('a--b-')).toBe('A b');
  });

  it('takes its title from the listing once that arrives', async () => {
    const fetch = fakeFetch();
    let answer!: () => void;
    fetch.mockImplementationOnce(() => new Promise((resolve) => {
      answer = () => resolve({ ok: true, status: 200, json: async () => LISTING });
    }));
    const { room, experiences } = await inRoom({ fetch });
    room.receive('ann', { type: 'experience_open', name: 'draw' });
    expect(experiences.current.value?.title).toBe('Draw');
    answer();
    await flush();
    expect(experiences.current.value?.title).toBe('Draw together');
  });

  const malformed: [string, Json][] = [
    ['no name', { type: 'experience_open' }],
    ['a numeric name', { type: 'experience_open', name: 5 }],
    ['an upper-case name', { type: 'experience_open', name: 'Draw' }],
    ['a path', { type: 'experience_open', name: '../../etc' }],
    ['a name over 64 characters', { type: 'experience_open', name: 'a'.repeat(65) }],
    ['a bare string', 'experience_open'],
    ['an array', ['experience_open', 'draw']],
    ['null', null],
    ["an experience's envelope", { type: 'experience', channel: 'experience:draw', data: { type: 'experience_open', name: 'pong' } }],
  ];
  it.each(malformed)('ignores %s', async (_what, data) => {
    const { room, experiences, systemLines, chatLines } = await inRoom();
    room.receive('ann', data);
    expect(parseExperienceMessage(data)).toBeNull();
    expect(experiences.current.value).toBeNull();
    expect(systemLines()).toEqual([]);
    expect(chatLines()).toEqual([]);
  });

  it('chat reads none of them as chat', () => {
    expect(chatText({ type: 'experience_open', name: 'draw' })).toBeNull();
    expect(chatText({ type: 'experience_close' })).toBeNull();
    expect(chatText({ type: 'experience', channel: 'experience:draw', data: { type: 'chat', text: 'x' } })).toBeNull();
  });
});

describe('members who join later', () => {
  it('the host tells each newcomer what is open, to them alone', async () => {
    const { room, experiences } = await inRoom({ room: new FakeRoom() }); // alone: host
    room.addPeer('Cat');
    expect(room.sentTo).toEqual([]); // nothing open yet
    experiences.open('draw');
    room.addPeer('Dan');
    expect(room.sentTo).toEqual([{ peerId: 'dan', data: { type: 'experience_open', name: 'draw' } }]);
  });

  it('members who are not host leave that to the host', async () => {
    const { room, experiences } = await inRoom(); // Ann is host
    experiences.open('draw');
    room.addPeer('Cat');
    expect(room.sentTo).toEqual([]);
    room.removePeer('ann');
    room.removePeer('bob');
    room.addPeer('Dan'); // host now
    expect(room.sentTo).toEqual([{ peerId: 'dan', data: { type: 'experience_open', name: 'draw' } }]);
  });

  it('a newcomer hears "is open", not who opened it (the host may not have)', async () => {
    const { room, experiences, systemLines } = await inRoom();
    room.receive('ann', { type: 'experience_open', name: 'draw' }, { broadcast: false });
    expect(experiences.current.value?.name).toBe('draw');
    expect(systemLines()).toEqual(['Draw together is open']);
  });

  it('a newcomer that left before the host could tell them is no error', async () => {
    const { room, roomModel, experiences } = await inRoom({ room: new FakeRoom() });
    experiences.open('draw');
    room.sendError = new HuddleError('peer_not_in_room', 'gone');
    room.addPeer('Cat');
    expect(roomModel.error.value).toBeNull();
  });
});

describe('detaching', () => {
  it('unsubscribes and ignores a listing that arrives afterwards', async () => {
    const fetch = fakeFetch();
    let answer!: () => void;
    fetch.mockImplementationOnce(() => new Promise((resolve) => {
      answer = () => resolve({ ok: true, status: 200, json: async () => LISTING });
    }));
    const { room, detach, experiences } = await inRoom({ fetch });
    detach();
    expect(room.listenerCount()).toBe(0);
    answer();
    await flush();
    expect(experiences.listing.value).toEqual({ state: 'loading' });
  });
});
