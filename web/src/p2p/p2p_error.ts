// The one error type P2P reports (its own file: p2p_api.ts and p2p_state.ts both throw it).

/** Every failure P2P reports; `code` is one of the stable codes of docs/protocol.md. */
export class P2PError extends Error {
  // `declare`: assigned below; a class field would pull es2020 helpers into p2p.js.
  declare readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'P2PError';
    this.code = code;
  }
}
