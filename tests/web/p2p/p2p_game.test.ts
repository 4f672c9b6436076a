// P2P.game: the iframe's side against the page's real end of the bridge (forwardRoomEvents and
// sendFromIframe on a FakeRoom whose game is driven by hand, over a MessagePort): start and input
// reach room.game, the host's onTick answers each tick with the state it returns, members get the
// states, pause and resume, a new host its state; a closed bridge stops the game it started; and
// render() interpolates between the last two states.
import { afterEach, describe, expect, it } from 'vitest';
import { checkIframeFrame } from '../../../web/src/bridge/frame_check';
import { WHOLE_ROOM, forwardRoomEvents, sendFromIframe } from '../../../web/src/bridge/room_bridge';
import type { Json } from '../../../web/src/lib/types';
import { interpolate } from '../../../web/src/p2p/p2p_game';
import { FakeRoom } from '../app/fake_room';
import { p2pWithParent, until, type PortEnd } from '../bridge/bridge_fakes';

const ports: PortEnd[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/** An iframe whose port is served by forwardRoomEvents / sendFromIframe over `room`; returns the way to detach. */
async function bridged(room: FakeRoom) {
  const s = p2pWithParent();
  ports.push(s.parent);
  const errors: string[] = [];
  s.p2p.onError = (error) => errors.push(error.code);
  const post = (f: unknown) => s.parent.post(f);
  const detach = forwardRoomEvents(room, { post }, WHOLE_ROOM);
  s.parent.port.onmessage = (e) => {
    const checked = checkIframeFrame(e.data);
    if ('frame' in checked) sendFromIframe(room, checked.frame, WHOLE_ROOM, post);
    else post({ t: 'error', ...checked.error });
  };
  post({ t: 'state', selfId: room.selfId, hostId: room.selfId, connected: true, members: [] });
  await until(() => s.p2p.isConnected(), 'connected');
  return { ...s, detach, errors };
}

describe('P2P.game through the page’s end of the bridge', () => {
  it('starts the room’s game with the input, and the host’s onTick answers each tick with its state', async () => {
    const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
    const { p2p } = await bridged(room);
    p2p.game.setInput({ up: true });
    p2p.game.start({ tickHz: 30 });
    await until(() => room.game.running, 'the game to start');
    expect(room.game.tickHz).toBe(30);
    expect(room.game.input).toEqual({ up: true });
    const seen: [Record<string, unknown>, number][] = [];
    p2p.game.onTick = (inputs, tick) => {
      seen.push([inputs, tick]);
      return { ball: tick };
    };
    room.game.emit('tick', { me: { latest: { up: true }, fresh: [] }, ann: { latest: 1, fresh: [1] } }, 7);
    await until(() => room.game.state !== null, 'the published state');
    expect(seen).toEqual([[{ me: { latest: { up: true }, fresh: [] }, ann: { latest: 1, fresh: [1] } }, 7]]);
    expect(room.game.state).toEqual({ ball: 7 });
    expect(p2p.game.state).toEqual({ ball: 7 });
    expect(p2p.game.tick).toBe(7);
  });

  it('hands members the states, the pause and the resume, and a new host its state', async () => {
    const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
    const { p2p } = await bridged(room);
    const events: unknown[] = [];
    p2p.game.onState = (state, tick) => events.push(['state', state, tick]);
    p2p.game.onPause = () => events.push('pause');
    p2p.game.onResume = () => events.push('resume');
    p2p.game.onHost = (state, tick) => events.push(['host', state, tick]);
    p2p.game.start();
    room.game.emit('state', { x: 1 }, 3);
    room.game.emit('pause');
    room.game.emit('resume');
    room.game.emit('host', { x: 1 }, 3);
    await until(() => events.length === 4, 'four events');
    expect(events).toEqual([['state', { x: 1 }, 3], 'pause', 'resume', ['host', { x: 1 }, 3]]);
    expect(p2p.game.paused).toBe(false);
  });

  it('stops the game it started when the bridge goes, and says why a publish was refused', async () => {
    const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
    const { p2p, detach, errors } = await bridged(room);
    room.game.isHost = false;
    const publish = room.game.publish.bind(room.game);
    room.game.publish = (state) => {
      if (!room.game.isHost) throw Object.assign(new Error('only the host publishes the game state'), { code: 'not_host' });
      publish(state);
    };
    p2p.game.start();
    await until(() => room.game.running, 'the game to start');
    p2p.game.publish({ a: 1 });
    await until(() => errors.length === 1, 'the refusal');
    expect(errors).toEqual(['not_host']);
    expect(() => p2p.game.publish([1] as Json)).toThrow(/object/);
    expect(() => p2p.game.setInput((() => 1) as unknown as Json)).toThrow(/game input/);
    detach();
    expect(room.game.running).toBe(false);
  });
});

describe('P2P.game in a new document (the iframe reloaded) while the page’s game runs', () => {
  for (const isHost of [true, false]) {
    it(`is handed the game’s newest state on start, ${isHost ? 'as host (onHost)' : 'as a member (onState)'}`, async () => {
      const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
      room.game.start();
      room.game.state = { score: 3 };
      room.game.tick = 40;
      room.game.isHost = isHost;
      const { p2p } = await bridged(room);
      const seen: unknown[] = [];
      p2p.game.onHost = (state, tick) => seen.push(['host', state, tick]);
      p2p.game.onState = (state, tick) => seen.push(['state', state, tick]);
      p2p.game.start();
      await until(() => seen.length === 1, 'the state');
      expect(seen).toEqual([[isHost ? 'host' : 'state', { score: 3 }, 40]]);
      expect(p2p.game.state).toEqual({ score: 3 });
    });
  }
});

describe('P2P.game.render', () => {
  it('interpolates numbers, key by key, and takes the rest from the newer state', () => {
    const a = { ball: { x: 0, y: 10 }, label: 'a', only: 1, list: [0] };
    const b = { ball: { x: 10, y: 20 }, label: 'b', list: [10], fresh: true };
    expect(interpolate(a, b, 0.5)).toEqual({ ball: { x: 5, y: 15 }, label: 'b', list: [10], fresh: true });
    expect(interpolate(a, b, -3)).toEqual({ ball: { x: 0, y: 10 }, label: 'b', list: [10], fresh: true });
    expect(interpolate(a, b, 9)).toEqual(b);
  });

  it('draws between the last two states by when they arrived', async () => {
    const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
    const { p2p } = await bridged(room);
    expect(p2p.game.render()).toBeNull();
    room.game.emit('state', { x: 0 }, 1);
    await until(() => p2p.game.tick === 1, 'the first state');
    const first = performance.now();
    await new Promise((r) => setTimeout(r, 40));
    room.game.emit('state', { x: 10 }, 2);
    await until(() => p2p.game.tick === 2, 'the second state');
    const second = performance.now();
    const gap = second - first;
    expect((p2p.game.render(second) as { x: number }).x).toBeLessThan(3); // just arrived: one interval behind
    expect((p2p.game.render(second + gap / 2) as { x: number }).x).toBeGreaterThan(2);
    expect(p2p.game.render(second + gap * 2)).toEqual({ x: 10 });
  });
});
