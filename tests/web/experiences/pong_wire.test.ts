// Pong's published state and inputs (experiences/pong/protocol.js), loaded with the rules and the
// arena as the classic scripts the experience's page loads: a simulation's state survives the
// wire to 3 decimals and in side order; from one tick of play to the next only the ball and the
// paddles change (so game sync's deltas carry only those); a member refuses a state that is not
// Pong's and draws only the moving parts of an interpolated one; the host reads moves and Start
// presses from inputs, and a press from before it hosted is no press.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const dir = path.join(__dirname, '../../../experiences/pong');

interface Player { id: string; pos: number; score: number; color: number }
interface State {
  phase: string;
  timer: number;
  ball: { x: number; y: number; vx: number; vy: number };
  players: Player[];
  winners: string[];
  lastGoal: string | null;
}
type Wire = Record<string, unknown>;
interface Move { d?: number; p?: number }
interface Pong {
  PongSimulation: new (state: State) => { state: State; setMembers(ids: string[]): void; start(): void; step(inputs: Map<string, Move>): void };
  newGameState(ids: string[]): State;
  PongWire: {
    encodeState(s: State): Wire;
    decodeState(data: unknown): State | null;
    withMotion(state: State, rendered: unknown): State;
    decodeInput(data: unknown): Move | null;
    pressedStart(seen: Map<string, number>, id: string, data: unknown): boolean;
  };
}

function load(): Pong {
  const source = ['arena.js', 'protocol.js', 'simulation.js'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n;\n');
  return vm.runInNewContext(`${source}\n;({ PongSimulation, newGameState, PongWire })`, { Math }) as Pong;
}

const { PongSimulation, newGameState, PongWire } = load();
const ids = ['ann', 'ben', 'cat'];
const r3 = (v: number) => Math.round(v * 1000) / 1000;
/** JSON's view of a value from the script's realm (its objects have another Object.prototype). */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Three players in play, ben steering down, after `ticks` ticks. */
function playing(ticks: number) {
  const sim = new PongSimulation(newGameState([]));
  sim.setMembers(ids);
  sim.start();
  const inputs = new Map<string, Move>([['ben', { d: 1 }], ['cat', { p: 0.3 }]]);
  for (let t = 0; t < ticks; t++) sim.step(inputs);
  return { sim, inputs };
}

describe('the published state', () => {
  it('comes back as the simulation state, to 3 decimals, players in side order whatever the key order', () => {
    const { sim } = playing(120);
    const s = sim.state;
    expect(s.phase).toBe('play');
    const wire = plain(PongWire.encodeState(s));
    const players = wire.p as Record<string, unknown>;
    wire.p = Object.fromEntries(Object.entries(players).reverse()); // as canonical JSON (sorted keys) may hand them over
    const back = plain(PongWire.decodeState(wire));
    expect(back).toEqual({
      ...plain(s),
      ball: { x: r3(s.ball.x), y: r3(s.ball.y), vx: r3(s.ball.vx), vy: r3(s.ball.vy) },
      players: s.players.map((p) => ({ ...p, pos: r3(p.pos) })),
    });
    expect(back?.players.map((p) => p.id)).toEqual(ids);
  });

  it('changes only in the ball and the paddles from one tick of play to the next', () => {
    const { sim, inputs } = playing(100);
    const before = plain(PongWire.encodeState(sim.state));
    sim.step(inputs);
    const after = plain(PongWire.encodeState(sim.state));
    const still = (w: Wire) => ({
      ...w,
      b: { ...(w.b as object), x: 0, y: 0 },
      p: Object.fromEntries(Object.entries(w.p as Record<string, object>).map(([id, p]) => [id, { ...p, pos: 0 }])),
    });
    expect(after).not.toEqual(before);
    expect(still(after)).toEqual(still(before));
  });
});

describe('a member refuses a state that is not Pong\'s', () => {
  const good = () => plain(PongWire.encodeState(playing(10).sim.state));
  const player = (w: Wire, id: string) => (w.p as Record<string, Record<string, unknown>>)[id];
  const bad: [string, (w: Wire) => unknown][] = [
    ['null', () => null],
    ['an array', () => []],
    ['an unknown phase', (w) => ({ ...w, ph: 'x' })],
    ['a phase from Object.prototype', (w) => ({ ...w, ph: 'toString' })],
    ['a negative timer', (w) => ({ ...w, tm: -1 })],
    ['a ball without vy', (w) => ({ ...w, b: { x: 0, y: 0, vx: 0 } })],
    ['a ball far outside the arena', (w) => ({ ...w, b: { x: 11, y: 0, vx: 0, vy: 0 } })],
    ['players as an array', (w) => ({ ...w, p: Object.values(w.p as object) })],
    ['seven players', (w) => ({ ...w, p: Object.fromEntries([...'abcdefg'].map((id, order) => [id, { pos: 0.5, score: 0, color: order % 6, order }])) })],
    ['a peer id with a space', (w) => ({ ...w, p: { 'a b': player(w, 'ann'), ben: player(w, 'ben'), cat: player(w, 'cat') } })],
    ['a paddle past its side', (w) => { player(w, 'ben').pos = 1.5; return w; }],
    ['a fractional score', (w) => { player(w, 'ben').score = 0.5; return w; }],
    ['a colour beyond the six', (w) => { player(w, 'ben').color = 6; return w; }],
    ['two players on one side', (w) => { player(w, 'ben').order = 0; return w; }],
    ['a side nobody has', (w) => { player(w, 'cat').order = 4; return w; }],
    ['a winner who is not playing', (w) => ({ ...w, w: ['dan'] })],
    ['a last goal that is no peer id', (w) => ({ ...w, lg: 7 })],
  ];
  it.each(bad)('%s', (_, spoil) => {
    expect(PongWire.decodeState(good())).not.toBeNull();
    expect(PongWire.decodeState(spoil(good()))).toBeNull();
  });
});

describe('drawing an interpolated state', () => {
  it('takes the ball and the paddles from the render, and nothing else', () => {
    const state = PongWire.decodeState(plain(PongWire.encodeState(playing(100).sim.state)))!;
    const rendered = {
      ph: 'o', tm: 5.5, b: { x: 0.25, y: -0.5, vx: 9, vy: 9 },
      p: { ann: { pos: 0.4, score: 2.5 }, ben: { pos: 7 }, dan: { pos: 0.1 } }, // ben's is nonsense, dan plays not
    };
    const shown = plain(PongWire.withMotion(state, rendered));
    expect(shown).toEqual({
      ...plain(state),
      ball: { ...state.ball, x: 0.25, y: -0.5 },
      players: state.players.map((p) => (p.id === 'ann' ? { ...p, pos: 0.4 } : p)),
    });
    expect(PongWire.withMotion(state, null)).toBe(state);
  });
});

describe('inputs', () => {
  it('give a move by keys or pointer', () => {
    expect(plain(PongWire.decodeInput({ d: -1, go: 3 }))).toEqual({ d: -1 });
    expect(plain(PongWire.decodeInput({ p: 0.25, go: 0 }))).toEqual({ p: 0.25 });
    for (const junk of [null, 'up', { d: 2 }, { p: 1.5 }, { d: '1' }]) expect(PongWire.decodeInput(junk)).toBeNull();
  });

  it('press Start when their count grows past the one the host saw first, not before', () => {
    const seen = new Map<string, number>();
    const press = (input: unknown) => PongWire.pressedStart(seen, 'ben', input);
    // A new host: nothing from ben yet (null), then the count ben stands at, pressed long ago.
    expect([null, { d: 0, go: 4 }, { d: 1, go: 4 }].map(press)).toEqual([false, false, false]);
    expect([{ d: 0, go: 5 }, { d: 0, go: 5 }, null, { d: 0, go: 5 }, { d: 0, go: 6 }].map(press)).toEqual([true, false, false, false, true]);
    // Ben's page reloaded: its count starts again.
    expect([{ d: 0, go: 0 }, { d: 0, go: 1 }].map(press)).toEqual([false, true]);
    for (const junk of [{ d: 0 }, { go: -1 }, { go: 7.5 }, { go: '9' }]) expect(press(junk)).toBe(false);
    expect(seen.get('ben')).toBe(1);
    expect(PongWire.pressedStart(seen, 'cat', { go: 1 })).toBe(false); // per member
  });
});
