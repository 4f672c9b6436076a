'use strict';
// Draw's toolbar: the pen's colour and size buttons, Undo (and Ctrl/Cmd+Z), Clear (which asks once
// more), and the toast line under it. The pen is the caller's object: the buttons change it.
const PEN_COLORS = ['#1f2937', '#ef4444', '#f97316', '#eab308', '#22c55e', '#3b82f6', '#8b5cf6', '#ec4899'];
const PEN_SIZES = [0.004, 0.01, 0.025]; // fractions of the board's width
const ERASER_COLOR = BOARD_BACKGROUND;   // erasing is painting in the board's colour
const CLEAR_ARMED_MS = 3000;             // how long "Clear for all?" waits for the second tap
const TOAST_MS = 2500;

class DrawToolbar {
  /** Builds the buttons in #colors and #sizes; `undo` and `clear` are what Undo and a confirmed Clear do. */
  constructor(pen, { undo, clear }) {
    this.pen = pen;
    this.clear = clear;
    this.clearButton = document.querySelector('#clear');
    this.armedTimer = 0;
    this.toastTimer = 0;
    const colors = document.querySelector('#colors');
    for (const color of PEN_COLORS.concat(ERASER_COLOR)) {
      const b = document.createElement('button');
      b.className = color === ERASER_COLOR ? 'swatch eraser' : 'swatch';
      b.title = color === ERASER_COLOR ? 'Eraser' : `Colour ${color}`;
      b.setAttribute('aria-label', b.title);
      b.addEventListener('click', () => { pen.color = color; this.sync(); });
      b.dataset.color = color;
      colors.append(b);
    }
    const sizes = document.querySelector('#sizes');
    PEN_SIZES.forEach((width, i) => {
      const b = document.createElement('button');
      b.className = 'size';
      b.title = ['Thin', 'Medium', 'Thick'][i];
      b.setAttribute('aria-label', b.title);
      b.style.setProperty('--dot', `${4 + i * 5}px`);
      b.dataset.width = String(width);
      b.addEventListener('click', () => { pen.width = width; this.sync(); });
      sizes.append(b);
    });
    document.querySelector('#undo').addEventListener('click', undo);
    this.clearButton.addEventListener('click', () => this.confirmClear());
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') { e.preventDefault(); undo(); }
    });
    this.repaint();
    this.sync();
  }

  /** Marks the pen's colour and size as pressed. */
  sync() {
    for (const b of document.querySelectorAll('.swatch')) b.setAttribute('aria-pressed', String(b.dataset.color === this.pen.color));
    for (const b of document.querySelectorAll('.size')) b.setAttribute('aria-pressed', String(Number(b.dataset.width) === this.pen.width));
  }

  /** Each swatch in what it paints on this board (light or dark). */
  repaint() {
    for (const b of document.querySelectorAll('.swatch')) b.style.setProperty('--swatch', DrawTheme.paint(b.dataset.color));
  }

  /** A line that goes away by itself. */
  toast(text) {
    const el = document.querySelector('#toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { el.hidden = true; }, TOAST_MS);
  }

  // Clearing wipes everyone's work, so the button asks once more instead of acting on a stray tap.
  confirmClear() {
    if (this.armedTimer) {
      this.disarmClear();
      this.clear();
      return;
    }
    this.clearButton.textContent = 'Clear for all?';
    this.clearButton.classList.add('armed');
    this.armedTimer = setTimeout(() => this.disarmClear(), CLEAR_ARMED_MS);
  }

  disarmClear() {
    clearTimeout(this.armedTimer);
    this.armedTimer = 0;
    this.clearButton.textContent = 'Clear';
    this.clearButton.classList.remove('armed');
  }
}
