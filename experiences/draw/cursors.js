'use strict';
// Other members' cursors: an arrow and a name tag per peer, laid over the board in percent so they
// stay put when the board resizes. A member's colour comes from their peer id, so every member
// sees the same person in the same colour without anyone sending it.

const MEMBER_COLORS = ['#e11d48', '#2563eb', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5'];

function memberColor(peerId) {
  let h = 0;
  for (let i = 0; i < peerId.length; i++) h = (h * 31 + peerId.charCodeAt(i)) >>> 0;
  return MEMBER_COLORS[h % MEMBER_COLORS.length];
}

/**
 * The colour for text on a member's colour (name tags, initials): white or near-black, whichever
 * contrasts more. Each palette colour reaches 4.5:1 with one of them; white alone did not on the
 * green, amber, cyan, lime and orange (3.1 to 3.8:1).
 */
function memberInk(color) {
  return DrawTheme.contrast(color, '#ffffff') >= DrawTheme.contrast(color, '#0f1117') ? '#ffffff' : '#0f1117';
}

/** Paints `el` in peerId's colour: `--member` and, for text on it, `--member-ink`. */
function paintMember(el, peerId) {
  const color = memberColor(peerId);
  el.style.setProperty('--member', color);
  el.style.setProperty('--member-ink', memberInk(color));
}

function memberName(peerId) {
  const peer = P2P.getPeer(peerId);
  return peer && typeof peer.name === 'string' && peer.name ? peer.name : 'Guest';
}

class RemoteCursors {
  constructor(layer) {
    this.layer = layer;
    this.cursors = new Map(); // peerId → element
  }

  /** Shows peerId's cursor at normalized (x, y). */
  move(peerId, x, y) {
    let el = this.cursors.get(peerId);
    if (!el) {
      el = document.createElement('div');
      el.className = 'cursor';
      paintMember(el, peerId);
      el.innerHTML = '<svg viewBox="0 0 16 20" aria-hidden="true"><path d="M1 1 L1 16 L5 12 L8 19 L11 18 L8 11 L14 11 Z"/></svg><span></span>';
      this.layer.append(el);
      this.cursors.set(peerId, el);
    }
    // Looked up every time: a cursor can arrive before the room has told us its owner's name.
    const tag = el.querySelector('span');
    const name = memberName(peerId);
    if (tag.textContent !== name) tag.textContent = name;
    el.style.left = `${x * 100}%`;
    el.style.top = `${y * 100}%`;
  }

  /** Removes peerId's cursor (pointer left the board, or the peer left the room). */
  hide(peerId) {
    this.cursors.get(peerId)?.remove();
    this.cursors.delete(peerId);
  }

  /** Removes every cursor whose peer is no longer in `present`. */
  keepOnly(present) {
    for (const peerId of [...this.cursors.keys()]) if (!present.includes(peerId)) this.hide(peerId);
  }
}
