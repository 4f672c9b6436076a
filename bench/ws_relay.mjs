// The baseline huddle-server is measured against: the smallest useful signaling relay on Node's
// `ws`, with rooms, one JSON.parse per frame and one JSON.stringify per forwarded message (as a
// real relay needs: the sender's id is stamped in). No validation, limits or heartbeats.
//   node bench/ws_relay.mjs [--port N]   (0: any free port) -> prints "ws-relay listening on PORT"
// Client frames: {"type":"join","room":R} -> {"type":"joined","id":N};
// {"type":"signal","to":N,"data":D} -> that member gets {"type":"signal","from":ID,"data":D};
// {"type":"broadcast","data":D} -> every other member gets {"type":"broadcast","from":ID,"data":D}.
import { WebSocketServer } from 'ws';

const flag = process.argv.indexOf('--port');
const port = flag >= 0 ? Number(process.argv[flag + 1]) : 0;
const rooms = new Map(); // room name -> Map(id -> socket)
let nextId = 1;
const error = (ws, code) => ws.send(JSON.stringify({ type: 'error', code }));

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 1 << 20 });
wss.on('connection', (ws) => {
  const id = nextId++;
  let name = null;
  let room = null;
  ws.on('message', (raw) => {
    let m;
    try { m = JSON.parse(raw); } catch { return error(ws, 'bad_json'); }
    if (m.type === 'join' && !room && typeof m.room === 'string') {
      name = m.room;
      room = rooms.get(name) ?? new Map();
      rooms.set(name, room);
      room.set(id, ws);
      return ws.send(JSON.stringify({ type: 'joined', id }));
    }
    if (!room) return error(ws, 'not_in_room');
    if (m.type === 'signal') {
      const to = m.to !== id && room.get(m.to);
      if (!to) return error(ws, 'peer_not_in_room');
      return to.send(JSON.stringify({ type: 'signal', from: id, data: m.data }));
    }
    if (m.type === 'broadcast') {
      const out = JSON.stringify({ type: 'broadcast', from: id, data: m.data });
      for (const [peer, socket] of room) if (peer !== id) socket.send(out);
      return;
    }
    error(ws, 'unknown_type');
  });
  ws.on('close', () => {
    if (!room) return;
    room.delete(id);
    if (room.size === 0) rooms.delete(name);
  });
});
wss.on('listening', () => console.log(`ws-relay listening on ${wss.address().port}`));
