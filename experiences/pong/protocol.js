'use strict';
// Pong's messages. The host is whoever P2P.getHostId() names; a state is accepted only from it,
// and an input only counts for the player whose P2P senderId sent it.
//
// host → everyone, every tick (P2P.send, {reliable: false}: the next tick replaces a lost one, and
// each state is complete), ~150–250 bytes:
//   {t:'s', k, ph, tm, b, p, w, lg}
//     k:  tick number (integer, keeps counting across host changes)
//     ph: phase, 'l' lobby | 'v' serve | 'p' play | 'o' over
//     tm: ticks left in the serve countdown
//     b:  ball [x, y, vx, vy] in arena units (3 decimals), velocity per second
//     p:  players in side order (≤ 6): [peerId, paddle centre 0..1 along its side (3 decimals),
//         score, colour 0..5]
//     w:  winners' peer ids (phase 'o', else [])
//     lg: peer id of who conceded the last goal, or null
// member → host (P2P.sendTo(P2P.getHostId(), …)):
//   {t:'i', d}   keys: -1 | 0 | 1 along one's own side
//   {t:'i', p}   pointer: where one's paddle should go, 0..1 along one's own side (3 decimals)
//                Inputs go {reliable: false}, on change and repeated every 250 ms meanwhile (so a
//                lost one is soon corrected).
//   {t:'go'}     start (lobby) or play again (game over); reliable (it is sent once)

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

  function encodeState(s) {
    return {
      t: 's',
      k: s.tick,
      ph: codes[s.phase],
      tm: s.timer,
      b: [r3(s.ball.x), r3(s.ball.y), r3(s.ball.vx), r3(s.ball.vy)],
      p: s.players.map((p) => [p.id, r3(p.pos), p.score, p.color]),
      w: s.winners,
      lg: s.lastGoal,
    };
  }

  function isPlayer(p) {
    return Array.isArray(p) && p.length === 4 && isPeerId(p[0]) && isNumberIn(p[1], 0, 1) && isCount(p[2], 9999) &&
      isCount(p[3], Pong.maxPlayers - 1);
  }

  /** The state in `data` as the simulation's plain object, or null when malformed. */
  function decodeState(data) {
    if (!isRecord(data) || data.t !== 's') return null;
    const { k, ph, tm, b, p, w, lg } = data;
    if (!isCount(k, Number.MAX_SAFE_INTEGER) || !(ph in phases) || !isCount(tm, 600)) return null;
    if (!Array.isArray(b) || b.length !== 4) return null;
    if (!isNumberIn(b[0], -MAX_COORD, MAX_COORD) || !isNumberIn(b[1], -MAX_COORD, MAX_COORD)) return null;
    if (!isNumberIn(b[2], -MAX_VELOCITY, MAX_VELOCITY) || !isNumberIn(b[3], -MAX_VELOCITY, MAX_VELOCITY)) return null;
    if (!Array.isArray(p) || p.length > Pong.maxPlayers || !p.every(isPlayer)) return null;
    const ids = p.map((x) => x[0]);
    if (new Set(ids).size !== ids.length) return null;
    if (!Array.isArray(w) || !w.every((id) => ids.includes(id))) return null;
    if (lg !== null && !isPeerId(lg)) return null;
    return {
      tick: k,
      phase: phases[ph],
      timer: tm,
      ball: { x: b[0], y: b[1], vx: b[2], vy: b[3] },
      players: p.map(([id, pos, score, color]) => ({ id, pos, score, color })),
      winners: w.slice(),
      lastGoal: lg,
    };
  }

  /** A member's input as { d } or { p }, or null when malformed. */
  function decodeInput(data) {
    if (!isRecord(data) || data.t !== 'i') return null;
    if (data.d === -1 || data.d === 0 || data.d === 1) return { d: data.d };
    if (isNumberIn(data.p, 0, 1)) return { p: data.p };
    return null;
  }

  const isStart = (data) => isRecord(data) && data.t === 'go';

  return { encodeState, decodeState, decodeInput, isStart, r3 };
})();
