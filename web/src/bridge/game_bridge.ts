// Game sync across the bridge (P2P.game; docs/experiences.md, "The P2P API"). The page runs the
// game loop (room.game): the iframe starts it (`game_start`), hands it its input (`game_input`)
// and, as host, answers each `game_tick` with the state it simulated (`game_publish`). What the
// room's game hears goes to the iframe as `game_state`, `game_host` and `game_paused`. When the
// bridge goes (the experience closed, or the iframe attached elsewhere), a game it started stops.
import type { Room } from '../lib/types';
import type { IframeFrame, ParentFrame } from './protocol';
import type { FrameSink } from './room_bridge';

type GameFrame = Extract<IframeFrame, { t: 'game_start' | 'game_stop' | 'game_input' | 'game_publish' }>;

// The bridge of each room, and whether its iframe started the game: a detach stops the game only
// then (a game the app runs itself is not the bridge's to stop).
const bridgesOf = new WeakMap<Room, { started: boolean }>();

/** Forwards `room`'s game events to the iframe behind `sink` until the returned function is called. */
export function forwardGame(room: Room, sink: FrameSink): () => void {
  const bridge = { started: false };
  bridgesOf.set(room, bridge);
  const offs = [
    room.game.on('tick', (inputs, tick) => sink.post({ t: 'game_tick', tick, inputs })),
    room.game.on('state', (state, tick) => sink.post({ t: 'game_state', tick, state })),
    room.game.on('host', (state, tick) => sink.post({ t: 'game_host', tick, state })),
    room.game.on('pause', () => sink.post({ t: 'game_paused', paused: true })),
    room.game.on('resume', () => sink.post({ t: 'game_paused', paused: false })),
  ];
  return () => {
    offs.forEach((off) => off());
    if (bridgesOf.get(room) === bridge) bridgesOf.delete(room);
    if (bridge.started) room.game.stop();
  };
}

/** Carries the iframe's game frame to the room; a refusal comes back as an `error` frame. */
export function gameFromIframe(room: Room, frame: GameFrame, post: (frame: ParentFrame) => void): void {
  const bridge = bridgesOf.get(room);
  try {
    switch (frame.t) {
      case 'game_start': {
        room.game.start(frame.tickHz === undefined ? {} : { tickHz: frame.tickHz });
        if (bridge) bridge.started = true;
        // A game already running here (the iframe was reloaded, or reconnected): its newest state,
        // so that a host's new document goes on with the game instead of starting it over.
        const state = room.game.state;
        if (state !== null) post(room.game.isHost ? { t: 'game_host', tick: room.game.tick, state } : { t: 'game_state', tick: room.game.tick, state });
        return;
      }
      case 'game_stop':
        room.game.stop();
        if (bridge) bridge.started = false;
        return;
      case 'game_input':
        room.game.setInput(frame.input);
        return;
      case 'game_publish':
        room.game.publish(frame.state);
        return;
    }
  } catch (err) {
    const e = err as { code?: string; message?: string };
    post({ t: 'error', code: e.code ?? 'internal', message: e.message ?? String(err) });
  }
}
