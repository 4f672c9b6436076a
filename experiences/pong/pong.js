'use strict';
// Pong for up to six: the room, the host's fixed-step loop, controls, and the test hooks.
// Rules: simulation.js. Shapes: arena.js. Messages: protocol.js. Drawing: renderer.js, hud.js.
//
// The host (P2P.getHostId()) alone runs the game at 60 Hz and sends the whole state every tick;
// members send the host their input when it changes and draw the latest state they have. When
// the host leaves, the new host carries on from the last state it received.
//
// States and inputs go unreliably ({reliable: false}): each one supersedes the last, so a lost one
// is replaced by the next rather than resent late, and a slow member never holds the others up.
// Nothing else is lost with them: every state carries the scores, phase and players in full, and
// inputs are repeated while unchanged. The start request ({t:'go'}) is sent once, so reliably.

// One closure, so none of these names can clash with p2p.js or the helpers' globals.
(() => {
  const TICK_MS = 1000 / Pong.tickHz;
  const MAX_CATCH_UP = 5;     // ticks run back to back after a stall (a hidden tab); the rest is dropped
  const STALE_MS = 1000;      // a member with no state for this long says it is waiting for the host
  const EXTRAPOLATE_MS = 50;  // members carry the ball forward at most this far past the last state
  const INPUT_REPEAT_MS = 250; // an unchanged input is told again this often, so a lost one costs at most this long
  const UNRELIABLE = Object.freeze({ reliable: false });

  const $ = (selector) => document.querySelector(selector);
  const renderer = new PongRenderer($('#canvas'));
  const hud = new PongHud(document.body, requestStart);

  let state = null;           // the latest state: the simulation's own on the host, else the host's last
  let receivedAt = 0;         // performance.now() when that state arrived (members)
  let sim = null;             // the PongSimulation, while we are the host
  let loopTimer = 0;
  let nextTickAt = 0;
  const inputs = new Map();   // peerId → latest input, as received (the host steps with these)
  const inputCounts = {};     // peerId → input messages received (test hook)
  let ticksReceived = 0;      // states accepted from the host (test hook)

  let myInput = { d: 0 };     // what the host was last told about our paddle
  let inputSentAt = 0;        // performance.now() when it was last told
  let keyDir = null;          // -1 | 0 | 1 on screen while the keys are in charge, else null
  let pointerTarget = null;   // 0..1 along our side while the pointer is in charge

  const members = () => (P2P.getPeerId() ? [P2P.getPeerId(), ...P2P.getPeers()] : []);
  const myIndex = () => (state ? state.players.findIndex((p) => p.id === P2P.getPeerId()) : -1);
  const arenaOf = (s) => buildArena(s ? s.players.length : 0);

  // ---------- Host ----------

  /** Starts or stops running the game as P2P.isHost() says; a new host resumes the last state. */
  function syncRole() {
    if (P2P.isHost() && !sim) {
      sim = new PongSimulation(state ? structuredClone(state) : newGameState([]));
      sim.setMembers(members());
      state = sim.state;
      nextTickAt = performance.now() + TICK_MS;
      loopTimer = setTimeout(hostLoop, TICK_MS);
    } else if (!P2P.isHost() && sim) {
      sim = null;
      clearTimeout(loopTimer);
      receivedAt = performance.now(); // the new host gets STALE_MS before we call it missing
    }
  }

  // A timer, not requestAnimationFrame: the game must go on while the host's tab is in the
  // background (where browsers throttle timers but stop animation frames altogether).
  function hostLoop() {
    if (!sim) return;
    const now = performance.now();
    // Offline, the host pauses: nobody would see the ticks (and unreliable sends are dropped then anyway).
    if (P2P.isConnected()) {
      for (let n = 0; n < MAX_CATCH_UP && now >= nextTickAt; n++) {
        tick();
        nextTickAt += TICK_MS;
      }
    }
    if (now - nextTickAt > TICK_MS) nextTickAt = now + TICK_MS; // drop the time we could not catch up
    loopTimer = setTimeout(hostLoop, Math.max(0, nextTickAt - performance.now()));
  }

  function tick() {
    inputs.set(P2P.getPeerId(), myInput);
    sim.step(inputs);
    state = sim.state;
    // Unreliable sends are never queued, so a member that stopped acking cannot fill a queue and
    // make the send fail for everyone: one broadcast per tick is enough.
    if (P2P.getPeers().length > 0) send(() => P2P.send(PongWire.encodeState(state), UNRELIABLE));
  }

  // ---------- Messages ----------

  P2P.onMessage = (senderId, data) => {
    if (typeof senderId !== 'string' || senderId === P2P.getPeerId()) return;
    if (data && data.t === 's') {
      if (sim || senderId !== P2P.getHostId()) return;
      const next = PongWire.decodeState(data);
      if (!next) return;
      state = next;
      receivedAt = performance.now();
      ticksReceived++;
      return;
    }
    // Inputs are kept even when we are not (yet) the host: a member that learns of a new host
    // first may send it its input before the new host hears that it is one.
    const input = PongWire.decodeInput(data);
    if (input) {
      inputs.set(senderId, input);
      inputCounts[senderId] = (inputCounts[senderId] || 0) + 1;
      return;
    }
    if (PongWire.isStart(data) && sim && sim.state.players.some((p) => p.id === senderId)) sim.start();
  };

  P2P.onPeerJoin = () => { if (sim) sim.setMembers(members()); };

  P2P.onPeerLeave = (peerId) => {
    inputs.delete(peerId);
    if (sim) sim.setMembers(members());
  };

  P2P.onHostChange = () => {
    syncRole();
    if (!sim) tellHost(myInput); // the new host has never heard our input
  };

  P2P.onConnectionChange = (connected) => {
    syncRole();
    if (connected && !sim) tellHost(myInput);
  };

  /** Runs a P2P send; a refused one (the host just left, queue full while offline) is dropped. */
  function send(fn) {
    try { fn(); } catch { /* the next tick or input change sends fresh data anyway */ }
  }

  function tellHost(message) {
    const host = P2P.getHostId();
    if (!P2P.isConnected() || !host || host === P2P.getPeerId()) return;
    inputSentAt = performance.now();
    send(() => P2P.sendTo(host, { t: 'i', ...message }, UNRELIABLE));
  }

  // A timer, not the animation frame: a background tab must still correct a lost input (its keys
  // were released on blur), and there animation frames stop.
  setInterval(() => {
    if (performance.now() - inputSentAt >= INPUT_REPEAT_MS) tellHost(myInput);
  }, INPUT_REPEAT_MS);

  function requestStart() {
    if (sim) sim.start();
    else send(() => { if (P2P.getHostId()) P2P.sendTo(P2P.getHostId(), { t: 'go' }); });
  }

  // ---------- Controls ----------

  /** Our next input from the keys or the pointer, told to the host only when it changes. */
  function updateInput() {
    const side = sideOf(arenaOf(state), myIndex());
    let next;
    if (keyDir !== null) next = { d: side ? keyDir * renderer.screenDirection(side) : 0 };
    else if (pointerTarget !== null) next = { p: pointerTarget };
    else return;
    if (next.d === myInput.d && next.p === myInput.p) return;
    myInput = next;
    tellHost(next);
  }

  const KEYS_BACK = new Set(['ArrowUp', 'ArrowLeft', 'KeyW', 'KeyA']);       // up or left on screen
  const KEYS_FORWARD = new Set(['ArrowDown', 'ArrowRight', 'KeyS', 'KeyD']); // down or right on screen
  const held = new Set();

  function onKey(e) {
    if (KEYS_BACK.has(e.code) || KEYS_FORWARD.has(e.code)) {
      e.preventDefault();
      if (e.type === 'keydown') held.add(e.code); else held.delete(e.code);
      const has = (keys) => [...held].some((k) => keys.has(k));
      keyDir = (has(KEYS_FORWARD) ? 1 : 0) - (has(KEYS_BACK) ? 1 : 0);
      pointerTarget = null;
      updateInput();
    } else if (e.type === 'keydown' && (e.code === 'Space' || e.code === 'Enter') && !e.repeat) {
      e.preventDefault();
      requestStart();
    }
  }
  document.addEventListener('keydown', onKey);
  document.addEventListener('keyup', onKey);
  window.addEventListener('blur', () => {
    held.clear();
    if (keyDir !== null) { keyDir = 0; updateInput(); }
  });

  const canvas = $('#canvas');
  function onPointer(e) {
    // A mouse steers by hovering; a finger or pen while touching.
    if (e.pointerType !== 'mouse' && e.buttons === 0) return;
    const side = sideOf(arenaOf(state), myIndex());
    if (!side) return;
    const [x, y] = renderer.toArena(e);
    const along = ((x - side.ax) * side.tx + (y - side.ay) * side.ty) / side.len;
    pointerTarget = PongWire.r3(Math.min(1, Math.max(0, along)));
    keyDir = null; // sent on the next animation frame, so a fast mouse costs at most 60 messages/s
  }
  canvas.addEventListener('pointermove', onPointer);
  canvas.addEventListener('pointerdown', onPointer);

  // ---------- Drawing, every animation frame ----------

  function frame() {
    updateInput();
    const now = performance.now();
    const arena = arenaOf(state);
    const me = myIndex();
    const names = new Map(members().map((id) => [id, nameOf(id)]));
    renderer.insets = hud.insets();
    if (state) {
      const ahead = sim || state.phase !== 'play' ? 0 : Math.min(now - receivedAt, EXTRAPOLATE_MS) / 1000;
      const b = state.ball;
      renderer.draw(state, arena, me, { x: b.x + b.vx * ahead, y: b.y + b.vy * ahead }, names);
    } else {
      renderer.draw(newGameState([]), arena, -1, { x: 0, y: 0 }, names);
    }
    hud.update(hudView(arena, me, now));
    requestAnimationFrame(frame);
  }

  function nameOf(id) {
    const peer = P2P.getPeer(id);
    return peer && typeof peer.name === 'string' && peer.name ? peer.name : 'Player';
  }

  function waiting(now) {
    if (!P2P.isConnected()) {
      const detail = P2P.getPeerId() ? 'Connection lost, reconnecting…' : 'Connecting to the room…';
      return { title: sim ? 'Paused' : 'Waiting for host…', detail };
    }
    if (!sim && (!state || now - receivedAt > STALE_MS)) return { title: 'Waiting for host…', detail: 'The game resumes as soon as the host is back.' };
    return null;
  }

  function hudView(arena, me, now) {
    const players = state ? state.players.map((p, i) => ({
      id: p.id, name: nameOf(p.id), score: p.score, color: PLAYER_COLORS[p.color], me: i === me,
    })) : [];
    const view = { players, card: waiting(now), countdown: '', help: '' };
    if (state && !view.card) {
      const n = state.players.length;
      if (state.phase === 'lobby') {
        view.card = n < 2
          ? { title: 'Pong', detail: 'Practise until someone joins — up to 6 can play.', button: 'Start' }
          : { title: 'Pong', detail: `${n} players. Miss the ball and everyone else scores; first to ${winScore(n)} wins.`, button: 'Start' };
      } else if (state.phase === 'over') {
        const names = state.winners.map(nameOf);
        view.card = { title: `${names.join(' & ')} ${names.length === 1 ? 'wins' : 'win'}!`, detail: 'Press Space or tap to play again.', button: 'Play again' };
      } else if (state.phase === 'serve') {
        view.countdown = String(Math.ceil((3 * state.timer) / SERVE_TICKS)); // 3, 2, 1
      }
    }
    if (me >= 0) {
      view.help = renderer.goalAtBottom ? '← → or A D · or move the pointer' : '↑ ↓ or W S · or move the pointer';
    } else if (state && state.players.length >= Pong.maxPlayers) {
      view.help = 'The arena is full: you are watching.';
    }
    return view;
  }

  // ---------- Test hooks (kept stable for the end-to-end tests) ----------

  window.huddlePong = {
    state() {
      const s = state || newGameState([]);
      return {
        tick: s.tick,
        hostId: P2P.getHostId(),
        players: Object.fromEntries(s.players.map((p) => [p.id, { score: p.score, paddle: p.pos }])),
        ball: { x: s.ball.x, y: s.ball.y },
        running: (s.phase === 'serve' || s.phase === 'play') && P2P.isConnected(),
        phase: s.phase,
      };
    },
    inputsReceived: () => ({ ...inputCounts }),
    ticksReceived: () => ticksReceived,
    /** -1 (up/left), 0 or 1 (down/right), as if the keys were held. */
    setInput(value) {
      keyDir = Math.sign(Number(value)) || 0;
      pointerTarget = null;
      updateInput();
    },
  };

  syncRole();
  requestAnimationFrame(frame);
})();
