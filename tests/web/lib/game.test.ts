// @vitest-environment node
// room.game over the real Wasm client and game module and a real huddle-server (relay-only rooms:
// Node has no RTCPeerConnection; Chromium runs the direct path in tests/e2e): the host's ticks get
// every member's input, members get the states it publishes, a new host goes on from the last
// state, and the errors the API throws.
import { describe, expect, it } from 'vitest';
import { HuddleError, type GameInput, type Json, type Room } from '../../../web/src/lib';
import { MAX_GAME_INPUT_BYTES, MAX_GAME_TICK_HZ } from '../../../web/src/lib/limits';
import { until, useServerAndRooms, withRecordedSockets } from './wasm_env';

const { relayRoom } = useServerAndRooms();

/** A tiny game: every member's counter goes up by its input each tick. The host runs it. */
function playCounter(room: Room): { ticks: Record<string, GameInput>[] } {
  const seen = { ticks: [] as Record<string, GameInput>[] };
  let counts: Record<string, number> = {};
  room.game.on('host', (state) => {
    counts = (state as { counts?: Record<string, number> } | null)?.counts ?? {};
  });
  room.game.on('tick', (inputs, tick) => {
    seen.ticks.push(inputs);
    for (const [id, input] of Object.entries(inputs)) counts[id] = (counts[id] ?? 0) + (typeof input.latest === 'number' ? input.latest : 0);
    room.game.publish({ counts, tick });
  });
  return seen;
}

function thrown(f: () => void): HuddleError {
  try {
    f();
  } catch (err) {
    if (err instanceof HuddleError) return err;
    throw err;
  }
  throw new Error('nothing was thrown');
}

const countsOf = (state: Json | null) => (state as { counts: Record<string, number> } | null)?.counts ?? {};

describe('room.game', () => {
  it("hands the host every member's input each tick and every member the state it publishes", async () => {
    const [ann, ben, cy] = await relayRoom('Ann', 'Ben', 'Cy');
    const host = playCounter(ann);
    const states: Json[] = [];
    ben.game.on('state', (state) => states.push(state));
    ben.game.setInput(2); // before start: kept, and sent from the first tick
    for (const r of [ann, ben, cy]) r.game.start({ tickHz: 30 });
    cy.game.setInput(3);
    ann.game.setInput(1);
    await until(() => countsOf(ben.game.state)[ben.selfId] >= 20 && countsOf(cy.game.state)[cy.selfId] >= 30, 'the inputs to count', 10_000);
    expect(ann.game.isHost).toBe(true);
    expect(ben.game.isHost).toBe(false);
    const last = host.ticks.at(-1)!;
    expect(Object.keys(last).sort()).toEqual([ann.selfId, ben.selfId, cy.selfId].sort());
    expect(last[ben.selfId].latest).toBe(2);
    expect(last[ann.selfId]).toEqual({ latest: 1, fresh: [1] });
    // Members see the host's states, newest last, with their ticks rising.
    expect(states.length).toBeGreaterThan(5);
    expect(ben.game.tick).toBeGreaterThan(5);
    expect(ben.game.render()).toMatchObject({ counts: expect.any(Object) });
  });

  it('goes on from the last state when the host leaves', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    playCounter(ann);
    playCounter(ben);
    const took: { state: Json | null; tick: number }[] = [];
    ben.game.on('host', (state, tick) => took.push({ state, tick }));
    ben.game.setInput(1);
    ann.game.start({ tickHz: 30 });
    ben.game.start({ tickHz: 30 });
    await until(() => countsOf(ben.game.state)[ben.selfId] >= 10, "Ben's input to count");
    ann.leave();
    await until(() => ben.game.isHost && took.length === 1, 'Ben to take over');
    const before = countsOf(took[0].state)[ben.selfId];
    expect(before).toBeGreaterThanOrEqual(10);
    await until(() => countsOf(ben.game.state)[ben.selfId] >= before + 10, "Ben's game to go on from there");
    expect(ben.game.tick).toBeGreaterThan(took[0].tick);
  });

  it("pauses every member while the host's connection is gone, and resumes when it is back", async () => {
    // Every socket the pages open, so the host's can be cut as a network would.
    const { result: rooms, sockets } = await withRecordedSockets(() => relayRoom('Ann', 'Ben'));
    const [ann, ben] = rooms;
    playCounter(ann);
    const seen: string[] = [];
    ben.game.on('pause', () => seen.push('pause'));
    ben.game.on('resume', () => seen.push('resume'));
    ann.game.start({ tickHz: 30 });
    ben.game.start({ tickHz: 30 });
    await until(() => ben.game.tick > 3, 'states to flow');
    sockets[0].terminate(); // Ann's: she created the room first
    await until(() => ben.game.paused, 'Ben to pause', 10_000);
    expect(seen).toEqual(['pause']);
    const pausedAt = ben.game.tick;
    await until(() => !ben.game.paused, 'Ben to resume once Ann is back', 15_000);
    expect(seen).toEqual(['pause', 'resume']);
    expect(ann.game.isHost).toBe(true); // her place and role were kept
    await until(() => ben.game.tick > pausedAt + 3, 'the game to go on');
  });

  it('reports an input set before the start that the module refuses, and starts without it', async () => {
    const [ann] = await relayRoom('Ann');
    const errors: HuddleError[] = [];
    ann.on('error', (e) => errors.push(e));
    ann.game.setInput('\ud800'); // a lone surrogate: JSON.stringify escapes it, the module refuses it
    ann.game.start();
    await until(() => errors.length === 1, 'the error');
    expect(errors[0].code).toBe('data_invalid');
    await until(() => ann.game.isHost, 'the game to start anyway');
  });

  it('refuses what it cannot carry, with clear errors', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    expect(thrown(() => ann.game.start({ tickHz: 0 })).code).toBe('data_invalid');
    expect(thrown(() => ann.game.start({ tickHz: MAX_GAME_TICK_HZ + 1 })).code).toBe('data_invalid');
    expect(thrown(() => ann.game.setInput('x'.repeat(MAX_GAME_INPUT_BYTES))).code).toBe('data_invalid');
    expect(thrown(() => ann.game.publish({})).code).toBe('not_host'); // not started: nobody is host yet
    ann.game.start();
    ben.game.start();
    await until(() => ann.game.isHost, 'the module to load');
    expect(thrown(() => ann.game.publish([1] as Json)).code).toBe('data_invalid');
    expect(thrown(() => ann.game.setInput('x'.repeat(MAX_GAME_INPUT_BYTES))).code).toBe('data_invalid');
    expect(thrown(() => ben.game.publish({ a: 1 })).code).toBe('not_host');
    ann.leave();
    expect(thrown(() => ann.game.start()).code).toBe('not_in_room');
  });
});
