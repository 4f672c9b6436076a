// Game sync (room.game): the C++ GameSync runs the protocol (docs/protocol.md "Game sync"):
// inputs repeated until acknowledged, snapshots as deltas against what each member acknowledged,
// pause while the host is away, a new host going on from the newest snapshot. It lives in a Wasm
// module of its own (game_module.ts), loaded the first time a page starts a game. This
// file carries it: the game loop's timer, its frames on the client's unreliable path
// (WasmClient.sendGame, game_frame events), who is present, host and away from the room, and
// values turned into JSON text and back for the app.
//
// Nothing runs or is sent before start(). Frames that arrive before the module is there are
// dropped: they are unreliable by nature, and the host sends a member that acknowledged nothing
// the whole state.
import { MAX_GAME_INPUT_BYTES, MAX_GAME_STATE_BYTES } from '../generated/core';
import { Emitter } from './emitter';
import { toJsonText } from './json_text';
import { loadGameModule, type CoreGame, type CoreMemberInput, type GameEvent, type GameModule, type GameStatus } from './game_module';
import { HuddleError, type GameInput, type GameOptions, type Json, type Peer, type RoomGame, type RoomGameEvents } from './types';
import type { WasmClient } from './wasm_module';

export const DEFAULT_GAME_TICK_HZ = 60;
export const MAX_GAME_TICK_HZ = 120;
/** Ticks run back to back after a stall (a hidden tab's throttled timer); the rest are skipped. */
const MAX_CATCH_UP = 5;

/** What game sync needs of its room. */
export interface GameRoom {
  /** The room's client; null once the room was left. */
  client(): WasmClient | null;
  selfId(): string;
  peers(): readonly Peer[];
  hostId(): string;
  /** Whether the room is usable now (in_room): offline, ticks would send into nothing. */
  connected(): boolean;
  reportError(error: HuddleError): void;
  /** Loads the module; tests stand in for it. Default: loadGameModule. */
  load?: () => Promise<GameModule>;
}

export class WasmGame implements RoomGame {
  private readonly events = new Emitter<RoomGameEvents>();
  private core: CoreGame | null = null;
  private running = false;
  private loading = false;
  private closed = false;
  private tickMs = 1000 / DEFAULT_GAME_TICK_HZ;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextTickAt = 0;
  private input = 'null';
  private told = '';
  /** The parsed newest state and the tick it is of (parsing once per state, not per read). */
  private parsed: { tick: number; value: Json | null } = { tick: 0, value: null };

  constructor(private readonly room: GameRoom) {}

  start(options: GameOptions = {}): void {
    if (this.closed || !this.room.client()) throw new HuddleError('not_in_room', 'this room was left');
    const hz = options.tickHz ?? DEFAULT_GAME_TICK_HZ;
    if (typeof hz !== 'number' || !(hz >= 1 && hz <= MAX_GAME_TICK_HZ)) {
      throw new HuddleError('data_invalid', `tickHz is 1 to ${MAX_GAME_TICK_HZ} ticks a second`);
    }
    this.tickMs = 1000 / hz;
    this.running = true;
    if (this.core) return this.schedule(performance.now() + this.tickMs);
    if (this.loading) return;
    this.loading = true;
    (this.room.load ?? loadGameModule)().then(
      (module) => this.begin(module),
      (err: unknown) => {
        this.loading = false;
        this.room.reportError(new HuddleError('server_unreachable', `could not load the game module: ${String(err)}`));
      },
    );
  }

  stop(): void {
    this.running = false;
    this.cancel();
  }

  setInput(input: Json): void {
    const text = toJsonText(input);
    if (this.core) return this.check(this.core.setInput(text));
    // The module's own check, made here while it loads, so a bad input throws as it would later.
    const bytes = encoder.encode(text).length;
    if (bytes > MAX_GAME_INPUT_BYTES) {
      throw new HuddleError('data_invalid', `a game input is at most ${MAX_GAME_INPUT_BYTES} bytes of JSON (this one is ${bytes})`);
    }
    this.input = text;
  }

  publish(state: Json): void {
    if (!this.core || !this.core.isHost()) throw new HuddleError('not_host', 'only the host publishes the game state');
    const text = toJsonText(state);
    if (text.length > MAX_GAME_STATE_BYTES * 3) {
      // (A UTF-16 length this far over cannot fit as UTF-8: refused before crossing into the module.)
      throw new HuddleError('data_invalid', `the game state is at most ${MAX_GAME_STATE_BYTES} bytes of JSON`);
    }
    this.check(this.core.publish(text));
  }

  get state(): Json | null {
    const core = this.core;
    if (!core) return null;
    const tick = core.stateTick();
    if (tick !== this.parsed.tick) this.parsed = { tick, value: JSON.parse(core.state()) as Json };
    return this.parsed.value;
  }

  get tick(): number {
    return this.core?.stateTick() ?? 0;
  }

  render(nowMs = performance.now()): Json | null {
    return this.core ? (JSON.parse(this.core.renderState(nowMs)) as Json) : null;
  }

  get isHost(): boolean {
    return this.core?.isHost() ?? false;
  }

  get paused(): boolean {
    return this.core?.paused() ?? false;
  }

  on<E extends keyof RoomGameEvents>(event: E, handler: RoomGameEvents[E]): () => void {
    return this.events.on(event, handler);
  }

  // ---- the room ----

  /** A game frame from a member (the client's game_frame event). */
  onFrame(from: string, frame: string): void {
    if (!this.core) return; // not started: unreliable, and the host will send the whole state
    const result = this.core.receive(from, frame);
    // Refusals that the protocol expects are quiet: a frame for the old host during a hand-over
    // (protocol_violation), a delta against a state this member let go (data_invalid: its next
    // acknowledgement asks for the whole state). A malformed frame is a member's bug: reported.
    if (!result.ok && result.code !== 'protocol_violation' && result.code !== 'data_invalid') {
      this.room.reportError(new HuddleError('protocol_violation', `a game frame from ${from} was refused: ${result.message}`));
    }
  }

  /** Members, the host or its presence may have changed. */
  follow(peers: readonly Peer[]): void {
    if (!this.core) return;
    const host = this.room.hostId();
    const away = peers.some((p) => p.id === host && p.away);
    const ids = peers.map((p) => p.id);
    const told = `${host} ${away} ${ids.join(' ')}`;
    if (told === this.told) return;
    this.told = told;
    this.core.setMembership(host, away, ids);
  }

  /** The room was left (or lost for good): the game goes with it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    const core = this.core;
    this.core = null;
    // Not at once: this may run inside one of the module's own events.
    if (core) queueMicrotask(() => core.delete());
  }

  // ---- inside ----

  private begin(module: GameModule): void {
    this.loading = false;
    if (this.closed || !this.room.client()) return;
    const core = new module.WasmGameSync(this.room.selfId(), { onEvent: (e) => this.onCoreEvent(e) });
    this.core = core;
    // The input set while the module loaded passed the checks made here, not all of the module's
    // (a lone surrogate in a string): refused now, it is reported, and the game starts without it.
    const taken = core.setInput(this.input);
    if (!taken.ok) this.room.reportError(new HuddleError(taken.code, `the game input set before the game started: ${taken.message}`));
    this.follow(this.room.peers());
    if (this.running) this.schedule(performance.now() + this.tickMs);
  }

  private schedule(at: number): void {
    this.cancel();
    this.nextTickAt = at;
    this.timer = setTimeout(() => this.loop(), Math.max(0, at - performance.now()));
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  // A timer, not requestAnimationFrame: the host's game must go on in a background tab, where
  // browsers throttle timers but stop animation frames.
  private loop(): void {
    this.timer = null;
    if (!this.running || !this.core) return;
    const now = performance.now();
    for (let n = 0; n < MAX_CATCH_UP && now >= this.nextTickAt; n++) {
      // Offline nothing would arrive anywhere: the loop idles until the room is back.
      if (this.room.connected()) this.core?.tick(now);
      this.nextTickAt += this.tickMs;
    }
    if (now - this.nextTickAt > this.tickMs) this.nextTickAt = now + this.tickMs; // drop what could not be caught up
    if (this.running) this.schedule(this.nextTickAt);
  }

  private onCoreEvent(e: GameEvent): void {
    switch (e.type) {
      case 'send':
        // Unreliable: a frame that cannot go now is a lost datagram, which the protocol absorbs.
        this.room.client()?.sendGame(e.to, e.frame);
        return;
      case 'inputs':
        this.events.emit('tick', inputsOf(e.inputs), e.tick);
        return;
      case 'state': {
        const value = JSON.parse(e.state) as Json;
        this.parsed = { tick: e.tick, value };
        this.events.emit('state', value, e.tick);
        return;
      }
      case 'hoststart':
        this.events.emit('host', JSON.parse(e.state) as Json | null, e.tick);
        return;
      case 'pause':
        this.events.emit('pause');
        return;
      case 'resume':
        this.events.emit('resume');
        return;
    }
  }

  private check(result: GameStatus): void {
    if (!result.ok) throw new HuddleError(result.code, result.message);
  }
}

function inputsOf(list: CoreMemberInput[]): Record<string, GameInput> {
  const out: Record<string, GameInput> = {};
  for (const input of list) {
    out[input.member] = { latest: JSON.parse(input.latest) as Json, fresh: input.fresh.map((t) => JSON.parse(t) as Json) };
  }
  return out;
}

const encoder = new TextEncoder();
