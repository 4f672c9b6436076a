'use strict';
// Everything drawn in HTML over the canvas: the scoreboard, the centre card (start, waiting,
// winners), the serve countdown and the controls hint. It only touches the DOM when what it shows
// changes, since update() runs every animation frame.

class PongHud {
  constructor(root, onStart) {
    this.el = {
      scores: root.querySelector('#scores'),
      card: root.querySelector('#card'),
      title: root.querySelector('#card-title'),
      detail: root.querySelector('#card-detail'),
      start: root.querySelector('#start'),
      countdown: root.querySelector('#countdown'),
      help: root.querySelector('#help'),
    };
    this.el.start.addEventListener('click', onStart);
    this.shown = {};
  }

  /**
   * view: { players: [{ id, name, score, color, me }], card: null | { title, detail, button },
   *         countdown: '' | text, help: '' | text }
   */
  update(view) {
    this.once('scores', view.players, () => {
      this.el.scores.replaceChildren(...view.players.map((p) => {
        const chip = document.createElement('div');
        chip.className = p.me ? 'chip me' : 'chip';
        chip.style.setProperty('--player', p.color);
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = p.me ? `${p.name} (you)` : p.name;
        const score = document.createElement('b');
        score.textContent = String(p.score);
        chip.append(name, score);
        return chip;
      }));
    });
    this.once('card', view.card, () => {
      this.el.card.hidden = !view.card;
      if (!view.card) return;
      this.el.title.textContent = view.card.title;
      this.el.detail.textContent = view.card.detail;
      this.el.start.hidden = !view.card.button;
      this.el.start.textContent = view.card.button || '';
    });
    this.once('countdown', view.countdown, () => {
      this.el.countdown.hidden = !view.countdown;
      this.el.countdown.textContent = view.countdown;
    });
    this.once('help', view.help, () => { this.el.help.textContent = view.help; });
  }

  /** CSS pixels the scoreboard and the hint cover at the top and bottom, for the arena to avoid. */
  insets() {
    return { top: this.el.scores.offsetTop + this.el.scores.offsetHeight + 6, bottom: this.el.help.offsetHeight + 12 };
  }

  /** Runs `apply` only when `value` differs from what `key` showed last. */
  once(key, value, apply) {
    const text = JSON.stringify(value);
    if (this.shown[key] === text) return;
    this.shown[key] = text;
    apply();
  }
}
