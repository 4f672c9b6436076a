'use strict';
// Pong on the wire: the state the host publishes and the input each member sets, both through
// P2P.game (game sync, docs/protocol.md "Game sync"). The host is the room's host; game sync takes
// a state only from it and hands the host each member's input under the member's own peer id.
//
// The state, published every tick (game sync sends each member a delta against the last state it
// acknowledged, so unchanged keys cost nothing: keys are stable names, and what moves each tick,
// the ball and the paddles, sits alone in small objects):
//   {ph, tm, b, p, w, lg}
//     ph: phase, 'l' lobby | 'v' serve | 'p' play | 'o' over
//     tm: ticks left in the serve countdown (0 outside a serve)
//     b:  the ball {x, y, vx, vy} in arena units, velocity per second (3 decimals)
//     p:  the players (≤ 6) by peer id: {pos, score, color, order}: paddle centre 0..1 along its
//         side (3 decimals), score, colour 0..5, and its side, 0..n-1 (objects have no order)
//     w:  winners' peer ids (phase 'o', else [])
//     lg: peer id of who conceded the last goal, or null
// The input, sent to the host every tick:
//   {d, go}  keys: d is -1 | 0 | 1 along one's own side
//   {p, go}  pointer: p is where one's paddle should go, 0..1 along one's own side (3 decimals)
//   go counts the player's presses of Start: the host starts a game when it grows, so a press
//   rides on the input like everything else, repeated until the host has it.
// Members check every state (decodeState) before using it: a host's bug must not break the others.

const PongWire = (() => {
  const peerIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
  const phases = { l: 'lobby', v: 'serve', p: 'play', o: 'over' };
  const codes = { lobby: 'l', serve: 'v', play: 'p', over: 'o' };
  const MAX_COORD = 10;     // far outside any arena: anything beyond is nonsense
  const MAX_VELOCITY = 20;

  const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isPeerId = (v) => typeof v === 'string' && peerIdPattern.test(v);
  const isNumberIn = (v, lo, hi) => typeof v === 'number' && v >= lo && v <= hi;
  const isCount = (v, hi) => Number.isInteger(v) && v >= 0 && v <= hi;
  const r3 = (v) => Math.round(v * 1000) / 1000;

  /** The simulation's state as published. */
  function encodeState(s) {
    return {
      ph: codes[s.phase],
      tm: s.timer,
      b: { x: r3(s.ball.x), y: r3(s.ball.y), vx: r3(s.ball.vx), vy: r3(s.ball.vy) },
      p: Object.fromEntries(s.players.map((p, order) => [p.id, { pos: r3(p.pos), score: p.score, color: p.color, order }])),
      w: s.winners,
      lg: s.lastGoal,
    };
  }

  const isBall = (b) => isRecord(b) && isNumberIn(b.x, -MAX_COORD, MAX_COORD) && isNumberIn(b.y, -MAX_COORD, MAX_COORD) &&
    isNumberIn(b.vx, -MAX_VELOCITY, MAX_VELOCITY) && isNumberIn(b.vy, -MAX_VELOCITY, MAX_VELOCITY);

  const isPlayer = ([id, p]) => isPeerId(id) && isRecord(p) && isNumberIn(p.pos, 0, 1) && isCount(p.score, 9999) &&
    isCount(p.color, Pong.maxPlayers - 1) && isCount(p.order, Pong.maxPlayers - 1);

  /** A published state as the simulation's plain object, or null when malformed. */
  function decodeState(data) {
    if (!isRecord(data)) return null;
    const { ph, tm, b, p, w, lg } = data;
    if (!Object.hasOwn(phases, ph) || !isCount(tm, 600) || !isBall(b) || !isRecord(p)) return null;
    const entries = Object.entries(p);
    if (entries.length > Pong.maxPlayers || !entries.every(isPlayer)) return null;
    const players = entries.map(([id, { pos, score, color, order }]) => ({ id, pos, score, color, order }))
      .sort((x, y) => x.order - y.order);
    if (!players.every((x, i) => x.order === i)) return null; // each side exactly once
    const ids = players.map((x) => x.id);
    if (!Array.isArray(w) || !w.every((id) => ids.includes(id))) return null;
    if (lg !== null && !isPeerId(lg)) return null;
    return {
      phase: phases[ph],
      timer: tm,
      ball: { x: b.x, y: b.y, vx: b.vx, vy: b.vy },
      players: players.map(({ id, pos, score, color }) => ({ id, pos, score, color })),
      winners: w.slice(),
      lastGoal: lg,
    };
  }

  /**
   * `state` (decoded) with the ball and the paddles where `rendered` (P2P.game.render(): between
   * the last two states) has them. Only what moves is taken: the rest of a half-way state (a score
   * of 3.5, a colour between two) means nothing.
   */
  function withMotion(state, rendered) {
    if (!isRecord(rendered)) return state;
    const { b, p } = rendered;
    const inArena = (v) => isNumberIn(v, -MAX_COORD, MAX_COORD);
    const ball = isRecord(b) && inArena(b.x) && inArena(b.y) ? { ...state.ball, x: b.x, y: b.y } : state.ball;
    const posOf = (id) => (isRecord(p) && isRecord(p[id]) && isNumberIn(p[id].pos, 0, 1) ? p[id].pos : null);
    return { ...state, ball, players: state.players.map((x) => ({ ...x, pos: posOf(x.id) ?? x.pos })) };
  }

  /** A member's input as { d } or { p }, or null when malformed. */
  function decodeInput(data) {
    if (!isRecord(data)) return null;
    if (data.d === -1 || data.d === 0 || data.d === 1) return { d: data.d };
    if (isNumberIn(data.p, 0, 1)) return { p: data.p };
    return null;
  }

  /**
   * Host: whether member `id`'s input `data` brings a Start press, by its count (go) against the
   * one last seen in `seen` (peerId → count, updated here). The first count seen from a member is
   * where it stands, not a press (a new host hears counts from before its time); an input without
   * one (null: nothing of the member's has reached this host yet) changes nothing.
   */
  function pressedStart(seen, id, data) {
    if (!isRecord(data) || !isCount(data.go, Number.MAX_SAFE_INTEGER)) return false;
    const before = seen.get(id);
    seen.set(id, data.go);
    return before !== undefined && data.go > before;
  }

  return { encodeState, decodeState, withMotion, decodeInput, pressedStart, r3 };
})();
