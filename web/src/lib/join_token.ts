// Reading (not verifying: only huddle-server holds the secret) a signed join token's claims, so
// `joinRoom({ token })` and `<p2p-frame token>` need no room or name besides it. The format is
// docs/tokens.md: base64url(payload JSON) "." base64url(HMAC-SHA256).

/** The claims a join token carries, as far as the page needs them. */
export interface JoinTokenClaims {
  readonly room: string;
  readonly peer: string;
  readonly name: string;
  /** Unix time, seconds. */
  readonly exp: number;
}

/** The token's claims, or null when it does not read as a join token (the server will say why). */
export function readJoinToken(token: string): JoinTokenClaims | null {
  const body = token.split('.')[0] ?? '';
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return null;
  try {
    const base64 = body.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof payload !== 'object' || payload === null) return null;
    const { room, peer, name, exp } = payload as Record<string, unknown>;
    if (typeof room !== 'string' || typeof peer !== 'string' || typeof name !== 'string' || typeof exp !== 'number') {
      return null;
    }
    return { room, peer, name, exp };
  } catch {
    return null;
  }
}
