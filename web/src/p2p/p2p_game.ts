// P2P.game inside the iframe: game sync for host-authoritative games. The page runs the loop and
// the protocol (room.game; web/src/bridge/game_bridge.ts); this end starts it, hands it the
// input, and, as host, answers each tick with the state onTick returns. It keeps the newest state
// and the one before, with when each arrived, so that render() interpolates without crossing to
// the page every animation frame.
import type { Json } from '../lib/types';
import type { GameInputFrame, IframeFrame, ParentFrame } from '../bridge/protocol';
import { jsonText } from '../lib/json_check';
import { P2PError } from './p2p_error';

export interface P2PGame {
  /** Starts the game loop at `tickHz` ticks a second (default 60; every member should use the host's rate). */
  start(options?: { tickHz?: number }): void;
  stop(): void;
  /** The input sent every tick from now on, until another (a small JSON value: keys held, a pointer). */
  setInput(input: Json): void;
  /** Host: publishes `state` (a JSON object) as the tick's result. Returning it from onTick does the same. */
  publish(state: Json): void;
  /** Host, every tick: each member's input ({latest, fresh}) by peer id; return the new state. */
  onTick: ((inputs: Record<string, GameInputFrame>, tick: number) => Json | undefined) | null;
  /** A newer state from the host (members). */
  onState: ((state: Json, tick: number) => void) | null;
  /** You became the host: go on from `state` (null when you had none). */
  onHost: ((state: Json | null, tick: number) => void) | null;
  /** The host is away (the game stops) / back or replaced (it goes on). */
  onPause: (() => void) | null;
  onResume: (() => void) | null;
  /** The newest state (published, or from the host); null before any. */
  readonly state: Json | null;
  readonly tick: number;
  readonly paused: boolean;
  /** The state to draw at `nowMs` (default now): between the last two states, by when they arrived. */
  render(nowMs?: number): Json | null;
}

export interface GameSide {
  readonly game: P2PGame;
  /** A game frame from the page. */
  frame(frame: Extract<ParentFrame, { t: 'game_tick' | 'game_state' | 'game_host' | 'game_paused' }>): void;
  /** A connection began: a running game starts again there, with its input. */
  connected(): void;
}

export interface GameIo {
  /** Posts now when connected; false when not (game frames are never queued: they would be stale). */
  post(frame: IframeFrame): boolean;
  /** Calls an on* handler, reporting a throw; returns what it returned. */
  call<A extends unknown[], R>(handler: ((...args: A) => R) | null, ...args: A): R | undefined;
}

interface Timed {
  state: Json;
  tick: number;
  at: number;
}

export function createGame(io: GameIo): GameSide {
  let running: { tickHz?: number } | null = null;
  let input: Json | undefined;
  let newest: Timed | null = null;
  let previous: Timed | null = null;
  let paused = false;
  let hostTick = 0; // the tick of the host's last game_tick, which its publish answers

  function checked(value: unknown, what: string): Json {
    const result = jsonText(value);
    if ('problem' in result) throw new P2PError('data_invalid', `${what}: ${result.problem}`);
    return JSON.parse(result.text) as Json; // a copy: the game changing its object later changes nothing sent
  }

  function keep(state: Json, tick: number): void {
    previous = newest;
    newest = { state, tick, at: performance.now() };
  }

  const game: P2PGame = {
    start(options = {}) {
      const tickHz = (options as { tickHz?: unknown }).tickHz;
      if (tickHz !== undefined && typeof tickHz !== 'number') throw new P2PError('data_invalid', 'tickHz must be a number');
      running = tickHz === undefined ? {} : { tickHz };
      io.post({ t: 'game_start', ...running });
    },
    stop() {
      running = null;
      io.post({ t: 'game_stop' });
    },
    setInput(value) {
      input = checked(value, 'game input');
      io.post({ t: 'game_input', input });
    },
    publish(value) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new P2PError('data_invalid', 'a game state is a JSON object');
      const state = checked(value, 'game state');
      keep(state, Math.max(hostTick, (newest?.tick ?? 0) + 1));
      io.post({ t: 'game_publish', state });
    },
    onTick: null,
    onState: null,
    onHost: null,
    onPause: null,
    onResume: null,
    get state() {
      return newest?.state ?? null;
    },
    get tick() {
      return newest?.tick ?? 0;
    },
    get paused() {
      return paused;
    },
    render(nowMs = performance.now()) {
      if (!newest) return null;
      if (!previous || newest.at <= previous.at) return newest.state;
      // One interval behind the newest: from the previous state to the newest over the time between them.
      return interpolate(previous.state, newest.state, (nowMs - newest.at) / (newest.at - previous.at));
    },
  };

  return {
    game,
    frame(frame) {
      switch (frame.t) {
        case 'game_tick': {
          hostTick = frame.tick;
          const state = io.call(game.onTick, frame.inputs, frame.tick);
          if (state !== undefined) game.publish(state);
          return;
        }
        case 'game_state':
          keep(frame.state, frame.tick);
          io.call(game.onState, frame.state, frame.tick);
          return;
        case 'game_host':
          newest = frame.state === null ? null : { state: frame.state, tick: frame.tick, at: performance.now() };
          previous = null;
          io.call(game.onHost, frame.state, frame.tick);
          return;
        case 'game_paused':
          if (frame.paused === paused) return;
          paused = frame.paused === true;
          io.call(paused ? game.onPause : game.onResume);
          return;
      }
    },
    connected() {
      if (!running) return;
      io.post({ t: 'game_start', ...running });
      if (input !== undefined) io.post({ t: 'game_input', input });
    },
  };
}

/**
 * The state `t` of the way from `a` to `b` (clamped to [0, 1]): numbers in both are interpolated,
 * objects key by key; everything else is `b`'s. (What the page's game sync does, done here.)
 */
export function interpolate(a: Json, b: Json, t: number): Json {
  t = Math.min(1, Math.max(0, t));
  if (typeof a === 'number' && typeof b === 'number') return a + (b - a) * t;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return b;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(b)) out[key] = Object.prototype.hasOwnProperty.call(a, key) ? interpolate(a[key], value, t) : value;
  return out;
}
