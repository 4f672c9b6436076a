'use strict';
// The canvas: a fixed 4:3 board fitted into whatever space the iframe gives it, drawn at
// devicePixelRatio. Every member's board has the same shape, so normalized coordinates (0..1 on
// each axis) and widths (a fraction of the board's width) look the same on a phone and a monitor.

const BOARD_ASPECT = 4 / 3;
// The paper's colour as strokes carry it (the eraser paints it); each theme paints it its own way
// (theme.js).
const BOARD_BACKGROUND = LIGHT_BOARD;

class Board {
  /** frame: the element the board fills (its size decides the board's); board: the box to size. */
  constructor(frame, board, canvas) {
    this.frame = frame;
    this.board = board;
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.drawn = new WeakMap(); // stroke → how many entries of its points array are on the canvas
    this.probe = null;          // 1×1 canvas for pixelAt, made on first use
    this.onResize = () => {};
    new ResizeObserver(() => this.fit()).observe(frame);
    this.fit();
  }

  fit() {
    const style = getComputedStyle(this.frame);
    const fw = this.frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const fh = this.frame.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    if (fw <= 0 || fh <= 0) return;
    const width = Math.floor(Math.min(fw, fh * BOARD_ASPECT));
    const height = Math.floor(width / BOARD_ASPECT);
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.round(width * dpr);
    const ph = Math.round(height * dpr);
    this.board.style.width = `${width}px`;
    this.board.style.height = `${height}px`;
    if (this.canvas.width === pw && this.canvas.height === ph) return;
    this.canvas.width = pw;
    this.canvas.height = ph;
    this.onResize();
  }

  /** Normalized board coordinates of a pointer event's position (may fall outside 0..1). */
  toBoard(event) {
    const r = this.canvas.getBoundingClientRect();
    return [(event.clientX - r.left) / r.width, (event.clientY - r.top) / r.height];
  }

  /** Repaints every stroke from scratch (after a resize, a clear, an undo or dropped strokes). */
  redraw(strokes) {
    const { ctx, canvas } = this;
    ctx.fillStyle = DrawTheme.board();
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    this.drawn = new WeakMap();
    this.drawNew(strokes);
  }

  /** Paints only what each stroke gained since it was last painted. */
  drawNew(strokes) {
    for (const stroke of strokes) {
      const from = this.drawn.get(stroke) || 0;
      if (from < stroke.points.length) this.paint(stroke, from);
    }
  }

  paint(stroke, from) {
    const { ctx } = this;
    const W = this.canvas.width;
    const H = this.canvas.height;
    const p = stroke.points;
    const color = DrawTheme.paint(stroke.color);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = Math.max(1, stroke.width * W);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (p.length === 2) {
      // A tap: a dot as wide as the pen, since a zero-length line paints nothing.
      ctx.beginPath();
      ctx.arc(p[0] * W, p[1] * H, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      // Start at the last painted point so the new part joins the old one without a seam.
      const start = Math.max(0, from - 2);
      ctx.beginPath();
      ctx.moveTo(p[start] * W, p[start + 1] * H);
      for (let i = start + 2; i < p.length; i += 2) ctx.lineTo(p[i] * W, p[i + 1] * H);
      ctx.stroke();
    }
    this.drawn.set(stroke, p.length);
  }

  /** [r, g, b, a] of the canvas at normalized (x, y). */
  pixelAt(x, y) {
    const px = Math.min(this.canvas.width - 1, Math.max(0, Math.floor(x * this.canvas.width)));
    const py = Math.min(this.canvas.height - 1, Math.max(0, Math.floor(y * this.canvas.height)));
    // Read through a 1×1 copy: reading the board itself again and again would make the browser
    // move it off the GPU (and warn about it in the console).
    this.probe ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true });
    this.probe.clearRect(0, 0, 1, 1);
    this.probe.drawImage(this.canvas, px, py, 1, 1, 0, 0, 1, 1);
    return Array.from(this.probe.getImageData(0, 0, 1, 1).data);
  }
}
