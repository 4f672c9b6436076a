// Entry of p2p.js, the classic script an experience's iframe loads: defines window.P2P once.
// Loading it twice keeps the first P2P (and its connection).
import { createP2P, type P2PApi } from './p2p_api';

declare global {
  interface Window {
    P2P?: P2PApi;
  }
}

if (!window.P2P) window.P2P = createP2P(window);
