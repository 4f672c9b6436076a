'use strict';
// The game rules, run only by the host, one fixed 1/60 s step (game sync tick) at a time. The
// state is plain data (the same shape members decode from the host's states, protocol.js), so a
// new host continues from the last state it received.
//
// Scoring: whoever lets the ball through concedes, and every other player gets a point (in a
// 2-player game that is classic pong). First to winScore() wins. A lone player just practises.
//
// Phases: 'lobby' (paddles move, no ball; any player starts), 'serve' (countdown, ball waits in
// the centre), 'play', 'over' (winners shown; any player starts again).

const SERVE_TICKS = 90;   // 1.5 s: time to see where the ball will go
const TICK_SECONDS = 1 / Pong.tickHz;

function winScore(players) { return players === 2 ? 7 : 10; }

/** A fresh state for `ids` (in side order). */
function newGameState(ids) {
  return {
    phase: 'lobby',
    timer: 0,
    ball: { x: 0, y: 0, vx: 0, vy: 0 },
    players: ids.map((id, i) => ({ id, pos: 0.5, score: 0, color: i })),
    winners: [],
    lastGoal: null,
  };
}

class PongSimulation {
  constructor(state) {
    this.state = state;
    this.arena = buildArena(state.players.length);
    this.serveTo = -1; // index of the player the next serve heads for; -1: anyone
  }

  /**
   * Makes the roster match `memberIds` (oldest first): players who left go, newcomers take the
   * next free places up to Pong.maxPlayers. A changed roster means a changed arena, so a rally in
   * progress restarts with a serve and paddles go back to the middle; scores are kept, and so are
   * colours (newcomers take the first free one), so nobody changes colour when someone leaves.
   */
  setMembers(memberIds) {
    const s = this.state;
    const players = s.players.filter((p) => memberIds.includes(p.id));
    for (const id of memberIds) {
      if (players.length >= Pong.maxPlayers) break;
      if (players.some((p) => p.id === id)) continue;
      let color = 0;
      while (players.some((p) => p.color === color)) color++;
      players.push({ id, pos: 0.5, score: 0, color });
    }
    if (players.length === s.players.length && players.every((p, i) => p.id === s.players[i].id)) return;
    s.players = players;
    this.arena = buildArena(players.length);
    for (const p of players) p.pos = 0.5;
    s.winners = s.winners.filter((id) => players.some((p) => p.id === id));
    if (s.phase === 'serve' || s.phase === 'play') {
      if (players.length === 0) s.phase = 'lobby';
      else this.serve(s.lastGoal);
    }
  }

  /** A player asked to start: from the lobby, or again after a game ended. */
  start() {
    const s = this.state;
    if (s.phase !== 'lobby' && s.phase !== 'over') return;
    for (const p of s.players) p.score = 0;
    s.winners = [];
    s.lastGoal = null;
    this.serve(null);
  }

  /** Advances one tick. inputs: Map peerId → { d: -1|0|1 } or { p: 0..1 } (see protocol.js). */
  step(inputs) {
    const s = this.state;
    this.movePaddles(inputs);
    if (s.phase === 'serve' && --s.timer <= 0) this.launch();
    else if (s.phase === 'play') this.moveBall();
  }

  movePaddles(inputs) {
    this.state.players.forEach((p, i) => {
      const side = sideOf(this.arena, i);
      const input = inputs.get(p.id);
      if (!side || !input) return;
      const maxStep = (Pong.paddleSpeed * TICK_SECONDS) / side.len;
      const delta = input.p !== undefined ? input.p - p.pos : input.d * maxStep;
      p.pos = clampPaddle(side, p.pos + Math.max(-maxStep, Math.min(maxStep, delta)));
    });
  }

  /** Ball to the centre, countdown; it will head for `towardsId` (who just conceded) or anyone. */
  serve(towardsId) {
    const s = this.state;
    s.phase = 'serve';
    s.timer = SERVE_TICKS;
    s.ball = { x: 0, y: 0, vx: 0, vy: 0 };
    this.serveTo = s.players.findIndex((p) => p.id === towardsId);
  }

  launch() {
    const s = this.state;
    const target = this.serveTo >= 0 && this.serveTo < s.players.length ? this.serveTo : Math.floor(Math.random() * s.players.length);
    const side = sideOf(this.arena, target) || this.arena.sides[0];
    // Towards the middle of that goal, up to 25° off, so nobody can park and wait.
    const angle = Math.atan2(-side.ny, -side.nx) + (Math.random() - 0.5) * ((50 * Math.PI) / 180);
    s.ball = { x: 0, y: 0, vx: Math.cos(angle) * Pong.serveSpeed, vy: Math.sin(angle) * Pong.serveSpeed };
    s.phase = 'play';
  }

  moveBall() {
    const s = this.state;
    const b = s.ball;
    const r = Pong.ballRadius;
    let nx = b.x + b.vx * TICK_SECONDS;
    let ny = b.y + b.vy * TICK_SECONDS;
    for (const side of this.arena.sides) {
      const dPrev = (b.x - side.ax) * side.nx + (b.y - side.ay) * side.ny;
      const dNext = (nx - side.ax) * side.nx + (ny - side.ay) * side.ny;
      const vn = b.vx * side.nx + b.vy * side.ny;
      if (vn >= 0) continue; // moving away from this side
      if (side.owner < 0) {
        if (dNext < r) {
          // Wall: mirror both the velocity and the part of the step that went too far.
          b.vx -= 2 * vn * side.nx;
          b.vy -= 2 * vn * side.ny;
          nx += 2 * (r - dNext) * side.nx;
          ny += 2 * (r - dNext) * side.ny;
        }
        continue;
      }
      const face = Pong.paddleInset + r;
      if (dPrev >= face && dNext < face) {
        // Swept test: where the ball crossed the paddle's face line this step.
        const f = (dPrev - face) / (dPrev - dNext);
        const hx = b.x + (nx - b.x) * f;
        const hy = b.y + (ny - b.y) * f;
        const along = (hx - side.ax) * side.tx + (hy - side.ay) * side.ty;
        const paddle = s.players[side.owner];
        const offset = (along - paddle.pos * side.len) / (side.paddleLen / 2 + r);
        if (Math.abs(offset) <= 1) {
          // Where it hits decides where it goes, as in classic pong: the edges send it wide.
          const speed = Math.min(Pong.maxSpeed, Math.hypot(b.vx, b.vy) * Pong.speedUp);
          const angle = offset * Pong.maxBounceAngle;
          b.vx = speed * (Math.cos(angle) * side.nx + Math.sin(angle) * side.tx);
          b.vy = speed * (Math.cos(angle) * side.ny + Math.sin(angle) * side.ty);
          nx = hx + side.nx * 1e-3;
          ny = hy + side.ny * 1e-3;
        }
      }
    }
    b.x = nx;
    b.y = ny;
    this.checkGoal();
  }

  /** The ball is wholly past a goal line: its owner concedes. */
  checkGoal() {
    const s = this.state;
    const b = s.ball;
    let worst = null;
    let worstD = -Pong.ballRadius;
    for (const side of this.arena.sides) {
      const d = (b.x - side.ax) * side.nx + (b.y - side.ay) * side.ny;
      if (d < worstD) { worst = side; worstD = d; }
    }
    if (!worst) return;
    if (worst.owner < 0) {
      // Only a corner case (literally) gets here: put the ball back on the wall's inner side.
      b.x -= (worstD - Pong.ballRadius) * worst.nx;
      b.y -= (worstD - Pong.ballRadius) * worst.ny;
      return;
    }
    const loser = s.players[worst.owner];
    s.lastGoal = loser.id;
    if (s.players.length > 1) for (const p of s.players) if (p !== loser) p.score++;
    const target = winScore(s.players.length);
    const best = Math.max(...s.players.map((p) => p.score));
    if (s.players.length > 1 && best >= target) {
      s.phase = 'over';
      s.winners = s.players.filter((p) => p.score === best).map((p) => p.id);
      s.ball = { x: 0, y: 0, vx: 0, vy: 0 };
    } else {
      this.serve(loser.id);
    }
  }
}
