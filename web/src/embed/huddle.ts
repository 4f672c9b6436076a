// Entry of huddle.js: `<script type="module" src="https://SERVER/huddle.js">` on any page defines
// <p2p-frame> and exports the client library, hostExperience, and `huddle` (createRoom, joinRoom
// and hostExperience in one object). This is where the library and the bridge are put together
// for embedders; the library itself knows nothing of the bridge. Built in app mode
// (web/vite.embed.config.ts) so the Wasm file is fetched next to this script, not from the
// embedding page's origin.
import { hostExperience } from '../bridge/experience_host';
import { createRoom, joinRoom } from '../lib/index';
import type { HostExperience, HuddleApi } from '../lib/types';
import { P2PFrame, defineP2PFrame } from './p2p_frame';

export * from '../lib/index';
export { P2PFrame, hostExperience };

/** The library's entry points and hostExperience in one object. */
export const huddle: HuddleApi & { readonly hostExperience: HostExperience } = { createRoom, joinRoom, hostExperience };

// The server that served this script is the one to join through, unless `server` says otherwise.
P2PFrame.defaultServer = new URL(import.meta.url).origin;
defineP2PFrame();
