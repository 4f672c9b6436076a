'use strict';
// Shared drawing board: wires the toolbar, the pointer, the board and the room together.
// Message formats, room state keys and limits: protocol.js. The drawing as data: strokes.js.
// The toolbar's buttons and the pen's colours and sizes: toolbar.js.
// The drawing is the room state: a finished stroke is written there (P2P.state), so a member who
// comes later draws what the room holds, whoever drew it and whoever is still here.
// One closure, so none of these names can clash with p2p.js or the helpers' globals.
(() => {
  const CURSOR_INTERVAL_MS = 33;           // ~30 Hz: smooth enough to follow, cheap enough for 6 people
  const MIN_STEP = 0.0015;                 // a point closer than this to the previous one adds nothing visible
  // Own strokes are stored under this author whatever our peer id is (null before the first
  // connection); it can never be a real peer id. localAuthor (and StrokeHistory's paint order) translate at the edges.
  const SELF = '';

  const $ = (selector) => document.querySelector(selector);
  const strokeHistory = new StrokeHistory((author) => (author === SELF ? P2P.getPeerId() || '' : author));
  const board = new Board($('#frame'), $('#board'), $('#canvas'));
  const cursors = new RemoteCursors($('#cursors'));

  const pen = { color: PEN_COLORS[0], width: PEN_SIZES[1] };
  const toolbar = new DrawToolbar(pen, { undo, clear: clearBoard });
  let myStrokes = [];        // ids of my strokes, oldest first, for undo
  let drawing = null;        // the stroke under the pointer: { pointerId, id, color, width, pending, last }
  let lastId = Math.floor(Math.random() * 2 ** 20) - 1; // my newest stroke's id (a random base before any)
  const ownOrder = new Map(); // id → paint order of my strokes not settled yet
  const taken = new Set();   // ids of my strokes whose keys the room state holds
  let unsaved = [];          // my finished strokes drawn before the first connection (no peer id for their keys yet)
  let highestOrder = 0;      // the highest stroke order seen
  let clearedUpTo = 0;       // strokes with an order up to this were cleared (the `clear` key)
  const budget = new StateBudget();
  // Keys of cleared strokes this page deletes (its own; those of members who left, as host).
  const sweeper = new KeySweeper(deleteKey, () => P2P.isConnected());
  let needsRedraw = true;
  let frameRequested = false;

  const localAuthor = (peerId) => (peerId === P2P.getPeerId() ? SELF : peerId);

  // ---------- Painting, once per animation frame ----------

  function requestFrame() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      flushDrawing();
      paint();
    });
  }

  function paint() {
    if (needsRedraw) board.redraw(strokeHistory.strokes);
    else board.drawNew(strokeHistory.strokes);
    needsRedraw = false;
  }

  board.onResize = () => {
    needsRedraw = true;
    paint(); // at once: resizing a canvas blanks it, and a blank frame would flash
  };

  // ---------- Own strokes ----------

  /**
   * The next id after my last one that none of my strokes uses, here or in the room. Ids are never
   * reused, so a new stroke never writes a key whose delete (a clear, an undo) may still be on its
   * way; the host collects deleted keys, so they do not fill the room state. The base is random: a
   * reloaded page that gets its old peer id back may draw before the room's document has arrived,
   * and must not write over the strokes it drew before.
   */
  function newStrokeId() {
    let id = lastId + 1;
    while (taken.has(id) || strokeHistory.get(SELF, id)) id++;
    lastId = id;
    myStrokes.push(id);
    // Paint order: above everything seen, so a stroke lands on top on every board; and at least the
    // wall clock in ms, so a page whose document has not arrived yet (just loaded) still lands
    // above what was drawn, and cleared, before it came.
    highestOrder = Math.max(highestOrder + 1, clearedUpTo + 1, Date.now());
    ownOrder.set(id, highestOrder);
    return id;
  }

  /** Writes my finished stroke `id` to the room state (its live points went as messages). */
  function saveStroke(id) {
    const stroke = strokeHistory.get(SELF, id);
    const me = P2P.getPeerId();
    if (!stroke) return;
    if (!me) {
      unsaved.push(id);
      return;
    }
    // Drawn across a clear: it carries on after it.
    const o = Math.max(ownOrder.get(id) || 0, clearedUpTo + 1);
    ownOrder.delete(id);
    try {
      P2P.state.set(DrawWire.strokeKey(me, id), { o, c: stroke.color, w: stroke.width, p: stroke.points });
    } catch (err) {
      // Offline for a long while (send_queue_full): the stroke stays on this screen only.
      toolbar.toast(err && err.code === 'send_queue_full' ? 'Offline: new strokes stay on this screen only' : 'Could not keep a stroke');
    }
  }

  /** Adds flat, rounded points to own stroke `s` and sends them, splitting at the stroke cap. */
  function commitOwn(s, points) {
    while (points.length > 0) {
      const stroke = strokeHistory.get(SELF, s.id);
      const room = 2 * DrawLimits.strokePoints - (stroke ? stroke.points.length : 0);
      if (room < 2) {
        // This stroke is full: it is finished, and a new one carries on seamlessly where it ended.
        points = stroke.points.slice(-2).concat(points);
        saveStroke(s.id);
        s.id = newStrokeId();
        continue;
      }
      const part = points.splice(0, Math.min(room, 2 * DrawLimits.segmentPoints));
      if (strokeHistory.append(SELF, s.id, s.color, s.width, part).dropped) needsRedraw = true;
      send({ t: 'seg', id: s.id, c: s.color, w: s.width, p: part });
    }
  }

  /** After a clear, only strokes still on the board (the one being drawn carries on) can be undone. */
  function forgetClearedStrokes() {
    myStrokes = myStrokes.filter((id) => strokeHistory.get(SELF, id));
  }

  function flushDrawing() {
    if (!drawing || drawing.pending.length === 0) return;
    commitOwn(drawing, drawing.pending);
    drawing.pending = [];
  }

  function addPoint([x, y]) {
    const p = [DrawWire.round(x), DrawWire.round(y)];
    const last = drawing.last;
    if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_STEP) return;
    drawing.last = p;
    drawing.pending.push(p[0], p[1]);
    requestFrame();
  }

  function undo() {
    while (myStrokes.length > 0) {
      const id = myStrokes.pop();
      if (strokeHistory.remove(SELF, id)) {
        send({ t: 'del', id }); // at once for the boards that saw it live; its key goes too
        const me = P2P.getPeerId();
        if (unsaved.includes(id)) unsaved = unsaved.filter((u) => u !== id);
        else if (me && taken.has(id)) deleteKey(DrawWire.strokeKey(me, id));
        needsRedraw = true;
        requestFrame();
        return;
      }
    }
  }

  /** Clears every stroke this board has seen, for everyone: one write (`clear`), then the keys go. */
  function clearBoard() {
    try {
      // Everything seen, and everything begun before now (the clock, as for strokes).
      P2P.state.set('clear', { o: Math.max(highestOrder, clearedUpTo, Date.now()) });
    } catch {
      toolbar.toast('Offline: the board cannot be cleared now');
      return;
    }
    send({ t: 'clear' }); // so the others can say who did it
  }

  /** The board was cleared up to `order` (the `clear` key changed, here or by another member). */
  function applyClear(order) {
    if (order <= clearedUpTo) return;
    clearedUpTo = order;
    highestOrder = Math.max(highestOrder, order);
    budget.refused = false;
    // Strokes drawn before the first connection belong to the board that was cleared.
    for (const id of unsaved) if ((ownOrder.get(id) || 0) <= order) strokeHistory.remove(SELF, id);
    unsaved = unsaved.filter((id) => strokeHistory.get(SELF, id));
    if (strokeHistory.clearUpTo(order)) {
      needsRedraw = true;
      requestFrame();
    }
    forgetClearedStrokes();
    collectSweep();
  }

  // ---------- Deleting cleared strokes' keys, a few at a time ----------

  // A clear is one write; the strokes' keys are deleted after it (room_keys.js), so the room has
  // space again. Each member deletes its own (nobody deletes a key its drawer may be reusing) and
  // the host those of members who left.
  function collectSweep() {
    const me = P2P.getPeerId();
    if (!me || clearedUpTo === 0) return;
    const here = new Set(P2P.getPeers());
    for (const [key, value] of P2P.state.entries()) {
      const ref = DrawWire.parseStrokeKey(key);
      const stroke = ref && DrawWire.parseStroke(value);
      if (stroke && stroke.o <= clearedUpTo && mayDelete(ref.author, me, here)) sweeper.add(key);
    }
    sweeper.start();
  }

  const mayDelete = (author, me, here) => author === me || (P2P.isHost() && !here.has(author));

  function deleteKey(key) {
    try {
      P2P.state.delete(key);
    } catch {
      // Offline for a long while: the key stays; the next clear or connection collects it again.
    }
  }

  // ---------- The room state: the drawing ----------

  function onStateChange(key, value) {
    track(key, value);
    if (key === 'clear') {
      applyClear(DrawWire.parseClear(value));
      return;
    }
    const ref = DrawWire.parseStrokeKey(key);
    if (!ref) return;
    const me = P2P.getPeerId();
    if (ref.author === me) {
      if (value === undefined) taken.delete(ref.id);
      else taken.add(ref.id);
    }
    const author = localAuthor(ref.author);
    const stroke = value === undefined ? null : DrawWire.parseStroke(value);
    if (stroke) highestOrder = Math.max(highestOrder, stroke.o);
    if (!stroke || stroke.o <= clearedUpTo) {
      if (strokeHistory.remove(author, ref.id)) {
        needsRedraw = true;
        requestFrame();
      }
      if (stroke && me && mayDelete(ref.author, me, new Set(P2P.getPeers()))) sweeper.add(key);
      return;
    }
    if (strokeHistory.settle(author, ref.id, stroke)) needsRedraw = true;
    requestFrame();
  }

  function track(key, value) {
    budget.track(key, value);
    renderFull();
  }

  const isFull = () => budget.full();

  function renderFull() {
    const el = $('#full');
    el.hidden = !isFull();
    el.textContent = budget.refused
      ? 'The board is full: your last stroke did not fit. Undo or clear to draw more.'
      : 'The board is full. Undo or clear to draw more.';
  }

  // ---------- Pointer ----------

  const canvas = $('#canvas');

  canvas.addEventListener('pointerdown', (e) => {
    if (drawing || e.button !== 0) return;
    if (isFull()) {
      // Refused before a single point, rather than drawn and then lost.
      toolbar.toast('The board is full: undo or clear to draw more');
      return;
    }
    try {
      canvas.setPointerCapture(e.pointerId); // keep the stroke when the pointer leaves the board
    } catch {
      // A pointer that is already gone (or a synthetic one): draw without capture.
    }
    drawing = { pointerId: e.pointerId, id: newStrokeId(), color: pen.color, width: pen.width, pending: [], last: null };
    addPoint(board.toBoard(e));
    moveCursor(e);
  });

  canvas.addEventListener('pointermove', (e) => {
    if (drawing && e.pointerId === drawing.pointerId) {
      // Coalesced events keep a fast scribble smooth; they are still sent once per frame. (The
      // list is empty for synthetic events, hence the fallback.)
      const coalesced = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
      for (const ev of coalesced.length > 0 ? coalesced : [e]) addPoint(board.toBoard(ev));
    }
    moveCursor(e);
  });

  function endStroke(e) {
    if (!drawing || e.pointerId !== drawing.pointerId) return;
    flushDrawing();
    saveStroke(drawing.id);
    drawing = null;
    paint();
    if (e.pointerType === 'touch') queueCursor(null); // a lifted finger no longer points anywhere
  }
  canvas.addEventListener('pointerup', endStroke);
  canvas.addEventListener('pointercancel', endStroke);
  canvas.addEventListener('pointerleave', (e) => { if (!drawing) queueCursor(null); else moveCursor(e); });

  // ---------- Own cursor, throttled ----------

  let cursorOut = null;  // latest own position [x, y], or null for "not on the board"
  let cursorSentAt = -Infinity;
  let cursorTimer = 0;

  function moveCursor(e) {
    const [x, y] = board.toBoard(e);
    queueCursor(x >= 0 && x <= 1 && y >= 0 && y <= 1 ? [x, y] : null);
  }

  function queueCursor(pos) {
    cursorOut = pos;
    if (cursorTimer) return;
    const wait = Math.max(0, cursorSentAt + CURSOR_INTERVAL_MS - performance.now());
    cursorTimer = setTimeout(sendCursor, wait);
  }

  function sendCursor() {
    cursorTimer = 0;
    cursorSentAt = performance.now();
    // Cursors are only worth anything live: never queue them while disconnected.
    if (!P2P.isConnected() || P2P.getPeers().length === 0) return;
    send(cursorOut ? { t: 'cur', x: DrawWire.round(cursorOut[0]), y: DrawWire.round(cursorOut[1]) } : { t: 'cur' });
  }

  // ---------- Room ----------

  function send(message) {
    try {
      P2P.send(message);
    } catch (err) {
      // Only send_queue_full is expected (offline for a long while): the board stays usable here.
      toolbar.toast(err && err.code === 'send_queue_full' ? 'Offline: new strokes stay on this screen only' : 'Could not send a stroke');
    }
  }

  function receive(senderId, data) {
    const msg = DrawWire.parse(data);
    if (!msg || typeof senderId !== 'string' || senderId === P2P.getPeerId()) return;
    switch (msg.t) {
      case 'seg': {
        const { stroke, dropped } = strokeHistory.append(senderId, msg.id, msg.c, msg.w, msg.p);
        if (dropped) needsRedraw = true;
        if (stroke || dropped) requestFrame();
        break;
      }
      case 'del':
        if (strokeHistory.remove(senderId, msg.id)) { needsRedraw = true; requestFrame(); }
        break;
      case 'clear':
        // The strokes go with the `clear` key (the room state); this only says who.
        toolbar.toast(`${memberName(senderId)} cleared the board`);
        break;
      case 'cur':
        if (msg.x === undefined) cursors.hide(senderId);
        else cursors.move(senderId, msg.x, msg.y);
        break;
    }
  }

  P2P.onMessage = receive;
  // Also brings the drawing the room holds (each key once), for a page that comes later.
  P2P.state.onChange = onStateChange;

  P2P.onPeerJoin = () => renderPeople();

  P2P.onPeerLeave = (peerId) => {
    cursors.hide(peerId);
    renderPeople();
    collectSweep(); // as host: its cleared strokes' keys
  };

  P2P.onHostChange = () => {
    renderPeople();
    collectSweep();
  };

  P2P.onConnectionChange = (connected) => {
    if (!connected) cursors.keepOnly([]);
    if (connected) {
      // Strokes drawn before the first connection get their keys now that there is a peer id.
      const waiting = unsaved;
      unsaved = [];
      for (const id of waiting) saveStroke(id);
      collectSweep();
    }
    renderPeople();
  };

  P2P.onError = (err) => {
    if (err && err.code === 'send_queue_full') toolbar.toast('Offline: new strokes stay on this screen only');
    if (err && err.code === 'state_too_large') {
      // The room had no space for a stroke: it is gone from the board (the room never held it);
      // say so until a clear makes space, and take no new strokes meanwhile.
      budget.refused = true;
      renderFull();
    }
  };

  // ---------- People, status ----------

  function renderPeople() {
    const me = P2P.getPeerId();
    const ids = me ? [me, ...P2P.getPeers()] : [];
    const people = $('#people');
    people.replaceChildren(...ids.map((id) => {
      const el = document.createElement('span');
      const name = memberName(id);
      el.className = 'avatar';
      el.textContent = name.slice(0, 1).toUpperCase();
      el.title = id === me ? `${name} (you)` : name;
      // An initial alone would be read as a letter: the whole name is what it stands for.
      el.setAttribute('role', 'img');
      el.setAttribute('aria-label', el.title);
      paintMember(el, id);
      return el;
    }));
    $('#status').hidden = P2P.isConnected();
    $('#status').textContent = me ? 'Reconnecting…' : 'Connecting…';
  }

  renderPeople();
  requestFrame();
  // Light ↔ dark while open: the same strokes, painted in the other theme's colours.
  DrawTheme.onChange(() => {
    toolbar.repaint();
    needsRedraw = true;
    requestFrame();
  });

  // ---------- Test hooks (kept stable for the end-to-end tests) ----------

  const colorProbe = document.createElement('canvas').getContext('2d');

  window.huddleDraw = {
    strokeCount: () => strokeHistory.count(),
    strokesBy: (peerId) => strokeHistory.countBy(localAuthor(peerId)),
    clear: clearBoard,
    /** Draws `points` ([[x, y], ...], normalized) in any CSS colour as if by hand, and sends it. */
    drawStroke(points, color = pen.color, width = pen.width) {
      colorProbe.fillStyle = '#000000';
      colorProbe.fillStyle = color; // the browser normalizes any CSS colour to #rrggbb (opaque)
      const c = colorProbe.fillStyle;
      const valid = Array.isArray(points) ? points.filter((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])) : [];
      if (!DrawWire.isColor(c) || valid.length === 0) return;
      const flat = valid.flatMap(([x, y]) => [DrawWire.round(x), DrawWire.round(y)]);
      const size = Number.isFinite(width) ? width : pen.width;
      const w = DrawWire.roundWidth(Math.min(DrawLimits.maxWidth, Math.max(DrawLimits.minWidth, size)));
      if (isFull()) return false;
      const s = { id: newStrokeId(), color: c, width: w };
      commitOwn(s, flat);
      saveStroke(s.id);
      paint();
      return true;
    },
    /** How many keys the room state holds for the drawing (strokes, and `clear`). */
    stateKeys: () => P2P.state.entries().length,
    isFull,
    pixelAt(x, y) {
      paint(); // what has arrived is on the canvas, even if no animation frame ran since
      return board.pixelAt(x, y);
    },
  };
})();
