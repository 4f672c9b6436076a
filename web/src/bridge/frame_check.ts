// Checks every frame that arrives at the page's end (host.ts) from the iframe's port, as strictly
// as huddle-server checks its own: the iframe runs whatever code its page loaded, so nothing it
// posts is taken on trust.
import type { Json } from '../lib/types';
import { jsonText } from '../lib/json_check';
import { PEER_ID_PATTERN } from '../lib/peer_id';
import type { IframeFrame } from './protocol';

export type FrameCheck = { frame: IframeFrame } | { error: { code: string; message: string } };

export function checkIframeFrame(raw: unknown): FrameCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof (raw as { t?: unknown }).t !== 'string') {
    return refuse('bad_frame', 'a bridge frame must be an object with a string t');
  }
  const f = raw as Record<string, unknown>;
  if (f.t === 'ready') return checkReady(f);
  if (f.t === 'request') return checkRequest(f);
  if (f.t === 'answer') return checkAnswer(f);
  if (f.t === 'state_watch') return { frame: { t: 'state_watch' } };
  if (f.t === 'state_set' || f.t === 'state_delete') return checkStateWrite(f);
  if (typeof f.t === 'string' && f.t.startsWith('game_')) return checkGame(f);
  if (f.t !== 'send' && f.t !== 'send_to') return refuse('unknown_type', `unknown bridge frame type ${JSON.stringify(String(f.t).slice(0, 32))}`);
  if (!Object.prototype.hasOwnProperty.call(f, 'data')) return refuse('bad_frame', `${f.t}.data: missing`);
  const data = jsonText(f.data);
  if ('problem' in data) return refuse('data_invalid', data.problem);
  // Absent means reliable (what every p2p.js before unreliable sends posts).
  if (f.reliable !== undefined && typeof f.reliable !== 'boolean') return refuse('bad_frame', `${f.t}.reliable: expected a boolean`);
  const unreliable = f.reliable === false ? { reliable: false as const } : {};
  // The port delivered a structured clone that only we hold, so the checked value is what gets sent.
  const value = f.data as Json;
  if (f.t === 'send') return { frame: { t: 'send', data: value, ...unreliable } };
  if (typeof f.to !== 'string' || !PEER_ID_PATTERN.test(f.to)) return refuse('bad_frame', 'send_to.to: expected a peer id');
  return { frame: { t: 'send_to', to: f.to, data: value, ...unreliable } };
}

function checkReady(f: Record<string, unknown>): FrameCheck {
  if (typeof f.id !== 'number' || !Number.isSafeInteger(f.id) || f.id < 0) return refuse('bad_frame', 'ready.id: expected an integer');
  if (f.to === undefined) return { frame: { t: 'ready', id: f.id } };
  if (typeof f.to !== 'string' || !PEER_ID_PATTERN.test(f.to)) return refuse('bad_frame', 'ready.to: expected a peer id');
  return { frame: { t: 'ready', id: f.id, to: f.to } };
}

function isId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
}

function checkRequest(f: Record<string, unknown>): FrameCheck {
  if (!isId(f.id)) return refuse('bad_frame', 'request.id: expected an integer');
  if (typeof f.to !== 'string' || !PEER_ID_PATTERN.test(f.to)) return refuse('bad_frame', 'request.to: expected a peer id');
  if (!Object.prototype.hasOwnProperty.call(f, 'data')) return refuse('bad_frame', 'request.data: missing');
  const data = jsonText(f.data);
  if ('problem' in data) return refuse('data_invalid', data.problem);
  if (f.timeoutMs === undefined) return { frame: { t: 'request', id: f.id, to: f.to, data: f.data as Json } };
  // Its range is the room's to check (MAX_REQUEST_TIMEOUT_MS), with the room's error.
  if (typeof f.timeoutMs !== 'number') return refuse('bad_frame', 'request.timeoutMs: expected a number');
  return { frame: { t: 'request', id: f.id, to: f.to, data: f.data as Json, timeoutMs: f.timeoutMs } };
}

function checkAnswer(f: Record<string, unknown>): FrameCheck {
  if (!isId(f.id)) return refuse('bad_frame', 'answer.id: expected an integer');
  if (f.code === 'request_failed' || f.code === 'no_handler') {
    const message = typeof f.message === 'string' ? f.message : '';
    return { frame: { t: 'answer', id: f.id, code: f.code, message } };
  }
  if (f.code !== undefined) return refuse('bad_frame', 'answer.code: expected request_failed or no_handler');
  if (!Object.prototype.hasOwnProperty.call(f, 'data')) return refuse('bad_frame', 'answer.data: missing');
  const data = jsonText(f.data);
  if ('problem' in data) return refuse('data_invalid', data.problem);
  return { frame: { t: 'answer', id: f.id, data: f.data as Json } };
}

// The key's own rules (length, characters) are the room state's to check, with its errors.
function checkStateWrite(f: Record<string, unknown>): FrameCheck {
  if (typeof f.key !== 'string') return refuse('bad_frame', `${f.t}.key: expected a string`);
  if (f.t === 'state_delete') return { frame: { t: 'state_delete', key: f.key } };
  if (!Object.prototype.hasOwnProperty.call(f, 'value')) return refuse('bad_frame', 'state_set.value: missing');
  const value = jsonText(f.value);
  if ('problem' in value) return refuse('data_invalid', value.problem);
  return { frame: { t: 'state_set', key: f.key, value: f.value as Json } };
}

// Sizes and the tick rate's range are the room's to check (room.game), with its errors.
function checkGame(f: Record<string, unknown>): FrameCheck {
  if (f.t === 'game_stop') return { frame: { t: 'game_stop' } };
  if (f.t === 'game_start') {
    if (f.tickHz === undefined) return { frame: { t: 'game_start' } };
    if (typeof f.tickHz !== 'number') return refuse('bad_frame', 'game_start.tickHz: expected a number');
    return { frame: { t: 'game_start', tickHz: f.tickHz } };
  }
  const field = f.t === 'game_input' ? 'input' : f.t === 'game_publish' ? 'state' : null;
  if (!field) return refuse('unknown_type', `unknown bridge frame type ${JSON.stringify(String(f.t).slice(0, 32))}`);
  if (!Object.prototype.hasOwnProperty.call(f, field)) return refuse('bad_frame', `${f.t}.${field}: missing`);
  const checked = jsonText(f[field]);
  if ('problem' in checked) return refuse('data_invalid', checked.problem);
  const value = f[field] as Json;
  return { frame: f.t === 'game_input' ? { t: 'game_input', input: value } : { t: 'game_publish', state: value } };
}

function refuse(code: string, message: string): FrameCheck {
  return { error: { code, message } };
}
