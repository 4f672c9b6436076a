'use strict';
// Arena geometry. It depends only on the number of players, so the host never sends it and every
// member derives the same one. Units: the arena is centred on (0, 0), roughly 3 units across; y
// grows downwards as on screen.
//
//   1–2 players: a classic 16:10 court, goals left and right (alone, you rally against a wall)
//   3 players:   a hexagon, goals on every other side and walls between (a triangle's corners
//                are too sharp to play)
//   4–6 players: a square, a pentagon, a hexagon, every side a goal

// The game's constants, shared by the geometry, the rules and the drawing.
const Pong = Object.freeze({
  maxPlayers: 6,
  ballRadius: 0.04,
  paddleFraction: 0.25,  // paddle length as a fraction of its side
  paddleInset: 0.06,     // the paddle's face is this far inside its goal line
  paddleThickness: 0.045,
  paddleSpeed: 2.6,      // units per second, for keys and pointer alike
  serveSpeed: 1.4,       // units per second
  maxSpeed: 3.2,         // units per second: fast, still playable
  speedUp: 1.06,         // per paddle hit
  maxBounceAngle: (55 * Math.PI) / 180,
  polygonRadius: 1.4,
  tickHz: 60,
});

/** A side from a to b; owner is the index of the player guarding it, or -1 for a wall. */
function makeSide(ax, ay, bx, by, owner) {
  const len = Math.hypot(bx - ax, by - ay);
  const tx = (bx - ax) / len;
  const ty = (by - ay) / len;
  // The inward normal points at the centre, whichever way round the side was listed.
  let nx = -ty;
  let ny = tx;
  if (nx * (ax + bx) + ny * (ay + by) > 0) { nx = -nx; ny = -ny; }
  return { ax, ay, bx, by, len, tx, ty, nx, ny, owner, paddleLen: len * Pong.paddleFraction };
}

/** The arena for `players` players (0 gives the 1-player court, for an empty lobby): { kind, sides }. */
function buildArena(players) {
  if (players <= 2) {
    const w = 1.6;
    const h = 1;
    return {
      kind: 'court',
      sides: [
        makeSide(-w, -h, -w, h, 0),
        makeSide(w, h, w, -h, players === 2 ? 1 : -1),
        makeSide(-w, -h, w, -h, -1),
        makeSide(w, h, -w, h, -1),
      ],
    };
  }
  const n = players === 3 ? 6 : players;
  const r = Pong.polygonRadius;
  // Side 0 lies flat at the bottom; the rest follow clockwise on screen.
  const start = Math.PI / 2 - Math.PI / n;
  const corner = (k) => [r * Math.cos(start + (2 * Math.PI * k) / n), r * Math.sin(start + (2 * Math.PI * k) / n)];
  const sides = [];
  for (let k = 0; k < n; k++) {
    const [ax, ay] = corner(k);
    const [bx, by] = corner(k + 1);
    const owner = players === 3 ? (k % 2 === 0 ? k / 2 : -1) : k;
    sides.push(makeSide(ax, ay, bx, by, owner));
  }
  return { kind: 'polygon', sides };
}

/** The side guarded by player `index`, or undefined. */
function sideOf(arena, index) {
  return arena.sides.find((s) => s.owner === index);
}

/** Keeps a paddle position (its centre, 0..1 along its side) inside the side. */
function clampPaddle(side, pos) {
  const half = side.paddleLen / 2 / side.len;
  return Math.min(1 - half, Math.max(half, pos));
}
