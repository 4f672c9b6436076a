// Game sync's public types (room.game; docs/game.md), re-exported by types.ts.
import type { Json } from './types';

/** One member's input as the host's game gets it for a tick (RoomGame's `tick` event). */
export interface GameInput {
  /** Its newest input (null before its first); held until a newer one comes. */
  latest: Json;
  /** Every input that arrived since the host's previous tick, oldest first: presses that must not be missed. */
  fresh: Json[];
}

export interface RoomGameEvents {
  /**
   * Host, every tick: the latest input of every present member (yours included), by peer id.
   * Simulate the tick, then publish the state.
   */
  tick: (inputs: Record<string, GameInput>, tick: number) => void;
  /** Member: a newer complete state from the host (draw `render()` for smooth motion). */
  state: (state: Json, tick: number) => void;
  /** You became the host: go on from `state`, the newest you had (null when you had none). */
  host: (state: Json | null, tick: number) => void;
  /** The host is away (its connection dropped; it has the grace period to come back): the game stops. */
  pause: () => void;
  /** The host is back, or another took over: the game goes on. */
  resume: () => void;
}

/** Options of RoomGame.start. */
export interface GameOptions {
  /** Ticks per second (1 to MAX_GAME_TICK_HZ; default 60). Every member should use the host's rate. */
  tickHz?: number;
}

/**
 * Game sync for host-authoritative games: members send their input every tick, unreliably and
 * repeated so a lost datagram costs nothing; the host simulates and publishes the state; each
 * member gets a delta against the last state it acknowledged (in full when it has none), so
 * bandwidth follows what changed. Host away: `pause` everywhere; host gone: the next host goes on
 * from the newest state it holds. Nothing is sent until start().
 */
export interface RoomGame {
  /** Starts the loop (loads the game module the first time). Again: changes the rate. */
  start(options?: GameOptions): void;
  /** Stops the loop: no more ticks, inputs or states from this member. */
  stop(): void;
  /** The input sent from the next tick on, until another. Throws HuddleError `data_invalid` (MAX_GAME_INPUT_BYTES). */
  setInput(input: Json): void;
  /**
   * Host: the state after its tick (an object; MAX_GAME_STATE_BYTES as JSON), sent to every
   * member. Throws HuddleError `not_host`, `data_invalid`.
   */
  publish(state: Json): void;
  /** The newest complete state (published, or from the host), or null before any. */
  readonly state: Json | null;
  /** Its tick (0 before any). */
  readonly tick: number;
  /** The state to draw now: between the last two states, by when they arrived, so motion is smooth. */
  render(nowMs?: number): Json | null;
  readonly isHost: boolean;
  readonly paused: boolean;
  on<E extends keyof RoomGameEvents>(event: E, handler: RoomGameEvents[E]): () => void;
}
