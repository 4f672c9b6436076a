'use strict';
// Shared drawing board: wires the toolbar, the pointer, the board and the room together.
// Message formats and limits: protocol.js. The drawing as data: strokes.js.
// One closure, so none of these names can clash with p2p.js or the helpers' globals.
(() => {
  const PEN_COLORS = ['#1f2937', '#ef4444', '#f97316', '#eab308', '#22c55e', '#3b82f6', '#8b5cf6', '#ec4899'];
  const PEN_SIZES = [0.004, 0.01, 0.025]; // fractions of the board's width
  const ERASER_COLOR = BOARD_BACKGROUND;   // erasing is painting in the board's colour
  const CURSOR_INTERVAL_MS = 33;           // ~30 Hz: smooth enough to follow, cheap enough for 6 people
  const MIN_STEP = 0.0015;                 // a point closer than this to the previous one adds nothing visible
  // Own strokes are stored under this author whatever our peer id is (null before the first
  // connection); it can never be a real peer id. localAuthor/wireAuthor translate at the edges.
  const SELF = '';

  const $ = (selector) => document.querySelector(selector);
  const strokeHistory = new StrokeHistory();
  const board = new Board($('#frame'), $('#board'), $('#canvas'));
  const cursors = new RemoteCursors($('#cursors'));

  const pen = { color: PEN_COLORS[0], width: PEN_SIZES[1] };
  // Stroke ids only need to be unique per author; a random start keeps a reloaded page that gets
  // its old peer id back from colliding with the strokes it drew before.
  let nextStrokeId = Math.floor(Math.random() * 2 ** 30);
  let myStrokes = [];        // ids of my strokes, oldest first, for undo
  let drawing = null;        // the stroke under the pointer: { pointerId, id, color, width, pending, last }
  let awaitingHistory = true; // until the host's last 'hist' chunk (or until we are the host)
  let needsRedraw = true;
  let frameRequested = false;

  const localAuthor = (peerId) => (peerId === P2P.getPeerId() ? SELF : peerId);
  const wireAuthor = (author) => (author === SELF ? P2P.getPeerId() : author);

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

  function newStrokeId() {
    const id = nextStrokeId;
    nextStrokeId = (nextStrokeId + 1) % DrawLimits.maxId;
    myStrokes.push(id);
    return id;
  }

  /** Adds flat, rounded points to own stroke `s` and sends them, splitting at the stroke cap. */
  function commitOwn(s, points) {
    while (points.length > 0) {
      const stroke = strokeHistory.get(SELF, s.id);
      const room = 2 * DrawLimits.strokePoints - (stroke ? stroke.points.length : 0);
      if (room < 2) {
        // This stroke is full: carry on seamlessly in a new one that starts where it ended.
        points = stroke.points.slice(-2).concat(points);
        s.id = newStrokeId();
        continue;
      }
      const part = points.splice(0, Math.min(room, 2 * DrawLimits.segmentPoints));
      if (strokeHistory.append(SELF, s.id, s.color, s.width, part).dropped) needsRedraw = true;
      send({ t: 'seg', id: s.id, c: s.color, w: s.width, p: part });
    }
  }

  /** After a clear only the stroke still being drawn (it carries on after the clear) can be undone. */
  function forgetClearedStrokes() {
    myStrokes = drawing ? [drawing.id] : [];
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
        send({ t: 'del', id });
        needsRedraw = true;
        requestFrame();
        return;
      }
    }
  }

  function clearBoard() {
    strokeHistory.clear();
    forgetClearedStrokes();
    send({ t: 'clear' });
    needsRedraw = true;
    requestFrame();
  }

  // ---------- Pointer ----------

  const canvas = $('#canvas');

  canvas.addEventListener('pointerdown', (e) => {
    if (drawing || e.button !== 0) return;
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
      toast(err && err.code === 'send_queue_full' ? 'Offline: new strokes stay on this screen only' : 'Could not send a stroke');
    }
  }

  function sendHistoryTo(peerId) {
    const strokes = strokeHistory.strokes.map((s) => ({ ...s, author: wireAuthor(s.author) }));
    try {
      for (const chunk of DrawWire.historyChunks(strokes)) P2P.sendTo(peerId, chunk);
    } catch {
      // The joiner already left (peer_not_in_room): nothing to catch up.
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
        strokeHistory.clear();
        forgetClearedStrokes();
        needsRedraw = true;
        requestFrame();
        toast(`${memberName(senderId)} cleared the board`);
        break;
      case 'cur':
        if (msg.x === undefined) cursors.hide(senderId);
        else cursors.move(senderId, msg.x, msg.y);
        break;
      case 'hist':
        // Only the host speaks for the room's past, and only once, to a member that just arrived.
        if (senderId !== P2P.getHostId() || !awaitingHistory) return;
        for (const [author, id, c, w, p] of msg.s) strokeHistory.addFromHistory(localAuthor(author), id, c, w, p);
        if (msg.last) awaitingHistory = false;
        needsRedraw = true;
        requestFrame();
        break;
    }
  }

  P2P.onMessage = receive;

  P2P.onPeerJoin = (peerId) => {
    if (P2P.isHost()) sendHistoryTo(peerId);
    renderPeople();
  };

  P2P.onPeerLeave = (peerId) => {
    cursors.hide(peerId);
    renderPeople();
  };

  P2P.onHostChange = () => {
    // A host never receives history: whatever it has is the room's drawing from now on.
    if (P2P.isHost()) awaitingHistory = false;
    renderPeople();
  };

  P2P.onConnectionChange = (connected) => {
    if (!connected) cursors.keepOnly([]);
    renderPeople();
  };

  P2P.onError = (err) => {
    if (err && err.code === 'send_queue_full') toast('Offline: new strokes stay on this screen only');
  };

  // ---------- Toolbar, people, status ----------

  function renderToolbar() {
    const colors = $('#colors');
    for (const color of PEN_COLORS.concat(ERASER_COLOR)) {
      const b = document.createElement('button');
      b.className = color === ERASER_COLOR ? 'swatch eraser' : 'swatch';
      b.style.setProperty('--swatch', DrawTheme.paint(color)); // what it paints on this board
      b.title = color === ERASER_COLOR ? 'Eraser' : `Colour ${color}`;
      b.setAttribute('aria-label', b.title);
      b.addEventListener('click', () => { pen.color = color; syncToolbar(); });
      b.dataset.color = color;
      colors.append(b);
    }
    const sizes = $('#sizes');
    PEN_SIZES.forEach((width, i) => {
      const b = document.createElement('button');
      b.className = 'size';
      b.title = ['Thin', 'Medium', 'Thick'][i];
      b.setAttribute('aria-label', b.title);
      b.style.setProperty('--dot', `${4 + i * 5}px`);
      b.dataset.width = String(width);
      b.addEventListener('click', () => { pen.width = width; syncToolbar(); });
      sizes.append(b);
    });
    $('#undo').addEventListener('click', undo);
    $('#clear').addEventListener('click', confirmClear);
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') { e.preventDefault(); undo(); }
    });
    syncToolbar();
  }

  function syncToolbar() {
    for (const b of document.querySelectorAll('.swatch')) b.setAttribute('aria-pressed', String(b.dataset.color === pen.color));
    for (const b of document.querySelectorAll('.size')) b.setAttribute('aria-pressed', String(Number(b.dataset.width) === pen.width));
  }

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

  // Clearing wipes everyone's work, so the button asks once more instead of acting on a stray tap.
  let clearArmedTimer = 0;
  function confirmClear() {
    const button = $('#clear');
    if (clearArmedTimer) {
      disarmClear();
      clearBoard();
      return;
    }
    button.textContent = 'Clear for all?';
    button.classList.add('armed');
    clearArmedTimer = setTimeout(disarmClear, 3000);
  }

  function disarmClear() {
    clearTimeout(clearArmedTimer);
    clearArmedTimer = 0;
    $('#clear').textContent = 'Clear';
    $('#clear').classList.remove('armed');
  }

  let toastTimer = 0;
  function toast(text) {
    const el = $('#toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 2500);
  }

  renderToolbar();
  renderPeople();
  requestFrame();
  // Light ↔ dark while open: the same strokes, painted in the other theme's colours.
  DrawTheme.onChange(() => {
    for (const b of document.querySelectorAll('.swatch')) b.style.setProperty('--swatch', DrawTheme.paint(b.dataset.color));
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
      commitOwn({ id: newStrokeId(), color: c, width: w }, flat);
      paint();
    },
    pixelAt(x, y) {
      paint(); // what has arrived is on the canvas, even if no animation frame ran since
      return board.pixelAt(x, y);
    },
  };
})();
