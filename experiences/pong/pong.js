'use strict';
// Pong for up to six: the game on P2P.game, the controls, and the test hooks.
// Rules: simulation.js. Shapes: arena.js. State and input: protocol.js. Drawing: renderer.js, hud.js.
//
// Game sync (P2P.game) runs the loop, 60 ticks a second, on every member. On the room's host,
// onTick steps the simulation with everyone's latest input and returns the new state; game sync
// sends it to each member as a delta against what that member acknowledged, and members draw it
// interpolated (render()). A member's input (its keys or pointer, and how often it pressed Start)
// goes to the host every tick until acknowledged, so there is nothing to resend by hand. While
// the host is away everyone pauses; when it leaves, the next host carries on from the last state.

// One closure, so none of these names can clash with p2p.js or the helpers' globals.
(() => {
  const $ = (selector) => document.querySelector(selector);
  const renderer = new PongRenderer($('#canvas'));
  const hud = new PongHud(document.body, requestStart);

  let state = null;           // the newest state: the simulation's own on the host, else the host's, decoded
  let sim = null;             // the PongSimulation, while we are the host
  const presses = new Map();  // host: peerId → its count of Start presses (input.go) last seen
  const latestInputs = {};    // host: peerId → its latest input, as received (test hook)
  const inputCounts = {};     // host: peerId → inputs received from it (test hook)
  let ticksReceived = 0;      // states accepted from the host (test hook)

  let myInput = { d: 0, go: 0 }; // what game sync sends the host every tick
  let keyDir = null;          // -1 | 0 | 1 on screen while the keys are in charge, else null
  let pointerTarget = null;   // 0..1 along our side while the pointer is in charge

  const members = () => (P2P.getPeerId() ? [P2P.getPeerId(), ...P2P.getPeers()] : []);
  const myIndex = () => (state ? state.players.findIndex((p) => p.id === P2P.getPeerId()) : -1);
  const arenaOf = (s) => buildArena(s ? s.players.length : 0);

  // ---------- The game ----------

  /** We host from now on, going on from `published` (the last state; null: a new game). */
  function host(published) {
    sim = new PongSimulation(PongWire.decodeState(published) ?? newGameState([]));
    state = sim.state;
    presses.clear();
  }

  P2P.game.onHost = host;

  P2P.game.onTick = (inputs) => {
    // Ticks before onHost: the page hands a new document (an iframe reloaded on the host) the
    // game's state as onHost when it starts; until then, go on from whatever we hold.
    if (!sim) host(P2P.game.state);
    const moves = new Map();
    let start = false;
    for (const [id, { latest, fresh }] of Object.entries(inputs)) {
      const move = PongWire.decodeInput(latest);
      if (move) moves.set(id, move);
      if (PongWire.pressedStart(presses, id, latest) && sim.state.players.some((p) => p.id === id)) start = true;
      if (id === P2P.getPeerId()) continue;
      latestInputs[id] = latest;
      inputCounts[id] = (inputCounts[id] || 0) + fresh.length;
    }
    sim.setMembers(members());
    if (start) sim.start();
    sim.step(moves);
    return PongWire.encodeState(sim.state);
  };

  P2P.game.onState = (published) => {
    sim = null; // states come to members only: another member hosts now
    const next = PongWire.decodeState(published);
    if (!next) return;
    state = next;
    ticksReceived++;
  };

  function setInput(input) {
    myInput = input;
    P2P.game.setInput(input);
  }

  function requestStart() {
    setInput({ ...myInput, go: myInput.go + 1 });
  }

  // ---------- Controls ----------

  /** Our next input from the keys or the pointer, handed to game sync only when it changes. */
  function updateInput() {
    const side = sideOf(arenaOf(state), myIndex());
    let move;
    if (keyDir !== null) move = { d: side ? keyDir * renderer.screenDirection(side) : 0 };
    else if (pointerTarget !== null) move = { p: pointerTarget };
    else return;
    if (move.d !== myInput.d || move.p !== myInput.p) setInput({ ...move, go: myInput.go });
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
    keyDir = null; // handed over on the next animation frame, at most once a frame
  }
  canvas.addEventListener('pointermove', onPointer);
  canvas.addEventListener('pointerdown', onPointer);

  // ---------- Drawing, every animation frame ----------

  function frame() {
    updateInput();
    const arena = arenaOf(state);
    const me = myIndex();
    const names = new Map(members().map((id) => [id, nameOf(id)]));
    renderer.insets = hud.insets();
    // The host draws its own state; members the host's, between its last two (smooth at any rate).
    const shown = sim || !state ? state : PongWire.withMotion(state, P2P.game.render());
    renderer.draw(shown ?? newGameState([]), arena, me, names);
    hud.update(hudView(arena, me));
    requestAnimationFrame(frame);
  }

  function nameOf(id) {
    const peer = P2P.getPeer(id);
    return peer && typeof peer.name === 'string' && peer.name ? peer.name : 'Player';
  }

  function waiting() {
    if (!P2P.isConnected()) {
      const detail = P2P.getPeerId() ? 'Connection lost, reconnecting…' : 'Connecting to the room…';
      return { title: sim ? 'Paused' : 'Waiting for host…', detail };
    }
    // Game sync pauses everyone while the host is away; the room keeps its place for 30 s (by default).
    if (P2P.game.paused) return { title: 'Host disconnected', detail: 'Waiting up to 30 s for them to come back…' };
    if (!state && !P2P.isHost()) return { title: 'Waiting for host…', detail: 'The game shows as soon as the host is here.' };
    return null;
  }

  function hudView(arena, me) {
    const players = state ? state.players.map((p, i) => ({
      id: p.id, name: nameOf(p.id), score: p.score, color: PLAYER_COLORS[p.color], me: i === me,
    })) : [];
    const view = { players, card: waiting(), countdown: '', help: '' };
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
        tick: P2P.game.tick,
        hostId: P2P.getHostId(),
        players: Object.fromEntries(s.players.map((p) => [p.id, { score: p.score, paddle: p.pos }])),
        ball: { x: s.ball.x, y: s.ball.y },
        running: (s.phase === 'serve' || s.phase === 'play') && P2P.isConnected() && !P2P.game.paused,
        phase: s.phase,
      };
    },
    /** Host: inputs received from each member (every tick's, once). */
    inputsReceived: () => ({ ...inputCounts }),
    /** Host: the latest input it has from `peerId` ({d, go} or {p, go}), or null. */
    inputOf: (peerId) => latestInputs[peerId] ?? null,
    ticksReceived: () => ticksReceived,
    /** -1 (up/left), 0 or 1 (down/right), as if the keys were held. */
    setInput(value) {
      keyDir = Math.sign(Number(value)) || 0;
      pointerTarget = null;
      updateInput();
    },
  };

  P2P.game.setInput(myInput);
  P2P.game.start({ tickHz: Pong.tickHz });
  requestAnimationFrame(frame);
})();
