// Entry of huddle.js: `<script type="module" src="https://SERVER/huddle.js">` on any page defines
// <p2p-frame> and exports the client library. Built in app mode (web/vite.embed.config.ts) so the
// Wasm file is fetched next to this script, not from the embedding page's origin.
import { P2PFrame, defineP2PFrame } from './p2p_frame';

export * from '../lib/index';
export { P2PFrame };

// The server that served this script is the one to join through, unless `server` says otherwise.
P2PFrame.defaultServer = new URL(import.meta.url).origin;
defineP2PFrame();
