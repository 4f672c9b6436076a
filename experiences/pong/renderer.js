'use strict';
// Draws the arena on a canvas at devicePixelRatio. Each member sees the arena turned so that their
// own goal is at the bottom (polygons, and the 2-player court on a tall screen) or on the left
// (the court on a wide screen), which makes "my paddle" obvious and lets arrow keys mean what
// they show. Spectators see it as player 1 would.

const PLAYER_COLORS = ['#22d3ee', '#f472b6', '#a3e635', '#fbbf24', '#a78bfa', '#fb923c'];
const TRAIL_LENGTH = 10;

class PongRenderer {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.view = { cos: 1, sin: 0, scale: 1, cx: 0, cy: 0 };
    this.goalAtBottom = false; // see frame()
    this.insets = { top: 0, bottom: 0 }; // CSS pixels covered by HTML above and below the arena
    this.top = 0;                        // canvas pixels: the band the arena and its tags fit in
    this.bottom = 0;
    this.trail = [];
  }

  /** Matches the canvas's pixels to its size on screen; called every frame, so no observer. */
  fit() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
  }

  /** Turns and scales the view so `arena` fills the canvas with `myIndex`'s goal at the bottom/left. */
  frame(arena, myIndex) {
    const ref = sideOf(arena, myIndex) || arena.sides[0];
    const facing = Math.atan2(ref.ny, ref.nx);
    const { width, height } = this.canvas;
    // Goal on the left: the inward normal points right. Goal at the bottom: it points up.
    this.goalAtBottom = arena.kind !== 'court' || height > width;
    const angle = this.goalAtBottom ? -Math.PI / 2 - facing : -facing;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
    for (const s of arena.sides) {
      const x = s.ax * cos - s.ay * sin;
      const y = s.ax * sin + s.ay * cos;
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
    const margin = arena.kind === 'court' ? 0.08 : 0.2; // room for the name tags outside polygon goals
    const dpr = window.devicePixelRatio || 1;
    this.top = this.insets.top * dpr;
    this.bottom = height - this.insets.bottom * dpr;
    const usable = Math.max(1, this.bottom - this.top);
    const scale = Math.min(width / (maxX - minX + 2 * margin), usable / (maxY - minY + 2 * margin));
    this.view = {
      cos, sin, scale,
      cx: width / 2 - ((minX + maxX) / 2) * scale,
      cy: this.top + usable / 2 - ((minY + maxY) / 2) * scale,
    };
  }

  /** Canvas pixel position of arena point (x, y). */
  toScreen(x, y) {
    const v = this.view;
    return [v.cx + (x * v.cos - y * v.sin) * v.scale, v.cy + (x * v.sin + y * v.cos) * v.scale];
  }

  /** Arena point under a pointer event. */
  toArena(event) {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = this.canvas.width / rect.width;
    const v = this.view;
    const sx = ((event.clientX - rect.left) * dpr - v.cx) / v.scale;
    const sy = ((event.clientY - rect.top) * dpr - v.cy) / v.scale;
    return [sx * v.cos + sy * v.sin, -sx * v.sin + sy * v.cos];
  }

  /** +1 when moving along `side` (a → b) looks rightwards or downwards on screen, else -1. */
  screenDirection(side) {
    const v = this.view;
    const x = side.tx * v.cos - side.ty * v.sin;
    const y = side.tx * v.sin + side.ty * v.cos;
    return x + y >= 0 ? 1 : -1;
  }

  /** Draws one frame of `state`; names: peerId → name. */
  draw(state, arena, myIndex, names) {
    this.fit();
    this.frame(arena, myIndex);
    const { ctx, canvas } = this;
    const unit = this.view.scale;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);

    // Floor and centre mark.
    ctx.beginPath();
    arena.sides.forEach((s, i) => {
      const [x, y] = this.toScreen(s.ax, s.ay);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.closePath();
    ctx.fillStyle = '#111827';
    ctx.fill();
    const [mx, my] = this.toScreen(0, 0);
    ctx.beginPath();
    ctx.arc(mx, my, 0.28 * unit, 0, Math.PI * 2);
    ctx.strokeStyle = 'rgb(148 163 184 / 12%)';
    ctx.lineWidth = Math.max(1, 0.012 * unit);
    ctx.stroke();

    // The goal that was just let in glows red for the first half of the next serve's countdown.
    const flashing = state.phase === 'serve' && state.timer > SERVE_TICKS / 2 ? state.lastGoal : null;
    for (const side of arena.sides) this.drawSide(side, state, myIndex, flashing, names);
    if (state.phase === 'serve' || state.phase === 'play') this.drawBall(state.ball, state.phase === 'play');
    else this.trail = [];
  }

  drawSide(side, state, myIndex, flashing, names) {
    const { ctx } = this;
    const unit = this.view.scale;
    const [ax, ay] = this.toScreen(side.ax, side.ay);
    const [bx, by] = this.toScreen(side.bx, side.by);
    ctx.lineCap = 'round';
    if (side.owner < 0) {
      ctx.strokeStyle = '#475569';
      ctx.lineWidth = Math.max(2, 0.03 * unit);
      ctx.setLineDash([]);
      ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
      return;
    }
    const player = state.players[side.owner];
    const color = player ? PLAYER_COLORS[player.color] : '#64748b';
    // Goal line: dashed in the owner's colour; red for a moment after they concede.
    const conceded = player && player.id === flashing;
    ctx.strokeStyle = conceded ? '#ef4444' : color;
    ctx.globalAlpha = conceded ? 0.9 : 0.35;
    ctx.lineWidth = Math.max(1.5, (conceded ? 0.03 : 0.012) * unit);
    ctx.setLineDash([0.05 * unit, 0.05 * unit]);
    ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    if (!player) return;

    // Paddle: a rounded bar just inside the goal line, glowing in the owner's colour.
    const centre = player.pos * side.len;
    const half = side.paddleLen / 2;
    const depth = Pong.paddleInset - Pong.paddleThickness / 2;
    const px = (a) => side.ax + side.tx * a + side.nx * depth;
    const py = (a) => side.ay + side.ty * a + side.ny * depth;
    const [p1x, p1y] = this.toScreen(px(centre - half), py(centre - half));
    const [p2x, p2y] = this.toScreen(px(centre + half), py(centre + half));
    ctx.save();
    ctx.shadowColor = color;
    ctx.shadowBlur = (side.owner === myIndex ? 0.14 : 0.08) * unit;
    ctx.strokeStyle = color;
    ctx.lineWidth = Pong.paddleThickness * unit;
    ctx.beginPath(); ctx.moveTo(p1x, p1y); ctx.lineTo(p2x, p2y); ctx.stroke();
    ctx.restore();

    if (state.players.length <= 2) this.drawCourtScore(side, player, color);
    else this.drawNameTag(side, player, color, side.owner === myIndex ? 'You' : names.get(player.id) || 'Player');
  }

  /** The court's classic big score, faint, in the middle of the owner's half. */
  drawCourtScore(side, player, color) {
    const { ctx } = this;
    const [x, y] = this.toScreen((side.ax + side.bx) / 2 + side.nx * 0.8, (side.ay + side.by) / 2 + side.ny * 0.8);
    ctx.font = `800 ${Math.round(0.5 * this.view.scale)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.globalAlpha = 0.16;
    ctx.fillStyle = color;
    ctx.fillText(String(player.score), x, y);
    ctx.globalAlpha = 1;
  }

  /** "Name · score" just outside a polygon goal, upright whatever the view's angle, never clipped. */
  drawNameTag(side, player, color, name) {
    const { ctx, canvas } = this;
    const out = 0.15;
    const [x, y] = this.toScreen((side.ax + side.bx) / 2 - side.nx * out, (side.ay + side.by) / 2 - side.ny * out);
    const label = `${name} · ${player.score}`;
    const size = Math.max(11 * (window.devicePixelRatio || 1), Math.round(0.075 * this.view.scale));
    ctx.font = `600 ${size}px system-ui, sans-serif`;
    const half = ctx.measureText(label).width / 2 + 4;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = color;
    ctx.fillText(label, Math.min(canvas.width - half, Math.max(half, x)), Math.min(this.bottom - size / 2, Math.max(this.top + size / 2, y)));
  }

  drawBall(ball, moving) {
    const { ctx } = this;
    const unit = this.view.scale;
    const [x, y] = this.toScreen(ball.x, ball.y);
    // The trail is kept in arena units, so it survives a resize or a turn of the view.
    if (moving) {
      this.trail.push([ball.x, ball.y]);
      if (this.trail.length > TRAIL_LENGTH) this.trail.shift();
    } else {
      this.trail = [];
    }
    const r = Pong.ballRadius * unit;
    this.trail.forEach(([ax, ay], i) => {
      const [tx, ty] = this.toScreen(ax, ay);
      ctx.beginPath();
      ctx.arc(tx, ty, r * (0.3 + (0.6 * i) / TRAIL_LENGTH), 0, Math.PI * 2);
      ctx.fillStyle = `rgb(255 255 255 / ${Math.round((i / TRAIL_LENGTH) * 25)}%)`;
      ctx.fill();
    });
    ctx.save();
    ctx.shadowColor = '#ffffff';
    ctx.shadowBlur = r * 1.5;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    ctx.restore();
  }
}
