// The huddle client library: create or join a room, then send and receive JSON messages over
// direct WebRTC links (or the server relay where none can be made). Everything public is typed in
// types.ts. It depends on nothing outside web/src/lib (the bridge, <p2p-frame> and the app build
// on it, never the reverse) but the generated module and its core.ts.
import { CLIENT_TUNING_KEYS, type ClientTuning } from '../generated/core';
import { WasmRoom } from './room';
import { readJoinToken } from './join_token';
import { checkedPassword } from './room_secret';
import { serverOrigin, signalingUrl } from './server_url';
import {
  HuddleError,
  type ConnectOptions,
  type CreateRoomOptions,
  type JoinRoomOptions,
  type Room,
  type TokenJoinOptions,
} from './types';
import { loadWasm, type WasmClientOptions } from './wasm_module';

export { readJoinToken, type JoinTokenClaims } from './join_token';
export { newRoomSecret } from './room_secret';
export * from './limits';
export * from './types';
export { configureWasm } from './wasm_module';
export { configureStateWasm } from './state_module';
export { configureGameWasm } from './game_module';

/** Timing and retry knobs, each with its meaning and default (docs/protocol.md "Client knobs"). */
export type AdvancedOptions = ClientTuning;

async function open(options: ConnectOptions & AdvancedOptions, request: Parameters<WasmRoom['start']>[0]): Promise<Room> {
  const origin = serverOrigin(options.server);
  const url = signalingUrl(origin);
  // The connection to the server opens while the module loads (in a fresh page, both take tens
  // of ms and neither needs the other); the client takes it over (WasmClientOptions.socket).
  const socket = preconnect(url);
  let module;
  try {
    module = await loadWasm();
  } catch (err) {
    socket?.close();
    // The module comes from the server, so failing to load it means the server is out of reach.
    throw new HuddleError('server_unreachable', `could not load the huddle client module: ${String(err)}`);
  }
  const client = clientOptions(options);
  if (socket) client.socket = socket;
  const room = new WasmRoom(module, { origin, signalingUrl: url, debug: options.debug ?? false, client });
  return room.start(request);
}

// A WebSocket to `url`, or undefined where none can be made here (the client then reports it).
function preconnect(url: string): WebSocket | undefined {
  if (typeof WebSocket === 'undefined') return undefined;
  try {
    return new WebSocket(url);
  } catch {
    return undefined;
  }
}

// Only the knobs that were given, so the core's defaults apply to the rest.
function clientOptions(options: ConnectOptions & AdvancedOptions): WasmClientOptions {
  const out: WasmClientOptions = {};
  if (options.peerId !== undefined) out.peerId = String(options.peerId);
  if (options.resumeToken !== undefined) out.resumeToken = String(options.resumeToken);
  if (options.token !== undefined) out.joinToken = String(options.token);
  if (options.iceTransportPolicy === 'relay') out.iceTransportPolicy = 'relay';
  if (options.reportStats === false) out.reportStats = false;
  for (const key of CLIENT_TUNING_KEYS) {
    const value = options[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

/**
 * Starts loading the Wasm client now, so the first createRoom/joinRoom does not wait for it
 * (and still works if the server goes away in between). In a browser, importing the library
 * already starts it; preload() starts it again after a failed load or a configureWasm.
 * Optional; failures surface at the next createRoom/joinRoom.
 */
export function preload(): void {
  loadWasm().catch(() => {});
}

/** Creates a room and joins it as its first member (and host). */
export function createRoom(options: CreateRoomOptions & AdvancedOptions): Promise<Room> {
  let password: string;
  try {
    password = checkedPassword(options.password);
  } catch (err) {
    return Promise.reject(err);
  }
  return open(options, (client) =>
    client.createRoom(String(options.name ?? ''), options.maxMembers ?? 0, options.relayOnly === true, password),
  );
}

/**
 * Joins the room with this code (any case) or name; with `create`, a missing room is created.
 * Rejects with room_not_found, room_full, name_taken, peer_id_taken, wrong_password, ...
 */
export function joinRoom(options: (JoinRoomOptions | TokenJoinOptions) & AdvancedOptions): Promise<Room> {
  const claims = options.token === undefined ? null : readJoinToken(String(options.token));
  let password: string;
  try {
    password = checkedPassword(options.password);
  } catch (err) {
    return Promise.reject(err);
  }
  return open(options, (client) =>
    client.joinRoom(
      String(options.code ?? claims?.room ?? ''),
      String(options.name ?? claims?.name ?? ''),
      options.create === true || claims !== null,
      options.maxMembers ?? 0,
      options.relayOnly === true,
      password,
    ),
  );
}
